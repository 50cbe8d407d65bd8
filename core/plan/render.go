package plan

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// WriteText prints the plan as a person reads it, in the manner of
// Terraform: one block per changed object, then a count, then the work.
func (p *Plan) WriteText(w io.Writer) error {
	var b strings.Builder
	if !p.HasChanges() {
		b.WriteString("No changes. The configuration matches what is applied.\n")
	} else {
		b.WriteString("outreach will perform the following actions:\n")
		var add, change, destroy int
		for _, c := range p.Changes {
			b.WriteString("\n")
			writeChange(&b, c)
			switch c.Action {
			case Create:
				add++
			case Update:
				change++
			case Delete:
				destroy++
			}
		}
		fmt.Fprintf(&b, "\nPlan: %d to add, %d to change, %d to destroy.\n", add, change, destroy)
	}
	p.Work.writeText(&b)
	_, err := io.WriteString(w, b.String())
	return err
}

var actionWords = map[Action]string{Create: "will be created", Update: "will be updated in place", Delete: "will be destroyed"}

func writeChange(b *strings.Builder, c Change) {
	fmt.Fprintf(b, "  # %s %s\n", c.Address(), actionWords[c.Action])
	fmt.Fprintf(b, "  %s %s %q {\n", c.Action.Symbol(), c.Kind, c.Name)
	switch c.Action {
	case Create:
		writeAttrs(b, "+", c.After)
	case Delete:
		writeAttrs(b, "-", c.Before)
	case Update:
		before := map[string]Attr{}
		for _, a := range c.Before {
			before[a.Name] = a
		}
		after := map[string]Attr{}
		for _, a := range c.After {
			after[a.Name] = a
		}
		width := 0
		for _, n := range c.Changed {
			width = max(width, len(n))
		}
		for _, n := range c.Changed {
			old, hadOld := before[n]
			nw, hasNew := after[n]
			switch {
			case !hadOld:
				fmt.Fprintf(b, "      + %-*s = %s\n", width, n, value(nw))
			case !hasNew:
				fmt.Fprintf(b, "      - %-*s = %s\n", width, n, value(old))
			default:
				fmt.Fprintf(b, "      ~ %-*s = %s -> %s\n", width, n, value(old), value(nw))
			}
		}
	}
	b.WriteString("    }\n")
}

func writeAttrs(b *strings.Builder, sym string, attrs []Attr) {
	width := 0
	for _, a := range attrs {
		width = max(width, len(a.Name))
	}
	for _, a := range attrs {
		if a.Value == "null" || a.Value == `""` || a.Value == "[]" {
			continue // unset: printing it adds nothing
		}
		fmt.Fprintf(b, "      %s %-*s = %s\n", sym, width, a.Name, value(a))
	}
}

func value(a Attr) string {
	if a.Sensitive {
		return "(sensitive value)"
	}
	return a.Value
}

func (w Work) writeText(b *strings.Builder) {
	if len(w.Sources) == 0 && len(w.Campaigns) == 0 {
		return
	}
	b.WriteString("\nWork:\n")
	for _, s := range w.Sources {
		budget := "no lead budget"
		if s.MaxLeads > 0 {
			budget = fmt.Sprintf("%d of %d leads kept", s.Kept, s.MaxLeads)
		}
		fmt.Fprintf(b, "  source.%s: %d list(s) to scrape; %s\n", s.Name, s.Targets, budget)
	}
	for _, c := range w.Campaigns {
		if c.MaxLeads == 0 {
			fmt.Fprintf(b, "  campaign.%s: %d first DMs sent; every lead its sources keep will get one", c.Name, c.Sent)
		} else {
			names := make([]string, 0, len(c.PerAccount))
			for n := range c.PerAccount {
				names = append(names, n)
			}
			sort.Strings(names)
			parts := make([]string, len(names))
			for i, n := range names {
				parts[i] = fmt.Sprintf("%s %d", n, c.PerAccount[n])
			}
			fmt.Fprintf(b, "  campaign.%s: %d of %d first DMs sent", c.Name, c.Sent, c.MaxLeads)
			if c.Failed > 0 {
				fmt.Fprintf(b, " (%d failed)", c.Failed)
			}
			fmt.Fprintf(b, "; to send: %s", strings.Join(parts, ", "))
		}
		if c.Followups > 0 {
			fmt.Fprintf(b, "; up to %d follow-up(s) each", c.Followups)
		}
		b.WriteString("\n")
	}
}
