package plan

import (
	"errors"
	"time"

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
	Workspace string `json:"workspace"`
	Sandbox   bool   `json:"sandbox"`
	// Destroy marks a plan that removes every config-managed object.
	Destroy bool      `json:"destroy,omitempty"`
	Changes []Change  `json:"changes"`
	Work    Work      `json:"work"`
	MadeAt  time.Time `json:"made_at"`
	// Plugins are the plugins the configuration declares, as they reported
	// themselves when launched to check them. Make leaves it empty: the
	// caller, which can launch plugins, fills it.
	Plugins []Plugin `json:"plugins,omitempty"`
	// SignIns are the declared accounts that must be signed in to their
	// network before they can act, and how; filled by the caller, which
	// can read the authorizations, like Plugins.
	SignIns []SignIn `json:"sign_ins,omitempty"`
}

// SignIn is an account that needs an authorization before it can act.
type SignIn struct {
	Account string `json:"account"`
	Handle  string `json:"handle"`
	// Why says what is missing; Command is what gives it.
	Why     string `json:"why"`
	Command string `json:"command"`
}

// Plugin is a plugin a configuration declares in a plugin block.
type Plugin struct {
	Name string `json:"name"`
	// Source is where it comes from: "builtin", "builtin NAME" for a
	// built-in under another name, or the binary's path.
	Source string `json:"source"`
	// Version is the version the plugin reports; Constraint the block's
	// version constraint, "" for any.
	Version    string   `json:"version"`
	Constraint string   `json:"constraint,omitempty"`
	Kinds      []string `json:"kinds"`
}

// HasChanges reports whether applying changes any object.
func (p *Plan) HasChanges() bool { return len(p.Changes) > 0 }

// Options are what Make needs besides the two sides.
type Options struct {
	// Now is when the plan is made; the work estimate starts from it.
	Now time.Time
	// Workspace is the workspace the configuration applies to; Sandbox
	// whether it runs on the simulated X.
	Workspace string
	Sandbox   bool
	// Digest is the keyed hash (secrets.Sealer.Digest) that values made
	// from sensitive variables are compared by; the plan never holds them.
	Digest func(string) string
	// Sensitive are the values of the configuration's sensitive variables.
	Sensitive []string
	// Networks are the network plugins the accounts use, by name: their
	// budgets, prices and app (see Network). The estimate respects the
	// budgets, and the plan prices the work.
	Networks map[string]Network
	// MaxDailySpend is settings.max_daily_api_spend, in dollars; 0 sets
	// no limit.
	MaxDailySpend float64
}

// kindOrder is the order objects are listed and created in: what others
// refer to first.
var kindOrder = map[string]int{
	store.KindAccount: 0, store.KindFilter: 1, store.KindSource: 2,
	store.KindCampaign: 3, store.KindWebhook: 4, store.KindTweet: 5,
}

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
		if v, ok := b[a.Name]; (!ok && a.Value != null) || (ok && v != a.Value) {
			changed = append(changed, a.Name)
		}
	}
	for _, a := range before {
		if !names[a.Name] && a.Value != null {
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

// Make plans the change from the snapshot's objects to the desired ones,
// and the work it implies.
func Make(desired Objects, snap Snapshot, opts Options) (*Plan, error) {
	if opts.Digest == nil {
		return nil, errors.New("plan: no digest function for sensitive values")
	}
	f := &flattener{digest: opts.Digest, sensitive: opts.Sensitive}
	p := &Plan{Workspace: opts.Workspace, Sandbox: opts.Sandbox, MadeAt: opts.Now.UTC()}
	p.Changes = Diff(f.flatten(desired), f.flatten(snap.Current))
	p.Work = work(desired, snap, opts)
	return p, nil
}

// Same reports whether two plans make the same changes, attribute for
// attribute: a saved plan may be applied only while a fresh plan is the
// same. The work estimate is not compared; it moves with the clock.
func Same(a, b *Plan) bool {
	if a.Workspace != b.Workspace || len(a.Changes) != len(b.Changes) {
		return false
	}
	for i := range a.Changes {
		x, y := a.Changes[i], b.Changes[i]
		if x.Action != y.Action || x.Address() != y.Address() || !sameAttrs(x.Before, y.Before) || !sameAttrs(x.After, y.After) {
			return false
		}
	}
	return true
}

func sameAttrs(a, b []Attr) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
