package plan

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestPluginsRendered: the plugins a configuration declares are listed
// after the work, in text and in JSON; a plan without any lists none.
func TestPluginsRendered(t *testing.T) {
	p := &Plan{Workspace: "default", Plugins: []Plugin{
		{Name: "csv", Source: "/opt/bin/outreach-plugin-csv-sink", Version: "1.0.0", Constraint: ">= 1.0.0, < 2.0.0", Kinds: []string{"sink"}},
		{Name: "x", Source: "builtin", Version: "0.1.0", Kinds: []string{"network"}},
	}}
	var text strings.Builder
	if err := p.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	want := "No changes. The configuration matches what is applied.\n\nPlugins:\n" +
		"  plugin.csv: version 1.0.0 (sink) from /opt/bin/outreach-plugin-csv-sink; constraint \">= 1.0.0, < 2.0.0\"\n" +
		"  plugin.x: version 0.1.0 (network) from builtin\n"
	if text.String() != want {
		t.Errorf("text:\n%s\nwant:\n%s", text.String(), want)
	}
	var js strings.Builder
	if err := p.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var view struct{ Plugins []Plugin }
	if err := json.Unmarshal([]byte(js.String()), &view); err != nil {
		t.Fatal(err)
	}
	if len(view.Plugins) != 2 || view.Plugins[0].Constraint != ">= 1.0.0, < 2.0.0" || view.Plugins[1].Source != "builtin" {
		t.Errorf("JSON plugins = %+v", view.Plugins)
	}

	none := &Plan{Workspace: "default"}
	text.Reset()
	js.Reset()
	if err := none.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if err := none.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(text.String(), "Plugins:") || !strings.Contains(js.String(), `"plugins": []`) {
		t.Errorf("a plan without plugins:\n%s\n%s", text.String(), js.String())
	}
}
