package config

import (
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// Followup is a `followup { after = "3d" message = "..." }` block: a message
// sent when the lead has not replied this long after the previous message.
type Followup struct {
	// After is a whole number of minutes, hours or days.
	After     time.Duration
	Message   string
	DeclRange hcl.Range
}

var followupSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "after", Required: true},
		{Name: "message", Required: true},
	},
}

func (sc *scope) decodeFollowupBlock(block *hcl.Block) (*Followup, hcl.Diagnostics) {
	f := &Followup{DeclRange: block.DefRange}
	content, diags := block.Body.Content(followupSchema)
	if attr, ok := content.Attributes["after"]; ok {
		if s, ok := sc.decodeString(attr, &diags); ok {
			after, err := parseFollowupDelay(s)
			if err != nil {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid follow-up delay",
					Detail:   fmt.Sprintf(`%v. Set after to a whole number of minutes, hours or days, like "30m", "2h" or "3d".`, upperFirst(err.Error())),
					Subject:  attr.Expr.Range().Ptr(),
				})
			}
			f.After = after
		}
	}
	if attr, ok := content.Attributes["message"]; ok {
		f.Message, _ = sc.decodeMessage(attr, &diags)
	}
	return f, diags
}

func (sc *scope) decodeFollowupBlocks(blocks hcl.Blocks) ([]*Followup, hcl.Diagnostics) {
	var out []*Followup
	var diags hcl.Diagnostics
	for _, b := range blocks {
		f, d := sc.decodeFollowupBlock(b)
		diags = append(diags, d...)
		out = append(out, f)
	}
	return out, diags
}

func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// decodeMessage reads a message text, which must not be blank.
func (sc *scope) decodeMessage(attr *hcl.Attribute, diags *hcl.Diagnostics) (string, bool) {
	msg, ok := sc.decodeString(attr, diags)
	if ok && isBlank(msg) {
		*diags = append(*diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Empty message",
			Detail:   `The message is empty. Write the text to send, like message = "Hey {{firstName}}, ...".`,
			Subject:  attr.Expr.Range().Ptr(),
		})
		return msg, false
	}
	if p := UnknownPlaceholder(msg); ok && p != "" {
		*diags = append(*diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Unknown placeholder",
			Detail: fmt.Sprintf("The message has %s, which is not filled from a lead, so it would be sent as it is. Use one of {{%s}}.",
				p, strings.Join(Placeholders, "}}, {{")),
			Subject: attr.Expr.Range().Ptr(),
		})
		return msg, false
	}
	return msg, ok
}
