package cli

import (
	"fmt"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/outreachhq/outreach/plugins/x/xsim"
)

// sandboxFile is a file given to `outreach sandbox --config`: one sandbox
// block, whose settings are the simulated X's faults.
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
	Range      hcl.Range             `hcl:",def_range"`
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

// parseSandboxConfig reads the faults of a sandbox config file. Every
// problem is a diagnostic with the file:line:col it is about.
func parseSandboxConfig(filename string, src []byte) (xsim.Faults, hcl.Diagnostics) {
	file, diags := hclparse.NewParser().ParseHCL(src, filename)
	if diags.HasErrors() {
		return xsim.Faults{}, diags
	}
	var cfg sandboxFile
	if diags = gohcl.DecodeBody(file.Body, nil, &cfg); diags.HasErrors() {
		return xsim.Faults{}, diags
	}
	if cfg.Sandbox == nil {
		return xsim.Faults{}, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Missing sandbox block",
			Detail:  "A sandbox config file holds one sandbox { ... } block with the simulated X's faults.",
			Subject: file.Body.MissingItemRange().Ptr()}}
	}
	return decodeSandboxBlock(cfg.Sandbox)
}

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
