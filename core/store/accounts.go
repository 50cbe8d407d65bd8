package store

import (
	"strings"
	"time"
)

// Account is an X account a workspace sends from: what configuration or
// the API declared about it. What the engine learns while running it
// (pacing, holds, its DM cursor) is its AccountState.
//
// One X handle is one account in the whole install: a second record of the
// same handle cannot exist, in this workspace or another.
type Account struct {
	ID        string `json:"id"`
	Workspace string `json:"workspace"`
	// Address is "account.<label>" when configuration manages the account,
	// and empty for one added through the API.
	Address string `json:"address,omitempty"`
	Handle  string `json:"handle"`
	Network string `json:"network"`
	// XUserID, DisplayName, ProfileImageURL and Verified are read from X
	// when the account's session is first checked.
	XUserID         string `json:"x_user_id,omitempty"`
	DisplayName     string `json:"display_name,omitempty"`
	ProfileImageURL string `json:"profile_image_url,omitempty"`
	Verified        bool   `json:"verified"`

	// Paused, FollowupsPaused and WarmupPaused are declared; a pause set
	// through the API or by a health rule is a Hold of the account's state.
	Paused          bool `json:"paused"`
	FollowupsPaused bool `json:"followups_paused"`
	WarmupPaused    bool `json:"warmup_paused"`
	AISetter        bool `json:"ai_setter"`
	// Setter is how the AI setter answers when AISetter is on.
	Setter Setter `json:"setter,omitzero"`

	DailyDMLimit      int           `json:"daily_dm_limit"`
	DailyFollowLimit  int           `json:"daily_follow_limit,omitempty"`
	DailyLikeLimit    int           `json:"daily_like_limit,omitempty"`
	DailyCommentLimit int           `json:"daily_comment_limit,omitempty"`
	MinGap            time.Duration `json:"min_gap"`
	MaxGap            time.Duration `json:"max_gap"`
	Jitter            time.Duration `json:"jitter,omitempty"`
	// PacingDefault marks pacing nobody set (no pacing block, or an
	// account added through the API): the gaps above are the defaults, and
	// on the simulated X the account paces as RehearsalPacing does.
	PacingDefault bool `json:"pacing_default,omitempty"`
	// ActiveHours is when the account acts; nil means at any time.
	ActiveHours *Window `json:"active_hours,omitempty"`
	// Warmup ramps the daily DM cap from WarmupStartedAt; nil means none.
	Warmup          *Warmup   `json:"warmup,omitempty"`
	WarmupStartedAt time.Time `json:"warmup_started_at,omitzero"`

	// Proxy is the proxy address; its credentials are sealed in Secrets.
	Proxy string `json:"proxy,omitempty"`
	// Secrets holds the sealed (encrypted) credentials, never plain text.
	// SecretDigests are keyed digests of each, by attribute name, so that a
	// plan can tell one changed without opening Secrets.
	Secrets       []byte            `json:"secrets,omitempty"`
	SecretDigests map[string]string `json:"secret_digests,omitempty"`

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Setter is how the AI setter answers a lead's positive or neutral reply
// for an account: the configuration's `settings { ai_setter { ... } }`.
type Setter struct {
	// MaxAnswers is the most automatic answers one conversation gets.
	MaxAnswers int `json:"max_answers"`
	// MinDelay and MaxDelay bound how long after the reply an answer is
	// due, as a person would take to write it.
	MinDelay time.Duration `json:"min_delay"`
	MaxDelay time.Duration `json:"max_delay"`
	// MinConfidence is the classifier's confidence a reply needs to be
	// answered: below it, a person answers.
	MinConfidence float64 `json:"min_confidence"`
	// Instructions brief the AI plugin (the offer, the tone, what to
	// propose).
	Instructions string `json:"instructions,omitempty"`
	// Policy is the configuration's policy: strict allows no automatic
	// answer.
	Policy Policy `json:"policy,omitempty"`
}

// DefaultSetter is the AI setter's configuration when the settings do not
// change it.
var DefaultSetter = Setter{MaxAnswers: 2, MinDelay: 2 * time.Minute, MaxDelay: 10 * time.Minute, MinConfidence: 0.6}

// Provenance names what wrote a text: the AI plugin's model and the
// version of the prompt (or offline template set) it used. Every text an
// AI plugin writes is stored with it.
type Provenance struct {
	Model         string `json:"model,omitempty"`
	PromptVersion string `json:"prompt_version,omitempty"`
}

// NormalizeHandle is the form handles are compared and looked up in: no
// "@", lower case (X handles are case-insensitive).
func NormalizeHandle(h string) string {
	return strings.ToLower(strings.TrimPrefix(strings.TrimSpace(h), "@"))
}

// AccountState is the operational state of an account: written by the
// engine as it works and by operations that hold an account, never by
// configuration. It is kept apart from Account so that applying a
// configuration never overwrites it.
type AccountState struct {
	Workspace string `json:"workspace"`
	AccountID string `json:"account_id"`
	// NextSendAt is the earliest time the account may make its next
	// automated send: its pacing after the last one.
	NextSendAt time.Time `json:"next_send_at,omitzero"`
	// Spacing is the least gap between two of its sends that its
	// network's per-user budget allows (X's 15 DMs per 15 minutes: a
	// minute), as of its last send; it may lengthen the gap its pacing
	// draws.
	Spacing time.Duration `json:"spacing,omitempty"`
	// Holds keep the account from acting; see Hold.
	Holds []Hold `json:"holds,omitempty"`
	// Lease is held by the one engine worker acting as the account: at
	// most one of its sends is in flight anywhere.
	Lease Lease `json:"lease,omitzero"`
	// DMCursor is where the account's last read of its DM events ended.
	DMCursor string `json:"dm_cursor,omitempty"`
	// NextPollAt is when its DM events are read next; zero until it has
	// sent a DM.
	NextPollAt time.Time `json:"next_poll_at,omitzero"`
	// DMReadAt is when its DM events were last read; zero if never. A
	// conversation a lead started is known only from that read on.
	DMReadAt time.Time `json:"dm_read_at,omitzero"`
	// Ramp is its warmup as last synced; nil without warmup.
	Ramp *RampState `json:"ramp,omitempty"`
	// Recent are the outcomes of its last actions on X, oldest first (at
	// most RecentOutcomes), and Health the score they give (see
	// NoteOutcome); an account that has done nothing yet is healthy.
	Recent []Outcome `json:"recent,omitempty"`
	Health *int      `json:"health,omitempty"`
}

// Score is the account's health from 0 to 100: 100 until it has acted.
func (s AccountState) Score() int {
	if s.Health == nil {
		return 100
	}
	return *s.Health
}

// Outcome is how one of an account's actions on X ended, as its health
// counts it.
type Outcome string

// Outcomes, from harmless to grave. A recipient who does not take DMs is
// not the account's fault, and counts as OutcomeOK.
const (
	OutcomeOK Outcome = "ok"
	// OutcomeError: a failure that may pass (X answered 5xx, the
	// connection was cut, the call timed out).
	OutcomeError Outcome = "error"
	// OutcomeRateLimited: X answered 429.
	OutcomeRateLimited Outcome = "rate_limited"
	// OutcomeAutomated: X said the request looked automated (226).
	OutcomeAutomated Outcome = "automated"
	// OutcomeSessionExpired: X no longer took the account's credentials.
	OutcomeSessionExpired Outcome = "session_expired"
	// OutcomeBlocked: the account was suspended, locked or refused.
	OutcomeBlocked Outcome = "blocked"
)

// RecentOutcomes is how many of its last outcomes an account's health
// counts.
const RecentOutcomes = 20

// outcomeCost is what each outcome takes off a health of 100.
var outcomeCost = map[Outcome]int{
	OutcomeOK: 0, OutcomeError: 3, OutcomeRateLimited: 5,
	OutcomeAutomated: 20, OutcomeSessionExpired: 25, OutcomeBlocked: 40,
}

// NoteOutcome adds an outcome to the account's recent ones and scores its
// health again: 100, less what each of its last RecentOutcomes outcomes
// costs, and never below 0. So a run of sends that went out heals an
// account as its failures leave the window.
func (s *AccountState) NoteOutcome(o Outcome) {
	s.Recent = append(s.Recent, o)
	if n := len(s.Recent); n > RecentOutcomes {
		s.Recent = append([]Outcome(nil), s.Recent[n-RecentOutcomes:]...)
	}
	score := 100
	for _, r := range s.Recent {
		score -= outcomeCost[r]
	}
	score = max(score, 0)
	s.Health = &score
}

// Held returns the first hold of scope s (or of HoldAll) in force at now.
func (s AccountState) Held(scope HoldScope, now time.Time) (Hold, bool) {
	for _, h := range s.Holds {
		if (h.Scope == HoldAll || h.Scope == scope) && h.InForce(now) {
			return h, true
		}
	}
	return Hold{}, false
}

// HoldScope is what a hold stops.
type HoldScope string

// Hold scopes.
const (
	// HoldAll stops every automated action of the account.
	HoldAll HoldScope = "all"
	// HoldFollowups stops its follow-ups only.
	HoldFollowups HoldScope = "followups"
)

// Hold keeps an account from acting, with a reason a person can read. A
// hold set through the API or the dashboard, by a health rule or by the
// engine (a rate limit, an expired session) is operational state: applying
// a configuration never lifts it.
type Hold struct {
	Scope HoldScope `json:"scope"`
	// By says who set it: "api", "dashboard", "engine", "health".
	By     string    `json:"by"`
	Reason string    `json:"reason"`
	Since  time.Time `json:"since"`
	// Until is when it lifts by itself; zero holds until it is lifted.
	Until time.Time `json:"until,omitzero"`
}

// InForce reports whether the hold applies at now.
func (h Hold) InForce(now time.Time) bool { return h.Until.IsZero() || now.Before(h.Until) }

// Lease is a claim on a record by one engine worker until Expires. The
// owner renews it while it works; once expired, another owner may take it.
type Lease struct {
	Owner   string    `json:"owner,omitempty"`
	Expires time.Time `json:"expires,omitzero"`
}

// Live reports whether someone holds the lease at now.
func (l Lease) Live(now time.Time) bool { return l.Owner != "" && now.Before(l.Expires) }

// RampState is an account's warmup ramp as last synced: from which day it
// counts and how a warmup pause has held it (core/schedule.Ramp).
type RampState struct {
	// Start is the warmup start it belongs to: a warmup declared afresh
	// starts afresh.
	Start time.Time `json:"start"`
	// Held is the ramp day a pause holds at, plus one; 0 when not held.
	Held int `json:"held,omitempty"`
	// Shift is how many days pauses held the ramp back.
	Shift int `json:"shift,omitempty"`
}

// Window is a daily time window in a time zone (core/config.Window).
type Window struct {
	// Start and End are offsets from midnight; End <= Start runs past
	// midnight.
	Start    time.Duration `json:"start"`
	End      time.Duration `json:"end"`
	TimeZone string        `json:"time_zone"`
	// Days are "mon" ... "sun": the days the window opens.
	Days []string `json:"days"`
}

// Warmup is a ramp of the daily DM cap: Start on the first day, Increase
// more each day after.
type Warmup struct {
	Start    int `json:"start"`
	Increase int `json:"increase"`
}

// APIKey is a stored API key. Only the SHA-256 hash of the key is kept.
type APIKey struct {
	ID        string    `json:"id"`
	Workspace string    `json:"workspace"`
	Hash      string    `json:"hash"`
	Prefix    string    `json:"prefix"`
	CreatedAt time.Time `json:"created_at"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
}
