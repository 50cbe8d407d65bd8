package store

import "time"

// Session is a signed-in dashboard browser. It is found by TokenHash, the
// hex SHA-256 of the random token its cookie holds: the token itself is
// never stored, so a copy of the records lets no one in. It keeps the hash
// of the API key it was opened with (as secrets.HashAPIKey gives), never
// the key, and ends when that key is revoked.
type Session struct {
	TokenHash  string    `json:"token_hash"`
	Workspace  string    `json:"workspace"`
	KeyHash    string    `json:"key_hash"`
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
}
