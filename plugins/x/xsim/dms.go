package xsim

import (
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// dmEvent is a MessageCreate event of a one-to-one conversation.
type dmEvent struct {
	id     uint64
	conv   *conversation
	sender uint64
	text   string
	at     time.Time
}

// conversation is a one-to-one DM conversation between users a < b.
type conversation struct {
	id     string
	a, b   uint64
	events []*dmEvent // oldest first; ids increase
	// decided is set at the first DM from an account holder to a
	// prospect, which decides the prospect's script; script is nil if the
	// prospect never answers.
	decided bool
	script  *script
}

func (c *conversation) hasMessageFrom(user uint64) bool {
	for _, e := range c.events {
		if e.sender == user {
			return true
		}
	}
	return false
}

// pendingReply is a prospect's reply that becomes visible at due.
type pendingReply struct {
	due     time.Time
	seq     uint64 // scheduling order, to order replies due at the same time
	conv    *conversation
	sender  uint64 // the prospect
	text    string
	account uint64 // the account holder it answers
	intent  Intent
	turn    int // the script's step, counting from 1
}

// conversationID is X's id of a one-to-one conversation: the two user ids,
// smaller first (numerically), joined by "-".
func conversationID(x, y uint64) string {
	if x > y {
		x, y = y, x
	}
	return idString(x) + "-" + idString(y)
}

// parseConversationID parses a one-to-one conversation id. Group
// conversations (a single number) do not exist in the simulator.
func parseConversationID(s string) (a, b uint64, ok bool) {
	x, y, found := strings.Cut(s, "-")
	if !found {
		return 0, 0, false
	}
	a, okA := parseID(x)
	b, okB := parseID(y)
	if !okA || !okB || a >= b {
		return 0, 0, false
	}
	return a, b, true
}

// materialise turns the replies due by now into events, in due-time order,
// giving each its id now and its due time as created_at. Doing it lazily, at
// the start of every request, is what makes ids rise in the order events
// become visible: a poller asking for "newer than the last id I saw" never
// misses a reply that was due earlier but appeared later.
func (s *Sim) materialise(now time.Time) {
	n := 0
	for n < len(s.pending) && !s.pending[n].due.After(now) {
		p := s.pending[n]
		e := s.appendEvent(p.conv, p.sender, p.text, p.due)
		sc := p.conv.script // a pending reply is always a script's
		if sc.pending == p {
			sc.pending = nil
		}
		s.replies = append(s.replies, replyRecord{event: e, prospect: sc.prospect, account: p.account, intent: p.intent, turn: p.turn})
		s.pending[n] = nil
		n++
	}
	s.pending = s.pending[n:]
}

func (s *Sim) schedule(p *pendingReply) {
	s.pendingSeq++
	p.seq = s.pendingSeq
	i := sort.Search(len(s.pending), func(i int) bool { return p.due.Before(s.pending[i].due) })
	s.pending = slices.Insert(s.pending, i, p)
}

func (s *Sim) appendEvent(c *conversation, sender uint64, text string, at time.Time) *dmEvent {
	e := &dmEvent{id: s.ids.next(at), conv: c, sender: sender, text: text, at: at}
	c.events = append(c.events, e)
	return e
}

func (s *Sim) conversationOf(x, y uint64, create bool) *conversation {
	id := conversationID(x, y)
	c := s.convs[id]
	if c == nil && create {
		a, b := min(x, y), max(x, y)
		c = &conversation{id: id, a: a, b: b}
		s.convs[id] = c
		s.userConvs[a] = append(s.userConvs[a], c)
		if b != a {
			s.userConvs[b] = append(s.userConvs[b], c)
		}
	}
	return c
}

type dmSendBody struct {
	Text        *string `json:"text"`
	Attachments []struct {
		MediaID string `json:"media_id"`
	} `json:"attachments"`
}

type dmSent struct {
	Data struct {
		DMConversationID string `json:"dm_conversation_id"`
		DMEventID        string `json:"dm_event_id"`
	} `json:"data"`
}

// maxDMText is X's limit on the text of a DM, in characters.
const maxDMText = 10_000

func (s *Sim) handleDMSendWith(c *call) result {
	pid, raw, bad := pathID(c, "participant_id")
	if bad != nil {
		return *bad
	}
	return s.sendDM(c, pid, raw)
}

func (s *Sim) handleDMSendToConversation(c *call) result {
	raw := c.r.PathValue("dm_conversation_id")
	a, b, ok := parseConversationID(raw)
	if !ok {
		return invalidParam("dm_conversation_id", raw, "The `dm_conversation_id` query parameter value [%s] is not a one-to-one conversation id ({user id}-{user id})", raw)
	}
	if c.user != a && c.user != b {
		return forbidden("You are not a participant of this conversation.")
	}
	other := b
	if c.user == b {
		other = a
	}
	return s.sendDM(c, other, idString(other))
}

// sendDM sends a DM from the authenticated user to pid, and lets a prospect
// answer it as its script says.
func (s *Sim) sendDM(c *call, pid uint64, raw string) result {
	var body dmSendBody
	if bad := decodeBody(c.r, &body); bad != nil {
		return *bad
	}
	text := ""
	if body.Text != nil {
		text = *body.Text
	}
	if text == "" && len(body.Attachments) == 0 {
		return invalidBody("The `text` field is required and must not be empty (or send `attachments`)")
	}
	if n := utf8.RuneCountInString(text); n > maxDMText {
		return invalidBody("The `text` field must be at most %d characters long; it has %d", maxDMText, n)
	}
	if pid == c.user {
		return invalidParam("participant_id", raw, "You cannot send a Direct Message to yourself")
	}
	target, found := s.userByIDLocked(pid)
	if !found {
		return targetNotFound("participant_id", raw)
	}
	conv := s.conversationOf(c.user, pid, false)
	// Someone who refuses DMs from strangers still takes replies in a
	// conversation they wrote in themselves.
	if !target.AcceptsDMs && (conv == nil || !conv.hasMessageFrom(pid)) {
		return dmRefused(raw)
	}
	if conv == nil {
		conv = s.conversationOf(c.user, pid, true)
	}
	ev := s.appendEvent(conv, c.user, text, c.now)
	if !s.isOwner(pid) {
		s.heardLocked(conv, target, pid, c.user, c.now)
	}
	var out dmSent
	out.Data.DMConversationID = conv.id
	out.Data.DMEventID = idString(ev.id)
	return answerCreated(out)
}

// dmEventJSON is an X DM event. id, event_type and text are the defaults;
// the rest come with dm_event.fields.
type dmEventJSON struct {
	ID               string `json:"id"`
	EventType        string `json:"event_type"`
	Text             string `json:"text"`
	SenderID         string `json:"sender_id,omitempty"`
	DMConversationID string `json:"dm_conversation_id,omitempty"`
	CreatedAt        string `json:"created_at,omitempty"`
}

type includes struct {
	Users []userJSON `json:"users,omitempty"`
}

type dmEventsPage struct {
	Data     []dmEventJSON `json:"data,omitempty"`
	Includes *includes     `json:"includes,omitempty"`
	Meta     listMeta      `json:"meta"`
}

// dmQuery is the validated query of a DM events request.
type dmQuery struct {
	page       pageQuery
	spec       pageSpec
	fields     fieldSet
	userFields fieldSet
	expand     fieldSet
	types      fieldSet
}

func parseDMQuery(q url.Values, scope uint64) (dmQuery, *result) {
	d := dmQuery{spec: dmEventsPageSpec}
	d.spec.scope = scope
	var bad *result
	if d.fields, bad = parseList(q, "dm_event.fields", dmEventFieldValues); bad != nil {
		return d, bad
	}
	if d.expand, bad = parseList(q, "expansions", dmEventExpansionValues); bad != nil {
		return d, bad
	}
	if d.userFields, bad = parseList(q, "user.fields", userFieldValues); bad != nil {
		return d, bad
	}
	if d.types, bad = parseList(q, "event_types", dmEventTypeValues); bad != nil {
		return d, bad
	}
	if _, bad = parseList(q, "tweet.fields", tweetFieldValues); bad != nil {
		return d, bad
	}
	d.page, bad = parsePageQuery(q, d.spec)
	return d, bad
}

func (s *Sim) handleDMEvents(c *call) result {
	d, bad := parseDMQuery(c.q, hashOf(c.user))
	if bad != nil {
		return *bad
	}
	var events []*dmEvent
	for _, conv := range s.userConvs[c.user] {
		events = append(events, conv.events...)
	}
	return answerOK(s.eventsPage(events, d))
}

func (s *Sim) handleDMEventsWith(c *call) result {
	pid, _, bad := pathID(c, "participant_id")
	if bad != nil {
		return *bad
	}
	return s.conversationEvents(c, pid)
}

func (s *Sim) handleDMEventsOfConversation(c *call) result {
	raw := c.r.PathValue("dm_conversation_id")
	a, b, ok := parseConversationID(raw)
	if !ok {
		return invalidParam("dm_conversation_id", raw, "The `dm_conversation_id` query parameter value [%s] is not a one-to-one conversation id ({user id}-{user id})", raw)
	}
	if c.user != a && c.user != b {
		return forbidden("You are not a participant of this conversation.")
	}
	if c.user == a {
		return s.conversationEvents(c, b)
	}
	return s.conversationEvents(c, a)
}

func (s *Sim) conversationEvents(c *call, other uint64) result {
	d, bad := parseDMQuery(c.q, hashOf(c.user, other))
	if bad != nil {
		return *bad
	}
	var events []*dmEvent
	if conv := s.conversationOf(c.user, other, false); conv != nil {
		events = conv.events
	}
	return answerOK(s.eventsPage(events, d))
}

// eventsPage answers one page of events, newest first. The cursor is the id
// of the last event of the previous page, so events arriving between pages
// do not shift the pages after them.
func (s *Sim) eventsPage(events []*dmEvent, d dmQuery) dmEventsPage {
	var out dmEventsPage
	if len(d.types) > 0 && !d.types["MessageCreate"] {
		return out // every simulated event is a MessageCreate
	}
	sorted := slices.Clone(events)
	slices.SortFunc(sorted, func(x, y *dmEvent) int {
		switch {
		case x.id > y.id:
			return -1
		case x.id < y.id:
			return 1
		}
		return 0
	})
	start := 0
	if d.page.hasCursor {
		start = sort.Search(len(sorted), func(i int) bool { return sorted[i].id < d.page.cursor })
	}
	end := min(start+d.page.max, len(sorted))
	var senders []uint64
	for _, e := range sorted[start:end] {
		j := dmEventJSON{ID: idString(e.id), EventType: "MessageCreate", Text: e.text}
		if d.fields["sender_id"] {
			j.SenderID = idString(e.sender)
		}
		if d.fields["dm_conversation_id"] {
			j.DMConversationID = e.conv.id
		}
		if d.fields["created_at"] {
			j.CreatedAt = formatTime(e.at)
		}
		out.Data = append(out.Data, j)
		if !slices.Contains(senders, e.sender) {
			senders = append(senders, e.sender)
		}
	}
	out.Meta.ResultCount = len(out.Data)
	if end < len(sorted) {
		out.Meta.NextToken = encodeToken(d.spec.kind, d.spec.scope, sorted[end-1].id)
	}
	if d.expand["sender_id"] && len(senders) > 0 {
		out.Includes = &includes{}
		for _, id := range senders {
			if u, found := s.userByIDLocked(id); found {
				out.Includes.Users = append(out.Includes.Users, renderUser(u, d.userFields))
			}
		}
	}
	return out
}
