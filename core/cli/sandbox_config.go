package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/outreachhq/outreach/plugins/x/xsim"
)

// sandboxFile is a file given to `outreach sandbox --config`: one sandbox
// block, whose settings are the simulated X's faults, the life of the
// OAuth 2.0 access tokens it issues and the OAuth 2.0 apps it knows (X's
// developer console, in the simulator). With no oauth_client block, any
// client id signs in, with any redirect URL.
//
//	sandbox {
//	  error_rate  = 0.05
//	  reset_rate  = 0.01
//	  latency     = "150ms"
//	  reply_rate  = 0.5
//	  reply_delay = "2s-8s"
//	  limits      = "x"
//	  rate_limit_storm {
//	    after = "10m"
//	    for   = "30s"
//	    every = "1h"
//	  }
//	  account "acme_sales" {
//	    automated_after = 20
//	  }
//	  token_ttl = "2h"
//	  oauth_client "outreach-local" {
//	    secret        = "s3cret" # omit for a public client
//	    redirect_uris = ["http://127.0.0.1:8788/callback"]
//	  }
//	}
type sandboxFile struct {
	Sandbox *sandboxBlock `hcl:"sandbox,block"`
}

// sandboxBlock keeps every attribute as an expression, so that a value
// that does not fit is reported at its own range.
type sandboxBlock struct {
	ErrorRate  hcl.Expression        `hcl:"error_rate,optional"`
	ResetRate  hcl.Expression        `hcl:"reset_rate,optional"`
	Latency    hcl.Expression        `hcl:"latency,optional"`
	ReplyRate  hcl.Expression        `hcl:"reply_rate,optional"`
	ReplyDelay hcl.Expression        `hcl:"reply_delay,optional"`
	Limits     hcl.Expression        `hcl:"limits,optional"`
	Storm      *stormBlock           `hcl:"rate_limit_storm,block"`
	Accounts   []sandboxAccountBlock `hcl:"account,block"`
	TokenTTL   hcl.Expression        `hcl:"token_ttl,optional"`
	Clients    []oauthClientBlock    `hcl:"oauth_client,block"`
	Range      hcl.Range             `hcl:",def_range"`
}

type oauthClientBlock struct {
	ID           string         `hcl:"id,label"`
	Secret       hcl.Expression `hcl:"secret,optional"`
	RedirectURIs hcl.Expression `hcl:"redirect_uris"`
	Range        hcl.Range      `hcl:",def_range"`
}

// sandboxSettings are what the config file and the flags of `outreach
// sandbox` give the simulated X.
type sandboxSettings struct {
	faults   xsim.Faults
	clients  []xsim.OAuthClient
	tokenTTL time.Duration // 0: X's two hours
}

type stormBlock struct {
	After hcl.Expression `hcl:"after,optional"`
	For   hcl.Expression `hcl:"for"`
	Every hcl.Expression `hcl:"every,optional"`
}

type sandboxAccountBlock struct {
	Handle          string         `hcl:"handle,label"`
	SessionExpired  hcl.Expression `hcl:"session_expired,optional"`
	Suspended       hcl.Expression `hcl:"suspended,optional"`
	Locked          hcl.Expression `hcl:"locked,optional"`
	ClientForbidden hcl.Expression `hcl:"client_forbidden,optional"`
	AutomatedAfter  hcl.Expression `hcl:"automated_after,optional"`
	Range           hcl.Range      `hcl:",def_range"`
}

// parseSandboxConfig reads the settings of a sandbox config file. Every
// problem is a diagnostic with the file:line:col it is about.
func parseSandboxConfig(filename string, src []byte) (sandboxSettings, hcl.Diagnostics) {
	file, diags := hclparse.NewParser().ParseHCL(src, filename)
	if diags.HasErrors() {
		return sandboxSettings{}, diags
	}
	var cfg sandboxFile
	if diags = gohcl.DecodeBody(file.Body, nil, &cfg); diags.HasErrors() {
		return sandboxSettings{}, diags
	}
	if cfg.Sandbox == nil {
		return sandboxSettings{}, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Missing sandbox block",
			Detail:  "A sandbox config file holds one sandbox { ... } block with the simulated X's settings.",
			Subject: file.Body.MissingItemRange().Ptr()}}
	}
	f, diags := decodeSandboxBlock(cfg.Sandbox)
	st := sandboxSettings{faults: f}
	if d := decodeDurationAttr(cfg.Sandbox.TokenTTL, &st.tokenTTL); d.HasErrors() {
		diags = append(diags, d...)
	} else if present(cfg.Sandbox.TokenTTL) && st.tokenTTL <= 0 {
		diags = append(diags, badValue(cfg.Sandbox.TokenTTL, "token_ttl",
			fmt.Errorf("%v: give how long an access token lives, more than 0, like \"2h\" or \"30s\"", st.tokenTTL)))
	}
	clients, cdiags := decodeOAuthClients(cfg.Sandbox.Clients)
	st.clients = clients
	return st, append(diags, cdiags...)
}

// decodeOAuthClients reads the oauth_client blocks, each checked as
// xsim.New would, and refuses a client id given twice.
func decodeOAuthClients(blocks []oauthClientBlock) ([]xsim.OAuthClient, hcl.Diagnostics) {
	var out []xsim.OAuthClient
	var diags hcl.Diagnostics
	first := map[string]hcl.Range{}
	for _, b := range blocks {
		c := xsim.OAuthClient{ID: b.ID}
		d := decodeAttr(b.Secret, &c.Secret)
		d = append(d, decodeAttr(b.RedirectURIs, &c.RedirectURIs)...)
		if d.HasErrors() {
			diags = append(diags, d...)
			continue
		}
		if prev, dup := first[b.ID]; dup {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Duplicate oauth_client",
				Detail:  fmt.Sprintf("Client %q is already registered at line %d; give each client one block.", b.ID, prev.Start.Line),
				Subject: b.Range.Ptr()})
			continue
		}
		first[b.ID] = b.Range
		if err := c.Validate(); err != nil {
			subject := b.Range.Ptr()
			if strings.Contains(err.Error(), "redirect_uris") {
				subject = b.RedirectURIs.Range().Ptr()
			}
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid oauth_client",
				Detail: err.Error() + ".", Subject: subject})
			continue
		}
		out = append(out, c)
	}
	return out, diags
}

// decodeSandboxBlock reads the faults of a sandbox block.
func decodeSandboxBlock(b *sandboxBlock) (xsim.Faults, hcl.Diagnostics) {
	var f xsim.Faults
	var diags hcl.Diagnostics
	diags = append(diags, decodeAttr(b.ErrorRate, &f.ErrorRate)...)
	diags = append(diags, decodeAttr(b.ResetRate, &f.ResetRate)...)
	diags = append(diags, decodeDurationAttr(b.Latency, &f.Latency)...)
	diags = append(diags, decodeAttr(b.Limits, &f.Limits)...)
	if present(b.ReplyRate) {
		var r float64
		diags = append(diags, decodeAttr(b.ReplyRate, &r)...)
		f.ReplyRate = &r
	}
	if present(b.ReplyDelay) {
		var s string
		if d := decodeAttr(b.ReplyDelay, &s); d.HasErrors() {
			diags = append(diags, d...)
		} else if lo, hi, err := xsim.ParseReplyDelay(s); err != nil {
			diags = append(diags, badValue(b.ReplyDelay, "reply_delay", err))
		} else {
			f.ReplyDelayMin, f.ReplyDelayMax = lo, hi
		}
	}
	if st := b.Storm; st != nil {
		f.RateLimitStorm = &xsim.Storm{}
		diags = append(diags, decodeDurationAttr(st.After, &f.RateLimitStorm.After)...)
		diags = append(diags, decodeDurationAttr(st.For, &f.RateLimitStorm.For)...)
		diags = append(diags, decodeDurationAttr(st.Every, &f.RateLimitStorm.Every)...)
	}
	for _, a := range b.Accounts {
		if f.Accounts == nil {
			f.Accounts = map[string]xsim.AccountFaults{}
		}
		var af xsim.AccountFaults
		diags = append(diags, decodeAttr(a.SessionExpired, &af.SessionExpired)...)
		diags = append(diags, decodeAttr(a.Suspended, &af.Suspended)...)
		diags = append(diags, decodeAttr(a.Locked, &af.Locked)...)
		diags = append(diags, decodeAttr(a.ClientForbidden, &af.ClientForbidden)...)
		if present(a.AutomatedAfter) {
			var n int
			diags = append(diags, decodeAttr(a.AutomatedAfter, &n)...)
			af.AutomatedAfter = &n
		}
		f.Accounts[a.Handle] = af
	}
	if diags.HasErrors() {
		return f, diags
	}
	if err := f.Validate(); err != nil {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid sandbox setting",
			Detail: err.Error() + ".", Subject: b.Range.Ptr()})
	}
	return f, diags
}

// present reports whether an optional attribute was given.
func present(e hcl.Expression) bool {
	if e == nil {
		return false
	}
	v, diags := e.Value(nil)
	return diags.HasErrors() || !v.IsNull()
}

func decodeAttr(e hcl.Expression, v any) hcl.Diagnostics {
	if !present(e) {
		return nil
	}
	return gohcl.DecodeExpression(e, nil, v)
}

func decodeDurationAttr(e hcl.Expression, d *time.Duration) hcl.Diagnostics {
	var s string
	if diags := decodeAttr(e, &s); diags.HasErrors() || s == "" {
		return diags
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return hcl.Diagnostics{badValue(e, "duration", fmt.Errorf("%q: give a duration like \"30s\" or \"15m\"", s))}
	}
	*d = v
	return nil
}

func badValue(e hcl.Expression, what string, err error) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid " + what, Detail: err.Error() + ".", Subject: e.Range().Ptr()}
}
