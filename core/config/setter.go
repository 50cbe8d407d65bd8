package config

import (
	"fmt"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Setter is the `settings { ai_setter { ... } }` block: how the AI setter
// answers, for every account with `ai_setter = true`. A lead's positive or
// neutral reply gets an answer the AI plugin drafts, MinDelay to MaxDelay
// after it, while the conversation has had fewer than MaxAnswers and the
// classifier is at least MinConfidence sure; Instructions brief the
// plugin (the offer, the tone, what to propose).
type Setter struct {
	MaxAnswers         int
	MinDelay, MaxDelay time.Duration
	MinConfidence      float64
	Instructions       string
}

// Bounds of the ai_setter block's values.
const (
	MaxSetterAnswers = 20
	maxSetterDelay   = 24 * time.Hour
)

var setterSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "max_answers"},
		{Name: "min_delay"},
		{Name: "max_delay"},
		{Name: "min_confidence"},
		{Name: "instructions"},
	},
}

// defaultSetter is the AI setter's behaviour without an ai_setter block:
// two answers at most, two to ten minutes after the reply, only to
// replies the classifier is at least 60% sure of.
func defaultSetter() Setter {
	return Setter{MaxAnswers: 2, MinDelay: 2 * time.Minute, MaxDelay: 10 * time.Minute, MinConfidence: 0.6}
}

// decodeSetterBlock decodes the ai_setter block over the defaults.
func (sc *scope) decodeSetterBlock(block *hcl.Block) (Setter, hcl.Diagnostics) {
	s := defaultSetter()
	content, diags := block.Body.Content(setterSchema)
	if attr, ok := content.Attributes["max_answers"]; ok {
		if v, ok := sc.decodeIntIn(attr, &diags, 1, MaxSetterAnswers, "Invalid max_answers", "the most automatic answers one conversation gets."); ok {
			s.MaxAnswers = v
		}
	}
	delay := func(name string, dst *time.Duration) {
		attr, ok := content.Attributes[name]
		if !ok {
			return
		}
		v, ok := sc.decodeString(attr, &diags)
		if !ok {
			return
		}
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 || d > maxSetterDelay {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid " + name,
				Detail:   fmt.Sprintf("The %s %q is not a duration from 0s to 24h. Write one such as \"2m\" or \"1h30m\".", name, v),
				Subject:  attr.Expr.Range().Ptr(),
			})
			return
		}
		*dst = d
	}
	delay("min_delay", &s.MinDelay)
	delay("max_delay", &s.MaxDelay)
	if s.MinDelay > s.MaxDelay {
		subject := block.DefRange
		if attr, ok := content.Attributes["max_delay"]; ok {
			subject = attr.Expr.Range()
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid AI setter delay",
			Detail:   fmt.Sprintf("min_delay (%s) is longer than max_delay (%s): an answer is due between the two.", s.MinDelay, s.MaxDelay),
			Subject:  subject.Ptr(),
		})
	}
	if attr, ok := content.Attributes["min_confidence"]; ok {
		hint := "Write a share from 0 to 1 without quotes, like min_confidence = 0.7."
		if val, ok := sc.evalAttr(attr, cty.Number, "a number", hint, &diags); ok {
			v, _ := val.AsBigFloat().Float64()
			if v < 0 || v > 1 {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid min_confidence",
					Detail:   fmt.Sprintf("min_confidence is %s, but it must be from 0 to 1: how sure the classifier must be of a reply for the AI setter to answer it.", val.AsBigFloat().Text('g', -1)),
					Subject:  attr.Expr.Range().Ptr(),
				})
			} else {
				s.MinConfidence = v
			}
		}
	}
	if attr, ok := content.Attributes["instructions"]; ok {
		if v, ok := sc.decodeString(attr, &diags); ok {
			s.Instructions = v
		}
	}
	return s, diags
}

// checkSetterPolicy warns of each account with ai_setter on under the
// strict policy, which allows no automatic answer: the setter stays off.
func (c *Config) checkSetterPolicy() hcl.Diagnostics {
	if c.Policy() != "strict" {
		return nil
	}
	var diags hcl.Diagnostics
	for _, a := range c.Accounts {
		if a.AISetter {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagWarning,
				Summary:  "The AI setter is off under the strict policy",
				Detail:   fmt.Sprintf("Account %q has ai_setter = true, but the strict policy allows no automatic replies: a person answers every reply. Set ai_setter = false, or use the standard policy.", a.Name),
				Subject:  a.DeclRange.Ptr(),
			})
		}
	}
	return diags
}
