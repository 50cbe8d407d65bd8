package webhook_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/outreachhq/outreach/core/webhook"
)

// TestCheckRefusesWhatIsNotPublic: every range the guard refuses, in its
// IPv4 and IPv6 forms, and public addresses it lets through. Nothing is
// dialled.
func TestCheckRefusesWhatIsNotPublic(t *testing.T) {
	refused := []string{
		"127.0.0.1", "127.255.255.254", "::1", // loopback
		"10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1", // private
		"169.254.169.254", "169.254.0.1", "fe80::1", // link-local, the metadata service
		"100.64.0.1", "100.100.100.200", // carrier-grade NAT, Alibaba's metadata
		"224.0.0.1", "239.255.255.250", "ff02::1", "ff05::2", // multicast
		"0.0.0.0", "0.1.2.3", "::", // unspecified, "this network"
		"255.255.255.255", "240.0.0.1", // reserved, broadcast
		"192.0.0.192", "198.18.0.1", "192.0.2.1", // protocol assignments, benchmarking, documentation
		"::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1", // IPv4-mapped
		"::127.0.0.1",                           // IPv4-compatible
		"64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", // NAT64 of loopback and metadata
		"64:ff9b:1::1",                             // local-use NAT64
		"fc00::1", "fd00:ec2::254", "fdaa:bbcc::1", // unique local (AWS's IPv6 metadata)
		"2002:7f00:1::1", "2001:0:4136:e378::1", // 6to4, Teredo
		"fec0::1", "2001:db8::1", // site-local, documentation
	}
	for _, s := range refused {
		if err := webhook.Check(netip.MustParseAddr(s)); !errors.Is(err, webhook.ErrRefused) {
			t.Errorf("Check(%s) = %v, want it refused", s, err)
		}
	}
	for _, s := range []string{"8.8.8.8", "1.1.1.1", "93.184.216.34", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8", "172.32.0.1", "100.128.0.1"} {
		if err := webhook.Check(netip.MustParseAddr(s)); err != nil {
			t.Errorf("Check(%s) = %v, want it public", s, err)
		}
	}
}

// TestCheckURL: the URL's own problems, and addresses in every spelling a
// resolver takes.
func TestCheckURL(t *testing.T) {
	refused := map[string]string{
		"ftp://example.com/hook":              "scheme",
		"file:///etc/passwd":                  "scheme",
		"gopher://example.com":                "scheme",
		"https://user:pass@example.com/hook":  "credentials",
		"https://token@example.com/hook":      "credentials",
		"https:///hook":                       "no host",
		"http://127.0.0.1:8080/hook":          "loopback",
		"http://2130706433/hook":              "loopback",   // decimal
		"http://017700000001/hook":            "loopback",   // octal
		"http://0x7f000001/hook":              "loopback",   // hex
		"http://0x7f.0.0.1/hook":              "loopback",   // hex part
		"http://0177.0.0.01/hook":             "loopback",   // octal parts
		"http://127.1/hook":                   "loopback",   // two parts
		"http://127.0.1/hook":                 "loopback",   // three parts
		"http://2852039166/latest/meta-data/": "link-local", // 169.254.169.254
		"http://0xa9.0xfe.0xa9.0xfe/":         "link-local",
		"http://0251.0376.0251.0376/":         "link-local",
		"http://[::1]/hook":                   "loopback",
		"http://[::ffff:127.0.0.1]/hook":      "loopback",
		"http://[::ffff:a9fe:a9fe]/":          "link-local",
		"http://[64:ff9b::a9fe:a9fe]/":        "reserved",
		"http://[fd00:ec2::254]/latest/":      "private",
		"http://0/hook":                       "unspecified",
		"http://10.0.0.1./hook":               "private", // a trailing dot
	}
	for u, why := range refused {
		err := webhook.CheckURL(u)
		if err == nil || !strings.Contains(err.Error(), why) {
			t.Errorf("CheckURL(%s) = %v, want it refused for %q", u, err, why)
		}
	}
	for _, u := range []string{"https://hooks.example.com/outreach", "http://8.8.8.8/hook", "https://[2606:4700:4700::1111]/x", "https://0x.example.com/", "https://1.2.3.4.5/", "https://999.1.1.1/"} {
		if err := webhook.CheckURL(u); err != nil {
			t.Errorf("CheckURL(%s) = %v, want it taken (a host name, or a public address)", u, err)
		}
	}
}

// TestClientRefusesInsideAtConnect: a name that resolves to loopback, and
// a loopback address, are refused by the dialer's Control hook, before the
// connection is made: the receiver never sees a request.
func TestClientRefusesInsideAtConnect(t *testing.T) {
	hits := 0
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { hits++ }))
	defer rcv.Close()
	_, port, _ := net.SplitHostPort(rcv.Listener.Addr().String())
	c := webhook.Client(false)
	for _, u := range []string{rcv.URL, "http://localhost:" + port + "/hook"} {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, u, strings.NewReader("{}"))
		resp, err := c.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		if !errors.Is(err, webhook.ErrRefused) {
			t.Errorf("POST %s: %v, want the guard's refusal", u, err)
		}
	}
	if hits != 0 {
		t.Errorf("the loopback receiver got %d requests, want none", hits)
	}
	// Allowed for local development, the same receiver is reached.
	resp, err := webhook.Client(true).Post(rcv.URL, "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if hits != 1 {
		t.Errorf("with private webhooks allowed, the receiver got %d requests, want 1", hits)
	}
}

// TestClientFollowsNoRedirect: a 3xx toward the metadata service is the
// endpoint's answer, not a place to go (no packet leaves loopback).
func TestClientFollowsNoRedirect(t *testing.T) {
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusTemporaryRedirect)
	}))
	defer rcv.Close()
	resp, err := webhook.Client(true).Post(rcv.URL, "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTemporaryRedirect || resp.Request.URL.String() != rcv.URL {
		t.Errorf("the client answered %d from %s, want the 307 itself, from the receiver", resp.StatusCode, resp.Request.URL)
	}
}

func FuzzCheckURL(f *testing.F) {
	for _, s := range []string{"http://2130706433/", "https://a.example/x", "http://[::ffff:127.0.0.1]/", "http://0x7f.1/", "http://1.2.3.4.5.6/", "http://0x/", "://", "http://%zz/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		_ = webhook.CheckURL(raw) // never panics
	})
}
