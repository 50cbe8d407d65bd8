package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func TestEnvFunc(t *testing.T) {
	f := makeEnvFunc(func(k string) (string, bool) {
		if k == "SET" {
			return "value", true
		}
		return "", false
	})
	for _, tt := range []struct {
		args    []cty.Value
		want    string
		wantErr string
	}{
		{[]cty.Value{cty.StringVal("SET")}, "value", ""},
		{[]cty.Value{cty.StringVal("SET"), cty.StringVal("d")}, "value", ""},
		{[]cty.Value{cty.StringVal("UNSET"), cty.StringVal("d")}, "d", ""},
		{[]cty.Value{cty.StringVal("UNSET")}, "", "UNSET is not set"},
		{[]cty.Value{cty.StringVal("UNSET"), cty.StringVal("a"), cty.StringVal("b")}, "", "at most one default"},
	} {
		got, err := f.Call(tt.args)
		switch {
		case tt.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("env(%v) error = %v, want %q", tt.args, err, tt.wantErr)
			}
		case err != nil || got.AsString() != tt.want:
			t.Errorf("env(%v) = %v, %v; want %q", tt.args, got, err, tt.want)
		}
	}
}

func TestFileFunc(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.txt"), []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bin"), []byte{0xff, 0xfe}, 0o600); err != nil {
		t.Fatal(err)
	}
	f := makeFileFunc(dir)
	if got, err := f.Call([]cty.Value{cty.StringVal("a.txt")}); err != nil || got.AsString() != "hello" {
		t.Errorf("file(a.txt) = %v, %v", got, err)
	}
	if got, err := f.Call([]cty.Value{cty.StringVal(filepath.Join(dir, "a.txt"))}); err != nil || got.AsString() != "hello" {
		t.Errorf("file(absolute) = %v, %v", got, err)
	}
	for _, bad := range []string{"missing.txt", "bin", ".", "/dev/zero"} {
		if _, err := f.Call([]cty.Value{cty.StringVal(bad)}); err == nil {
			t.Errorf("file(%q) succeeded", bad)
		}
	}
}

func TestTimeaddFunc(t *testing.T) {
	got, err := functions(nil)["timeadd"].Call([]cty.Value{cty.StringVal("2030-01-01T00:00:00Z"), cty.StringVal("90m")})
	if err != nil || got.AsString() != "2030-01-01T01:30:00Z" {
		t.Errorf("timeadd = %v, %v", got, err)
	}
}
