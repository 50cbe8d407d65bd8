package engine

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/clock"
	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
	"github.com/outreachhq/outreach/core/store/teststore"
	"github.com/outreachhq/outreach/sdk"
)

// fakeNetwork is an sdk.Network made of function fields (the Nomad way):
// newHarness fills each with the tiny in-memory X below, and a test
// replaces or wraps the ones it wants to misbehave.
type fakeNetwork struct {
	// mu serializes the calls, as the fake X and the tests' wrappers are
	// not safe for concurrent use while the engine's workers are.
	mu                  sync.Mutex
	CheckSessionF       func(ctx context.Context, s sdk.Session) (sdk.User, error)
	LookupUsersF        func(ctx context.Context, s sdk.Session, usernames []string) ([]sdk.User, error)
	ScrapeF             func(ctx context.Context, req sdk.ScrapeRequest, emit func(sdk.Page) error) error
	SendDMF             func(ctx context.Context, s sdk.Session, recipientID, text string) (sdk.SentDM, error)
	ConversationEventsF func(ctx context.Context, s sdk.Session, participantID string, limit int) ([]sdk.DMEvent, error)
	ReadDMEventsF       func(ctx context.Context, s sdk.Session, cursor string) ([]sdk.DMEvent, string, error)
	PostTweetF          func(ctx context.Context, s sdk.Session, text string) (sdk.Post, error)
	UserPostsF          func(ctx context.Context, s sdk.Session, userID string, limit int) ([]sdk.Post, error)
	FollowF             func(ctx context.Context, s sdk.Session, userID string) (bool, error)
	LikeF               func(ctx context.Context, s sdk.Session, postID string) error
	CommentF            func(ctx context.Context, s sdk.Session, postID, text string) (sdk.Post, error)
}

var (
	_ sdk.Network    = (*fakeNetwork)(nil)
	_ sdk.Engagement = (*fakeNetwork)(nil)
)

// Like a gRPC client, every method fails at once on a finished context.
// Calls run one at a time (mu).

func (n *fakeNetwork) CheckSession(ctx context.Context, s sdk.Session) (sdk.User, error) {
	if err := ctx.Err(); err != nil {
		return sdk.User{}, err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.CheckSessionF(ctx, s)
}

func (n *fakeNetwork) LookupUsers(ctx context.Context, s sdk.Session, usernames []string) ([]sdk.User, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.LookupUsersF(ctx, s, usernames)
}

func (n *fakeNetwork) Scrape(ctx context.Context, req sdk.ScrapeRequest, emit func(sdk.Page) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	// emit commits to the store: the lock is let go while it runs.
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.ScrapeF(ctx, req, func(p sdk.Page) error {
		n.mu.Unlock()
		defer n.mu.Lock()
		return emit(p)
	})
}

func (n *fakeNetwork) SendDM(ctx context.Context, s sdk.Session, recipientID, text string) (sdk.SentDM, error) {
	if err := ctx.Err(); err != nil {
		return sdk.SentDM{}, err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.SendDMF(ctx, s, recipientID, text)
}

func (n *fakeNetwork) ConversationEvents(ctx context.Context, s sdk.Session, participantID string, limit int) ([]sdk.DMEvent, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.ConversationEventsF(ctx, s, participantID, limit)
}

func (n *fakeNetwork) ReadDMEvents(ctx context.Context, s sdk.Session, cursor string) ([]sdk.DMEvent, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.ReadDMEventsF(ctx, s, cursor)
}

func (n *fakeNetwork) PostTweet(ctx context.Context, s sdk.Session, text string) (sdk.Post, error) {
	if err := ctx.Err(); err != nil {
		return sdk.Post{}, err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.PostTweetF(ctx, s, text)
}

func (n *fakeNetwork) UserPosts(ctx context.Context, s sdk.Session, userID string, limit int) ([]sdk.Post, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.UserPostsF(ctx, s, userID, limit)
}

func (n *fakeNetwork) Follow(ctx context.Context, s sdk.Session, userID string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.FollowF(ctx, s, userID)
}

func (n *fakeNetwork) Like(ctx context.Context, s sdk.Session, postID string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.LikeF(ctx, s, postID)
}

func (n *fakeNetwork) Comment(ctx context.Context, s sdk.Session, postID, text string) (sdk.Post, error) {
	if err := ctx.Err(); err != nil {
		return sdk.Post{}, err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.CommentF(ctx, s, postID, text)
}

// fakeX is a tiny X: users, who follows whom, and every DM ever sent, with
// increasing event ids. Its network's calls run one at a time.
type fakeX struct {
	clk      clock.Clock
	users    map[string]sdk.User // by id
	byName   map[string]string   // username -> id
	follower map[string][]string // user id -> follower ids, in order
	events   []sdk.DMEvent       // oldest first
	posts    []sdk.Post          // every tweet and comment, oldest first
	// protected are the user ids whose follows are requests; follows and
	// likes what the accounts did, by (account user id, target id).
	protected map[string]bool
	follows   map[[2]string]bool // -> pending request
	likes     map[[2]string]bool
	// pageSize is how many users a scrape page holds.
	pageSize int
	// sendCalls records when SendDM was called, by sender handle.
	sendCalls []sendCall
	// effects records every write that reached X (DMs, follows, likes,
	// comments), in order.
	effects []effect
}

// effect is one write on X: what it was ("dm", "follow", "like",
// "comment"), by which handle, on which user or post.
type effect struct {
	Kind, Handle, Target string
}

type sendCall struct {
	At     time.Time
	Handle string
	To     string
	Text   string
}

func newFakeX(clk clock.Clock) *fakeX {
	return &fakeX{
		clk: clk, users: map[string]sdk.User{}, byName: map[string]string{}, follower: map[string][]string{}, pageSize: 3,
		protected: map[string]bool{}, follows: map[[2]string]bool{}, likes: map[[2]string]bool{},
	}
}

// addUser creates a user; ids are numbers, as on X.
func (x *fakeX) addUser(username, name string, followers int64) sdk.User {
	u := sdk.User{ID: strconv.Itoa(1000 + len(x.users)), Username: username, Name: name, FollowersCount: followers}
	x.users[u.ID], x.byName[username] = u, u.ID
	return u
}

// convID forms a one-to-one conversation id as X does.
func convID(a, b string) string { return store.ConversationID(a, b) }

// deliver puts a DM on X, as if sent now.
func (x *fakeX) deliver(from, to, text string) sdk.DMEvent {
	ev := sdk.DMEvent{
		ID: fmt.Sprintf("%08d", len(x.events)+1), ConversationID: convID(from, to), SenderID: from,
		Text: text, CreatedAt: x.clk.Now(), EventType: "MessageCreate",
	}
	x.events = append(x.events, ev)
	return ev
}

// post puts a tweet on X, as if posted now.
func (x *fakeX) post(authorID, text string) sdk.Post {
	p := sdk.Post{ID: fmt.Sprintf("p%07d", len(x.posts)+1), AuthorID: authorID, Text: text, CreatedAt: x.clk.Now()}
	x.posts = append(x.posts, p)
	return p
}

// comment puts a reply to postID on X from the session's account, as if
// posted now.
func (x *fakeX) comment(s sdk.Session, postID, text string) sdk.Post {
	p := x.post(s.UserID, text)
	p.InReplyToID = postID
	x.posts[len(x.posts)-1] = p
	x.effects = append(x.effects, effect{"comment", s.Handle, postID})
	return p
}

// dmsTo returns the texts X holds from anyone to user id to.
func (x *fakeX) dmsTo(to string) []string {
	var out []string
	for _, ev := range x.events {
		if ev.SenderID != to && strings.Contains(ev.ConversationID, to) {
			out = append(out, ev.Text)
		}
	}
	return out
}

// firstDMsTo counts the campaign first DMs X holds for user id to: the
// test variants' first messages start with "V".
func (x *fakeX) firstDMsTo(to string) int {
	n := 0
	for _, t := range x.dmsTo(to) {
		if strings.HasPrefix(t, "V") {
			n++
		}
	}
	return n
}

// network returns a fakeNetwork served by this X.
func (x *fakeX) network() *fakeNetwork {
	return &fakeNetwork{
		CheckSessionF: func(_ context.Context, s sdk.Session) (sdk.User, error) {
			id, ok := x.byName[s.Handle]
			if !ok {
				return sdk.User{}, sdk.Errorf(sdk.SessionExpired, "no such account @%s", s.Handle)
			}
			return x.users[id], nil
		},
		LookupUsersF: func(_ context.Context, _ sdk.Session, names []string) ([]sdk.User, error) {
			var out []sdk.User
			for _, n := range names {
				if id, ok := x.byName[n]; ok {
					out = append(out, x.users[id])
				}
			}
			return out, nil
		},
		ScrapeF: func(ctx context.Context, req sdk.ScrapeRequest, emit func(sdk.Page) error) error {
			all := x.follower[req.UserID]
			from := 0
			if req.Cursor != "" {
				var err error
				if from, err = strconv.Atoi(req.Cursor); err != nil {
					return sdk.Errorf(sdk.Permanent, "bad cursor %q", req.Cursor)
				}
			}
			for {
				end := min(from+x.pageSize, len(all))
				p := sdk.Page{}
				for _, id := range all[from:end] {
					p.Users = append(p.Users, x.users[id])
				}
				if end < len(all) {
					p.NextCursor = strconv.Itoa(end)
				}
				if err := emit(p); err != nil {
					return err
				}
				if p.NextCursor == "" {
					return nil
				}
				from = end
			}
		},
		SendDMF: func(_ context.Context, s sdk.Session, to, text string) (sdk.SentDM, error) {
			x.sendCalls = append(x.sendCalls, sendCall{At: x.clk.Now(), Handle: s.Handle, To: to, Text: text})
			if _, ok := x.users[to]; !ok {
				return sdk.SentDM{}, sdk.Errorf(sdk.NotFound, "user %s does not exist", to)
			}
			ev := x.deliver(s.UserID, to, text)
			x.effects = append(x.effects, effect{"dm", s.Handle, to})
			return sdk.SentDM{ConversationID: ev.ConversationID, EventID: ev.ID}, nil
		},
		ConversationEventsF: func(_ context.Context, s sdk.Session, with string, limit int) ([]sdk.DMEvent, error) {
			id := convID(s.UserID, with)
			var out []sdk.DMEvent
			for _, ev := range slices.Backward(x.events) {
				if ev.ConversationID == id && len(out) < limit {
					out = append(out, ev)
				}
			}
			return out, nil
		},
		PostTweetF: func(_ context.Context, s sdk.Session, text string) (sdk.Post, error) {
			return x.post(s.UserID, text), nil
		},
		FollowF: func(_ context.Context, s sdk.Session, userID string) (bool, error) {
			if _, ok := x.users[userID]; !ok {
				return false, sdk.Errorf(sdk.NotFound, "user %s does not exist", userID)
			}
			x.follows[[2]string{s.UserID, userID}] = x.protected[userID]
			x.effects = append(x.effects, effect{"follow", s.Handle, userID})
			return x.protected[userID], nil
		},
		LikeF: func(_ context.Context, s sdk.Session, postID string) error {
			x.likes[[2]string{s.UserID, postID}] = true
			x.effects = append(x.effects, effect{"like", s.Handle, postID})
			return nil
		},
		CommentF: func(_ context.Context, s sdk.Session, postID, text string) (sdk.Post, error) {
			return x.comment(s, postID, text), nil
		},
		UserPostsF: func(_ context.Context, _ sdk.Session, userID string, limit int) ([]sdk.Post, error) {
			var out []sdk.Post
			for _, p := range slices.Backward(x.posts) {
				if p.AuthorID == userID && len(out) < limit {
					out = append(out, p)
				}
			}
			return out, nil
		},
		ReadDMEventsF: func(_ context.Context, s sdk.Session, cursor string) ([]sdk.DMEvent, string, error) {
			var out []sdk.DMEvent
			next := cursor
			for _, ev := range x.events {
				if ev.ID > cursor && strings.Contains(ev.ConversationID, s.UserID) {
					out = append(out, ev)
					next = ev.ID
				}
			}
			return out, next, nil
		},
	}
}

// The harness: a real store (buntdb in a temp dir, or a Postgres
// database: teststore picks), a virtual clock, a seeded random source and
// the fake X.

const ws = "w"

// t0 is a Monday morning, well inside a UTC day.
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

type harness struct {
	t     testing.TB
	place *teststore.Place
	st    teststore.Store
	clk   *clock.Virtual
	x     *fakeX
	net   *fakeNetwork
	// poll is the engines' PollInterval.
	poll time.Duration
	// simulated is the engines' Simulated: accounts run on the simulated X.
	simulated bool
	// rerun makes the engines' store run each Update's fn twice, as a
	// store that retries transactions may.
	rerun bool
	// seen is every event the engines observed.
	mu   sync.Mutex
	seen []Event
	// onEvent, if set, is called with each event as it is observed.
	onEvent func(Event)
	// ai is the engines' AI option: nil, no classifier.
	ai func(context.Context) (sdk.AI, error)
	n  int // objects created, to order them
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	h := &harness{t: t, place: teststore.New(t), clk: clock.NewVirtual(t0), poll: time.Minute}
	h.x = newFakeX(h.clk)
	h.net = h.x.network()
	h.open()
	t.Cleanup(func() { h.st.Close() })
	h.update(func(tx storetest.Tx) error { return tx.PutWorkspace(ws) })
	return h
}

func (h *harness) open() {
	h.t.Helper()
	h.st = h.place.Open(h.t, "engine test")
}

// db is the store as the engine sees it.
func (h *harness) db() store.Transactor[Tx] {
	if h.rerun {
		return store.Narrow(rerunning{h.st}, func(tx storetest.Tx) Tx { return tx })
	}
	return store.Narrow(h.st, func(tx storetest.Tx) Tx { return tx })
}

// engine returns a new engine over the harness's store and X.
func (h *harness) engine() *Engine {
	return New(Options{
		Store:   h.db(),
		Network: func(string) (sdk.Network, error) { return h.net, nil },
		Session: func(_ context.Context, a store.Account) (sdk.Session, error) {
			return sdk.Session{AccountID: a.ID, Handle: a.Handle, UserID: a.XUserID}, nil
		},
		AI:           h.ai,
		Clock:        h.clk,
		Rand:         rand.New(rand.NewPCG(7, 11)),
		PollInterval: h.poll,
		Simulated:    h.simulated,
		Observe: func(ev Event) {
			h.mu.Lock()
			h.seen = append(h.seen, ev)
			on := h.onEvent
			h.mu.Unlock()
			if on != nil {
				on(ev)
			}
		},
	})
}

// restart simulates a new process: the store is closed and reopened, and
// a new engine recovers before running anything. Reopening buntdb voids
// every lease; on Postgres, leases the old process left stay live until
// they expire, as another process's would.
func (h *harness) restart() *Engine {
	h.t.Helper()
	if err := h.st.Close(); err != nil {
		h.t.Fatal(err)
	}
	h.open()
	e := h.engine()
	if err := e.Recover(context.Background()); err != nil {
		h.t.Fatalf("Recover: %v", err)
	}
	return e
}

func (h *harness) update(fn func(storetest.Tx) error) {
	h.t.Helper()
	if err := h.st.Update(context.Background(), fn); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) view(fn func(storetest.Tx) error) {
	h.t.Helper()
	if err := h.st.View(context.Background(), fn); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) seq() time.Duration { h.n++; return time.Duration(h.n) }

// account creates an account and its user on X.
func (h *harness) account(handle string, mod ...func(*store.Account)) store.Account {
	h.t.Helper()
	h.x.addUser(handle, "Account "+handle, 10)
	a := store.Account{ID: "acct-" + handle, Workspace: ws, Address: "account." + handle, Handle: handle, Network: "x", CreatedAt: t0.Add(h.seq())}
	for _, m := range mod {
		m(&a)
	}
	h.update(func(tx storetest.Tx) error { return tx.PutAccount(a) })
	return a
}

// known is an account option: its X user id is already known, as it is
// once the account has been used.
func (h *harness) known(a *store.Account) { a.XUserID = h.x.byName[a.Handle] }

// source creates a lead source.
func (h *harness) source(name string, mod ...func(*store.Source)) store.Source {
	h.t.Helper()
	s := store.Source{ID: "src-" + name, Workspace: ws, Name: name, CreatedAt: t0.Add(h.seq()), UpdatedAt: t0}
	for _, m := range mod {
		m(&s)
	}
	h.update(func(tx storetest.Tx) error { return tx.PutSource(s) })
	return s
}

// users creates n users on X named like prospects.
func (h *harness) users(prefix string, n int) []sdk.User {
	out := make([]sdk.User, n)
	for i := range out {
		k := len(h.x.users)
		out[i] = h.x.addUser(fmt.Sprintf("%s%03d", prefix, k), fmt.Sprintf("Pat%d Doe", k), int64(i*50))
	}
	return out
}

// leads creates n users on X and keeps them as leads of src, as a scrape
// would, without filling campaigns.
func (h *harness) leads(src store.Source, n int) []store.Lead {
	h.t.Helper()
	users := h.users(src.Name, n)
	var out []store.Lead
	h.update(func(tx storetest.Tx) error {
		out = nil
		for _, u := range users {
			l := leadFromUser(ws, u, h.clk.Now())
			if _, err := tx.AddSourceLead(ws, src.ID, l); err != nil {
				return err
			}
			out = append(out, l)
		}
		return nil
	})
	return out
}

// variants returns n first messages ("V0 ...", "V1 ...") with one
// follow-up a day later each if followup is set.
func variants(n int, followup bool) []store.Variant {
	out := make([]store.Variant, n)
	for i := range out {
		out[i].Message = fmt.Sprintf("V%d Hey {{firstName}}", i)
		if followup {
			out[i].Followups = []store.Followup{{After: 24 * time.Hour, Message: fmt.Sprintf("F%d Bumping this, {{firstName}}", i)}}
		}
	}
	return out
}

// campaign creates a campaign and fills it, as apply does.
func (h *harness) campaign(name string, sources []store.Source, accounts []store.Account, vs []store.Variant, mod ...func(*store.Campaign)) store.Campaign {
	h.t.Helper()
	c := store.Campaign{ID: "camp-" + name, Workspace: ws, Name: name, Variants: vs, Dedupe: true, CreatedAt: t0.Add(h.seq()), UpdatedAt: t0}
	for _, s := range sources {
		c.SourceIDs = append(c.SourceIDs, s.ID)
	}
	for _, a := range accounts {
		c.AccountIDs = append(c.AccountIDs, a.ID)
	}
	for _, m := range mod {
		m(&c)
	}
	var filled store.Campaign
	h.update(func(tx storetest.Tx) error {
		filled = c
		_, err := service.Fill(tx, &filled, h.clk.Now())
		return err
	})
	return filled
}

// fill re-fills a stored campaign, as a second apply does, and returns how
// many jobs it queued.
func (h *harness) fill(id string) int {
	h.t.Helper()
	var n int
	h.update(func(tx storetest.Tx) error {
		c, err := tx.Campaign(ws, id)
		if err != nil {
			return err
		}
		n, err = service.Fill(tx, &c, h.clk.Now())
		return err
	})
	return n
}

// jobs lists the jobs a query selects.
func (h *harness) jobs(q store.JobQuery) []store.Job {
	h.t.Helper()
	var out []store.Job
	h.view(func(tx storetest.Tx) (err error) {
		out, err = tx.Jobs(ws, q)
		return err
	})
	return out
}

// campaignJobs lists a campaign's jobs of a kind.
func (h *harness) campaignJobs(c store.Campaign, kind store.JobKind) []store.Job {
	return h.jobs(store.JobQuery{CampaignID: c.ID, Kind: kind})
}

func (h *harness) job(id string) store.Job {
	h.t.Helper()
	var j store.Job
	h.view(func(tx storetest.Tx) (err error) {
		j, err = tx.Job(ws, id)
		return err
	})
	return j
}

// intents lists every intent left, whatever its lease.
func (h *harness) intents() []store.Intent {
	h.t.Helper()
	var out []store.Intent
	h.view(func(tx storetest.Tx) (err error) {
		out, err = tx.ExpiredIntents(t0.AddDate(100, 0, 0), 1000)
		return err
	})
	return out
}

// sent counts the DMs (first DMs, follow-ups, messages) an account sent.
func (h *harness) sent(accountID string) int {
	h.t.Helper()
	n := 0
	h.view(func(tx storetest.Tx) error {
		tallies, err := tx.AccountTallies(ws, accountID)
		for _, t := range tallies {
			if t.Kind.Sends() && t.State == store.JobDone {
				n += t.N
			}
		}
		return err
	})
	return n
}

// sentOn counts an account's DMs on a day of its cap's time zone.
func (h *harness) sentOn(accountID, day string) int {
	h.t.Helper()
	var n int
	h.view(func(tx storetest.Tx) (err error) {
		n, err = tx.SentOn(ws, accountID, day)
		return err
	})
	return n
}

func (h *harness) conversations() []store.Conversation {
	h.t.Helper()
	var out []store.Conversation
	h.view(func(tx storetest.Tx) (err error) {
		out, err = tx.Conversations(ws, store.ConversationQuery{})
		return err
	})
	return out
}

// outbox lists the workspace's events of a type.
func (h *harness) outbox(typ string) []store.Event {
	h.t.Helper()
	var out []store.Event
	h.view(func(tx storetest.Tx) error {
		all, err := tx.Events(ws, 0, 100000)
		for _, ev := range all {
			if ev.Type == typ {
				out = append(out, ev)
			}
		}
		return err
	})
	return out
}

func (h *harness) dnc(userID string) bool {
	h.t.Helper()
	var ok bool
	h.view(func(tx storetest.Tx) (err error) {
		ok, err = tx.DoNotContact(ws, userID)
		return err
	})
	return ok
}

// runDue runs what is due now.
func (h *harness) runDue(e *Engine) {
	h.t.Helper()
	if _, err := e.RunDue(context.Background()); err != nil {
		h.t.Fatalf("RunDue at %s: %v", h.clk.Now().Format(time.DateTime), err)
	}
}

// runFor runs the engine while advancing the clock by step, for d.
func (h *harness) runFor(e *Engine, d, step time.Duration) {
	h.t.Helper()
	end := h.clk.Now().Add(d)
	for {
		h.runDue(e)
		if !h.clk.Now().Before(end) {
			return
		}
		h.clk.Advance(min(step, end.Sub(h.clk.Now())))
	}
}

// idle reports whether the workspace has no pending job.
func (h *harness) idle() (bool, error) {
	var n int
	err := h.st.View(context.Background(), func(tx storetest.Tx) (err error) {
		n, err = tx.PendingJobs(ws)
		return err
	})
	return n == 0, err
}

// runUntilIdle runs the engine, with its workers, on the virtual clock
// until nothing is pending. The real-time deadline only turns a hang into
// a failure.
func (h *harness) runUntilIdle(e *Engine) {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := e.Run(ctx, h.idle); err != nil {
		h.t.Fatalf("Run: %v", err)
	}
}

// sendsBy returns the SendDM calls each account handle made, in order.
func (h *harness) sendsBy(handle string) []sendCall {
	var out []sendCall
	for _, c := range h.x.sendCalls {
		if c.Handle == handle {
			out = append(out, c)
		}
	}
	return out
}

// eventsOf returns the observed events of a kind.
func (h *harness) eventsOf(k EventKind) []Event {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []Event
	for _, ev := range h.seen {
		if ev.Kind == k {
			out = append(out, ev)
		}
	}
	return out
}

// errBoom is an untyped plugin failure: the engine cannot tell whether the
// call took effect.
var errBoom = errors.New("connection reset by peer")
