-- Dashboard sessions (core/service/sessions.go), across workspaces, by
-- the hash of their cookie's token; the sweep removes those unseen for a
-- while, by last_seen_at. `outreach store copy` leaves them behind.
CREATE TABLE sessions (
	token_hash   text COLLATE "C" PRIMARY KEY,
	last_seen_at timestamptz NOT NULL,
	body         json NOT NULL
);
CREATE INDEX sessions_by_last_seen ON sessions (last_seen_at);
