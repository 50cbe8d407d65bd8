package api

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/outreachhq/outreach/sdk"
)

// readmeWebhooks returns the README's Webhooks section.
func readmeWebhooks(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "\n## Webhooks\n")
	if !ok {
		t.Fatal("README.md has no Webhooks section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	return section
}

// TestReadmeWebhookEvents: the README's table of events and its example
// payloads are this package's, so the README and the OpenAPI document
// cannot drift apart, and an event type added to sdk.EventTypes fails here
// until the README shows it. On failure it prints what the README should
// say.
func TestReadmeWebhookEvents(t *testing.T) {
	section := readmeWebhooks(t)

	rows := map[string]string{}
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z_]+)` \\| (.*) \\|$").FindAllStringSubmatch(section, -1) {
		rows[m[1]] = m[2]
	}
	blocks := map[string]string{}
	for _, m := range regexp.MustCompile("(?s)```json\n(.*?)\n```").FindAllStringSubmatch(section, -1) {
		var p struct{ Event string }
		if err := json.Unmarshal([]byte(m[1]), &p); err != nil {
			t.Errorf("a JSON block of the README's Webhooks section is not JSON: %v\n%s", err, m[1])
			continue
		}
		if _, dup := blocks[p.Event]; dup {
			t.Errorf("the README shows %s twice", p.Event)
		}
		blocks[p.Event] = m[1]
	}

	var want strings.Builder
	ok := len(rows) == len(sdk.EventTypes) && len(blocks) == len(sdk.EventTypes)
	fmt.Fprintf(&want, "| event | what happened |\n|---|---|\n")
	for _, typ := range sdk.EventTypes {
		fmt.Fprintf(&want, "| `%s` | %s |\n", typ, webhookEvents[typ].Summary)
		ok = ok && rows[typ] == webhookEvents[typ].Summary
	}
	for _, typ := range sdk.EventTypes {
		example, err := webhookExample(typ)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&want, "\n`%s`:\n\n```json\n%s\n```\n", typ, example)
		ok = ok && blocks[typ] == string(example)
	}
	if !ok {
		t.Errorf("the README's table of events or its payloads differ from core/api's; its Webhooks section should have:\n\n%s", want.String())
	}
}
