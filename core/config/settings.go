package config

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// DefaultWorkspace is the workspace used when no settings block names one.
const DefaultWorkspace = "default"

// DefaultWorkers and MaxWorkers bound how many accounts (and scrapes) the
// engine works at once.
const (
	DefaultWorkers = 16
	MaxWorkers     = 1024
)

// DefaultAPIRateLimit and MaxAPIRateLimit bound settings.api_rate_limit,
// requests per minute per API key; the default is the hosted API's.
const (
	DefaultAPIRateLimit = 60
	MaxAPIRateLimit     = 100000
)

// Policies are the values of settings.policy, the default first: what the
// configuration's automation may do on X (see store.Policy, which the
// engine and the plan refuse by).
var Policies = []string{"standard", "strict"}

// Settings is the `settings { ... }` block. A configuration has at most one;
// without one, [Config.Settings] holds the defaults and a zero DeclRange.
type Settings struct {
	// Workspace is the workspace the configuration applies to.
	Workspace string
	// Sandbox routes every account through the simulated X.
	Sandbox bool
	// Workers is how many accounts (and scrapes) the engine works at once:
	// one slow or rate-limited account holds one worker, never the others.
	Workers int
	// Policy is one of Policies: "standard", or "strict" to follow X's
	// developer guidelines (no cold DMs, follow-ups, follows, likes,
	// comments or automatic replies).
	Policy string
	// AllowPrivateWebhooks lets webhook deliveries reach loopback, private
	// and link-local addresses, which the delivery guard refuses otherwise:
	// for local development, as `serve --allow-private-webhooks`.
	AllowPrivateWebhooks bool
	// RevealSecrets makes GET /api/v1/accounts return cookie values and
	// proxy passwords whole, as the hosted API does, for clients that need
	// its exact behaviour; by default they are masked.
	RevealSecrets bool
	// PublicURL is where `outreach serve` is reached from a browser
	// (public_url): an account's OAuth sign-in through the API's credential
	// job comes back to PublicURL + "/oauth/NETWORK/callback".
	PublicURL string
	// APIRateLimit is how many requests per minute each API key may make
	// (api_rate_limit); DefaultAPIRateLimit by default.
	APIRateLimit int
	// MaxDailyAPISpend is the most the workspace's accounts may spend on
	// network calls (X's credits) in a UTC day, in dollars
	// (max_daily_api_spend); 0 sets no limit.
	MaxDailyAPISpend float64
	// AccountDefaults and CampaignDefaults are what every account and
	// campaign starts from: the `account_defaults { ... }` and
	// `campaign_defaults { ... }` blocks over the built-in defaults.
	AccountDefaults  AccountOptions
	CampaignDefaults CampaignOptions
	// AISetter is how the AI setter answers for accounts with ai_setter
	// on: the `ai_setter { ... }` block over its defaults.
	AISetter  Setter
	DeclRange hcl.Range
}

var settingsSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "workspace"},
		{Name: "sandbox"},
		{Name: "workers"},
		{Name: "policy"},
		{Name: "allow_private_webhooks"},
		{Name: "reveal_secrets"},
		{Name: "api_rate_limit"},
		{Name: "public_url"},
		{Name: "max_daily_api_spend"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "account_defaults"},
		{Type: "campaign_defaults"},
		{Type: "ai_setter"},
	},
}

var workspaceRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)

func defaultSettings() *Settings {
	return &Settings{
		Workspace:        DefaultWorkspace,
		Workers:          DefaultWorkers,
		Policy:           Policies[0],
		APIRateLimit:     DefaultAPIRateLimit,
		AccountDefaults:  defaultAccountOptions(),
		CampaignDefaults: defaultCampaignOptions(),
		AISetter:         defaultSetter(),
	}
}

func (sc *scope) decodeSettingsBlock(block *hcl.Block) (*Settings, hcl.Diagnostics) {
	s := defaultSettings()
	s.DeclRange = block.DefRange
	content, diags := block.Body.Content(settingsSchema)

	if attr, ok := content.Attributes["workspace"]; ok {
		if v, ok := sc.decodeString(attr, &diags); ok {
			if workspaceRE.MatchString(v) {
				s.Workspace = v
			} else {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid workspace name",
					Detail:   fmt.Sprintf("%q is not a workspace name. Use 1 to 64 letters, digits, dashes or underscores, starting with a letter or digit.", v),
					Subject:  attr.Expr.Range().Ptr(),
				})
			}
		}
	}
	if attr, ok := content.Attributes["sandbox"]; ok {
		s.Sandbox, _ = sc.decodeBool(attr, &diags)
	}
	if attr, ok := content.Attributes["public_url"]; ok {
		if v, ok := sc.decodeString(attr, &diags); ok {
			if u, err := url.Parse(v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid public_url",
					Detail:   fmt.Sprintf("%q is not an http(s) URL of the server, like \"https://outreach.example.com\".", v),
					Subject:  attr.Expr.Range().Ptr(),
				})
			} else {
				s.PublicURL = strings.TrimRight(v, "/")
			}
		}
	}
	if attr, ok := content.Attributes["workers"]; ok {
		if v, ok := sc.decodeIntIn(attr, &diags, 1, MaxWorkers, "Invalid number of workers", "how many accounts the engine works at once."); ok {
			s.Workers = v
		}
	}
	if attr, ok := content.Attributes["policy"]; ok {
		if v, ok := sc.decodeString(attr, &diags); ok {
			if slices.Contains(Policies, v) {
				s.Policy = v
			} else {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid policy",
					Detail: fmt.Sprintf(`%q is not a policy. Use "standard" (the default), or "strict" to follow X's developer guidelines: `+
						"first DMs only to leads who messaged the account first, and no follow-ups, follows, likes, comments or automatic replies.", v),
					Subject: attr.Expr.Range().Ptr(),
				})
			}
		}
	}
	if attr, ok := content.Attributes["allow_private_webhooks"]; ok {
		s.AllowPrivateWebhooks, _ = sc.decodeBool(attr, &diags)
	}
	if attr, ok := content.Attributes["reveal_secrets"]; ok {
		s.RevealSecrets, _ = sc.decodeBool(attr, &diags)
	}
	if attr, ok := content.Attributes["api_rate_limit"]; ok {
		if v, ok := sc.decodeIntIn(attr, &diags, 1, MaxAPIRateLimit, "Invalid API rate limit", "how many requests per minute each API key may make."); ok {
			s.APIRateLimit = v
		}
	}
	if attr, ok := content.Attributes["max_daily_api_spend"]; ok {
		if v, ok := sc.decodeSpend(attr, &diags); ok {
			s.MaxDailyAPISpend = v
		}
	}
	seen := map[string]*hcl.Block{}
	for _, b := range content.Blocks {
		if first, dup := seen[b.Type]; dup {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  fmt.Sprintf("Duplicate %s block", b.Type),
				Detail:   fmt.Sprintf("The settings already have a %s block at %s. Merge the two into one.", b.Type, at(first.DefRange)),
				Subject:  b.DefRange.Ptr(),
			})
			continue
		}
		seen[b.Type] = b
		switch b.Type {
		case "account_defaults":
			c, d := b.Body.Content(accountOptionsSchema)
			diags = append(diags, d...)
			s.AccountDefaults, d = sc.decodeAccountOptions(c, s.AccountDefaults, "account_defaults")
			diags = append(diags, d...)
		case "campaign_defaults":
			c, d := b.Body.Content(campaignOptionsSchema)
			diags = append(diags, d...)
			s.CampaignDefaults, d = sc.decodeCampaignOptions(c, s.CampaignDefaults, "campaign_defaults")
			diags = append(diags, d...)
		case "ai_setter":
			var d hcl.Diagnostics
			s.AISetter, d = sc.decodeSetterBlock(b)
			diags = append(diags, d...)
		}
	}
	return s, diags
}

// maxDailySpend bounds max_daily_api_spend, in dollars: far above what a
// day of X's API costs, low enough to be a typo's sign.
const maxDailySpend = 1_000_000

// decodeSpend decodes max_daily_api_spend: a number of dollars above 0.
func (sc *scope) decodeSpend(attr *hcl.Attribute, diags *hcl.Diagnostics) (float64, bool) {
	hint := fmt.Sprintf("Write an amount of dollars without quotes or a currency sign, like %s = 5.", attr.Name)
	val, ok := sc.evalAttr(attr, cty.Number, "a number", hint, diags)
	if !ok {
		return 0, false
	}
	v, _ := val.AsBigFloat().Float64()
	if v <= 0 || v > maxDailySpend {
		*diags = append(*diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid daily API spend",
			Detail: fmt.Sprintf("%s is %s, but it must be more than 0 and at most %d: the dollars the workspace's accounts may spend on X's API in a UTC day. "+
				"Remove the attribute to set no limit.", attr.Name, val.AsBigFloat().Text('g', -1), maxDailySpend),
			Subject: attr.Expr.Range().Ptr(),
		})
		return 0, false
	}
	return v, true
}
