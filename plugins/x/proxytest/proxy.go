package proxytest

import (
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/outreachhq/outreach/sdk"
)

// Record is one connection or request a proxy carried.
type Record struct {
	// User is the username the client authenticated with.
	User string
	// Target is the host:port the proxy connected to for the client.
	Target string
	// RequestLine is the request line of a plain-HTTP request the HTTP
	// proxy forwarded ("GET http://127.0.0.1:8080/2/users/me HTTP/1.1");
	// empty for a tunnel (CONNECT, SOCKS5).
	RequestLine string
	// From is the local address of the proxy's connection to the target:
	// the remote address the target sees.
	From string
}

// Proxy is a running proxy.
type Proxy struct {
	scheme     string
	user, pass string
	ln         net.Listener
	dialer     *net.Dialer

	mu      sync.Mutex
	records []Record
	conns   map[net.Conn]struct{}
	closed  bool
	wg      sync.WaitGroup
}

func newProxy(t testing.TB, scheme, user, pass string) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("proxytest: listen: %v", err)
	}
	p := &Proxy{
		scheme: scheme, user: user, pass: pass, ln: ln,
		dialer: sdk.GuardDialer(&net.Dialer{Timeout: 10 * time.Second}),
		conns:  map[net.Conn]struct{}{},
	}
	t.Cleanup(p.Close)
	return p
}

// URL is the proxy's URL with its credentials, as an account's proxy is
// written: http://user:pass@127.0.0.1:port or socks5://user:pass@....
func (p *Proxy) URL() string {
	return (&url.URL{Scheme: p.scheme, User: url.UserPassword(p.user, p.pass), Host: p.ln.Addr().String()}).String()
}

// URLWithPassword is URL with another password, for tests of refused
// credentials.
func (p *Proxy) URLWithPassword(pass string) string {
	return (&url.URL{Scheme: p.scheme, User: url.UserPassword(p.user, pass), Host: p.ln.Addr().String()}).String()
}

// Addr is the proxy's host:port.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Records returns what the proxy has carried so far, in order.
func (p *Proxy) Records() []Record {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Record(nil), p.records...)
}

// Close stops the proxy, cuts every connection it carries and waits for
// its goroutines.
func (p *Proxy) Close() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.closed = true
	_ = p.ln.Close()
	for c := range p.conns {
		_ = c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}

func (p *Proxy) record(r Record) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.records = append(p.records, r)
}

// track registers c to be closed by Close; it reports false when the
// proxy is already closed (and closes c).
func (p *Proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		_ = c.Close()
		return false
	}
	p.conns[c] = struct{}{}
	return true
}

func (p *Proxy) untrack(c net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.conns, c)
	_ = c.Close()
}

func (p *Proxy) checkCredentials(user, pass string) bool {
	return user == p.user && pass == p.pass
}

// dial connects to target for a client and tracks the connection.
func (p *Proxy) dial(target string) (net.Conn, error) {
	c, err := p.dialer.Dial("tcp", target)
	if err != nil {
		return nil, err
	}
	if !p.track(c) {
		return nil, net.ErrClosed
	}
	return c, nil
}

// pipe copies both ways between a and b until either side ends, then
// closes both.
func (p *Proxy) pipe(a, b net.Conn) {
	done := make(chan struct{}, 2)
	cp := func(dst, src net.Conn) {
		_, _ = io.Copy(dst, src)
		// Closing both ends unblocks the other copy.
		_ = dst.Close()
		_ = src.Close()
		done <- struct{}{}
	}
	go cp(a, b)
	go cp(b, a)
	<-done
	<-done
}

// accept serves each client connection with serve, each in its own
// goroutine, until the proxy closes.
func (p *Proxy) accept(serve func(net.Conn)) {
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			c, err := p.ln.Accept()
			if err != nil {
				return
			}
			if !p.track(c) {
				return
			}
			p.wg.Add(1)
			go func() {
				defer p.wg.Done()
				defer p.untrack(c)
				serve(c)
			}()
		}
	}()
}
