package store

import (
	"fmt"
	"strings"
	"time"
)

// Key layout. Everything a workspace owns lives under "ws/<name>/"; index
// keys that span workspaces (due jobs, API key hashes) name the workspace
// in their value or key so a lookup can check it.
func wsKey(ws string, parts ...string) string {
	return "ws/" + ws + "/" + strings.Join(parts, "/")
}

// Object kinds with config names.
const (
	KindAccount  = "account"
	KindFilter   = "filter"
	KindSource   = "source"
	KindCampaign = "campaign"
)

func objKey(ws, kind, id string) string     { return wsKey(ws, "obj", kind, id) }
func nameKey(ws, kind, name string) string  { return wsKey(ws, "name", kind, name) }
func leadKey(ws, userID string) string      { return wsKey(ws, "lead", userID) }
func jobKey(ws, id string) string           { return wsKey(ws, "job", id) }
func intentKey(ws, jobID string) string     { return wsKey(ws, "intent", jobID) }
func contactedKey(ws, userID string) string { return wsKey(ws, "contacted", userID) }
func convKey(ws, id string) string          { return wsKey(ws, "conv", id) }
func msgKey(ws, convID, id string) string   { return wsKey(ws, "msg", convID, id) }
func cursorKey(ws, accountID string) string { return wsKey(ws, "cursor", accountID) }
func dncKey(ws, userID string) string       { return wsKey(ws, "dnc", userID) }
func apiKeyKey(hash string) string          { return "apikey/" + hash }

// sourceLeadKey orders a source's leads by when they were kept.
func sourceLeadKey(ws, sourceID string, seq int) string {
	return wsKey(ws, "srclead", sourceID, fmt.Sprintf("%010d", seq))
}

// dueKey indexes a pending job by due time; the fixed width makes key order
// time order.
func dueKey(at time.Time, ws, jobID string) string {
	return fmt.Sprintf("due/%020d/%s/%s", at.UnixNano(), ws, jobID)
}

// sendqKey indexes a pending DM or follow-up in its account's send queue:
// one lane per campaign and kind, each in due-time order, so the engine
// finds an account's next send without reading (or rewriting) the jobs
// queued behind it.
func sendqKey(j Job) string {
	return fmt.Sprintf("%s%020d/%s", laneKey(j.lane()), j.DueAt.UnixNano(), j.ID)
}

// laneKey is the prefix of a lane's keys.
func laneKey(l Lane) string {
	return fmt.Sprintf("sendq/%s/%s/%s/%s/", l.Workspace, l.AccountID, l.CampaignID, l.Kind)
}

// The string-valued index keys use the "objects" themselves as values; a
// few counters are plain integers.
func sourceSeqKey(ws, sourceID string) string { return wsKey(ws, "srcseq", sourceID) }
