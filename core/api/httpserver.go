package api

import (
	"net/http"
	"time"
)

// ServerLimits bound what one client can hold of the server: how long it
// may take to send a request, how long a response may take, how long an
// idle connection stays open, and how large its headers may be. A client
// that sends a body slowly, or opens connections and sends nothing, is cut
// off when they run out, so it holds a goroutine for a bounded time only.
type ServerLimits struct {
	// ReadHeaderTimeout bounds reading a request's headers.
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds reading a whole request, body included.
	ReadTimeout time.Duration
	// WriteTimeout bounds a request from the end of its headers to the end
	// of its response. It must outlast the slowest operation: dm/send waits
	// up to 30 s for X.
	WriteTimeout time.Duration
	// IdleTimeout bounds how long a keep-alive connection waits for its
	// next request.
	IdleTimeout time.Duration
	// MaxHeaderBytes bounds a request's headers (and its request line).
	MaxHeaderBytes int
}

// DefaultServerLimits are the limits `outreach serve` applies.
var DefaultServerLimits = ServerLimits{
	ReadHeaderTimeout: 10 * time.Second,
	ReadTimeout:       30 * time.Second,
	WriteTimeout:      60 * time.Second,
	IdleTimeout:       120 * time.Second,
	MaxHeaderBytes:    64 << 10,
}

// NewHTTPServer returns an http.Server for handler with limits; a zero
// field of limits takes DefaultServerLimits' value.
func NewHTTPServer(handler http.Handler, limits ServerLimits) *http.Server {
	d := DefaultServerLimits
	pick := func(v, def time.Duration) time.Duration {
		if v > 0 {
			return v
		}
		return def
	}
	maxHeader := limits.MaxHeaderBytes
	if maxHeader <= 0 {
		maxHeader = d.MaxHeaderBytes
	}
	return &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: pick(limits.ReadHeaderTimeout, d.ReadHeaderTimeout),
		ReadTimeout:       pick(limits.ReadTimeout, d.ReadTimeout),
		WriteTimeout:      pick(limits.WriteTimeout, d.WriteTimeout),
		IdleTimeout:       pick(limits.IdleTimeout, d.IdleTimeout),
		MaxHeaderBytes:    maxHeader,
	}
}
