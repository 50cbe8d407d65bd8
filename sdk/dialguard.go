package sdk

import (
	"fmt"
	"net"
	"net/netip"
	"os"
	"syscall"
)

// EnvLoopbackOnly is the environment variable that, set to "1", makes
// every dialer built by GuardDialer refuse addresses off this machine. Tests
// and CI set it so that nothing they start (the host and the plugin
// processes it launches, which the host passes it to) can reach the
// internet by mistake.
const EnvLoopbackOnly = "OUTREACH_LOOPBACK_ONLY"

// LoopbackOnly reports whether EnvLoopbackOnly is set to "1".
func LoopbackOnly() bool { return os.Getenv(EnvLoopbackOnly) == "1" }

// GuardDialer returns d, or a new net.Dialer when d is nil, that refuses
// every dial to an address that is not loopback while LoopbackOnly holds.
// The check runs on the resolved address before the socket connects, so a
// refused dial sends no packet. Any Control d already has still runs after
// the check.
func GuardDialer(d *net.Dialer) *net.Dialer {
	if d == nil {
		d = &net.Dialer{}
	}
	next := d.Control
	d.Control = func(network, address string, c syscall.RawConn) error {
		if err := CheckLoopback(network, address); err != nil {
			return err
		}
		if next != nil {
			return next(network, address, c)
		}
		return nil
	}
	return d
}

// CheckLoopback returns an error when LoopbackOnly holds and address (a
// resolved host:port, as a dialer's Control sees it) is not a loopback
// address.
func CheckLoopback(network, address string) error {
	if !LoopbackOnly() {
		return nil
	}
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		host = address
	}
	ip, err := netip.ParseAddr(host)
	if err == nil && ip.Unmap().IsLoopback() {
		return nil
	}
	return fmt.Errorf("dial %s %s refused: %s=1 allows only loopback addresses", network, address, EnvLoopbackOnly)
}
