package xsim

import (
	"net/http"
	"strings"
	"time"
)

// ProspectRepliesPath is the simulator's own record of what prospects
// answered. Like FaultsPath it exists only in the simulator and takes no
// credentials.
//
//	GET /sandbox/v1/prospects/replies[?account=handle] -> 200 {"data": [{
//	  "event_id", "dm_conversation_id", "prospect_id", "prospect_username",
//	  "account_username", "intent", "text", "created_at", "turn",
//	  "later_messages_from_account"}, ...]}
//
// It lists every prospect reply that has become visible, oldest first, to
// every account or to the one named by account (case-insensitive; a handle
// that is not a username gets 400). created_at is in X's format; turn is
// the script's step the reply plays, counting from 1 (see ProspectReply);
// later_messages_from_account counts the messages the account sent in
// that conversation after the reply became visible, so that a test can
// check that nothing followed a "no" or an opt-out.
const ProspectRepliesPath = "/sandbox/v1/prospects/replies"

// ProspectReply is a prospect's reply that has become visible, as
// ProspectReplies and ProspectRepliesPath list it.
type ProspectReply struct {
	EventID          string // the DM event's id
	DMConversationID string
	ProspectID       string
	ProspectUsername string
	AccountUsername  string // the account holder it answers, as it logs in
	Intent           Intent
	Text             string
	CreatedAt        time.Time
	// Turn is the step of the prospect's script the reply plays, counting
	// from 1: the reply to the first DM is turn 1; a prospect silent at
	// step 2 who answers the next message does so at turn 3.
	Turn int
	// LaterMessagesFromAccount is how many messages the account sent in the
	// conversation after the reply became visible.
	LaterMessagesFromAccount int
}

// replyRecord is a prospect's reply as the Sim remembers it.
type replyRecord struct {
	event    *dmEvent
	prospect string // username
	account  uint64
	intent   Intent
	turn     int
}

// ProspectReplies returns every prospect reply that has become visible by
// now on the Sim's clock, oldest first.
func (s *Sim) ProspectReplies() []ProspectReply {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.materialise(s.clock.Now())
	return s.prospectRepliesLocked("")
}

// prospectRepliesLocked lists the replies to account (a lower-cased
// handle), or to every account if it is "".
func (s *Sim) prospectRepliesLocked(account string) []ProspectReply {
	out := []ProspectReply{}
	for _, rec := range s.replies {
		a := s.owners[rec.account]
		if account != "" && strings.ToLower(a.handle) != account {
			continue
		}
		e := rec.event
		later := 0
		for _, other := range e.conv.events {
			if other.sender == rec.account && other.id > e.id {
				later++
			}
		}
		out = append(out, ProspectReply{
			EventID:                  idString(e.id),
			DMConversationID:         e.conv.id,
			ProspectID:               idString(e.sender),
			ProspectUsername:         rec.prospect,
			AccountUsername:          a.handle,
			Intent:                   rec.intent,
			Text:                     e.text,
			CreatedAt:                e.at,
			Turn:                     rec.turn,
			LaterMessagesFromAccount: later,
		})
	}
	return out
}

// accountQuery is the account query parameter of a sandbox listing,
// lower-cased, "" for every account; false, after a 400 is written, when
// it is not a username.
func accountQuery(w http.ResponseWriter, r *http.Request) (string, bool) {
	account := r.URL.Query().Get("account")
	if account != "" && !validUsername(account) {
		writeResult(w, invalidParam("account", account, "The `account` query parameter value [%s] is not a username: a username is 1 to 15 letters, digits or underscores", account))
		return "", false
	}
	return strings.ToLower(account), true
}

type prospectRepliesJSON struct {
	Data []prospectReplyJSON `json:"data"`
}

type prospectReplyJSON struct {
	EventID                  string `json:"event_id"`
	DMConversationID         string `json:"dm_conversation_id"`
	ProspectID               string `json:"prospect_id"`
	ProspectUsername         string `json:"prospect_username"`
	AccountUsername          string `json:"account_username"`
	Intent                   Intent `json:"intent"`
	Text                     string `json:"text"`
	CreatedAt                string `json:"created_at"`
	Turn                     int    `json:"turn"`
	LaterMessagesFromAccount int    `json:"later_messages_from_account"`
}

func (s *Sim) handleProspectReplies(w http.ResponseWriter, r *http.Request) {
	account, ok := accountQuery(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	s.materialise(s.clock.Now())
	replies := s.prospectRepliesLocked(account)
	s.mu.Unlock()
	out := prospectRepliesJSON{Data: make([]prospectReplyJSON, len(replies))}
	for i, p := range replies {
		out.Data[i] = prospectReplyJSON{
			EventID: p.EventID, DMConversationID: p.DMConversationID, ProspectID: p.ProspectID,
			ProspectUsername: p.ProspectUsername, AccountUsername: p.AccountUsername, Intent: p.Intent,
			Text: p.Text, CreatedAt: formatTime(p.CreatedAt), Turn: p.Turn, LaterMessagesFromAccount: p.LaterMessagesFromAccount,
		}
	}
	writeResult(w, answerOK(out))
}
