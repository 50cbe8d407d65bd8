package plan

import (
	"fmt"
	"math"
	"time"

	"github.com/outreachhq/outreach/core/schedule"
)

// Network is what a plan knows of the network plugin accounts use, by the
// accounts' network ("x"): the rate budgets it declares, its prices and
// the app (OAuth client) its accounts sign in through. The caller, which
// can launch plugins, finds these out (sdk.RateBudgeter, sdk.Pricer,
// sdk.AuthSpec) and hands them over as plain values; a plan without one
// estimates from the accounts' own caps and pacing alone, and no cost.
type Network struct {
	Budgets []Budget `json:"budgets,omitempty"`
	// Prices is nil when the plugin prices nothing.
	Prices *Prices `json:"prices,omitempty"`
	// App names the app the accounts share per-app budgets through.
	App string `json:"app,omitempty"`
	// Simulated: the accounts run on the simulated X, whose budgets apply
	// and which charges nothing; a cost is shown as simulated.
	Simulated bool `json:"simulated,omitempty"`
	// PageSize is how many users a page of a scrape returns; 0 is X's
	// 1,000.
	PageSize int `json:"page_size,omitempty"`
}

// Budget is a rate budget: at most Requests calls of Operation in any
// Window, per user (each account to itself) or per app (shared).
type Budget struct {
	Operation string        `json:"operation"`
	Requests  int           `json:"requests"`
	Window    time.Duration `json:"window"`
	// Scope is ScopeUser (also when empty) or ScopeApp.
	Scope string `json:"scope,omitempty"`
}

// Budget scopes and the operations a plan counts, as sdk names them.
const (
	ScopeUser = "user"
	ScopeApp  = "app"
	OpSendDM  = "send_dm"
	OpScrape  = "scrape"
)

// Prices is a network's price table as of a date.
type Prices struct {
	// AsOf is the date the prices were published, YYYY-MM-DD.
	AsOf     string  `json:"as_of"`
	Currency string  `json:"currency"`
	Prices   []Price `json:"prices"`
}

// Price is what one call of an operation costs: PerRequest, plus
// PerResource for each item it returns or creates.
type Price struct {
	Operation   string  `json:"operation"`
	PerRequest  float64 `json:"per_request"`
	PerResource float64 `json:"per_resource"`
}

// cost is what calls of op returning items in all cost, and whether the
// table prices op.
func (p *Prices) cost(op string, calls, items int) (float64, bool) {
	if p == nil {
		return 0, false
	}
	for _, pr := range p.Prices {
		if pr.Operation == op {
			return float64(calls)*pr.PerRequest + float64(items)*pr.PerResource, true
		}
	}
	return 0, false
}

// defaultPageSize is X's page of followers or following: 1,000 users.
const defaultPageSize = 1000

func (n Network) pageSize() int {
	if n.PageSize > 0 {
		return n.PageSize
	}
	return defaultPageSize
}

// budgets returns the network's budgets for op of a scope.
func (n Network) budgets(op, scope string) []Budget {
	var out []Budget
	for _, b := range n.Budgets {
		s := b.Scope
		if s == "" {
			s = ScopeUser
		}
		if b.Operation == op && s == scope && b.Requests > 0 && b.Window > 0 {
			out = append(out, b)
		}
	}
	return out
}

// spacing is the least gap between an account's calls of op that its
// per-user budgets allow. On the simulated X, whose limits are loose, the
// engine paces by the accounts' pacing alone, and so does the plan.
func (n Network) spacing(op string) time.Duration {
	var d time.Duration
	if n.Simulated {
		return 0
	}
	for _, b := range n.budgets(op, ScopeUser) {
		d = max(d, schedule.Spacing(b.Requests, b.Window))
	}
	return d
}

// daily is the most calls of op a day that the budgets of a scope allow;
// 0 for none.
func (n Network) daily(op, scope string) int {
	lowest := 0
	for _, b := range n.budgets(op, scope) {
		if d := schedule.DailyBudget(b.Requests, b.Window); lowest == 0 || d < lowest {
			lowest = d
		}
	}
	return lowest
}

// Cost is an estimate of what work costs at a network's prices.
type Cost struct {
	Amount   float64 `json:"amount"`
	Currency string  `json:"currency"`
	// AsOf is the date of the price table.
	AsOf string `json:"as_of"`
	// Simulated: the work runs on the simulated X, which charges nothing;
	// Amount is what the real X would charge.
	Simulated bool `json:"simulated,omitempty"`
}

func (c *Cost) add(o *Cost) *Cost {
	switch {
	case o == nil:
		return c
	case c == nil:
		cp := *o
		return &cp
	}
	cp := *c
	cp.Amount += o.Amount
	cp.Simulated = cp.Simulated || o.Simulated
	return &cp
}

// String is "about $31.50 at X's prices of 2026-11-15", or with
// "(simulated X: nothing is charged)" under the simulator.
func (c Cost) String() string {
	s := fmt.Sprintf("about %s at X's prices of %s", money(c.Amount, c.Currency), c.AsOf)
	if c.Simulated {
		s += " (simulated X: nothing is charged)"
	}
	return s
}

// money prints an amount: "$31.50" in dollars, "31.50 EUR" otherwise;
// a sum below a cent but above nothing as a cent.
func money(amount float64, currency string) string {
	if amount > 0 && amount < 0.01 {
		amount = 0.01
	}
	amount = math.Round(amount*100) / 100
	if currency == "" || currency == "USD" {
		return fmt.Sprintf("$%.2f", amount)
	}
	return fmt.Sprintf("%.2f %s", amount, currency)
}
