package x

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/outreachhq/outreach/sdk"
)

// transports hands out the http.Transport a request goes through: one per
// account and proxy, kept so that the account's connections stay alive
// between calls, and one shared by every account without a proxy. None of
// them reads HTTP_PROXY or its kin from the environment: an account goes
// out through its own proxy or directly, never through one the plugin
// process happened to inherit. Every one dials through sdk.GuardDialer.
type transports struct {
	mu     sync.Mutex
	direct *http.Transport
	// byAccount maps an account to its proxy and that proxy's transport;
	// when the account's proxy changes, the old transport is dropped.
	byAccount map[string]proxied
}

type proxied struct {
	proxy string
	t     *http.Transport
}

// errProxyAuth marks a proxy that refused the account's credentials.
var errProxyAuth = errors.New("the proxy refused the credentials (407 Proxy Authentication Required)")

func newTransport(proxy *url.URL) *http.Transport {
	d := sdk.GuardDialer(&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second})
	t := &http.Transport{
		DialContext:           d.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   10,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	if proxy != nil {
		t.Proxy = http.ProxyURL(proxy)
		t.OnProxyConnectResponse = func(_ context.Context, _ *url.URL, _ *http.Request, resp *http.Response) error {
			if resp.StatusCode == http.StatusProxyAuthRequired {
				return errProxyAuth
			}
			return nil
		}
	}
	return t
}

// parseProxy reads an account's proxy: http, https or socks5 (socks5h),
// with the credentials in the URL.
func parseProxy(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// url's error repeats the URL, password included.
		return nil, sdk.Errorf(sdk.Permanent, "x: the account's proxy is not a URL like socks5://user:pass@host:port")
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "socks5", "socks5h":
	default:
		return nil, sdk.Errorf(sdk.Permanent, "x: the account's proxy %s has scheme %q: use http, https or socks5", u.Redacted(), u.Scheme)
	}
	if u.Hostname() == "" || u.Port() == "" {
		return nil, sdk.Errorf(sdk.Permanent, "x: the account's proxy %s names no host:port", u.Redacted())
	}
	return u, nil
}

// get returns the transport for account going through proxy ("" for
// none).
func (ts *transports) get(account, proxy string) (*http.Transport, error) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if proxy == "" {
		if ts.direct == nil {
			ts.direct = newTransport(nil)
		}
		return ts.direct, nil
	}
	if p, ok := ts.byAccount[account]; ok {
		if p.proxy == proxy {
			return p.t, nil
		}
		p.t.CloseIdleConnections()
		delete(ts.byAccount, account)
	}
	u, err := parseProxy(proxy)
	if err != nil {
		return nil, err
	}
	t := newTransport(u)
	if ts.byAccount == nil {
		ts.byAccount = map[string]proxied{}
	}
	ts.byAccount[account] = proxied{proxy: proxy, t: t}
	return t, nil
}

// closeIdle closes every idle connection, for a reconfiguration.
func (ts *transports) closeIdle() {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.direct != nil {
		ts.direct.CloseIdleConnections()
	}
	for _, p := range ts.byAccount {
		p.t.CloseIdleConnections()
	}
}

// proxyFailure turns a transport error that the account's proxy caused
// (refused credentials) into an AccountBlocked error naming the proxy
// without its password: the account cannot act until a person fixes its
// proxy, and no lead is to blame. Other errors come back unchanged, with
// the proxy's password scrubbed from their text.
func proxyFailure(err error, proxy string) error {
	if err == nil || proxy == "" {
		return err
	}
	u, perr := url.Parse(proxy)
	if perr != nil {
		return err
	}
	msg := err.Error()
	if errors.Is(err, errProxyAuth) || strings.Contains(msg, "authentication failed") || strings.Contains(msg, "Proxy Authentication Required") {
		return sdk.Errorf(sdk.AccountBlocked, "x: the account's proxy %s refused its credentials: check the proxy's username and password", u.Redacted())
	}
	if _, ok := u.User.Password(); ok {
		// The userinfo as a URL spells it: how an error would quote it.
		if cred := u.User.String() + "@"; strings.Contains(msg, cred) {
			return errors.New(strings.ReplaceAll(msg, cred, u.User.Username()+":xxxxx@"))
		}
	}
	return err
}

// accountKey names a session's account for its transport.
func accountKey(s sdk.Session) string {
	if s.AccountID != "" {
		return s.AccountID
	}
	return "@" + s.Handle
}
