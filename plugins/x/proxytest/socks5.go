package proxytest

import (
	"bufio"
	"encoding/binary"
	"io"
	"net"
	"strconv"
	"testing"
)

// NewSOCKS5 starts a SOCKS5 proxy on loopback (RFC 1928) that takes only
// the username/password method (RFC 1929) with user and pass, and only
// CONNECT. It stops when the test ends.
func NewSOCKS5(t testing.TB, user, pass string) *Proxy {
	t.Helper()
	p := newProxy(t, "socks5", user, pass)
	p.accept(p.serveSOCKS)
	return p
}

// SOCKS5 constants (RFC 1928, RFC 1929).
const (
	socksVersion     = 5
	methodUserPass   = 2
	methodNone       = 0xff
	authVersion      = 1
	cmdConnect       = 1
	atypIPv4         = 1
	atypDomain       = 3
	atypIPv6         = 4
	replySucceeded   = 0
	replyHostUnreach = 4
	replyCmdUnsupp   = 7
)

func (p *Proxy) serveSOCKS(c net.Conn) {
	br := bufio.NewReader(c)
	// Greeting: VER NMETHODS METHODS...
	head := make([]byte, 2)
	if _, err := io.ReadFull(br, head); err != nil || head[0] != socksVersion {
		return
	}
	methods := make([]byte, head[1])
	if _, err := io.ReadFull(br, methods); err != nil {
		return
	}
	offered := false
	for _, m := range methods {
		offered = offered || m == methodUserPass
	}
	if !offered {
		_, _ = c.Write([]byte{socksVersion, methodNone})
		return
	}
	if _, err := c.Write([]byte{socksVersion, methodUserPass}); err != nil {
		return
	}
	// RFC 1929: VER ULEN UNAME PLEN PASSWD.
	user, pass, ok := readUserPass(br)
	if !ok {
		return
	}
	if !p.checkCredentials(user, pass) {
		_, _ = c.Write([]byte{authVersion, 1})
		return
	}
	if _, err := c.Write([]byte{authVersion, 0}); err != nil {
		return
	}
	// Request: VER CMD RSV ATYP DST.ADDR DST.PORT.
	req := make([]byte, 4)
	if _, err := io.ReadFull(br, req); err != nil || req[0] != socksVersion {
		return
	}
	host, ok := readAddr(br, req[3])
	if !ok {
		return
	}
	portb := make([]byte, 2)
	if _, err := io.ReadFull(br, portb); err != nil {
		return
	}
	target := net.JoinHostPort(host, strconv.Itoa(int(binary.BigEndian.Uint16(portb))))
	if req[1] != cmdConnect {
		reply(c, replyCmdUnsupp)
		return
	}
	up, err := p.dial(target)
	if err != nil {
		reply(c, replyHostUnreach)
		return
	}
	defer p.untrack(up)
	p.record(Record{User: user, Target: target, From: up.LocalAddr().String()})
	reply(c, replySucceeded)
	if n := br.Buffered(); n > 0 {
		b, _ := br.Peek(n)
		if _, err := up.Write(b); err != nil {
			return
		}
	}
	p.pipe(c, up)
}

func readUserPass(br *bufio.Reader) (string, string, bool) {
	ver, err := br.ReadByte()
	if err != nil || ver != authVersion {
		return "", "", false
	}
	user, ok := readShort(br)
	if !ok {
		return "", "", false
	}
	pass, ok := readShort(br)
	return user, pass, ok
}

// readShort reads a length-prefixed string of up to 255 bytes.
func readShort(br *bufio.Reader) (string, bool) {
	n, err := br.ReadByte()
	if err != nil {
		return "", false
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(br, b); err != nil {
		return "", false
	}
	return string(b), true
}

func readAddr(br *bufio.Reader, atyp byte) (string, bool) {
	switch atyp {
	case atypIPv4, atypIPv6:
		n := net.IPv4len
		if atyp == atypIPv6 {
			n = net.IPv6len
		}
		b := make([]byte, n)
		if _, err := io.ReadFull(br, b); err != nil {
			return "", false
		}
		return net.IP(b).String(), true
	case atypDomain:
		return readShort(br)
	}
	return "", false
}

// reply answers a request with code and a zero bind address.
func reply(c net.Conn, code byte) {
	_, _ = c.Write([]byte{socksVersion, code, 0, atypIPv4, 0, 0, 0, 0, 0, 0})
}
