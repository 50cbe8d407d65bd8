package x

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/outreachhq/outreach/sdk"
)

// DefaultBaseURL is X's API.
const DefaultBaseURL = "https://api.x.com"

// xAuthorizeURL is where a person authorizes an app on X itself: the web
// site, not the API host.
const xAuthorizeURL = "https://x.com/i/oauth2/authorize"

// authorizePath is the authorize endpoint's path on X's web site, and on
// any other base URL (the simulator serves it beside the API).
const authorizePath = "/i/oauth2/authorize"

// tokenPath is X's OAuth 2.0 token endpoint on the API host.
const tokenPath = "/2/oauth2/token"

// DefaultRedirectURL is where `outreach accounts login` listens unless the
// config says otherwise; the X app must list it as a callback URL.
const DefaultRedirectURL = "http://127.0.0.1:8788/oauth/x/callback"

// DefaultScopes are the scopes the product needs: reading users and
// follows, following, liking, posting, DMs both ways, and offline.access
// for a refresh token.
var DefaultScopes = []string{
	"tweet.read", "users.read", "follows.read", "follows.write", "like.write",
	"tweet.write", "dm.read", "dm.write", "offline.access",
}

// Config is the connector's configuration, as Configure accepts it (the
// JSON names) with defaults applied.
type Config struct {
	// BaseURL is where the X API is served; a test or the sandbox points
	// it at the simulator.
	BaseURL string
	// AuthorizeURL is where a person authorizes the app.
	AuthorizeURL string
	// ClientID and ClientSecret are the X app's OAuth 2.0 client. With a
	// secret the app is a confidential client (HTTP Basic on the token
	// endpoint), without one a public client (client_id in the body).
	ClientID     string
	ClientSecret string
	RedirectURL  string
	Scopes       []string
	// App names the app whose per-app budgets the accounts share.
	App string
	// Timeout bounds one HTTP request.
	Timeout time.Duration
	// ReadAttempts is how many times a read is tried when X answers 5xx or
	// the request fails on the way; RetryBackoff is the wait before the
	// second try, doubled before each further one.
	ReadAttempts int
	RetryBackoff time.Duration
	// RateLimits replace the default budgets of the operations they name.
	RateLimits map[string][]sdk.Budget
	// Prices replace the default prices of the operations they name, and
	// PricesAsOf the default table's date.
	Prices     map[string]sdk.Price
	PricesAsOf string
}

// isX reports whether the connector talks to X itself rather than a
// simulator.
func (c Config) isX() bool { return c.BaseURL == DefaultBaseURL }

// configFields are the attributes Configure accepts.
var configFields = []sdk.ConfigField{
	{Name: "base_url", Type: "string", Description: "Base URL of the X API. Default " + DefaultBaseURL + "."},
	{Name: "authorize_url", Type: "string", Description: "Where a person authorizes the app. Default " + xAuthorizeURL + " for X, else base_url + " + authorizePath + "."},
	{Name: "client_id", Type: "string", Description: "The X app's OAuth 2.0 client id (developer portal, \"Keys and tokens\")."},
	{Name: "client_secret", Type: "string", Sensitive: true, Description: "The app's OAuth 2.0 client secret, for a confidential client; leave it out for a public client."},
	{Name: "redirect_url", Type: "string", Description: "The callback URL registered with the app. Default " + DefaultRedirectURL + "."},
	{Name: "scopes", Type: "list(string)", Description: "OAuth 2.0 scopes to ask for. Default: " + strings.Join(DefaultScopes, " ") + "."},
	{Name: "app", Type: "string", Description: "A name for the app: accounts with the same app share its per-app rate limits. Default the client_id."},
	{Name: "timeout", Type: "string", Description: "Timeout of one HTTP request, as a Go duration. Default 30s."},
	{Name: "read_attempts", Type: "number", Description: "How many times a read is tried when X fails with a 5xx or a timeout. Default 3."},
	{Name: "retry_backoff", Type: "string", Description: "Wait before a read's second try, doubled each further try, as a Go duration. Default 1s."},
	{Name: "rate_limits", Type: "map(string)", Description: `Budgets per operation, replacing the defaults, like send_dm = "15/15m, 1440/24h, app:1440/24h" (requests/window; "app:" for a per-app limit).`},
	{Name: "prices", Type: "map(string)", Description: `Prices per operation, replacing the defaults, like send_dm = "0.015/request" or scrape = "0.01/item" (both: "0.001/request, 0.01/item"; a bare number is per request).`},
	{Name: "prices_as_of", Type: "string", Description: "The date of the prices, YYYY-MM-DD."},
}

// configWire is the JSON Configure reads. Numbers may come as JSON numbers
// or as strings, since an HCL map(string) turns numbers into strings.
type configWire struct {
	BaseURL      string                     `json:"base_url"`
	AuthorizeURL string                     `json:"authorize_url"`
	ClientID     string                     `json:"client_id"`
	ClientSecret string                     `json:"client_secret"`
	RedirectURL  string                     `json:"redirect_url"`
	Scopes       []string                   `json:"scopes"`
	App          string                     `json:"app"`
	Timeout      string                     `json:"timeout"`
	ReadAttempts json.RawMessage            `json:"read_attempts"`
	RetryBackoff string                     `json:"retry_backoff"`
	RateLimits   map[string]string          `json:"rate_limits"`
	Prices       map[string]json.RawMessage `json:"prices"`
	PricesAsOf   string                     `json:"prices_as_of"`
}

// fieldError is the error of a bad config value: Permanent, naming the
// field.
func fieldError(field, format string, args ...any) error {
	return sdk.Errorf(sdk.Permanent, "x: config: %s: %s", field, fmt.Sprintf(format, args...))
}

// parseConfig reads raw (a JSON object, or empty for the defaults) into a
// Config with defaults applied.
func parseConfig(raw json.RawMessage) (Config, error) {
	var w configWire
	if len(bytes.TrimSpace(raw)) > 0 {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&w); err != nil {
			return Config{}, sdk.Errorf(sdk.Permanent, "x: config: %v", err)
		}
	}
	cfg := Config{
		ClientID: strings.TrimSpace(w.ClientID), ClientSecret: w.ClientSecret,
		App: strings.TrimSpace(w.App), PricesAsOf: w.PricesAsOf,
		Timeout: 30 * time.Second, ReadAttempts: 3, RetryBackoff: time.Second,
	}
	var err error
	if cfg.BaseURL, err = httpURL("base_url", w.BaseURL, DefaultBaseURL); err != nil {
		return Config{}, err
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	defAuthorize := cfg.BaseURL + authorizePath
	if cfg.isX() {
		defAuthorize = xAuthorizeURL
	}
	if cfg.AuthorizeURL, err = httpURL("authorize_url", w.AuthorizeURL, defAuthorize); err != nil {
		return Config{}, err
	}
	if cfg.RedirectURL, err = httpURL("redirect_url", w.RedirectURL, DefaultRedirectURL); err != nil {
		return Config{}, err
	}
	if cfg.ClientSecret != "" && cfg.ClientID == "" {
		return Config{}, fieldError("client_id", "a client_secret is set but no client_id: give the app's client id too")
	}
	if cfg.App == "" {
		cfg.App = cfg.ClientID
	}
	cfg.Scopes = slices.Clone(DefaultScopes)
	if w.Scopes != nil {
		cfg.Scopes = nil
		for i, s := range w.Scopes {
			s = strings.TrimSpace(s)
			if s == "" || strings.ContainsAny(s, " \t") {
				return Config{}, fieldError(fmt.Sprintf("scopes[%d]", i), "%q is not a scope: give one scope name per item, like \"dm.write\"", s)
			}
			cfg.Scopes = append(cfg.Scopes, s)
		}
		if len(cfg.Scopes) == 0 {
			return Config{}, fieldError("scopes", "the list is empty: leave it out for the defaults")
		}
	}
	if w.Timeout != "" {
		if cfg.Timeout, err = positiveDuration("timeout", w.Timeout); err != nil {
			return Config{}, err
		}
	}
	if w.RetryBackoff != "" {
		d, err := time.ParseDuration(w.RetryBackoff)
		if err != nil || d < 0 {
			return Config{}, fieldError("retry_backoff", "%q is not a duration like \"1s\"", w.RetryBackoff)
		}
		cfg.RetryBackoff = d
	}
	if len(w.ReadAttempts) > 0 {
		n, err := strconv.Atoi(strings.Trim(string(w.ReadAttempts), `"`))
		if err != nil || n < 1 || n > 10 {
			return Config{}, fieldError("read_attempts", "%s is not a whole number from 1 to 10", w.ReadAttempts)
		}
		cfg.ReadAttempts = n
	}
	if cfg.RateLimits, err = parseRateLimits(w.RateLimits); err != nil {
		return Config{}, err
	}
	if cfg.Prices, err = parsePrices(w.Prices); err != nil {
		return Config{}, err
	}
	if w.PricesAsOf != "" {
		if _, err := time.Parse(time.DateOnly, w.PricesAsOf); err != nil {
			return Config{}, fieldError("prices_as_of", "%q is not a date like 2026-11-15", w.PricesAsOf)
		}
	}
	return cfg, nil
}

// httpURL checks an http(s) URL attribute, or returns def when it is empty.
func httpURL(field, v, def string) (string, error) {
	if v == "" {
		return def, nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fieldError(field, "%q is not an http(s) URL", v)
	}
	return v, nil
}

func positiveDuration(field, v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fieldError(field, "%q is not a positive duration like \"30s\"", v)
	}
	return d, nil
}

// operations are the operations a budget or a price may name.
var operations = []string{
	sdk.OpCheckSession, sdk.OpLookupUsers, sdk.OpScrape, sdk.OpSendDM, sdk.OpDMEvents,
	sdk.OpFollow, sdk.OpLike, sdk.OpComment, sdk.OpTweet, sdk.OpUserPosts,
}

func checkOperation(field, op string) error {
	if !slices.Contains(operations, op) {
		return fieldError(field, "%q is not an operation; use one of %s", op, strings.Join(operations, ", "))
	}
	return nil
}

// parseRateLimits reads rate_limits: operation -> a comma-separated list
// of limits "N/WINDOW", each optionally prefixed "app:" (per app) or
// "user:" (per user, the default). WINDOW is a Go duration ("15m", "24h")
// or X's spelling ("15min", "24hrs").
func parseRateLimits(in map[string]string) (map[string][]sdk.Budget, error) {
	if len(in) == 0 {
		return nil, nil
	}
	out := make(map[string][]sdk.Budget, len(in))
	for op, spec := range in {
		field := "rate_limits." + op
		if err := checkOperation("rate_limits", op); err != nil {
			return nil, err
		}
		var budgets []sdk.Budget
		for part := range strings.SplitSeq(spec, ",") {
			b, err := parseLimit(strings.TrimSpace(part))
			if err != nil {
				return nil, fieldError(field, "%q: %v; write limits like \"15/15m, 1440/24h, app:1440/24h\"", spec, err)
			}
			b.Operation = op
			budgets = append(budgets, b)
		}
		out[op] = budgets
	}
	return out, nil
}

func parseLimit(s string) (sdk.Budget, error) {
	b := sdk.Budget{Scope: sdk.ScopeUser}
	if scope, rest, ok := strings.Cut(s, ":"); ok {
		switch strings.TrimSpace(scope) {
		case sdk.ScopeApp, sdk.ScopeUser:
			b.Scope = strings.TrimSpace(scope)
		default:
			return b, fmt.Errorf("scope %q is neither user nor app", scope)
		}
		s = strings.TrimSpace(rest)
	}
	n, w, ok := strings.Cut(s, "/")
	if !ok {
		return b, fmt.Errorf("%q has no window", s)
	}
	req, err := strconv.Atoi(strings.TrimSpace(n))
	if err != nil || req <= 0 {
		return b, fmt.Errorf("%q is not a positive number of requests", n)
	}
	win, err := parseWindow(strings.TrimSpace(w))
	if err != nil {
		return b, err
	}
	b.Requests, b.Window = req, win
	return b, nil
}

// parseWindow reads a Go duration or X's "15min", "24hrs", "3hours".
func parseWindow(s string) (time.Duration, error) {
	r := strings.NewReplacer("hours", "h", "hour", "h", "hrs", "h", "hr", "h", "mins", "m", "min", "m", "secs", "s", "sec", "s")
	d, err := time.ParseDuration(r.Replace(s))
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("window %q is not a duration like 15m or 24h", s)
	}
	return d, nil
}

// parsePrices reads prices: operation -> a number (per request) or a
// comma-separated list of "AMOUNT/request" and "AMOUNT/item".
func parsePrices(in map[string]json.RawMessage) (map[string]sdk.Price, error) {
	if len(in) == 0 {
		return nil, nil
	}
	out := make(map[string]sdk.Price, len(in))
	for op, raw := range in {
		field := "prices." + op
		if err := checkOperation("prices", op); err != nil {
			return nil, err
		}
		var spec string
		if err := json.Unmarshal(raw, &spec); err != nil {
			spec = string(raw) // a JSON number
		}
		p := sdk.Price{Operation: op}
		for part := range strings.SplitSeq(spec, ",") {
			amount, unit, _ := strings.Cut(strings.TrimSpace(part), "/")
			v, err := strconv.ParseFloat(strings.TrimPrefix(strings.TrimSpace(amount), "$"), 64)
			if err != nil || v < 0 {
				return nil, fieldError(field, "%q is not a price; write \"0.015/request\", \"0.01/item\" or both, comma-separated", spec)
			}
			switch strings.TrimSpace(unit) {
			case "", "request":
				p.PerRequest = v
			case "item", "resource":
				p.PerResource = v
			default:
				return nil, fieldError(field, "unit %q is neither request nor item", unit)
			}
		}
		out[op] = p
	}
	return out, nil
}
