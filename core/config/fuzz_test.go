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
	examples, err := filepath.Glob(filepath.Join("..", "..", "examples", "*.hcl"))
	if err != nil || len(examples) == 0 {
		f.Fatalf("no examples: %v", err)
	}
	for _, path := range examples {
		src, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(src))
	}
	for _, c := range allDiagnosticCases() {
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
	f.Add("settings {\n  policy = \"strict\"\n}\n")
	f.Add("settings {\n  policy = lower(\"STRICT\")\n  policy = null\n}\n")
	f.Add("account \"a\" {\n  handle = <<EOT\nacme\nEOT\n}\n")
	f.Add("\xff\xfe{{{")
	f.Add(`settings {
  allow_private_webhooks = true
}
webhook "w" {
  url     = "http://0x7f.0x0.1:8080/h"
  secret  = "whsec_===="
  retries = 1e10
  backoff = "-1h"
  events  = ["dm_sent", "dm_sent", null]
}
webhook "v" {
  url     = "http://[::ffff:127.0.0.1%25eth0]:80/h"
  secret  = "whsec_b3V0cmVhY2ggZXhhbXBsZSBzZWNyZXQ6IDMyIGJ5dGU="
  retries = -0
  backoff = "1h0m0.000000001s"
}`)
	f.Add(`account "a" {
  handle  = "a"
  cookies = [{ name = "ct0", value = "c" }, tomap({ name = "auth_token", value = "t" }), { name = 1 }, null, [1]]
  tokens  = { a = null }
}`)
	f.Add(`account "a" {
  handle  = "a"
  cookies = toset([{ name = "ct0", value = "c" }])
  proxy   = "socks5://[::1]:1080/x?y"
  active_hours {
    start = "24:00"
    end   = "-1:00"
    days  = ["mon", "MONDAY", "mo"]
  }
}`)
	f.Add(`variable "v" {
  type      = object({ a = list(number) })
  default   = { a = [1, 2] }
  sensitive = true
}
locals {
  x = var.v.a[0]
  y = local.x + local.z
  z = local.y
}
plugin "p" {
  source  = "../p"
  version = "~> 1"
  config {
    k = var.v
  }
}
tweet "t" {
  account = account.a
  text    = "${local.x}"
  at      = timeadd("2099-01-01T00:00:00Z", "-1h")
}`)
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
