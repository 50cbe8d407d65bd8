package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/plan"
	"github.com/outreachhq/outreach/core/pluginhost"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/sdk"
)

// makePlan plans cfg as plan and apply show it: with the rate budgets,
// prices and app of the networks its accounts use (from their plugins,
// configured as on the simulated X when sandbox), the plugins it declares,
// and, off the simulator, the accounts that must be signed in first.
// paths are the configuration's, for the sign-in commands it prints.
func (g *global) makePlan(ctx context.Context, b *backend, cfg *config.Config, declared []pluginhost.Declared, paths []string, sandbox bool) (*plan.Plan, error) {
	sandbox = sandbox || cfg.Settings.Sandbox
	p, err := b.svc.PlanWith(ctx, cfg, g.planNetworks(ctx, cfg, sandbox))
	if err != nil {
		return nil, err
	}
	p.Plugins = planPlugins(declared)
	if !sandbox {
		if p.SignIns, err = b.signIns(ctx, cfg, paths); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// planNetworks asks the network plugin of each network cfg's accounts use
// for its budgets, prices and app. A plugin that cannot say leaves its
// network out: the plan then estimates without it.
func (g *global) planNetworks(ctx context.Context, cfg *config.Config, sandbox bool) map[string]plan.Network {
	var names []string
	for _, a := range cfg.Accounts {
		if n := accountNetwork(a); !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return nil
	}
	host := g.pluginHost(g.logger())
	defer host.Close()
	if err := host.RegisterConfig(cfg.Plugins); err != nil {
		return nil
	}
	out := map[string]plan.Network{}
	for _, name := range names {
		var conf json.RawMessage
		if sandbox {
			// The simulator's budgets, wherever it will serve.
			conf = json.RawMessage(`{"base_url": "http://127.0.0.1:1"}`)
		}
		n, err := host.Network(name, conf)
		if err != nil {
			continue
		}
		pn := plan.Network{Simulated: sandbox}
		if rb, ok := n.(sdk.RateBudgeter); ok {
			budgets, err := rb.RateBudgets(ctx)
			if err != nil {
				g.logger().Debug("no rate budgets for the plan", "network", name, "error", err)
			}
			for _, b := range budgets {
				pn.Budgets = append(pn.Budgets, plan.Budget{Operation: b.Operation, Requests: b.Requests, Window: b.Window, Scope: b.Scope})
			}
		}
		if pr, ok := n.(sdk.Pricer); ok && !sandbox {
			if t, err := pr.Prices(ctx); err == nil {
				prices := &plan.Prices{AsOf: t.AsOf, Currency: t.Currency}
				for _, p := range t.Prices {
					prices.Prices = append(prices.Prices, plan.Price{Operation: p.Operation, PerRequest: p.PerRequest, PerResource: p.PerResource})
				}
				pn.Prices = prices
			}
		}
		if az, ok := n.(sdk.Authorizer); ok {
			if spec, err := az.AuthSpec(ctx); err == nil {
				pn.App = spec.App
			}
		}
		out[name] = pn
	}
	return out
}

// signIns are cfg's accounts that have no usable authorization from their
// network plugin's OAuth: never signed in (some carry only the browser
// cookies the hosted API takes, which the x plugin cannot use), or refused
// since.
func (b *backend) signIns(ctx context.Context, cfg *config.Config, paths []string) ([]plan.SignIn, error) {
	var out []plan.SignIn
	err := b.authStore().View(ctx, func(tx store.SettingsTx) error {
		for _, a := range cfg.Accounts {
			az, err := store.GetAuthorization(tx, accountNetwork(a), a.Handle)
			why := ""
			switch {
			case store.IsNotFound(err) && len(a.Cookies) > 0:
				why = fmt.Sprintf("it has browser cookies only; the %s plugin acts with an OAuth 2.0 authorization", accountNetwork(a))
			case store.IsNotFound(err):
				why = fmt.Sprintf("it has no OAuth 2.0 authorization from the %s plugin yet", accountNetwork(a))
			case err != nil:
				return err
			case az.Refused != "":
				why = "X refused to renew its authorization (" + az.Refused + ")"
			default:
				continue
			}
			out = append(out, plan.SignIn{
				Account: a.Name, Handle: store.NormalizeHandle(a.Handle), Why: why,
				Command: fmt.Sprintf("outreach accounts login %s --config %s", a.Name, strings.Join(paths, " ")),
			})
		}
		return nil
	})
	return out, err
}
