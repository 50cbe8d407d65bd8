package ai

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/outreachhq/outreach/sdk"
)

func TestClassifyLexicon(t *testing.T) {
	for _, tc := range []struct {
		text string
		want sdk.Sentiment
	}{
		{"Yes! Sounds great, let's talk.", sdk.Positive},
		{"sure, happy to chat", sdk.Positive},
		{"No problem, tell me more", sdk.Positive},
		{"Not interested.", sdk.Negative},
		{"I'm not interested, thanks", sdk.Negative},
		{"Please stop messaging me", sdk.Negative},
		{"unsubscribe", sdk.Negative},
		{"Thanks, but leave me alone", sdk.Negative},
		{"Love it, but don’t follow up", sdk.Negative},
		{"non-stop growth this year", sdk.Neutral},
		{"can't stop thinking about this offer", sdk.Positive}, // not an opt-out, and keen
		{"who is this?", sdk.Neutral},
		{"I'm not sure yet", sdk.Neutral},
		{"", sdk.Neutral},
	} {
		if got := classify(tc.text); got.Sentiment != tc.want {
			t.Errorf("classify(%q) = %s; want %s", tc.text, got.Sentiment, tc.want)
		}
	}
}

func TestTruncate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want string
	}{
		{"short", 0, "short"},
		{"short", 10, "short"},
		{"Great point, thanks for sharing", 14, "Great point"},
		{"Ça marche très bien", 9, "Ça marche"},
		{"unbreakable", 4, "unbr"},
	} {
		got := truncate(tc.in, tc.max)
		if got != tc.want || (tc.max > 0 && utf8.RuneCountInString(got) > tc.max) {
			t.Errorf("truncate(%q, %d) = %q; want %q", tc.in, tc.max, got, tc.want)
		}
	}
}

func TestCannedReply(t *testing.T) {
	first := sdk.ConversationMessage{FromAccount: true, Text: "Hi Ana, are you hiring engineers this quarter?"}
	draft := func(msgs ...sdk.ConversationMessage) string {
		return cannedReply(sdk.DraftRequest{LeadName: "Ana", Conversation: append([]sdk.ConversationMessage{first}, msgs...)})
	}
	yes := draft(sdk.ConversationMessage{Text: "Sounds good!"})
	no := draft(sdk.ConversationMessage{Text: "Not interested, stop."})
	who := draft(sdk.ConversationMessage{Text: "Who is this?"})
	again := draft(sdk.ConversationMessage{Text: "Sounds good!"}, sdk.ConversationMessage{FromAccount: true, Text: yes}, sdk.ConversationMessage{Text: "Yes, tell me more"})
	for _, d := range []string{yes, no, who, again} {
		if !strings.Contains(d, "Ana") {
			t.Errorf("%q does not name the lead", d)
		}
	}
	if len(map[string]bool{yes: true, no: true, who: true, again: true}) != 4 {
		t.Errorf("canned replies %q to a yes, %q to a no, %q to who-is-this, %q to a second yes: want four different ones", yes, no, who, again)
	}
	if !strings.Contains(no, "won't bother you") {
		t.Errorf("to a no: %q; want a graceful exit", no)
	}
}
