package proxytest

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

// NewHTTP starts an HTTP proxy on loopback that demands user and pass in
// Proxy-Authorization (Basic) and answers 407 otherwise. It tunnels
// CONNECT requests and forwards absolute-form requests (what a client
// sends a proxy for an http:// URL). It stops when the test ends.
func NewHTTP(t testing.TB, user, pass string) *Proxy {
	t.Helper()
	p := newProxy(t, "http", user, pass)
	p.accept(p.serveHTTP)
	return p
}

// serveHTTP reads requests from one client connection until it ends or
// becomes a tunnel.
func (p *Proxy) serveHTTP(c net.Conn) {
	br := bufio.NewReader(c)
	// upstream connections of forwarded requests, kept for keep-alive.
	upstream := map[string]*forwardConn{}
	defer func() {
		for _, u := range upstream {
			p.untrack(u.conn)
		}
	}()
	for {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		user, ok := p.authorized(req)
		if !ok {
			_, _ = io.Copy(io.Discard, req.Body)
			_, _ = io.WriteString(c, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"proxytest\"\r\nContent-Length: 0\r\n\r\n")
			continue
		}
		if req.Method == http.MethodConnect {
			p.tunnel(c, br, req, user)
			return
		}
		if !p.forward(c, req, user, upstream) {
			return
		}
	}
}

func (p *Proxy) authorized(req *http.Request) (string, bool) {
	kind, enc, _ := strings.Cut(req.Header.Get("Proxy-Authorization"), " ")
	if !strings.EqualFold(kind, "Basic") {
		return "", false
	}
	raw, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return "", false
	}
	user, pass, _ := strings.Cut(string(raw), ":")
	return user, p.checkCredentials(user, pass)
}

func (p *Proxy) tunnel(c net.Conn, br *bufio.Reader, req *http.Request, user string) {
	up, err := p.dial(req.Host)
	if err != nil {
		_, _ = fmt.Fprintf(c, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
		return
	}
	p.record(Record{User: user, Target: req.Host, From: up.LocalAddr().String()})
	defer p.untrack(up)
	if _, err := io.WriteString(c, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
		return
	}
	// Bytes the client sent after the CONNECT are already buffered.
	if n := br.Buffered(); n > 0 {
		b, _ := br.Peek(n)
		if _, err := up.Write(b); err != nil {
			return
		}
	}
	p.pipe(c, up)
}

type forwardConn struct {
	conn net.Conn
	br   *bufio.Reader
}

// forward sends one absolute-form request to its target and copies the
// answer back; it reports whether the client connection may carry another.
func (p *Proxy) forward(c net.Conn, req *http.Request, user string, upstream map[string]*forwardConn) bool {
	line := fmt.Sprintf("%s %s %s", req.Method, req.RequestURI, req.Proto)
	target := req.URL.Host
	if req.URL.Port() == "" {
		target = net.JoinHostPort(req.URL.Hostname(), "80")
	}
	up := upstream[target]
	if up == nil {
		conn, err := p.dial(target)
		if err != nil {
			_, _ = io.WriteString(c, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
			return true
		}
		up = &forwardConn{conn: conn, br: bufio.NewReader(conn)}
		upstream[target] = up
	}
	p.record(Record{User: user, Target: target, RequestLine: line, From: up.conn.LocalAddr().String()})
	req.Header.Del("Proxy-Authorization")
	req.Header.Del("Proxy-Connection")
	// Write sends the request in origin form with its Host header.
	if err := req.Write(up.conn); err != nil {
		return false
	}
	resp, err := http.ReadResponse(up.br, req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	if err := resp.Write(c); err != nil {
		return false
	}
	return !resp.Close && !req.Close
}
