package pluginhost

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/outreachhq/outreach/sdk"
)

func TestCheckConfigSchema(t *testing.T) {
	fields := []sdk.ConfigField{
		{Name: "url", Type: "string", Required: true},
		{Name: "retries", Type: "number"},
		{Name: "sync", Type: "bool"},
		{Name: "stages", Type: "list(string)"},
		{Name: "headers", Type: "map(string)"},
		{Name: "future", Type: "set(tuple)"},
	}
	tests := []struct {
		name, config string
		want         []configProblem
	}{
		{"every type right", `{"url":"u","retries":3,"sync":false,"stages":["a"],"headers":{"k":"v"},"future":[1,"x"]}`, nil},
		{"null is absent", `{"url":"u","retries":null}`, nil},
		{"required missing", `{"sync":true}`, []configProblem{{Kind: problemRequired, Field: "url", Path: "url"}}},
		{"required null", `{"url":null}`, []configProblem{{Kind: problemRequired, Field: "url", Path: "url"}}},
		{"string for a number", `{"url":"u","retries":"3"}`,
			[]configProblem{{Kind: problemType, Field: "retries", Path: "retries", Want: "a number", Got: "a string"}}},
		{"number for a string", `{"url":30}`,
			[]configProblem{{Kind: problemType, Field: "url", Path: "url", Want: "a string", Got: "a number"}}},
		{"list element", `{"url":"u","stages":["a",2]}`,
			[]configProblem{{Kind: problemType, Field: "stages", Path: "stages[1]", Want: "a string", Got: "a number"}}},
		{"not a list", `{"url":"u","stages":"a"}`,
			[]configProblem{{Kind: problemType, Field: "stages", Path: "stages", Want: "a list of strings", Got: "a string"}}},
		{"map value", `{"url":"u","headers":{"a":"x","b":true}}`,
			[]configProblem{{Kind: problemType, Field: "headers", Path: "headers.b", Want: "a string", Got: "a bool"}}},
		{"unknown, sorted", `{"url":"u","zeta":1,"alpha":2}`,
			[]configProblem{{Kind: problemUnknown, Field: "alpha", Path: "alpha"}, {Kind: problemUnknown, Field: "zeta", Path: "zeta"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := checkConfig(fields, json.RawMessage(tt.config))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := checkConfig(fields, json.RawMessage(`[1]`)); err == nil {
		t.Error("a config that is not an object was accepted")
	}
}

func TestStderrTail(t *testing.T) {
	t.Run("panic and its stack, written in pieces", func(t *testing.T) {
		var tail stderrTail
		// go-plugin writes a line, then its newline, separately.
		for _, l := range []string{`{"@level":"info","@message":"starting"}`, "panic: boom", "", "goroutine 1 [running]:", "main.main()"} {
			tail.Write([]byte(l))
			tail.Write([]byte("\n"))
		}
		if got, want := tail.report(), "panic: boom\n\ngoroutine 1 [running]:\nmain.main()"; got != want {
			t.Errorf("report = %q, want %q", got, want)
		}
	})
	t.Run("ordinary log left out, errors kept", func(t *testing.T) {
		var tail stderrTail
		fmt.Fprint(&tail, `{"@level":"info","@message":"configured"}`+"\n"+
			`{"@level":"error","@message":"cannot open file","error":"permission denied"}`+"\n"+
			"raw output\n")
		if got, want := tail.report(), "[ERROR] cannot open file: permission denied\nraw output"; got != want {
			t.Errorf("report = %q, want %q", got, want)
		}
	})
	t.Run("bounded", func(t *testing.T) {
		var tail stderrTail
		for i := range 1000 {
			fmt.Fprintf(&tail, "line %d %s\n", i, strings.Repeat("x", 2000))
		}
		if len(tail.lines) != tailLines {
			t.Errorf("%d lines kept, want %d", len(tail.lines), tailLines)
		}
		got := strings.Split(tail.report(), "\n")
		if len(got) != reportLines || !strings.HasPrefix(got[reportLines-1], "line 999 ") || !strings.HasSuffix(got[0], "[...]") || len(got[0]) > tailLineBytes+10 {
			t.Errorf("report of 1000 long lines: %d lines, last %.20q", len(got), got[len(got)-1])
		}
	})
	t.Run("nothing", func(t *testing.T) {
		var tail stderrTail
		if got := tail.report(); got != "" {
			t.Errorf("report of nothing = %q", got)
		}
	})
}
