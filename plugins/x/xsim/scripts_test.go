package xsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/sdk"
)

// sentimentOf is the sentiment a classifier should read in a reply of the
// intent.
func sentimentOf(in Intent) string {
	switch in {
	case IntentInterested, IntentAskCall, IntentAskPrice, IntentAskDemo:
		return "positive"
	case IntentNo, IntentOptOut:
		return "negative"
	case IntentQuestion:
		return "neutral"
	}
	return ""
}

// replies lists the prospects' replies as ProspectRepliesPath does, with
// query ("" or "?account=...").
func (h *harness) replies(query string) []map[string]any {
	h.t.Helper()
	var out []map[string]any
	for _, e := range asList(h.get(ProspectRepliesPath+query, "", 200)["data"]) {
		out = append(out, e.(map[string]any))
	}
	return out
}

// intentsOf lists the intents of replies, oldest first.
func intentsOf(replies []map[string]any) []string {
	var out []string
	for _, r := range replies {
		out = append(out, r["intent"].(string))
	}
	return out
}

func steps(in ...Intent) []Intent { return in }

// TestDefaultScriptConversation plays a default script of three turns: each
// message the account sends gets the script's next intent, 2 to 8 seconds
// later on the injected clock, and after the last step the prospect is
// silent.
func TestDefaultScriptConversation(t *testing.T) {
	h := newHarness(t, Options{Seed: 3})
	tok, me := h.login("acme_sales")
	want := steps(IntentQuestion, IntentInterested, IntentAskPrice)
	prospect, op := replierWith(t, h.sim, "lead", me, func(sc []Intent) bool { return slices.Equal(sc, want) })
	path := "/2/dm_conversations/with/" + prospect.ID + "/dm_events" + allDMFields

	for turn, in := range want {
		sentAt := h.clock.Now()
		h.sendDM(tok, prospect.ID, fmt.Sprintf("message %d", turn+1))
		h.clock.Advance(2*time.Second - time.Millisecond)
		if n := len(h.replies("")); n != turn {
			t.Fatalf("turn %d: %d replies before the earliest delay", turn+1, n)
		}
		h.clock.Advance(6*time.Second + time.Millisecond)
		got := h.replies("")
		if len(got) != turn+1 {
			t.Fatalf("turn %d: %d replies 8s after the message; want %d", turn+1, len(got), turn+1)
		}
		r := got[turn]
		at, _ := time.Parse(xTime, r["created_at"].(string))
		if r["intent"] != string(in) || r["turn"] != float64(turn+1) || !slices.Contains(intentTexts[in], r["text"].(string)) ||
			at.Before(sentAt.Add(2*time.Second)) || at.After(sentAt.Add(8*time.Second)) {
			t.Errorf("turn %d: reply %v; want intent %s 2s-8s after %v", turn+1, r, in, formatTime(sentAt))
		}
		if turn == 0 && (r["text"] != op.text || r["created_at"] != formatTime(sentAt.Add(op.delay))) {
			t.Errorf("first reply %v; replyFor said %q after %v", r, op.text, op.delay)
		}
		// The reply is the conversation's newest event, from the prospect.
		if newest := h.allEvents(path, tok)[0]; newest["id"] != r["event_id"] || newest["sender_id"] != prospect.ID || newest["text"] != r["text"] {
			t.Errorf("turn %d: newest event %v, reply %v", turn+1, newest, r)
		}
	}
	// The script is over: a fourth message gets nothing, a day later.
	h.sendDM(tok, prospect.ID, "message 4")
	h.clock.Advance(24 * time.Hour)
	if got := h.replies(""); len(got) != 3 {
		t.Errorf("%d replies after the script ended; want 3", len(got))
	}
	if n := len(h.allEvents(path, tok)); n != 7 {
		t.Errorf("%d events; want 4 messages and 3 replies", n)
	}
}

// live is a client of a Sim served on loopback.
type live struct {
	t    *testing.T
	base string
}

func (l live) do(method, path, token, body string) (int, map[string]any) {
	l.t.Helper()
	req, err := http.NewRequest(method, l.base+path, strings.NewReader(body))
	if err != nil {
		l.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		l.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		l.t.Fatalf("%s %s: %d, body is not JSON: %v", method, path, resp.StatusCode, err)
	}
	return resp.StatusCode, out
}

// TestScriptedProspectOverHTTP scripts a prospect with POST FaultsPath on a
// Sim served on loopback, as a test of the product in another process
// would: it answers three messages with its three intents, each exactly
// its delay later, whatever the reply rate, and is silent at the fourth.
func TestScriptedProspectOverHTTP(t *testing.T) {
	clock := newFakeClock()
	sim := New(Options{Clock: clock, Seed: 11})
	if err := sim.Start(""); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	l := live{t, sim.URL()}
	code, body := l.do("POST", FaultsPath, "", `{"reply_rate": 0, "prospects": {"Ana_Lead": {"intents": ["question", "interested", "ask_call"], "delay": "30s"}}}`)
	if code != 200 || !jsonEqual(body["prospects"], map[string]any{"ana_lead": map[string]any{"intents": []any{"question", "interested", "ask_call"}, "delay": "30s"}}) {
		t.Fatalf("POST faults: %d %v", code, body)
	}
	_, login := l.do("POST", LoginPath, "", `{"handle": "acme_sales"}`)
	tok := login["token"].(string)
	_, user := l.do("GET", "/2/users/by/username/ana_lead", tok, "")
	ana := user["data"].(map[string]any)["id"].(string)

	for turn, want := range []Intent{IntentQuestion, IntentInterested, IntentAskCall, ""} {
		if code, body := l.do("POST", "/2/dm_conversations/with/"+ana+"/messages", tok, `{"text": "hello again"}`); code != 201 {
			t.Fatalf("message %d: %d %v", turn+1, code, body)
		}
		clock.Advance(30*time.Second - time.Millisecond)
		_, before := l.do("GET", ProspectRepliesPath, "", "")
		clock.Advance(time.Millisecond)
		_, after := l.do("GET", ProspectRepliesPath, "", "")
		if n := len(asList(before["data"])); n != turn {
			t.Fatalf("message %d: %d replies before the 30s delay; want %d", turn+1, n, turn)
		}
		got := asList(after["data"])
		if want == "" {
			if len(got) != 3 {
				t.Errorf("message 4: %d replies; want the script's 3 and silence", len(got))
			}
			break
		}
		if len(got) != turn+1 {
			t.Fatalf("message %d: %d replies after the delay", turn+1, len(got))
		}
		r := got[turn].(map[string]any)
		if r["intent"] != string(want) || r["turn"] != float64(turn+1) || r["prospect_id"] != ana || r["prospect_username"] != "ana_lead" ||
			r["account_username"] != "acme_sales" || r["created_at"] != formatTime(clock.Now()) || !slices.Contains(intentTexts[want], r["text"].(string)) {
			t.Errorf("message %d: reply %v; want %s", turn+1, r, want)
		}
	}
	// Removing the script leaves the conversation's own as it was, and the
	// next conversation with the prospect follows the faults in force.
	if code, _ := l.do("POST", FaultsPath, "", `{"prospects": {"ana_lead": null}}`); code != 200 {
		t.Fatalf("removing the script: %d", code)
	}
	if _, got := l.do("GET", FaultsPath, "", ""); !jsonEqual(got["prospects"], map[string]any{}) {
		t.Errorf("prospects after removal: %v", got["prospects"])
	}
	_, login = l.do("POST", LoginPath, "", `{"handle": "other_team"}`)
	other := login["token"].(string)
	l.do("POST", "/2/dm_conversations/with/"+ana+"/messages", other, `{"text": "hi"}`)
	clock.Advance(time.Hour)
	if _, got := l.do("GET", ProspectRepliesPath+"?account=other_team", "", ""); len(asList(got["data"])) != 0 {
		t.Errorf("an unscripted prospect at reply rate 0 answered: %v", got)
	}
}

// TestScriptedProspectAcceptsDMs: a scripted prospect takes DMs even if its
// profile drew that it refuses them, and says so in receives_your_dm.
func TestScriptedProspectAcceptsDMs(t *testing.T) {
	h := newHarness(t, Options{})
	tok, _ := h.login("acme_sales")
	closed := findUser(t, h.sim, "closed", func(u User) bool { return !u.AcceptsDMs })
	if err := h.sim.SetFaults(Faults{Prospects: map[string]ProspectScript{strings.ToUpper(closed.Username): {Intents: steps(IntentAskDemo)}}}); err != nil {
		t.Fatal(err)
	}
	u := h.get("/2/users/"+closed.ID+"?user.fields=receives_your_dm", tok, 200)["data"].(map[string]any)
	if u["receives_your_dm"] != true {
		t.Errorf("scripted prospect %v", u)
	}
	h.sendDM(tok, closed.ID, "hi")
	h.clock.Advance(8 * time.Second)
	if got := intentsOf(h.replies("")); !slices.Equal(got, []string{"ask_demo"}) {
		t.Errorf("replies %v", got)
	}
}

// TestNoAndOptOutEndTheConversation: after a "no" or an opt-out, first or
// later, a prospect never answers again, however often the account writes.
func TestNoAndOptOutEndTheConversation(t *testing.T) {
	for _, want := range [][]Intent{
		steps(IntentNo), steps(IntentOptOut), steps(IntentInterested, IntentNo), steps(IntentQuestion, IntentOptOut),
	} {
		t.Run(fmt.Sprint(want), func(t *testing.T) {
			h := newHarness(t, Options{})
			tok, me := h.login("acme_sales")
			prospect, _ := replierWith(t, h.sim, "lead", me, func(sc []Intent) bool { return slices.Equal(sc, want) })
			for i := range 5 {
				h.sendDM(tok, prospect.ID, fmt.Sprintf("message %d", i+1))
				h.clock.Advance(time.Minute)
			}
			got := h.replies("")
			var wantIntents []string
			for _, in := range want {
				wantIntents = append(wantIntents, string(in))
			}
			if !slices.Equal(intentsOf(got), wantIntents) {
				t.Fatalf("replies %v; want %v", intentsOf(got), want)
			}
			last := got[len(got)-1]
			if n := 5 - len(want); last["later_messages_from_account"] != float64(n) {
				t.Errorf("later messages after the %s: %v; want %d", last["intent"], last["later_messages_from_account"], n)
			}
			if last["intent"] == string(IntentOptOut) && !sdk.IsOptOut(last["text"].(string)) {
				t.Errorf("opt-out %q is not one to sdk.IsOptOut", last["text"])
			}
		})
	}
}

// TestQuickMessagesGetOneAnswer: messages sent while an answer is on its
// way share it, and the script moves on by one step.
func TestQuickMessagesGetOneAnswer(t *testing.T) {
	h := newHarness(t, Options{Faults: Faults{Prospects: map[string]ProspectScript{
		"ana_lead": {Intents: steps(IntentInterested, IntentAskPrice, IntentAskDemo), Delay: 10 * time.Second},
	}}})
	tok, _ := h.login("acme_sales")
	ana, _ := h.sim.UserByUsername("ana_lead")
	path := "/2/dm_conversations/with/" + ana.ID + "/dm_events" + allDMFields
	h.sendDM(tok, ana.ID, "Hi Ana!")
	h.clock.Advance(time.Second)
	h.sendDM(tok, ana.ID, "(forgot the link)")
	h.clock.Advance(time.Hour)
	got := h.replies("")
	if !slices.Equal(intentsOf(got), []string{"interested"}) {
		t.Fatalf("two quick messages: replies %v; want one, interested", intentsOf(got))
	}
	// The answer came after both messages, due 10s after the first.
	events := h.allEvents(path, tok)
	if len(events) != 3 || events[0]["id"] != got[0]["event_id"] || events[0]["created_at"] != formatTime(newFakeClock().Now().Add(10*time.Second)) {
		t.Errorf("events %v", events)
	}
	// A later turn too: three messages, one answer, the next step.
	for range 3 {
		h.sendDM(tok, ana.ID, "more")
		h.clock.Advance(2 * time.Second)
	}
	h.clock.Advance(time.Hour)
	if got := intentsOf(h.replies("")); !slices.Equal(got, []string{"interested", "ask_price"}) {
		t.Errorf("three quick messages: replies %v", got)
	}
	h.sendDM(tok, ana.ID, "here is a demo link")
	h.clock.Advance(10 * time.Second)
	got = h.replies("")
	if !slices.Equal(intentsOf(got), []string{"interested", "ask_price", "ask_demo"}) || got[2]["turn"] != 3.0 {
		t.Errorf("replies %v", got)
	}
	if got[0]["later_messages_from_account"] != 4.0 || got[1]["later_messages_from_account"] != 1.0 || got[2]["later_messages_from_account"] != 0.0 {
		t.Errorf("later messages %v, %v, %v; want 4, 1, 0", got[0]["later_messages_from_account"], got[1]["later_messages_from_account"], got[2]["later_messages_from_account"])
	}
}

// TestSilentSteps: a silent step leaves one message without an answer and
// gives the next one the step after; a script of one silent step makes a
// prospect who never answers.
func TestSilentSteps(t *testing.T) {
	h := newHarness(t, Options{Faults: Faults{Prospects: map[string]ProspectScript{
		"slow_reader": {Intents: steps(IntentSilent, IntentQuestion, IntentSilent, IntentAskCall)},
		"never_reads": {Intents: steps(IntentSilent)},
	}}})
	tok, _ := h.login("acme_sales")
	for _, handle := range []string{"slow_reader", "never_reads"} {
		u, _ := h.sim.UserByUsername(handle)
		for range 5 {
			h.sendDM(tok, u.ID, "ping")
			h.clock.Advance(time.Minute)
		}
	}
	got := h.replies("")
	if !slices.Equal(intentsOf(got), []string{"question", "ask_call"}) || got[0]["turn"] != 2.0 || got[1]["turn"] != 4.0 {
		t.Errorf("replies %v", got)
	}
}

// TestScriptsAreDeterministic: the same seed and the same messages give the
// same replies, texts and times; another seed gives others.
func TestScriptsAreDeterministic(t *testing.T) {
	run := func(seed int64) []ProspectReply {
		h := newHarness(t, Options{Seed: seed, Faults: Faults{Prospects: map[string]ProspectScript{
			"ana_lead": {Intents: steps(IntentQuestion, IntentInterested, IntentInterested, IntentAskCall)},
		}}})
		tok, _ := h.login("acme_sales")
		ids := append(prospects(t, h.sim, 40), mustUser(t, h.sim, "ana_lead").ID)
		for range 4 {
			for _, id := range ids {
				sendDM(h, tok, id)
			}
			h.clock.Advance(time.Minute)
		}
		return h.sim.ProspectReplies()
	}
	a, b, c := run(5), run(5), run(6)
	if len(a) < 15 || !slices.EqualFunc(a, b, func(x, y ProspectReply) bool { return x == y }) {
		t.Fatalf("two runs with seed 5 differ, or too few replies (%d):\n%v\n%v", len(a), a, b)
	}
	if slices.EqualFunc(a, c, func(x, y ProspectReply) bool { return x.Text == y.Text && x.ProspectID == y.ProspectID }) {
		t.Error("seeds 5 and 6 give the same replies")
	}
	// A scripted prospect says something different at each step, even
	// twice the same intent.
	var said []string
	for _, r := range a {
		if r.ProspectUsername == "ana_lead" {
			said = append(said, r.Text)
		}
	}
	if len(said) != 4 || said[1] == said[2] {
		t.Errorf("ana_lead said %q", said)
	}
}

func mustUser(t *testing.T, s *Sim, handle string) User {
	t.Helper()
	u, ok := s.UserByUsername(handle)
	if !ok {
		t.Fatalf("no user %s", handle)
	}
	return u
}

// TestDefaultScriptOdds checks the default scripts: their shares, their
// shapes, and the intents that 20,000 prospects' scripts give at each
// turn, which it prints.
func TestDefaultScriptOdds(t *testing.T) {
	total, bySentiment := 0, map[string]int{}
	for _, sh := range defaultShapes {
		total += sh.percent
		bySentiment[sentimentOf(sh.intents[0])] += sh.percent
		for i, in := range sh.intents {
			switch {
			case !in.Valid():
				t.Errorf("%v: unknown intent %q", sh.intents, in)
			case in == IntentSilent && (i == 0 || i == len(sh.intents)-1):
				t.Errorf("%v: a default script opens with a reply and ends with one (silence follows anyway)", sh.intents)
			case (in == IntentNo || in == IntentOptOut) && i != len(sh.intents)-1:
				t.Errorf("%v: nothing follows a no or an opt-out", sh.intents)
			}
		}
	}
	if total != 100 || bySentiment["positive"] != 40 || bySentiment["negative"] != 30 || bySentiment["neutral"] != 30 {
		t.Errorf("shares add up to %d, %v; want 100, and 40/30/30 for the first reply", total, bySentiment)
	}

	s := New(Options{})
	const n = 20_000
	turns := map[int]map[Intent]int{}
	replied := 0
	for i := uint64(0); i < n; i++ {
		op, yes := s.pop.replyFor(genBase+i, 42, defaultReplyPerMille, s.replyMin, s.replyMax)
		if !yes {
			continue
		}
		replied++
		for turn, in := range op.script {
			if turns[turn+1] == nil {
				turns[turn+1] = map[Intent]int{}
			}
			turns[turn+1][in]++
		}
	}
	var report strings.Builder
	fmt.Fprintf(&report, "default scripts of %d prospects, %d of whom reply (%.1f%%); intents by turn, in %% of those who reply:\n", n, replied, 100*float64(replied)/n)
	for turn := 1; turns[turn] != nil; turn++ {
		fmt.Fprintf(&report, "  turn %d:", turn)
		for _, in := range allIntents {
			if c := turns[turn][in]; c > 0 {
				fmt.Fprintf(&report, " %s %.1f", in, 100*float64(c)/float64(replied))
			}
		}
		report.WriteString("\n")
	}
	t.Log(report.String())

	// Every intent occurs; the first reply's intents follow the shares.
	first := turns[1]
	pct := func(c int) float64 { return 100 * float64(c) / float64(replied) }
	for _, tc := range []struct {
		name   string
		got    float64
		lo, hi float64
	}{
		{"interested first", pct(first[IntentInterested]), 22, 26},
		{"a booking intent first", pct(first[IntentAskCall] + first[IntentAskPrice] + first[IntentAskDemo]), 14, 18},
		{"no first", pct(first[IntentNo]), 20, 24},
		{"opt_out first", pct(first[IntentOptOut]), 7, 9},
		{"question first", pct(first[IntentQuestion]), 28, 32},
		{"a second reply", pct(sum(turns[2]) - turns[2][IntentSilent]), 45, 55},
		{"a third reply", pct(sum(turns[3])), 15, 21},
	} {
		if tc.got < tc.lo || tc.got > tc.hi {
			t.Errorf("%s: %.1f%% of those who reply; want %v%% to %v%%", tc.name, tc.got, tc.lo, tc.hi)
		}
	}
	for _, in := range allIntents {
		seen := false
		for _, m := range turns {
			seen = seen || m[in] > 0
		}
		if !seen {
			t.Errorf("no default script has %s", in)
		}
	}
}

func sum(m map[Intent]int) int {
	n := 0
	for _, c := range m {
		n += c
	}
	return n
}

// TestSimPlaysDefaultScripts sends four messages to 400 prospects who all
// reply, each after the last answer, and checks that every conversation
// holds exactly the replies its default script says, at the turns it says.
func TestSimPlaysDefaultScripts(t *testing.T) {
	one := 1.0
	h := newHarness(t, Options{Seed: 9, Faults: Faults{ReplyRate: &one}})
	type lead struct {
		id, token, account string
	}
	var leads []lead
	for a := range 4 {
		tok, me := h.login(fmt.Sprintf("team_%d", a))
		for _, id := range prospects(t, h.sim, 100) {
			leads = append(leads, lead{id, tok, me})
		}
	}
	for range 4 {
		for _, l := range leads {
			if code := sendDM(h, l.token, l.id); code != 201 {
				t.Fatalf("send: %d", code)
			}
		}
		h.clock.Advance(15 * time.Minute) // every answer is in, and the rate windows reset
	}
	got := map[string][]string{}
	for _, r := range h.sim.ProspectReplies() {
		got[r.DMConversationID] = append(got[r.DMConversationID], fmt.Sprintf("%d:%s", r.Turn, r.Intent))
	}
	for _, l := range leads {
		op, _ := h.sim.pop.replyFor(mustParse(l.id), mustParse(l.account), 1000, time.Second, time.Second)
		var want []string
		for i, in := range op.script {
			if in != IntentSilent {
				want = append(want, fmt.Sprintf("%d:%s", i+1, in))
			}
		}
		conv := conversationID(mustParse(l.id), mustParse(l.account))
		if !slices.Equal(got[conv], want) {
			t.Errorf("conversation %s: replies %v; its script %v", conv, got[conv], op.script)
		}
	}
}

// TestProspectRepliesListing checks the listing's shape, order and filter,
// and that the Go method lists the same.
func TestProspectRepliesListing(t *testing.T) {
	h := newHarness(t, Options{Faults: Faults{Prospects: map[string]ProspectScript{
		"ana_lead": {Intents: steps(IntentInterested, IntentAskCall), Delay: 5 * time.Second},
		"bo_lead":  {Intents: steps(IntentOptOut), Delay: 3 * time.Second},
	}}})
	tokA, a := h.login("Acme_Sales")
	tokB, _ := h.login("beta_team")
	ana, bo := mustUser(t, h.sim, "ana_lead"), mustUser(t, h.sim, "bo_lead")
	if got := h.get(ProspectRepliesPath, "", 200); !jsonEqual(got, map[string]any{"data": []any{}}) {
		t.Errorf("no replies yet: %v", got)
	}
	h.sendDM(tokA, ana.ID, "hi ana")
	h.sendDM(tokB, bo.ID, "hi bo")
	h.clock.Advance(5 * time.Second)
	h.sendDM(tokA, ana.ID, "shall we talk?")
	h.sendDM(tokB, bo.ID, "sorry to bother you")
	h.clock.Advance(5 * time.Second)

	all := h.replies("")
	if got := intentsOf(all); !slices.Equal(got, []string{"opt_out", "interested", "ask_call"}) {
		t.Fatalf("replies %v; want oldest first", got)
	}
	keys := make([]string, 0, len(all[0]))
	for k := range all[0] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if want := []string{"account_username", "created_at", "dm_conversation_id", "event_id", "intent", "later_messages_from_account",
		"prospect_id", "prospect_username", "text", "turn"}; !slices.Equal(keys, want) {
		t.Errorf("fields %v; want %v", keys, want)
	}
	optOut, first := all[0], all[1]
	if optOut["account_username"] != "beta_team" || optOut["prospect_username"] != "bo_lead" || optOut["prospect_id"] != bo.ID ||
		optOut["later_messages_from_account"] != 1.0 || optOut["turn"] != 1.0 || !sdk.IsOptOut(optOut["text"].(string)) {
		t.Errorf("opt-out %v", optOut)
	}
	if first["account_username"] != "Acme_Sales" || first["dm_conversation_id"] != conversationID(mustParse(a), mustParse(ana.ID)) ||
		first["created_at"] != formatTime(newFakeClock().Now().Add(5*time.Second)) || first["later_messages_from_account"] != 1.0 {
		t.Errorf("first reply to Acme_Sales %v", first)
	}
	for i := 1; i < len(all); i++ {
		if all[i]["event_id"].(string) <= all[i-1]["event_id"].(string) {
			t.Errorf("event ids out of order: %v", all)
		}
	}
	// The filter is case-insensitive; an account with no replies has none.
	if got := h.replies("?account=acme_sales"); !slices.Equal(intentsOf(got), []string{"interested", "ask_call"}) {
		t.Errorf("?account=acme_sales: %v", got)
	}
	if got := h.replies("?account=BETA_TEAM"); !slices.Equal(intentsOf(got), []string{"opt_out"}) {
		t.Errorf("?account=BETA_TEAM: %v", got)
	}
	if got := h.replies("?account=nobody_here"); len(got) != 0 {
		t.Errorf("?account=nobody_here: %v", got)
	}
	if rec := h.do("GET", ProspectRepliesPath+"?account=not-a-handle", "", nil); rec.Code != 400 || !strings.Contains(rec.Body.String(), `"account":["not-a-handle"]`) {
		t.Errorf("bad account: %d %s", rec.Code, rec.Body)
	}
	// The Go method lists the same.
	var viaGo []map[string]any
	for _, r := range h.sim.ProspectReplies() {
		viaGo = append(viaGo, map[string]any{
			"event_id": r.EventID, "dm_conversation_id": r.DMConversationID, "prospect_id": r.ProspectID,
			"prospect_username": r.ProspectUsername, "account_username": r.AccountUsername, "intent": string(r.Intent),
			"text": r.Text, "created_at": formatTime(r.CreatedAt), "turn": float64(r.Turn),
			"later_messages_from_account": float64(r.LaterMessagesFromAccount),
		})
	}
	if !jsonEqual(viaGo, all) {
		t.Errorf("ProspectReplies() = %v\nendpoint: %v", viaGo, all)
	}
	// A reply due by now is listed even if no X request made it visible.
	h.sendDM(tokB, ana.ID, "hi from beta")
	h.clock.Advance(5 * time.Second)
	if got := h.sim.ProspectReplies(); len(got) != 4 || got[3].AccountUsername != "beta_team" {
		t.Errorf("after a reply fell due: %v", got)
	}
}

// TestIntentTexts: every text reads as its intent and as nothing else, so a
// reasonable classifier gets it right.
func TestIntentTexts(t *testing.T) {
	asks := map[Intent][]string{
		IntentAskCall:  {"call"},
		IntentAskPrice: {"pricing", "cost"},
		IntentAskDemo:  {"demo"},
	}
	positiveCues := []string{"yes", "sure", "love", "great", "happy", "perfect", "sounds", "tell me more", "interesting"}
	seen := map[string]Intent{}
	for _, in := range allIntents {
		texts := intentTexts[in]
		if in == IntentSilent {
			if len(texts) != 0 {
				t.Errorf("silent has texts %q", texts)
			}
			continue
		}
		if len(texts) < 5 {
			t.Errorf("%s has %d texts; want several", in, len(texts))
		}
		for _, text := range texts {
			lower := strings.ToLower(text)
			if prev, dup := seen[text]; dup {
				t.Errorf("%q is both %s and %s", text, prev, in)
			}
			seen[text] = in
			if sdk.IsOptOut(text) != (in == IntentOptOut) {
				t.Errorf("%s %q: sdk.IsOptOut says %v", in, text, sdk.IsOptOut(text))
			}
			for booking, words := range asks {
				mentions := slices.ContainsFunc(words, func(w string) bool { return strings.Contains(lower, w) })
				if mentions != (in == booking) {
					t.Errorf("%s %q: mentions %v: %v", in, text, words, mentions)
				}
			}
			switch in {
			case IntentNo:
				if !strings.HasPrefix(lower, "no") || slices.ContainsFunc(positiveCues, func(c string) bool { return strings.Contains(lower, c) }) {
					t.Errorf("no %q: a no starts with No or Not and holds nothing positive", text)
				}
			case IntentQuestion:
				if !strings.HasSuffix(text, "?") {
					t.Errorf("question %q does not ask", text)
				}
			case IntentInterested:
				if strings.Contains(text, "?") {
					t.Errorf("interested %q asks something", text)
				}
			}
		}
	}
}

// TestScriptedReplyShape: a scripted prospect's answer is a MessageCreate
// of X's shape in the conversation, within the reply delay in force when
// its script sets none.
func TestScriptedReplyShape(t *testing.T) {
	h := newHarness(t, Options{Faults: Faults{Prospects: map[string]ProspectScript{"ana_lead": {Intents: steps(IntentAskCall)}}}})
	tok, _ := h.login("acme_sales")
	ana := mustUser(t, h.sim, "ana_lead")
	conv := h.sendDM(tok, ana.ID, "hi")["data"].(map[string]any)["dm_conversation_id"].(string)
	h.clock.Advance(8 * time.Second)
	events := h.allEvents("/2/dm_conversations/"+conv+"/dm_events"+allDMFields, tok)
	if len(events) != 2 {
		t.Fatalf("%d events", len(events))
	}
	assertShape(t, events[0], "dm_event.MessageCreate.json")
	if events[0]["sender_id"] != ana.ID || !slices.Contains(intentTexts[IntentAskCall], events[0]["text"].(string)) {
		t.Errorf("reply %v", events[0])
	}
}

// TestProspectsFaultsJSON: prospects in POST FaultsPath are validated,
// named in errors with the value at fault, replaced whole per handle and
// shown by GET.
func TestProspectsFaultsJSON(t *testing.T) {
	h := newHarness(t, Options{})
	for _, tc := range []struct{ body, want string }{
		{`{"prospects": {"ana_lead": {"intents": ["interested", "maybe"]}}}`, `prospects.ana_lead.intents[1] \"maybe\": unknown intent`},
		{`{"prospects": {"ana_lead": {"intents": []}}}`, "prospects.ana_lead.intents: give at least one intent"},
		{`{"prospects": {"ana_lead": {}}}`, "prospects.ana_lead.intents: give at least one intent"},
		{`{"prospects": {"ana_lead": {"intents": "interested"}}}`, "prospects"},
		{`{"prospects": {"ana_lead": {"intents": ["no"], "delay": "soon"}}}`, `ana_lead.delay \"soon\"`},
		{`{"prospects": {"ana_lead": {"intents": ["no"], "delay": "-1s"}}}`, "prospects.ana_lead.delay -1s"},
		{`{"prospects": {"ana_lead": {"intents": ["no"], "mood": "grumpy"}}}`, "prospects"},
		{`{"prospects": {"not a handle": {"intents": ["no"]}}}`, "prospects.not a handle"},
		{`{"prospects": ["ana_lead"]}`, "prospects"},
	} {
		rec := h.do("POST", FaultsPath, "", tc.body)
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), tc.want) {
			t.Errorf("POST %s: %d %s; want 400 naming %s", tc.body, rec.Code, rec.Body, tc.want)
		}
	}
	if got := h.get(FaultsPath, "", 200)["prospects"]; !jsonEqual(got, map[string]any{}) {
		t.Errorf("refused bodies changed the prospects: %v", got)
	}
	h.do("POST", FaultsPath, "", `{"prospects": {"Ana_Lead": {"intents": ["interested"], "delay": "1m"}, "bo_lead": {"intents": ["silent"]}}}`)
	h.do("POST", FaultsPath, "", `{"prospects": {"ana_lead": {"intents": ["no"]}}}`)
	want := map[string]any{"ana_lead": map[string]any{"intents": []any{"no"}}, "bo_lead": map[string]any{"intents": []any{"silent"}}}
	if got := h.get(FaultsPath, "", 200)["prospects"]; !jsonEqual(got, want) {
		t.Errorf("prospects %v; want %v", got, want)
	}
	if got := h.sim.Faults().Prospects; len(got) != 2 || !slices.Equal(got["ana_lead"].Intents, steps(IntentNo)) {
		t.Errorf("Faults().Prospects = %v", got)
	}
	// In Go, Validate names the same settings, and a handle given twice.
	for _, tc := range []struct {
		prospects map[string]ProspectScript
		want      string
	}{
		{map[string]ProspectScript{"ana_lead": {Intents: steps("maybe")}}, `prospects.ana_lead.intents[0] "maybe": unknown intent; known intents: interested, question, ask_call, ask_price, ask_demo, no, opt_out, silent`},
		{map[string]ProspectScript{"ana_lead": {}}, "prospects.ana_lead.intents: give at least one intent"},
		{map[string]ProspectScript{"ana_lead": {Intents: steps(IntentNo)}, "Ana_Lead": {Intents: steps(IntentNo)}}, "the same prospect"},
	} {
		if err := h.sim.SetFaults(Faults{Prospects: tc.prospects}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("SetFaults(%v): %v; want %q", tc.prospects, err, tc.want)
		}
	}
	// The Sim keeps its own copy of a script.
	intents := steps(IntentInterested)
	if err := h.sim.SetFaults(Faults{Prospects: map[string]ProspectScript{"ana_lead": {Intents: intents}}}); err != nil {
		t.Fatal(err)
	}
	intents[0] = "maybe"
	if err := h.sim.Faults().Validate(); err != nil {
		t.Errorf("changing the caller's slice changed the Sim's: %v", err)
	}
}
