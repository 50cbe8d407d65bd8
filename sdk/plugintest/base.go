package plugintest

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"testing"

	"github.com/outreachhq/outreach/sdk"
)

var (
	nameRE    = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)
	versionRE = regexp.MustCompile(`^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$`)
)

// configTypes are the types a ConfigField may declare.
var configTypes = []string{"string", "number", "bool", "list(string)", "map(string)"}

// knownKinds are the kinds this version of the protocol defines.
var knownKinds = []string{sdk.KindNetwork, sdk.KindAI, sdk.KindSink}

// TestPlugin checks the base interface every plugin implements: Info names
// the plugin (a lower-case name, a semantic version, the kinds it serves),
// ConfigSchema is well formed, and Configure accepts config but answers
// malformed JSON, or a config without a required field, with a Permanent
// *sdk.Error rather than a crash. The kind suites run it first.
func TestPlugin(t *testing.T, c *Conn, config json.RawMessage) {
	t.Helper()
	ctx := context.Background()
	t.Run("info", func(t *testing.T) {
		info, err := c.Plugin.Info(ctx)
		if err != nil {
			t.Fatalf("Info: %v", err)
		}
		if !nameRE.MatchString(info.Name) {
			t.Errorf("Info.Name = %q: want lower-case letters, digits, - and _, starting with a letter", info.Name)
		}
		if !versionRE.MatchString(info.Version) {
			t.Errorf("Info.Version = %q: want a semantic version like 1.2.3", info.Version)
		}
		if len(info.Kinds) == 0 {
			t.Errorf("Info.Kinds is empty: a plugin serves at least one of %v", knownKinds)
		}
		seen := map[string]bool{}
		for _, k := range info.Kinds {
			if !slices.Contains(knownKinds, k) {
				t.Errorf("Info.Kinds lists %q: known kinds are %v", k, knownKinds)
			}
			if seen[k] {
				t.Errorf("Info.Kinds lists %q twice", k)
			}
			seen[k] = true
		}
	})
	t.Run("config schema", func(t *testing.T) {
		fields, err := c.Plugin.ConfigSchema(ctx)
		if err != nil {
			t.Fatalf("ConfigSchema: %v", err)
		}
		seen := map[string]bool{}
		for _, f := range fields {
			if !nameRE.MatchString(f.Name) {
				t.Errorf("config field %q: want a lower-case name like base_url", f.Name)
			}
			if seen[f.Name] {
				t.Errorf("config field %q is declared twice", f.Name)
			}
			seen[f.Name] = true
			if !slices.Contains(configTypes, f.Type) {
				t.Errorf("config field %q has type %q: want one of %v", f.Name, f.Type, configTypes)
			}
			if f.Description == "" {
				t.Errorf("config field %q has no description: users read it in `outreach plugins list`", f.Name)
			}
		}
	})
	t.Run("configure", func(t *testing.T) {
		wantPermanent(t, "Configure(malformed JSON)", c.Plugin.Configure(ctx, json.RawMessage(`{"unterminated`)))
		fields, err := c.Plugin.ConfigSchema(ctx)
		if err != nil {
			t.Fatalf("ConfigSchema: %v", err)
		}
		if slices.ContainsFunc(fields, func(f sdk.ConfigField) bool { return f.Required }) {
			wantPermanent(t, "Configure({}) without its required fields", c.Plugin.Configure(ctx, json.RawMessage(`{}`)))
		}
		// Configure is called again after every relaunch: it must accept
		// the same config twice.
		for range 2 {
			if err := c.Plugin.Configure(ctx, config); err != nil {
				t.Fatalf("Configure(%s): %v", config, err)
			}
		}
	})
}

// wantPermanent fails unless err is a Permanent *sdk.Error.
func wantPermanent(t *testing.T, what string, err error) {
	t.Helper()
	wantKind(t, what, err, sdk.Permanent)
}

// wantKind fails unless err is an *sdk.Error of kind.
func wantKind(t *testing.T, what string, err error, kind sdk.ErrorKind) {
	t.Helper()
	switch got := sdk.KindOf(err); {
	case err == nil:
		t.Errorf("%s succeeded; want a %s error", what, kind)
	case got != kind:
		t.Errorf("%s: %v (kind %q); want an *sdk.Error of kind %s", what, err, got, kind)
	}
}
