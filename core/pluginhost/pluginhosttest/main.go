package pluginhosttest

import (
	"flag"
	"fmt"
	"time"

	"github.com/hashicorp/go-plugin"

	"github.com/outreachhq/outreach/sdk"
)

// Handshake faults Main can be asked for by argument: they happen before
// any configuration could be read.
const (
	// FlagProtocol serves another protocol version than the host's.
	FlagProtocol = "-protocol"
	// FlagCookie serves with another magic cookie key, as a plugin of some
	// other product would.
	FlagCookie = "-cookie"
	// FlagGarbage prints a line that is not a handshake.
	FlagGarbage = "-garbage-handshake"
	// FlagPanic panics before serving, with PanicAtStart, as a plugin
	// whose main fails does.
	FlagPanic = "-panic-at-start"
)

// PanicAtStart is the message of the panic FlagPanic asks for.
const PanicAtStart = "fault: injected panic at start"

// Main serves Faulty. Arguments ask for a wrong handshake: -protocol N,
// -cookie KEY, -garbage-handshake or -panic-at-start. It returns the exit
// status.
func Main(args []string) int {
	fs := flag.NewFlagSet("faultplugin", flag.ContinueOnError)
	protocol := fs.Int(FlagProtocol[1:], sdk.ProtocolVersion, "protocol version to serve")
	cookie := fs.String(FlagCookie[1:], sdk.Handshake.MagicCookieKey, "magic cookie key to expect")
	garbage := fs.Bool(FlagGarbage[1:], false, "print garbage instead of a handshake")
	panics := fs.Bool(FlagPanic[1:], false, "panic before serving")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *panics {
		panic(PanicAtStart)
	}
	if *garbage {
		fmt.Println("hello, I am not a plugin")
		// Stay up, as a confused binary would: the host must not wait
		// for it to exit.
		time.Sleep(time.Minute)
		return 0
	}
	log := sdk.Logger()
	f := New(log)
	cfg := sdk.ServeConfig{Plugin: f, Network: f, Sink: f, Logger: log}
	hs := sdk.Handshake
	hs.ProtocolVersion, hs.MagicCookieKey = uint(*protocol), *cookie
	if hs.MagicCookieKey != sdk.Handshake.MagicCookieKey {
		// go-plugin reads the cookie's value from the environment; a plugin
		// of another product expects its own and refuses to start.
		hs.MagicCookieValue = "another-product"
	}
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig:  hs,
		VersionedPlugins: map[int]plugin.PluginSet{*protocol: cfg.PluginSet()},
		GRPCServer:       plugin.DefaultGRPCServer,
		Logger:           log,
	})
	return 0
}
