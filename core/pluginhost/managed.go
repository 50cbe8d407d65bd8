package pluginhost

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/outreachhq/outreach/sdk"
)

// managed supervises one plugin: it launches the process on demand,
// notices when it crashed or hung, and relaunches it with backoff.
type managed struct {
	name   string
	src    Source
	config json.RawMessage
	host   *Host

	// mu guards the fields below and is held during a launch, so callers
	// that arrive meanwhile wait for the one launch instead of starting
	// their own.
	mu   sync.Mutex
	proc *process // nil when no process is running
	info sdk.Info // from the latest launch; zero before the first
	// crashes counts crashes and failed launches since the last answer;
	// it sets the backoff before the next launch.
	crashes    int
	nextLaunch time.Time
	lastErr    error
	// hung counts calls in a row that missed their deadline.
	hung   int
	closed bool
	// closing is closed by close, to wake callers waiting out a backoff.
	closing chan struct{}
}

// acquire returns the running process, launching it first if needed. While
// the plugin is crash-looping, a launch waits out the backoff if the wait
// fits both the call deadline and ctx; otherwise acquire fails at once.
// Either way no call was made, so its errors are typed Retryable ("did not
// take effect"): the engine reschedules the job rather than treating a
// send that never started as in doubt. They do not name the plugin;
// callers add it.
func (m *managed) acquire(ctx context.Context) (*process, error) {
	p, err := m.acquireOrWait(ctx)
	if err != nil {
		return nil, notSent{err}
	}
	return p, nil
}

// notSent is the error of a call that never reached the plugin: it reads
// as its cause and is typed Retryable for sdk.KindOf.
type notSent struct{ err error }

// retryable is what makes notSent typed.
var retryable = &sdk.Error{Kind: sdk.Retryable, Message: "the call did not reach the plugin"}

func (e notSent) Error() string   { return e.err.Error() }
func (e notSent) Unwrap() []error { return []error{retryable, e.err} }

func (m *managed) acquireOrWait(ctx context.Context) (*process, error) {
	for {
		m.mu.Lock()
		if m.closed {
			m.mu.Unlock()
			return nil, ErrClosed
		}
		if m.proc != nil && m.proc.client.Exited() {
			m.dead(m.proc, errors.New("the plugin process exited"))
		}
		if p := m.proc; p != nil {
			m.mu.Unlock()
			return p, nil
		}
		wait := time.Until(m.nextLaunch)
		if wait <= 0 {
			defer m.mu.Unlock()
			return m.launchLocked()
		}
		crashes, lastErr, closing := m.crashes, m.lastErr, m.closing
		m.mu.Unlock()
		dl, hasDeadline := ctx.Deadline()
		if wait > m.host.opts.CallTimeout || (hasDeadline && time.Until(dl) < wait) {
			return nil, fmt.Errorf("waiting %s to relaunch after %d failures in a row (last: %v)",
				wait.Round(time.Millisecond), crashes, lastErr)
		}
		// The lock is released while waiting, so Close is not held up.
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-closing:
			t.Stop()
			return nil, ErrClosed
		case <-t.C:
		}
	}
}

// launchLocked launches the plugin and records the outcome. m.mu is held.
func (m *managed) launchLocked() (*process, error) {
	if m.crashes > 0 {
		m.host.opts.Logger.Warn("relaunching plugin", "plugin", m.name, "failures", m.crashes, "last_error", fmt.Sprint(m.lastErr))
		if m.host.opts.OnRestart != nil {
			m.host.opts.OnRestart(m.name)
		}
	}
	p, err := m.launch()
	if err != nil {
		m.failed(err)
		return nil, err
	}
	m.proc, m.info = p, p.info
	return p, nil
}

// infoOrLaunch returns the plugin's info, launching it if it never was.
func (m *managed) infoOrLaunch() (sdk.Info, error) {
	m.mu.Lock()
	info := m.info
	m.mu.Unlock()
	if len(info.Kinds) > 0 {
		return info, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), m.host.opts.StartTimeout+m.host.opts.CallTimeout)
	defer cancel()
	p, err := m.acquire(ctx)
	if err != nil {
		return sdk.Info{}, fmt.Errorf("plugin %q: %w", m.name, err)
	}
	return p.info, nil
}

// failed records a crash or failed launch and schedules the next launch.
// m.mu is held.
func (m *managed) failed(err error) {
	m.crashes++
	m.lastErr = err
	m.nextLaunch = time.Now().Add(m.backoff(m.crashes))
}

// backoff is the wait before the launch that follows failure number n (in
// a row): none after the first, so a single crash costs one relaunch and no
// wait, then RestartBackoff doubling up to MaxRestartBackoff.
func (m *managed) backoff(n int) time.Duration {
	if n <= 1 {
		return 0
	}
	o := m.host.opts
	d := o.RestartBackoff << min(n-2, 20)
	return min(d, o.MaxRestartBackoff)
}

// dead kills p, if it is still the current process, and counts a crash.
// m.mu is held.
func (m *managed) dead(p *process, cause error) {
	if m.proc != p {
		return // already handled by another caller
	}
	m.proc = nil
	m.hung = 0
	m.failed(cause)
	p.kill(false)
	// Killed, the process has had its last word: a panic shows here even
	// when the host logs only warnings and errors.
	args := []any{"plugin", m.name, "pid", p.pid, "error", cause.Error()}
	if last := p.stderr.report(); last != "" {
		args = append(args, "stderr", last)
	}
	m.host.opts.Logger.Error("plugin failed; it will be relaunched", args...)
}

// answered notes that p answered a call: the plugin works, so the crash
// and hang counts start over.
func (m *managed) answered(p *process) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.proc == p {
		m.crashes, m.hung, m.lastErr = 0, 0, nil
	}
}

// pingTimeout bounds the health check after a missed deadline. It is not
// the call timeout: a busy machine must not make a healthy plugin look hung.
const pingTimeout = 2 * time.Second

// missedDeadline notes a call of p that got no answer in time. The plugin
// is killed if it does not answer a health check either (it is hung, not
// busy) or if this is the HangLimit-th miss in a row.
func (m *managed) missedDeadline(p *process) {
	pingErr := p.ping(pingTimeout)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.proc != p {
		return
	}
	m.hung++
	switch {
	case pingErr != nil:
		m.dead(p, fmt.Errorf("missed a call deadline and does not answer health checks: %v", pingErr))
	case m.hung >= m.host.opts.HangLimit:
		m.dead(p, fmt.Errorf("missed %d call deadlines in a row", m.hung))
	}
}

// crashed handles an error that may mean p's process is gone: gRPC's
// Unavailable (the connection broke: go-plugin's answer to a plugin that
// panicked or exited mid-call) or an exited process. It reports whether it
// was a crash.
func (m *managed) crashed(p *process, err error) bool {
	if status.Code(err) != codes.Unavailable && !p.client.Exited() {
		return false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.dead(p, err)
	return true
}

func (m *managed) close() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.closed {
		close(m.closing)
	}
	m.closed = true
	if m.proc != nil {
		m.proc.kill(true)
		m.proc = nil
	}
}

// errIdle cancels a stream that waited a whole CallTimeout for a message.
var errIdle = errors.New("no message within the call deadline")

// errCrashed marks the error of a call during which the plugin crashed.
var errCrashed = errors.New("the plugin crashed during the call and will be relaunched")

// call runs one unary call on the current process with the host's deadline
// and turns what went wrong into an error that names the plugin and keeps
// the plugin's *sdk.Error reachable. idempotent calls (reads) are tried
// once more on a fresh process after a crash; calls with effects never are:
// a crash mid-call leaves their outcome in doubt, for the caller to settle.
func call[T any](m *managed, ctx context.Context, op string, idempotent bool, f func(context.Context, *process) (T, error)) (T, error) {
	return invoke(m, ctx, op, idempotent, true, f)
}

// invoke is call; without deadline, f bounds itself and reports a missed
// deadline with errIdle (streams, whose deadline is per message).
func invoke[T any](m *managed, ctx context.Context, op string, idempotent, deadline bool, f func(context.Context, *process) (T, error)) (T, error) {
	var zero T
	for attempt := 1; ; attempt++ {
		p, err := m.acquire(ctx)
		if err != nil {
			return zero, m.wrap(op, err)
		}
		cctx, cancel := ctx, context.CancelFunc(func() {})
		if deadline {
			cctx, cancel = context.WithTimeout(ctx, m.host.opts.CallTimeout)
		}
		v, err := f(cctx, p)
		// The server side of gRPC enforces the deadline too, so its
		// DeadlineExceeded can arrive a moment before cctx's own.
		timedOut := errors.Is(cctx.Err(), context.DeadlineExceeded) || status.Code(err) == codes.DeadlineExceeded || errors.Is(err, errIdle)
		cancel()
		if err == nil || sdk.KindOf(err) != "" {
			m.answered(p)
			if err != nil {
				return zero, m.wrap(op, err)
			}
			return v, nil
		}
		switch {
		case errors.Is(ctx.Err(), context.Canceled):
			return zero, m.wrap(op, err)
		case timedOut:
			m.missedDeadline(p)
			return zero, fmt.Errorf("plugin %q: %s: no answer within %s: %w", m.name, op, m.host.opts.CallTimeout, err)
		case m.crashed(p, err):
			if idempotent && attempt == 1 {
				continue
			}
			return zero, fmt.Errorf("plugin %q: %s: %w: %w", m.name, op, errCrashed, err)
		}
		// The plugin answered, but not with a typed error: a plain error,
		// or a response gRPC could not decode.
		m.answered(p)
		return zero, m.wrap(op, err)
	}
}

func (m *managed) wrap(op string, err error) error {
	// %w keeps *sdk.Error reachable for sdk.KindOf.
	return fmt.Errorf("plugin %q: %s: %w", m.name, op, err)
}
