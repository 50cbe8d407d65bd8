package config

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// FuzzLoadBytes feeds arbitrary source to the decoder. It must never panic,
// and every error it reports must say what is wrong and where.
func FuzzLoadBytes(f *testing.F) {
	quickstart, err := os.ReadFile(filepath.Join("..", "..", "examples", "quickstart.hcl"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(quickstart))
	for _, c := range diagnosticCases {
		f.Add(c.src)
	}
	f.Add(`filter "f" {
  include_keywords = [[upper("a")], concat(["b"], ["c"])]
  followers        = jsondecode("{\"min\": 1}")
  where            = format("followers > %d", 10)
}`)
	f.Add(`campaign "c" {
  sources = [source.s[0], source["s"], source.s.x, for s in x : s]
  message = "${1 + 1}"
}`)
	f.Add("account \"a\" {\n  handle = <<EOT\nacme\nEOT\n}\n")
	f.Add("\xff\xfe{{{")
	f.Fuzz(func(t *testing.T, src string) {
		cfg, diags := NewParser().LoadBytes([]byte(src), testFile)
		if cfg == nil || cfg.Settings == nil {
			t.Fatal("LoadBytes returned no Config or no Settings")
		}
		for _, d := range diags {
			if d.Severity != hcl.DiagError {
				continue
			}
			if d.Summary == "" || d.Detail == "" || d.Subject == nil {
				t.Fatalf("diagnostic without summary, detail or subject: %#v", d)
			}
		}
	})
}
