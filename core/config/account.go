package config

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Account defaults.
const (
	DefaultNetwork           = "x"
	DefaultDailyDMLimit      = 50
	DefaultDailyFollowLimit  = 50
	DefaultDailyLikeLimit    = 100
	DefaultDailyCommentLimit = 20
)

// AccountOptions are the settings of an account that
// `settings { account_defaults { ... } }` can give every account.
type AccountOptions struct {
	// Network names the network plugin that serves the account; "x" by default.
	Network string
	// DailyDMLimit caps the DMs (first DMs and follow-ups) the account
	// sends per day; 50 by default.
	DailyDMLimit int
	// DailyFollowLimit, DailyLikeLimit and DailyCommentLimit cap the
	// engagement before DMs per day (50, 100 and 20 by default); 0 means
	// the account does none of that.
	DailyFollowLimit, DailyLikeLimit, DailyCommentLimit int
	Pacing                                              Pacing
	// ActiveHours is when the account acts; nil means at any time.
	ActiveHours *Window
	// Warmup ramps up a new account's DMs; nil means no ramp.
	Warmup *Warmup
	// AISetter lets the AI plugin answer replies for the account.
	AISetter bool
}

// Account is an `account "NAME" { ... }` block: an X account that sends.
type Account struct {
	Name string
	// Handle is the X handle without a leading @ (written with or without one).
	Handle string
	AccountOptions

	// Cookies, Tokens, ProxyAuth and XChatPIN are the account's secrets:
	// never printed, and sealed when stored.
	Cookies   []Cookie
	Tokens    map[string]string
	ProxyAuth string
	XChatPIN  string
	// Proxy is the proxy the account's traffic goes through, as a URL.
	Proxy string

	Paused, FollowupsPaused, WarmupPaused bool

	DeclRange hcl.Range
	// HandleRange is where the handle is written, for diagnostics about it.
	HandleRange hcl.Range
}

// accountOptionsSchema is the body of settings.account_defaults, and the
// part of an account's body that it sets defaults for.
var accountOptionsSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "network"},
		{Name: "daily_dm_limit"},
		{Name: "daily_follow_limit"},
		{Name: "daily_like_limit"},
		{Name: "daily_comment_limit"},
		{Name: "ai_setter"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "pacing"},
		{Type: "active_hours"},
		{Type: "warmup"},
	},
}

var accountSchema = &hcl.BodySchema{
	Attributes: append([]hcl.AttributeSchema{
		{Name: "handle", Required: true},
		{Name: "cookies"},
		{Name: "tokens"},
		{Name: "proxy"},
		{Name: "proxy_auth"},
		{Name: "xchat_pin"},
		{Name: "paused"},
		{Name: "followups_paused"},
		{Name: "warmup_paused"},
	}, accountOptionsSchema.Attributes...),
	Blocks: accountOptionsSchema.Blocks,
}

func defaultAccountOptions() AccountOptions {
	return AccountOptions{
		Network:           DefaultNetwork,
		DailyDMLimit:      DefaultDailyDMLimit,
		DailyFollowLimit:  DefaultDailyFollowLimit,
		DailyLikeLimit:    DefaultDailyLikeLimit,
		DailyCommentLimit: DefaultDailyCommentLimit,
		Pacing:            defaultPacing(),
	}
}

func (sc *scope) decodeAccountBlock(block *hcl.Block, defaults AccountOptions) (*Account, hcl.Diagnostics) {
	a := &Account{Name: block.Labels[0], AccountOptions: defaults, DeclRange: block.DefRange}
	diags := checkBlockName(block)
	content, d := block.Body.Content(accountSchema)
	diags = append(diags, d...)
	owner := fmt.Sprintf("account %q", a.Name)

	if attr, ok := content.Attributes["handle"]; ok {
		a.HandleRange = attr.Expr.Range()
		if v, ok := sc.decodeString(attr, &diags); ok {
			h, bad := normalizeHandle(v)
			if bad != nil {
				bad.Subject = attr.Expr.Range().Ptr()
				diags = append(diags, bad)
			}
			a.Handle = h
		}
	}
	a.AccountOptions, d = sc.decodeAccountOptions(content, defaults, owner)
	diags = append(diags, d...)

	if attr, ok := content.Attributes["cookies"]; ok {
		a.Cookies, _ = sc.decodeCookies(attr, &diags)
	}
	if attr, ok := content.Attributes["tokens"]; ok {
		a.Tokens, _ = sc.decodeTokens(attr, &diags)
	}
	proxyAttr, hasProxy := content.Attributes["proxy"]
	if hasProxy {
		if v, ok := sc.decodeString(proxyAttr, &diags); ok {
			p, err := NormalizeProxy(v)
			if err != nil {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid proxy",
					Detail:   fmt.Sprintf("%s. Write the proxy as host:port or scheme://host:port, like \"http://proxy.example.com:8080\".", upperFirst(err.Error())),
					Subject:  proxyAttr.Expr.Range().Ptr(),
				})
			} else {
				a.Proxy = p
			}
		}
	}
	if auth, ok := content.Attributes["proxy_auth"]; ok {
		if v, ok := sc.decodeString(auth, &diags); ok {
			user, _, hasColon := strings.Cut(v, ":")
			switch {
			case !hasColon || user == "":
				// The value is secret: the detail must not quote it.
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid proxy_auth",
					Detail:   `The proxy_auth is not of the form username:password. Write it like proxy_auth = "user:secret", preferably from a sensitive variable.`,
					Subject:  auth.Expr.Range().Ptr(),
				})
			case !hasProxy:
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Proxy credentials without a proxy",
					Detail:   fmt.Sprintf("Account %q sets proxy_auth but no proxy. Set proxy to the proxy's address, or remove proxy_auth.", a.Name),
					Subject:  auth.Expr.Range().Ptr(),
				})
			default:
				a.ProxyAuth = v
			}
		}
	}
	if pin, ok := content.Attributes["xchat_pin"]; ok {
		if v, ok := sc.decodeString(pin, &diags); ok {
			if !pinRE.MatchString(v) {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid X chat PIN",
					Detail:   `The xchat_pin is not a PIN. Write the 4 to 8 digits of the account's X chat PIN as a string, like xchat_pin = "1234".`,
					Subject:  pin.Expr.Range().Ptr(),
				})
			} else {
				a.XChatPIN = v
			}
		}
	}
	for _, flag := range []struct {
		name string
		dst  *bool
	}{
		{"paused", &a.Paused},
		{"followups_paused", &a.FollowupsPaused},
		{"warmup_paused", &a.WarmupPaused},
	} {
		if attr, ok := content.Attributes[flag.name]; ok {
			*flag.dst, _ = sc.decodeBool(attr, &diags)
		}
	}
	return a, diags
}

// decodeAccountOptions decodes the options in content over base. owner
// names the block for diagnostics: `account "main"`, `account_defaults`.
func (sc *scope) decodeAccountOptions(content *hcl.BodyContent, base AccountOptions, owner string) (AccountOptions, hcl.Diagnostics) {
	o := base
	var diags hcl.Diagnostics
	if attr, ok := content.Attributes["network"]; ok {
		v, ok := sc.decodeString(attr, &diags)
		if ok && v == "" {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Empty network",
				Detail:   fmt.Sprintf(`The network of %s is empty. Remove the attribute to use %q, or name a network plugin.`, owner, DefaultNetwork),
				Subject:  attr.Expr.Range().Ptr(),
			})
		} else if ok {
			o.Network = v
		}
	}
	if attr, ok := content.Attributes["daily_dm_limit"]; ok {
		if v, ok := sc.decodeInt(attr, &diags); ok {
			if v < 1 {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid daily DM limit",
					Detail:   fmt.Sprintf("The daily_dm_limit of %s is %d, but it must be at least 1. To stop an account sending, set paused = true instead.", owner, v),
					Subject:  attr.Expr.Range().Ptr(),
				})
			} else {
				o.DailyDMLimit = v
			}
		}
	}
	for _, limit := range []struct {
		name string
		dst  *int
	}{
		{"daily_follow_limit", &o.DailyFollowLimit},
		{"daily_like_limit", &o.DailyLikeLimit},
		{"daily_comment_limit", &o.DailyCommentLimit},
	} {
		attr, ok := content.Attributes[limit.name]
		if !ok {
			continue
		}
		if v, ok := sc.decodeInt(attr, &diags); ok {
			if v < 0 {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid daily limit",
					Detail:   fmt.Sprintf("The %s of %s is %d. Use 0 for none, or a positive number per day.", limit.name, owner, v),
					Subject:  attr.Expr.Range().Ptr(),
				})
			} else {
				*limit.dst = v
			}
		}
	}
	if attr, ok := content.Attributes["ai_setter"]; ok {
		o.AISetter, _ = sc.decodeBool(attr, &diags)
	}

	seen := map[string]*hcl.Block{}
	for _, b := range content.Blocks {
		if first, dup := seen[b.Type]; dup {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  fmt.Sprintf("Duplicate %s block", b.Type),
				Detail:   fmt.Sprintf("%s already has a %s block at %s. Merge the two into one.", upperFirst(owner), b.Type, at(first.DefRange)),
				Subject:  b.DefRange.Ptr(),
			})
			continue
		}
		seen[b.Type] = b
		var d hcl.Diagnostics
		switch b.Type {
		case "pacing":
			o.Pacing, d = sc.decodePacingBlock(b, base.Pacing)
		case "active_hours":
			o.ActiveHours, d = sc.decodeWindowBlock(b, base.ActiveHours)
		case "warmup":
			o.Warmup, d = sc.decodeWarmupBlock(b, base.Warmup)
		}
		diags = append(diags, d...)
	}
	return o, diags
}
