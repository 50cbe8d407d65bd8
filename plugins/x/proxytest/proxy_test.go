package proxytest_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/outreachhq/outreach/plugins/x/proxytest"
)

func client(t *testing.T, proxy string) *http.Client {
	t.Helper()
	u, err := url.Parse(proxy)
	if err != nil {
		t.Fatal(err)
	}
	tr := &http.Transport{Proxy: http.ProxyURL(u)}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

func TestProxiesCarryAuthenticatedRequests(t *testing.T) {
	var seenFrom []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seenFrom = append(seenFrom, r.RemoteAddr)
		_, _ = io.WriteString(w, "hello "+r.URL.Path)
	}))
	t.Cleanup(srv.Close)
	tls := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "secure "+r.URL.Path)
	}))
	t.Cleanup(tls.Close)

	for _, p := range []*proxytest.Proxy{proxytest.NewHTTP(t, "ann", "s3cret"), proxytest.NewSOCKS5(t, "bob", "hunter2")} {
		t.Run(p.URL()[:strings.Index(p.URL(), ":")], func(t *testing.T) {
			c := client(t, p.URL())
			for _, path := range []string{"/one", "/two"} {
				resp, err := c.Get(srv.URL + path)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if string(body) != "hello "+path {
					t.Errorf("GET %s through the proxy: %q", path, body)
				}
			}
			tc := client(t, p.URL())
			tc.Transport.(*http.Transport).TLSClientConfig = tls.Client().Transport.(*http.Transport).TLSClientConfig
			resp, err := tc.Get(tls.URL + "/tls")
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if string(body) != "secure /tls" {
				t.Errorf("GET https through the proxy: %q", body)
			}
			recs := p.Records()
			if len(recs) == 0 {
				t.Fatal("the proxy recorded nothing")
			}
			for _, r := range recs {
				if r.User == "" || (r.Target != srv.Listener.Addr().String() && r.Target != tls.Listener.Addr().String()) {
					t.Errorf("record %+v: want the user and one of the servers as target", r)
				}
			}
			if strings.HasPrefix(p.URL(), "http:") {
				if got := recs[0].RequestLine; got != "GET "+srv.URL+"/one HTTP/1.1" {
					t.Errorf("first request line %q", got)
				}
			}
			if from := recs[0].From; from != seenFrom[len(seenFrom)-2] {
				t.Errorf("proxy dialed from %s, the server saw %v", from, seenFrom)
			}

			bad := client(t, p.URLWithPassword("wrong"))
			resp, err = bad.Get(srv.URL + "/nope")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode != http.StatusProxyAuthRequired {
					t.Errorf("wrong password: %s; want 407 or an error", resp.Status)
				}
			}
		})
	}
}
