package plan

import (
	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/store"
)

// Action is what applying does to one object.
type Action string

// Actions, printed as Terraform does.
const (
	Create Action = "create"
	Update Action = "update"
	Delete Action = "delete"
)

// Symbol is the action's mark in the text plan.
func (a Action) Symbol() string {
	switch a {
	case Create:
		return "+"
	case Update:
		return "~"
	case Delete:
		return "-"
	}
	return " "
}

// Change is one object that applying changes.
type Change struct {
	Action  Action   `json:"action"`
	Kind    string   `json:"kind"`
	Name    string   `json:"name"`
	Before  []Attr   `json:"before,omitempty"`
	After   []Attr   `json:"after,omitempty"`
	Changed []string `json:"changed,omitempty"`
}

// Address is kind.name.
func (c Change) Address() string { return c.Kind + "." + c.Name }

// Plan is what applying a configuration would do.
type Plan struct {
	Workspace string   `json:"workspace"`
	Sandbox   bool     `json:"sandbox"`
	Changes   []Change `json:"changes"`
	Work      Work     `json:"work"`
}

// HasChanges reports whether applying changes any object.
func (p *Plan) HasChanges() bool { return len(p.Changes) > 0 }

// kindOrder is the order objects are listed and created in: what others
// refer to first.
var kindOrder = map[string]int{store.KindAccount: 0, store.KindFilter: 1, store.KindSource: 2, store.KindCampaign: 3}

// Diff compares desired objects with current ones.
func Diff(desired, current []Object) []Change {
	cur := map[string]Object{}
	for _, o := range current {
		cur[o.Address()] = o
	}
	var changes []Change
	seen := map[string]bool{}
	for _, d := range desired {
		seen[d.Address()] = true
		c, ok := cur[d.Address()]
		if !ok {
			changes = append(changes, Change{Action: Create, Kind: d.Kind, Name: d.Name, After: d.Attrs})
			continue
		}
		if changed := changedAttrs(c.Attrs, d.Attrs); len(changed) > 0 {
			changes = append(changes, Change{Action: Update, Kind: d.Kind, Name: d.Name, Before: c.Attrs, After: d.Attrs, Changed: changed})
		}
	}
	for _, c := range current {
		if !seen[c.Address()] {
			changes = append(changes, Change{Action: Delete, Kind: c.Kind, Name: c.Name, Before: c.Attrs})
		}
	}
	sortChanges(changes)
	return changes
}

func changedAttrs(before, after []Attr) []string {
	b := map[string]string{}
	for _, a := range before {
		b[a.Name] = a.Value
	}
	var changed []string
	names := map[string]bool{}
	for _, a := range after {
		names[a.Name] = true
		if v, ok := b[a.Name]; !ok || v != a.Value {
			changed = append(changed, a.Name)
		}
	}
	for _, a := range before {
		if !names[a.Name] {
			changed = append(changed, a.Name)
		}
	}
	return changed
}

func sortChanges(changes []Change) {
	// Stable insertion order within a kind keeps the file's order.
	for i := 1; i < len(changes); i++ {
		for j := i; j > 0 && kindOrder[changes[j].Kind] < kindOrder[changes[j-1].Kind]; j-- {
			changes[j], changes[j-1] = changes[j-1], changes[j]
		}
	}
}

// Make plans a configuration against the store.
func Make(tx *store.Tx, cfg *config.Config) (*Plan, error) {
	ws := Workspace(cfg)
	current, err := Current(tx, ws)
	if err != nil {
		return nil, err
	}
	p := &Plan{Workspace: ws, Sandbox: cfg.Settings != nil && cfg.Settings.Sandbox}
	p.Changes = Diff(Desired(cfg), current)
	p.Work, err = work(tx, cfg, ws)
	return p, err
}

// Workspace is the workspace a configuration applies to.
func Workspace(cfg *config.Config) string {
	if cfg.Settings != nil && cfg.Settings.Workspace != "" {
		return cfg.Settings.Workspace
	}
	return "default"
}
