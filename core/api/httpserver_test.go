package api

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// serveLimited serves an echo of the request body, under limits, on a
// loopback listener, and returns its address.
func serveLimited(t *testing.T, limits ServerLimits) string {
	t.Helper()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusRequestTimeout)
			return
		}
		_, _ = w.Write(b)
	})
	srv := NewHTTPServer(h, limits)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		_ = srv.Close()
		<-done
	})
	return ln.Addr().String()
}

// readUntilClosed reads conn until the server closes it, and fails t if
// that takes longer than within: the server, not the client, must end it.
func readUntilClosed(t *testing.T, conn net.Conn, within time.Duration) string {
	t.Helper()
	if err := conn.SetReadDeadline(time.Now().Add(within)); err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(conn)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("the server kept the connection open for %s; read so far %q", within, b)
	}
	return string(b)
}

// TestSlowBodyCutOff: a client that sends its headers and then trickles
// its body is cut off when the read timeout runs out.
func TestSlowBodyCutOff(t *testing.T) {
	addr := serveLimited(t, ServerLimits{ReadTimeout: 300 * time.Millisecond, WriteTimeout: time.Second})
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nfirst bytes"); err != nil {
		t.Fatal(err)
	}
	got := readUntilClosed(t, conn, 10*time.Second)
	if strings.Contains(got, "first bytes") {
		t.Errorf("the server answered a request whose body never came: %q", got)
	}
}

// TestIdleConnectionCutOff: a connection that sends nothing is closed once
// the header timeout runs out, and one kept alive after a request once the
// idle timeout does.
func TestIdleConnectionCutOff(t *testing.T) {
	addr := serveLimited(t, ServerLimits{ReadHeaderTimeout: 200 * time.Millisecond, IdleTimeout: 200 * time.Millisecond})
	silent, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	readUntilClosed(t, silent, 10*time.Second)

	kept, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer kept.Close()
	if _, err := io.WriteString(kept, "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(kept), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || string(body) != "hi" {
		t.Fatalf("answer %d %q, want 200 hi", resp.StatusCode, body)
	}
	readUntilClosed(t, kept, 10*time.Second)
}

// TestOversizedHeadersRefused: headers over MaxHeaderBytes get 431.
func TestOversizedHeadersRefused(t *testing.T) {
	addr := serveLimited(t, ServerLimits{MaxHeaderBytes: 1 << 10})
	req, err := http.NewRequest(http.MethodGet, "http://"+addr+"/x", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Big", strings.Repeat("a", 64<<10))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("status %d, want 431", resp.StatusCode)
	}
}

// TestDefaultServerLimits: serve's limits outlast dm/send's 30 s wait.
func TestDefaultServerLimits(t *testing.T) {
	srv := NewHTTPServer(http.NotFoundHandler(), ServerLimits{})
	if srv.WriteTimeout <= 30*time.Second || srv.ReadTimeout <= 0 || srv.ReadHeaderTimeout <= 0 || srv.IdleTimeout <= 0 || srv.MaxHeaderBytes <= 0 {
		t.Errorf("limits %+v", srv)
	}
}
