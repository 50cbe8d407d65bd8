package config

import (
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// MaxTweetLength is the most characters a tweet may have.
const MaxTweetLength = 280

// Tweet is a `tweet "NAME" { account text at }` block: a tweet posted from
// an account at a set time.
type Tweet struct {
	Name string
	// Account is the name in `account = account.NAME`.
	Account      string
	AccountRange hcl.Range
	// Text has at most 280 characters.
	Text string
	// At is when to post, in UTC; it is in the future when the
	// configuration is read.
	At        time.Time
	DeclRange hcl.Range
}

var tweetSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "account", Required: true},
		{Name: "text", Required: true},
		{Name: "at", Required: true},
	},
}

func (sc *scope) decodeTweetBlock(block *hcl.Block) (*Tweet, hcl.Diagnostics) {
	t := &Tweet{Name: block.Labels[0], DeclRange: block.DefRange}
	diags := checkBlockName(block)
	content, d := block.Body.Content(tweetSchema)
	diags = append(diags, d...)

	if attr, ok := content.Attributes["account"]; ok {
		t.AccountRange = attr.Expr.Range()
		name, d := decodeReference(attr.Expr, "account", "account = account.main")
		diags = append(diags, d...)
		t.Account = name
	}
	if attr, ok := content.Attributes["text"]; ok {
		if v, ok := sc.decodeString(attr, &diags); ok {
			n := utf8.RuneCountInString(v)
			switch {
			case isBlank(v):
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Empty tweet",
					Detail:   `The text is empty. Write what to post, like text = "We just shipped ...".`,
					Subject:  attr.Expr.Range().Ptr(),
				})
			case n > MaxTweetLength:
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Tweet too long",
					Detail:   fmt.Sprintf("The text has %d characters, but a tweet has at most %d. Shorten it by %d.", n, MaxTweetLength, n-MaxTweetLength),
					Subject:  attr.Expr.Range().Ptr(),
				})
			default:
				t.Text = v
			}
		}
	}
	if attr, ok := content.Attributes["at"]; ok {
		if v, ok := sc.decodeString(attr, &diags); ok {
			when, err := time.Parse(time.RFC3339, v)
			switch {
			case err != nil:
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid time",
					Detail:   fmt.Sprintf("%q is not an RFC 3339 time. Write it with a date, a time and a zone, like \"2030-03-20T15:00:00Z\" or \"2030-03-20T09:00:00-05:00\", or compute one with timeadd().", v),
					Subject:  attr.Expr.Range().Ptr(),
				})
			case !when.After(sc.now):
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Tweet in the past",
					Detail: fmt.Sprintf("The tweet is set for %s, which is not in the future (it is now %s). Set at to a later time, or remove the block once the tweet is posted.",
						when.UTC().Format(time.RFC3339), sc.now.UTC().Format(time.RFC3339)),
					Subject: attr.Expr.Range().Ptr(),
				})
			default:
				t.At = when.UTC()
			}
		}
	}
	return t, diags
}
