package pluginhosttest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/go-hclog"

	"github.com/outreachhq/outreach/plugins/jsonl"
	"github.com/outreachhq/outreach/plugins/x"
	"github.com/outreachhq/outreach/sdk"
)

// Modes of a fault: what the plugin does instead of (or after) the call.
const (
	// Panic panics before the call reaches the network.
	Panic = "panic"
	// PanicAfter makes the call, then panics before answering: the effect
	// happened but the host never hears of it.
	PanicAfter = "panic_after"
	// Exit exits the process with status 3 before the call.
	Exit = "exit"
	// Hang never answers (and ignores cancellation).
	Hang = "hang"
	// Garbage answers with a response that cannot be encoded (invalid
	// UTF-8 in a string field), so the call fails in gRPC.
	Garbage = "garbage"
	// Empty answers success with empty values (a DM without ids).
	Empty = "empty"
	// Untyped answers a plain error, not an *sdk.Error.
	Untyped = "untyped"
	// UnknownKind answers an *sdk.Error of a kind this SDK does not know.
	UnknownKind = "unknown_kind"
)

// Fault is one misbehaviour: in call Op ("send_dm", "conversation_events",
// "check_session", "lookup_users", "scrape", "read_dm_events", "emit",
// "configure"), do Mode, the first Times calls (0: every call).
type Fault struct {
	Op    string `json:"op"`
	Mode  string `json:"mode"`
	Times int    `json:"times"`
}

// Config is the plugin's configuration.
type Config struct {
	// BaseURL points the X connector at a simulated X.
	BaseURL string `json:"base_url"`
	// Faults to inject.
	Faults []Fault `json:"faults"`
	// StateDir counts faults across processes: a relaunched plugin knows
	// it already crashed. Needed for Times.
	StateDir string `json:"state_dir"`
	// SinkPath, if set, is a JSON lines file the sink appends to; without
	// it the sink discards events (for benchmarks).
	SinkPath string `json:"sink_path"`
}

// Faulty is a network and sink plugin that misbehaves as configured.
type Faulty struct {
	net  *x.Connector
	sink *jsonl.Sink
	log  hclog.Logger

	mu  sync.Mutex
	cfg Config
}

var (
	_ sdk.Plugin  = (*Faulty)(nil)
	_ sdk.Network = (*Faulty)(nil)
	_ sdk.Sink    = (*Faulty)(nil)
)

// New returns a Faulty that logs to log.
func New(log hclog.Logger) *Faulty {
	return &Faulty{net: x.New(), sink: jsonl.New(), log: log}
}

// EnvProbe is a username that makes LookupUsers answer one user per
// variable of the plugin's environment, named after it.
const EnvProbe = "env_probe"

// Info implements sdk.Plugin.
func (f *Faulty) Info(context.Context) (sdk.Info, error) {
	return sdk.Info{Name: "fault", Version: "1.0.0", Kinds: []string{sdk.KindNetwork, sdk.KindSink}, Capabilities: []string{sdk.CapScrape, sdk.CapDM, sdk.CapDMEvents}}, nil
}

// ConfigSchema implements sdk.Plugin.
func (f *Faulty) ConfigSchema(context.Context) ([]sdk.ConfigField, error) {
	return []sdk.ConfigField{
		{Name: "base_url", Type: "string", Description: "Base URL of the simulated X."},
		{Name: "faults", Type: "string", Description: "Faults to inject: a list of {op, mode, times}."},
		{Name: "state_dir", Type: "string", Description: "Directory counting faults across relaunches."},
		{Name: "sink_path", Type: "string", Description: "JSON lines file the sink appends to; events are discarded without it."},
	}, nil
}

// Configure implements sdk.Plugin.
func (f *Faulty) Configure(ctx context.Context, raw json.RawMessage) error {
	var c Config
	if err := json.Unmarshal(raw, &c); err != nil {
		return sdk.Errorf(sdk.Permanent, "fault: config: %v", err)
	}
	f.mu.Lock()
	f.cfg = c
	f.mu.Unlock()
	if err := f.inject("configure"); err != nil {
		return err
	}
	xcfg, _ := json.Marshal(map[string]string{"base_url": c.BaseURL})
	if err := f.net.Configure(ctx, xcfg); err != nil {
		return err
	}
	if c.SinkPath != "" {
		scfg, _ := json.Marshal(map[string]string{"path": c.SinkPath})
		if err := f.sink.Configure(ctx, scfg); err != nil {
			return err
		}
	}
	f.log.Info("fault plugin configured", "faults", len(c.Faults), "pid", os.Getpid())
	return nil
}

// fault returns the mode to apply to call op now, "" for none, and counts
// it.
func (f *Faulty) fault(op string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, ft := range f.cfg.Faults {
		if ft.Op != op {
			continue
		}
		if ft.Times == 0 || f.cfg.StateDir == "" {
			return ft.Mode
		}
		// One file per injection, created exclusively, so counting survives
		// the crash the fault causes.
		for n := 1; n <= ft.Times; n++ {
			path := filepath.Join(f.cfg.StateDir, fmt.Sprintf("fault-%d-%s-%d", i, op, n))
			if file, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600); err == nil {
				file.Close()
				return ft.Mode
			}
		}
	}
	return ""
}

// inject applies the modes that replace a call entirely, or returns nil
// for the call to go ahead.
func (f *Faulty) inject(op string) error {
	mode := f.fault(op)
	if mode == "" {
		return nil
	}
	f.log.Warn("injecting fault", "op", op, "mode", mode)
	switch mode {
	case Panic:
		panic("fault: injected panic in " + op)
	case Exit:
		os.Exit(3)
	case Hang:
		select {}
	case Untyped:
		return errors.New("fault: injected untyped error in " + op)
	case UnknownKind:
		return &sdk.Error{Kind: "FROM_THE_FUTURE", Message: "fault: injected unknown kind in " + op}
	}
	return errMode{mode}
}

// errMode carries a mode that the call itself applies to its answer.
type errMode struct{ mode string }

func (e errMode) Error() string { return "fault mode " + e.mode }

// answer runs a call under the faults of op.
func answer[T any](f *Faulty, op string, do func() (T, error), garbage, empty T) (T, error) {
	var zero T
	err := f.inject(op)
	var em errMode
	if !errors.As(err, &em) {
		if err != nil {
			return zero, err
		}
		return do()
	}
	switch em.mode {
	case PanicAfter:
		if _, err := do(); err != nil {
			return zero, err
		}
		panic("fault: injected panic after " + op)
	case Garbage:
		return garbage, nil
	case Empty:
		return empty, nil
	}
	return zero, fmt.Errorf("fault: unknown mode %q", em.mode)
}

// invalid is a string protobuf refuses to encode.
const invalid = "\xff\xfe"

// CheckSession implements sdk.Network.
func (f *Faulty) CheckSession(ctx context.Context, s sdk.Session) (sdk.User, error) {
	return answer(f, "check_session", func() (sdk.User, error) { return f.net.CheckSession(ctx, s) }, sdk.User{ID: invalid}, sdk.User{})
}

// LookupUsers implements sdk.Network.
func (f *Faulty) LookupUsers(ctx context.Context, s sdk.Session, usernames []string) ([]sdk.User, error) {
	if len(usernames) == 1 && usernames[0] == EnvProbe {
		var users []sdk.User
		for _, kv := range os.Environ() {
			k, _, _ := strings.Cut(kv, "=")
			users = append(users, sdk.User{ID: k, Username: k})
		}
		sort.Slice(users, func(i, j int) bool { return users[i].ID < users[j].ID })
		return users, nil
	}
	return answer(f, "lookup_users", func() ([]sdk.User, error) { return f.net.LookupUsers(ctx, s, usernames) }, []sdk.User{{ID: invalid}}, nil)
}

// Scrape implements sdk.Network.
func (f *Faulty) Scrape(ctx context.Context, req sdk.ScrapeRequest, emit func(sdk.Page) error) error {
	_, err := answer(f, "scrape", func() (struct{}, error) { return struct{}{}, f.net.Scrape(ctx, req, emit) }, struct{}{}, struct{}{})
	return err
}

// SendDM implements sdk.Network.
func (f *Faulty) SendDM(ctx context.Context, s sdk.Session, recipientID, text string) (sdk.SentDM, error) {
	return answer(f, "send_dm", func() (sdk.SentDM, error) { return f.net.SendDM(ctx, s, recipientID, text) },
		sdk.SentDM{ConversationID: invalid, EventID: invalid}, sdk.SentDM{})
}

// ConversationEvents implements sdk.Network.
func (f *Faulty) ConversationEvents(ctx context.Context, s sdk.Session, participantID string, limit int) ([]sdk.DMEvent, error) {
	return answer(f, "conversation_events", func() ([]sdk.DMEvent, error) { return f.net.ConversationEvents(ctx, s, participantID, limit) },
		[]sdk.DMEvent{{ID: invalid}}, nil)
}

// ReadDMEvents implements sdk.Network.
func (f *Faulty) ReadDMEvents(ctx context.Context, s sdk.Session, cursor string) ([]sdk.DMEvent, string, error) {
	type result struct {
		events []sdk.DMEvent
		cursor string
	}
	r, err := answer(f, "read_dm_events", func() (result, error) {
		events, next, err := f.net.ReadDMEvents(ctx, s, cursor)
		return result{events, next}, err
	}, result{cursor: invalid}, result{})
	return r.events, r.cursor, err
}

// Emit implements sdk.Sink.
func (f *Faulty) Emit(ctx context.Context, events []sdk.Event) error {
	f.mu.Lock()
	path := f.cfg.SinkPath
	f.mu.Unlock()
	_, err := answer(f, "emit", func() (struct{}, error) {
		if path == "" {
			return struct{}{}, nil
		}
		return struct{}{}, f.sink.Emit(ctx, events)
	}, struct{}{}, struct{}{})
	return err
}
