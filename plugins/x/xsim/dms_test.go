package xsim

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// replier finds a prospect who replies to a first DM from sender, with how
// it opens (its default script, first reply and delay).
func replier(t *testing.T, s *Sim, prefix, sender string) (User, opening) {
	t.Helper()
	return replierWith(t, s, prefix, sender, func([]Intent) bool { return true })
}

// replierWith is replier for a prospect whose default script satisfies
// want.
func replierWith(t *testing.T, s *Sim, prefix, sender string, want func([]Intent) bool) (User, opening) {
	t.Helper()
	sid, _ := parseID(sender)
	var op opening
	u := findUser(t, s, prefix, func(u User) bool {
		id, _ := parseID(u.ID)
		var yes bool
		op, yes = s.pop.replyFor(id, sid, defaultReplyPerMille, s.replyMin, s.replyMax)
		return yes && u.AcceptsDMs && want(op.script)
	})
	return u, op
}

func silent(t *testing.T, s *Sim, prefix, sender string) User {
	t.Helper()
	sid, _ := parseID(sender)
	return findUser(t, s, prefix, func(u User) bool {
		id, _ := parseID(u.ID)
		_, yes := s.pop.replyFor(id, sid, defaultReplyPerMille, s.replyMin, s.replyMax)
		return !yes && u.AcceptsDMs
	})
}

func (h *harness) sendDM(token, to, text string) map[string]any {
	h.t.Helper()
	rec := h.do("POST", "/2/dm_conversations/with/"+to+"/messages", token, map[string]string{"text": text})
	if rec.Code != 201 {
		h.t.Fatalf("send DM to %s: %d %s", to, rec.Code, rec.Body)
	}
	return decodeJSON(h.t, rec.Body.Bytes())
}

func eventID(t *testing.T, e map[string]any) uint64 {
	t.Helper()
	id, ok := parseID(e["id"].(string))
	if !ok || len(e["id"].(string)) != 19 {
		t.Fatalf("event id %v is not a 19-digit id", e["id"])
	}
	return id
}

const allDMFields = "?dm_event.fields=id,text,event_type,dm_conversation_id,created_at,sender_id,participant_ids"

func TestSendDM(t *testing.T) {
	h := newHarness(t, Options{})
	tok, me := h.login("acme_sales")
	to := silent(t, h.sim, "lead", me)

	sent := h.sendDM(tok, to.ID, "Hi {{firstName}}!")
	assertShape(t, sent, "dm_send.response.json")
	data := sent["data"].(map[string]any)
	a, _ := parseID(me)
	b, _ := parseID(to.ID)
	want := fmt.Sprintf("%d-%d", min(a, b), max(a, b))
	if data["dm_conversation_id"] != want {
		t.Errorf("conversation id %v, want %s", data["dm_conversation_id"], want)
	}
	if !regexp.MustCompile(`^[0-9]{19}$`).MatchString(data["dm_event_id"].(string)) {
		t.Errorf("event id %v", data["dm_event_id"])
	}

	events := h.allEvents("/2/dm_events"+allDMFields, tok)
	if len(events) != 1 {
		t.Fatalf("%d events", len(events))
	}
	assertShape(t, events[0], "dm_event.MessageCreate.json")
	e := events[0]
	if e["id"] != data["dm_event_id"] || e["text"] != "Hi {{firstName}}!" || e["sender_id"] != me ||
		e["dm_conversation_id"] != want || e["created_at"] != formatTime(h.clock.Now()) || e["event_type"] != "MessageCreate" {
		t.Errorf("event %v", e)
	}
	// Default fields are id, event_type and text.
	def := h.allEvents("/2/dm_events", tok)[0]
	if len(def) != 3 {
		t.Errorf("default fields %v", def)
	}
	// The list has X's shape (the documented request, one event a page).
	h.sendDM(tok, to.ID, "Second message")
	assertShape(t, h.get("/2/dm_events?dm_event.fields=created_at,sender_id,text&max_results=1", tok, 200), "dm_events.response.json")
	// The same conversation is reachable by participant and by id.
	byWith := h.allEvents("/2/dm_conversations/with/"+to.ID+"/dm_events", tok)
	byID := h.allEvents("/2/dm_conversations/"+want+"/dm_events", tok)
	if len(byWith) != 2 || len(byID) != 2 || byWith[1]["id"] != e["id"] || byID[1]["id"] != e["id"] {
		t.Errorf("conversation events %v / %v", byWith, byID)
	}
	// With sender_id expanded, the sender comes in includes.users.
	inc := h.get("/2/dm_events?expansions=sender_id&user.fields=username", tok, 200)["includes"].(map[string]any)
	if u := asList(inc["users"])[0].(map[string]any); u["id"] != me || u["username"] != "acme_sales" {
		t.Errorf("includes %v", inc)
	}
}

func TestSendDMErrors(t *testing.T) {
	h := newHarness(t, Options{})
	tok, me := h.login("acme_sales")
	ok := silent(t, h.sim, "lead", me)
	refuses := findUser(t, h.sim, "closed", func(u User) bool { return !u.AcceptsDMs })

	cases := []struct {
		name, to string
		body     any
		status   int
		detail   string
	}{
		{"empty text", ok.ID, map[string]string{"text": ""}, 400, "text"},
		{"no text", ok.ID, map[string]string{}, 400, "text"},
		{"text too long", ok.ID, map[string]string{"text": strings.Repeat("é", 10_001)}, 400, "10000"},
		{"longest text", ok.ID, map[string]string{"text": strings.Repeat("é", 10_000)}, 201, ""},
		{"not JSON", ok.ID, "{text:", 400, "JSON"},
		{"empty body", ok.ID, "", 400, "empty"},
		{"unknown participant", "2244994946", map[string]string{"text": "hi"}, 404, "Could not find user"},
		{"bad participant id", "abc", map[string]string{"text": "hi"}, 400, "participant_id"},
		{"to self", me, map[string]string{"text": "hi"}, 400, "yourself"},
		{"refuses DMs", refuses.ID, map[string]string{"text": "hi"}, 403, "You cannot send messages to this user."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := h.do("POST", "/2/dm_conversations/with/"+tc.to+"/messages", tok, tc.body)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			if tc.detail != "" && !strings.Contains(rec.Body.String(), tc.detail) {
				t.Errorf("body %s does not mention %q", rec.Body, tc.detail)
			}
		})
	}
	// The refusal is a problem naming the user, and it is for good: no
	// conversation was opened.
	body := decodeJSON(t, h.do("POST", "/2/dm_conversations/with/"+refuses.ID+"/messages", tok, map[string]string{"text": "hi"}).Body.Bytes())
	if body["type"] != "https://api.twitter.com/2/problems/not-authorized-for-resource" || body["resource_id"] != refuses.ID {
		t.Errorf("refusal %v", body)
	}
	if n := len(h.allEvents("/2/dm_conversations/with/"+refuses.ID+"/dm_events", tok)); n != 0 {
		t.Errorf("%d events with a user who refuses DMs", n)
	}
	// Another account holder's conversation is not ours.
	_, other := h.login("other_team")
	rec := h.do("GET", "/2/dm_conversations/"+conversationID(mustParse(other), mustParse(ok.ID))+"/dm_events", tok, nil)
	if rec.Code != 403 {
		t.Errorf("reading another's conversation: %d", rec.Code)
	}
}

func mustParse(id string) uint64 {
	v, ok := parseID(id)
	if !ok {
		panic("bad id " + id)
	}
	return v
}

func TestReplyBecomesVisibleAfterDelay(t *testing.T) {
	h := newHarness(t, Options{Seed: 3})
	tok, me := h.login("acme_sales")
	// A prospect whose script has one step, so it answers once.
	prospect, op := replierWith(t, h.sim, "prospect", me, func(sc []Intent) bool { return len(sc) == 1 })
	text, delay := op.text, op.delay
	if delay < 2*time.Second || delay > 8*time.Second {
		t.Fatalf("delay %v outside the default 2s-8s", delay)
	}

	sentAt := h.clock.Now()
	dm := h.sendDM(tok, prospect.ID, "Hi!")["data"].(map[string]any)
	path := "/2/dm_conversations/with/" + prospect.ID + "/dm_events" + allDMFields

	h.clock.Advance(delay - time.Millisecond)
	if n := len(h.allEvents(path, tok)); n != 1 {
		t.Fatalf("%d events before the reply is due", n)
	}
	h.clock.Advance(time.Millisecond)
	events := h.allEvents(path, tok)
	if len(events) != 2 {
		t.Fatalf("%d events when the reply is due", len(events))
	}
	reply := events[0] // newest first
	if reply["text"] != text || reply["sender_id"] != prospect.ID || reply["dm_conversation_id"] != dm["dm_conversation_id"] ||
		reply["created_at"] != formatTime(sentAt.Add(delay)) {
		t.Errorf("reply %v", reply)
	}
	if eventID(t, reply) <= mustParse(dm["dm_event_id"].(string)) {
		t.Errorf("reply id %v is not above the DM's %v", reply["id"], dm["dm_event_id"])
	}
	// Its script has one step: it does not answer a follow-up.
	h.sendDM(tok, prospect.ID, "Following up")
	h.clock.Advance(time.Hour)
	if n := len(h.allEvents(path, tok)); n != 3 {
		t.Errorf("%d events after a follow-up, want 3 (no second reply)", n)
	}
	// A silent prospect never replies.
	quiet := silent(t, h.sim, "prospect", me)
	h.sendDM(tok, quiet.ID, "Hi!")
	h.clock.Advance(24 * time.Hour)
	if n := len(h.allEvents("/2/dm_conversations/with/"+quiet.ID+"/dm_events", tok)); n != 1 {
		t.Errorf("%d events with a silent prospect", n)
	}
}

// TestEventIDsRiseInVisibleOrder is the poller's contract: reading "newer than
// the last id I saw" must never miss an event, even a reply that was due
// before other events were written but became visible after them.
func TestEventIDsRiseInVisibleOrder(t *testing.T) {
	h := newHarness(t, Options{ReplyDelayMin: 10 * time.Second, ReplyDelayMax: 10 * time.Second})
	tokA, a := h.login("team_a")
	tokB, b := h.login("team_b")
	p1, _ := replier(t, h.sim, "early", a)
	p2, _ := replier(t, h.sim, "late", a)
	q, _ := replier(t, h.sim, "other", b)

	h.sendDM(tokA, p1.ID, "one") // reply due at +10s
	h.clock.Advance(5 * time.Second)
	h.sendDM(tokA, p2.ID, "two") // reply due at +15s
	lastSeen := eventID(t, h.allEvents("/2/dm_events", tokA)[0])

	// Nobody reads until +20s, when team_b writes; both replies to team_a
	// come due before that write, so they get lower ids than it.
	h.clock.Advance(15 * time.Second)
	qDM := mustParse(h.sendDM(tokB, q.ID, "three")["data"].(map[string]any)["dm_event_id"].(string))

	events := h.allEvents("/2/dm_events"+allDMFields, tokA)
	var fresh []map[string]any
	for _, e := range events {
		if eventID(t, e) > lastSeen {
			fresh = append(fresh, e)
		}
	}
	if len(fresh) != 2 || fresh[0]["sender_id"] != p2.ID || fresh[1]["sender_id"] != p1.ID {
		t.Fatalf("events newer than %d: %v", lastSeen, fresh)
	}
	if eventID(t, fresh[0]) >= qDM {
		t.Errorf("reply %v visible before team_b's DM %d got a higher id", fresh[0]["id"], qDM)
	}
	// Across the whole list, ids and created_at rise together, and ids
	// compare the same as strings and as numbers.
	for i := 1; i < len(events); i++ {
		newer, older := events[i-1], events[i]
		if eventID(t, newer) <= eventID(t, older) || newer["id"].(string) <= older["id"].(string) ||
			newer["created_at"].(string) < older["created_at"].(string) {
			t.Errorf("events out of order: %v before %v", newer, older)
		}
	}
}

func TestDMEventsPagination(t *testing.T) {
	h := newHarness(t, Options{})
	tok, me := h.login("acme_sales")
	to := silent(t, h.sim, "pen_pal", me)
	for i := 0; i < 25; i++ {
		h.sendDM(tok, to.ID, "message "+strconv.Itoa(i))
		h.clock.Advance(time.Second)
	}
	first := h.get("/2/dm_events?max_results=10", tok, 200)
	next := first["meta"].(map[string]any)["next_token"].(string)
	// New events between pages do not shift the next page.
	h.sendDM(tok, to.ID, "late arrival")
	second := h.get("/2/dm_events?max_results=10&pagination_token="+next, tok, 200)
	got := asList(second["data"])
	if len(got) != 10 || got[0].(map[string]any)["text"] != "message 14" {
		t.Errorf("second page starts at %v", got[0])
	}
	all := h.allEvents("/2/dm_events?max_results=7", tok)
	if len(all) != 26 || all[0]["text"] != "late arrival" || all[25]["text"] != "message 0" {
		t.Errorf("%d events, first %v", len(all), all[0])
	}
	if n := len(h.allEvents("/2/dm_events?event_types=ParticipantsJoin", tok)); n != 0 {
		t.Errorf("%d ParticipantsJoin events", n)
	}
	// A DM events token does not page another reader's events.
	tok2, _ := h.login("someone_else")
	if rec := h.do("GET", "/2/dm_events?pagination_token="+next, tok2, nil); rec.Code != 400 {
		t.Errorf("foreign token: %d", rec.Code)
	}
}

func TestReplyDelayOptions(t *testing.T) {
	s := New(Options{ReplyDelayMin: time.Minute, ReplyDelayMax: time.Second})
	if s.replyMin != time.Minute || s.replyMax != time.Minute {
		t.Errorf("min %v max %v", s.replyMin, s.replyMax)
	}
	s = New(Options{})
	if s.replyMin != 2*time.Second || s.replyMax != 8*time.Second {
		t.Errorf("defaults %v %v", s.replyMin, s.replyMax)
	}
	// Delays cover the range, and decisions follow the documented odds:
	// 35% reply; of the first replies, 40% are positive (interested or a
	// booking intent), 30% negative (no or opt_out), 30% neutral.
	var replies, positive, negative int
	seen := map[time.Duration]bool{}
	for i := uint64(0); i < 20_000; i++ {
		op, yes := s.pop.replyFor(genBase+i, 42, defaultReplyPerMille, s.replyMin, s.replyMax)
		if !yes {
			continue
		}
		replies++
		seen[op.delay.Truncate(time.Second)] = true
		if op.delay < 2*time.Second || op.delay > 8*time.Second {
			t.Fatalf("delay %v", op.delay)
		}
		if !slices.Contains(intentTexts[op.script[0]], op.text) {
			t.Fatalf("first reply %q is not a text of its intent %s", op.text, op.script[0])
		}
		switch sentimentOf(op.script[0]) {
		case "positive":
			positive++
		case "negative":
			negative++
		}
	}
	if pct := replies * 100 / 20_000; pct < 32 || pct > 38 {
		t.Errorf("%d%% reply", pct)
	}
	if pct := positive * 100 / replies; pct < 36 || pct > 44 {
		t.Errorf("%d%% of replies positive", pct)
	}
	if pct := negative * 100 / replies; pct < 26 || pct > 34 {
		t.Errorf("%d%% of replies negative", pct)
	}
	if len(seen) < 6 {
		t.Errorf("delays cover only %d seconds of 2s-8s", len(seen))
	}
}
