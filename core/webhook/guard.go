// Package webhook delivers the outbox's events to users' endpoints. This
// file is its guard against server-side request forgery: an endpoint may
// not make outreach reach inside the network it runs in.
package webhook

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ErrRefused is the error of an address the guard refuses.
var ErrRefused = errors.New("not a public address")

// refusedPrefixes are the ranges, beyond what netip classifies (loopback,
// private, link-local, multicast, unspecified), that no webhook may reach.
var refusedPrefixes = func() []netip.Prefix {
	var ps []netip.Prefix
	for _, s := range []string{
		"0.0.0.0/8",       // "this network"
		"100.64.0.0/10",   // carrier-grade NAT (and Alibaba's metadata, 100.100.100.200)
		"192.0.0.0/24",    // IETF protocol assignments
		"192.0.2.0/24",    // documentation
		"198.18.0.0/15",   // benchmarking
		"198.51.100.0/24", // documentation
		"203.0.113.0/24",  // documentation
		"240.0.0.0/4",     // reserved, and the broadcast address
		"::/96",           // IPv4-compatible (deprecated)
		"64:ff9b::/96",    // NAT64
		"64:ff9b:1::/48",  // local-use NAT64
		"100::/64",        // discard
		"2001::/32",       // Teredo: an IPv4 address inside
		"2001:db8::/32",   // documentation
		"2002::/16",       // 6to4: an IPv4 address inside
		"fc00::/7",        // unique local
		"fec0::/10",       // site-local (deprecated)
	} {
		ps = append(ps, netip.MustParsePrefix(s))
	}
	return ps
}()

// Check returns ErrRefused, wrapped with why, if ip is not a public
// unicast address: loopback, private, link-local (the cloud metadata
// service, 169.254.169.254), carrier-grade NAT, multicast, reserved, or an
// IPv6 form of any of them (IPv4-mapped, NAT64, 6to4, Teredo).
func Check(ip netip.Addr) error {
	ip = ip.Unmap()
	why := ""
	switch {
	case !ip.IsValid():
		why = "no address"
	case ip.IsLoopback():
		why = "loopback"
	case ip.IsPrivate():
		why = "private"
	case ip.IsLinkLocalUnicast():
		why = "link-local (the metadata service's range)"
	case ip.IsMulticast(), ip.IsLinkLocalMulticast(), ip.IsInterfaceLocalMulticast():
		why = "multicast"
	case ip.IsUnspecified():
		why = "unspecified"
	default:
		for _, p := range refusedPrefixes {
			if p.Contains(ip) {
				why = "reserved (" + p.String() + ")"
				break
			}
		}
	}
	if why == "" {
		return nil
	}
	return fmt.Errorf("%s is %s: %w", ip, why, ErrRefused)
}

// Control is a net.Dialer's Control hook that refuses to connect to an
// address Check refuses. It runs on the address the connection is about
// to use, after any name was resolved, so a name that resolves inside, or
// resolves outside once and inside the next time (DNS rebinding), is
// refused too, before any packet leaves.
func Control(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("webhook: dial %q: %w", address, err)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("webhook: dial %q: %w", address, err)
	}
	if err := Check(ip); err != nil {
		return fmt.Errorf("webhook: dial %s: %w", address, err)
	}
	return nil
}

// CheckURL checks an endpoint's URL before anything is sent to it: http
// or https, no credentials in it, a host, and, if the host is an address
// (in any spelling a resolver takes: decimal, octal or hex IPv4 parts, or
// one number), a public one. A host name is checked where it resolves,
// when each delivery connects (Control).
func CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("the URL: %w", err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("the URL's scheme is %q: give http or https", u.Scheme)
	case u.User != nil:
		return errors.New("the URL has credentials in it: a receiver verifies the signature instead")
	case u.Hostname() == "":
		return errors.New("the URL has no host")
	}
	if ip, ok := HostAddr(u.Hostname()); ok {
		if err := Check(ip); err != nil {
			return fmt.Errorf("the URL's host %s: %w", u.Hostname(), err)
		}
	}
	return nil
}

// HostAddr reads a URL's host as an address, if it is one: an IPv6
// literal, or IPv4 in any spelling inet_aton takes (1 to 4 parts, each
// decimal, octal with a leading 0, or hex with 0x), which resolvers and
// browsers take as an address though netip does not.
func HostAddr(host string) (netip.Addr, bool) {
	if ip, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return ip, true
	}
	parts := strings.Split(strings.TrimSuffix(host, "."), ".")
	if len(parts) > 4 {
		return netip.Addr{}, false
	}
	nums := make([]uint64, len(parts))
	for i, p := range parts {
		n, ok := inetNumber(p)
		if !ok {
			return netip.Addr{}, false
		}
		nums[i] = n
	}
	// The last part fills the bytes the others leave.
	var v uint64
	for i, n := range nums[:len(nums)-1] {
		if n > 0xff {
			return netip.Addr{}, false
		}
		v |= n << (8 * (3 - i))
	}
	last := nums[len(nums)-1]
	if last >= 1<<(8*(5-len(nums))) {
		return netip.Addr{}, false
	}
	v |= last
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), true
}

// inetNumber reads one part of an inet_aton address.
func inetNumber(p string) (uint64, bool) {
	base := 10
	switch {
	case p == "":
		return 0, false
	case strings.HasPrefix(p, "0x") || strings.HasPrefix(p, "0X"):
		base, p = 16, p[2:]
		if p == "" {
			return 0, true // "0x" is 0, as inet_aton reads it
		}
	case len(p) > 1 && p[0] == '0':
		base, p = 8, p[1:]
	}
	n, err := strconv.ParseUint(p, base, 32)
	return n, err == nil
}

// Timeout bounds one delivery attempt, its answer read whole included.
const Timeout = 30 * time.Second

// Client is the HTTP client of deliveries: it never follows a redirect (a
// 3xx is the endpoint's answer, and fails the attempt), so a redirect cannot
// lead inside, and its dialer refuses addresses Check refuses, unless
// allowPrivate (local development: `--allow-private-webhooks`).
func Client(allowPrivate bool) *http.Client {
	dialer := &net.Dialer{Timeout: 10 * time.Second}
	if !allowPrivate {
		dialer.Control = Control
	}
	transport := &http.Transport{
		DialContext:           dialer.DialContext,
		Proxy:                 nil, // a proxy would dial for us, past the guard
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: Timeout,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
	}
	return &http.Client{
		Transport:     transport,
		Timeout:       Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
