// Package proxytest runs proxies on loopback for tests: an HTTP proxy
// (CONNECT tunnels and absolute-form forwarding) and a SOCKS5 proxy (RFC
// 1928, with RFC 1929 username/password authentication). Both demand
// credentials and record what they carried, so that a test can show which
// account's traffic went through which proxy.
//
// It is a test double, not a proxy to run: it dials targets only through
// sdk.GuardDialer and forwards one connection per goroutine pair.
package proxytest
