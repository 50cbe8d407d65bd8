package config

import (
	"strings"
	"testing"
	"time"
)

func TestAISetterBlock(t *testing.T) {
	cfg := mustLoad(t, `settings {
  ai_setter {
    max_answers    = 3
    min_delay      = "30s"
    max_delay      = "5m"
    min_confidence = 0.75
    instructions   = "We sell analytics; offer a 15-minute call."
  }
}
`)
	want := Setter{MaxAnswers: 3, MinDelay: 30 * time.Second, MaxDelay: 5 * time.Minute, MinConfidence: 0.75, Instructions: "We sell analytics; offer a 15-minute call."}
	if got := cfg.Settings.AISetter; got != want {
		t.Errorf("AISetter = %+v, want %+v", got, want)
	}
	if got := mustLoad(t, "settings {\n  ai_setter {}\n}\n").Settings.AISetter; got != defaultSetter() {
		t.Errorf("an empty block gives %+v, want the defaults %+v", got, defaultSetter())
	}
	for _, c := range []struct{ body, want string }{
		{`max_answers = 0`, "Invalid max_answers"},
		{`max_answers = 21`, "Invalid max_answers"},
		{`min_delay = "soon"`, `The min_delay "soon" is not a duration`},
		{`max_delay = "48h"`, `The max_delay "48h" is not a duration from 0s to 24h`},
		{`min_confidence = 1.5`, "min_confidence is 1.5, but it must be from 0 to 1"},
		{`min_confidence = "high"`, `"min_confidence" attribute needs a number`},
		{`max_delay = "1m"`, "min_delay (2m0s) is longer than max_delay (1m0s)"},
		{`max_reply = 2`, "Unsupported argument"},
	} {
		_, diags := load(t, "settings {\n  ai_setter {\n    "+c.body+"\n  }\n}\n")
		if !diags.HasErrors() {
			t.Errorf("%s: no error", c.body)
			continue
		}
		d := diags[0]
		if !strings.Contains(d.Summary+" "+d.Detail, c.want) || d.Subject == nil || d.Subject.Start.Line != 3 {
			t.Errorf("%s: got %s, want %q at line 3", c.body, describe(diags), c.want)
		}
	}
}

func TestAISetterUnderStrictPolicy(t *testing.T) {
	_, diags := load(t, "settings {\n  policy = \"strict\"\n}\naccount \"a\" {\n  handle    = \"acme\"\n  ai_setter = true\n}\n")
	if diags.HasErrors() || len(diags) != 1 || !strings.Contains(diags[0].Summary, "AI setter is off under the strict policy") || diags[0].Subject.Start.Line != 4 {
		t.Errorf("got %s; want one warning at the account block (line 4)", describe(diags))
	}
	if _, diags := load(t, "account \"a\" {\n  handle    = \"acme\"\n  ai_setter = true\n}\n"); len(diags) != 0 {
		t.Errorf("under the standard policy: %s", describe(diags))
	}
}
