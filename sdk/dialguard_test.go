package sdk_test

import (
	"context"
	"net"
	"strings"
	"testing"

	"github.com/outreachhq/outreach/sdk"
)

func TestGuardDialerRefusesNonLoopback(t *testing.T) {
	t.Setenv(sdk.EnvLoopbackOnly, "1")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			_ = c.Close()
		}
	}()
	d := sdk.GuardDialer(nil)
	conn, err := d.DialContext(context.Background(), "tcp", ln.Addr().String())
	if err != nil {
		t.Fatalf("dial loopback %s: %v", ln.Addr(), err)
	}
	_ = conn.Close()

	// 192.0.2.1 is TEST-NET-1: nothing answers there, and the guard must
	// refuse before trying.
	for _, addr := range []string{"192.0.2.1:443", "[2001:db8::1]:443"} {
		_, err := d.DialContext(context.Background(), "tcp", addr)
		if err == nil || !strings.Contains(err.Error(), "allows only loopback") {
			t.Errorf("dial %s: %v; want a refusal that says only loopback is allowed", addr, err)
		}
	}
}

func TestGuardDialerIsOpenWithoutTheVariable(t *testing.T) {
	t.Setenv(sdk.EnvLoopbackOnly, "")
	if err := sdk.CheckLoopback("tcp", "192.0.2.1:443"); err != nil {
		t.Errorf("without %s: %v; want no refusal", sdk.EnvLoopbackOnly, err)
	}
}
