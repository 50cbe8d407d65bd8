package api

import "time"

// Conventions of the wire types, shared by every resource file.
//
// Times appear as the hosted API shows them: RFC 3339 strings in UTC where
// its examples show strings (wireTime; wireTimeMillis where they show
// milliseconds, "2024-03-20T15:00:00.000Z"), epoch milliseconds where they
// show numbers (epochMillis). Lists are never null: clients iterate over
// them.

// wireTime is t in RFC 3339 in UTC, "" for the zero time.
func wireTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// wireTimeMillis is t in RFC 3339 in UTC with milliseconds, "" for the
// zero time.
func wireTimeMillis(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z07:00")
}

// epochMillis is t in milliseconds since the Unix epoch, 0 for the zero
// time.
func epochMillis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// maxBodyBytes bounds every request body: 413 beyond it. huma applies it
// to JSON bodies by default; operations that read a raw body (CSV, HCL)
// set it themselves.
const maxBodyBytes = 1 << 20

// offsetPage is the pagination block of the listings the hosted API pages
// with limit and offset.
type offsetPage struct {
	Limit  int `json:"limit" doc:"The limit applied." example:"10"`
	Offset int `json:"offset" doc:"The offset applied." example:"0"`
	Count  int `json:"count" doc:"How many items this page holds." example:"1"`
	Total  int `json:"total" doc:"How many items there are in all." example:"5"`
}
