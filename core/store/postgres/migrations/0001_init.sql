-- The first schema of the Postgres store. doc.go explains its choices:
-- each record is its JSON (body) plus the columns its queries and indexes
-- need; every key column collates as "C", so that orders are byte orders
-- (as Go compares strings); times are timestamptz, exact to the
-- microsecond (bodies keep the nanoseconds).

CREATE TABLE workspaces (
	name text COLLATE "C" PRIMARY KEY
);

-- Install-wide settings by name.
CREATE TABLE settings (
	name  text COLLATE "C" PRIMARY KEY,
	value text NOT NULL
);

CREATE TABLE accounts (
	ws         text COLLATE "C" NOT NULL,
	id         text COLLATE "C" NOT NULL,
	address    text COLLATE "C" NOT NULL,
	handle     text COLLATE "C" NOT NULL, -- store.NormalizeHandle of the account's
	created_at timestamptz NOT NULL,
	body       json NOT NULL,
	PRIMARY KEY (ws, id)
);
CREATE INDEX accounts_by_address ON accounts (ws, address) WHERE address <> '';
CREATE INDEX accounts_by_handle ON accounts (handle) WHERE handle <> '';
CREATE INDEX accounts_by_created ON accounts (ws, created_at, id);

CREATE TABLE account_states (
	ws         text COLLATE "C" NOT NULL,
	account_id text COLLATE "C" NOT NULL,
	body       json NOT NULL,
	PRIMARY KEY (ws, account_id)
);

CREATE TABLE sent_counts (
	ws         text COLLATE "C" NOT NULL,
	account_id text COLLATE "C" NOT NULL,
	day        text COLLATE "C" NOT NULL,
	n          integer NOT NULL,
	PRIMARY KEY (ws, account_id, day)
);

-- Filters, sources, campaigns, webhooks, scheduled tweets and custom tags.
CREATE TABLE objects (
	ws         text COLLATE "C" NOT NULL,
	kind       text COLLATE "C" NOT NULL,
	id         text COLLATE "C" NOT NULL,
	address    text COLLATE "C" NOT NULL,
	created_at timestamptz NOT NULL,
	body       json NOT NULL,
	PRIMARY KEY (ws, kind, id)
);
CREATE INDEX objects_by_address ON objects (ws, kind, address) WHERE address <> '';
CREATE INDEX objects_by_created ON objects (ws, kind, created_at, id);

CREATE TABLE leads (
	ws      text COLLATE "C" NOT NULL,
	user_id text COLLATE "C" NOT NULL,
	body    json NOT NULL,
	PRIMARY KEY (ws, user_id)
);

-- The leads a source kept, at positions 0, 1, ... in the order it kept
-- them: a source's count is its last position plus one.
CREATE TABLE source_leads (
	ws        text COLLATE "C" NOT NULL,
	source_id text COLLATE "C" NOT NULL,
	pos       integer NOT NULL,
	user_id   text COLLATE "C" NOT NULL,
	PRIMARY KEY (ws, source_id, pos),
	UNIQUE (ws, source_id, user_id)
);

CREATE TABLE contacted (
	ws          text COLLATE "C" NOT NULL,
	user_id     text COLLATE "C" NOT NULL,
	campaign_id text COLLATE "C" NOT NULL,
	PRIMARY KEY (ws, user_id)
);

CREATE TABLE do_not_contact (
	ws      text COLLATE "C" NOT NULL,
	user_id text COLLATE "C" NOT NULL,
	reason  text NOT NULL,
	PRIMARY KEY (ws, user_id)
);

-- Jobs. An id column is '' when the job names none.
CREATE TABLE jobs (
	ws          text COLLATE "C" NOT NULL,
	id          text COLLATE "C" NOT NULL,
	kind        text COLLATE "C" NOT NULL,
	state       text COLLATE "C" NOT NULL,
	due_at      timestamptz NOT NULL,
	campaign_id text COLLATE "C" NOT NULL,
	source_id   text COLLATE "C" NOT NULL,
	account_id  text COLLATE "C" NOT NULL,
	lead_id     text COLLATE "C" NOT NULL,
	variant     integer NOT NULL,
	body        json NOT NULL,
	PRIMARY KEY (ws, id)
);
-- Jobs(ws, q) walks one of these in id order.
CREATE INDEX jobs_by_campaign ON jobs (ws, campaign_id, id);
CREATE INDEX jobs_by_campaign_lead ON jobs (ws, campaign_id, lead_id, id);
CREATE INDEX jobs_by_source ON jobs (ws, source_id, id);
CREATE INDEX jobs_by_account ON jobs (ws, account_id, id);
CREATE INDEX jobs_by_state ON jobs (ws, state, id);
-- An account's queue: its pending jobs, lane by lane (campaign and kind),
-- in due order. The queries repeat the predicate, so that a generic plan
-- can use the index too.
CREATE INDEX jobs_queue ON jobs (ws, account_id, campaign_id, kind, due_at, id)
	WHERE state = 'pending' AND account_id <> '';
-- The due order of the pending jobs without an account, every workspace.
CREATE INDEX jobs_due ON jobs (due_at, ws, id)
	WHERE state = 'pending' AND account_id = '';

-- Tallies of jobs by bucket, moved by a trigger in the statement that
-- changes a job: a bucket's row is written only by jobs of its account,
-- so Updates of different accounts do not contend for one row. Rows that
-- fall to zero stay (a read skips them): deleting them would only make
-- the next job of the bucket insert them again.
CREATE TABLE job_tallies (
	ws          text COLLATE "C" NOT NULL,
	campaign_id text COLLATE "C" NOT NULL,
	account_id  text COLLATE "C" NOT NULL,
	kind        text COLLATE "C" NOT NULL,
	variant     integer NOT NULL,
	state       text COLLATE "C" NOT NULL,
	n           bigint NOT NULL,
	PRIMARY KEY (ws, campaign_id, account_id, kind, variant, state)
);
CREATE INDEX job_tallies_by_account ON job_tallies (ws, account_id);
CREATE INDEX job_tallies_by_state ON job_tallies (ws, state);

CREATE FUNCTION jobs_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' AND (OLD.ws, OLD.campaign_id, OLD.account_id, OLD.kind, OLD.variant, OLD.state)
		IS NOT DISTINCT FROM (NEW.ws, NEW.campaign_id, NEW.account_id, NEW.kind, NEW.variant, NEW.state) THEN
		RETURN NULL;
	END IF;
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		INSERT INTO job_tallies AS t VALUES (OLD.ws, OLD.campaign_id, OLD.account_id, OLD.kind, OLD.variant, OLD.state, -1)
		ON CONFLICT (ws, campaign_id, account_id, kind, variant, state) DO UPDATE SET n = t.n - 1;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		INSERT INTO job_tallies AS t VALUES (NEW.ws, NEW.campaign_id, NEW.account_id, NEW.kind, NEW.variant, NEW.state, 1)
		ON CONFLICT (ws, campaign_id, account_id, kind, variant, state) DO UPDATE SET n = t.n + 1;
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER jobs_tally AFTER INSERT OR UPDATE OR DELETE ON jobs
	FOR EACH ROW EXECUTE FUNCTION jobs_tally();

CREATE TABLE intents (
	ws      text COLLATE "C" NOT NULL,
	job_id  text COLLATE "C" NOT NULL,
	expires timestamptz NOT NULL, -- the lease's; the zero time without one
	body    json NOT NULL,
	PRIMARY KEY (ws, job_id)
);
CREATE INDEX intents_by_expiry ON intents (expires, ws, job_id);

CREATE TABLE conversations (
	ws          text COLLATE "C" NOT NULL,
	id          text COLLATE "C" NOT NULL,
	account_id  text COLLATE "C" NOT NULL,
	lead_id     text COLLATE "C" NOT NULL,
	campaign_id text COLLATE "C" NOT NULL,
	variant     integer NOT NULL,
	replied     boolean NOT NULL,
	unread      boolean NOT NULL,
	tag         text COLLATE "C" NOT NULL,
	last_at     timestamptz NOT NULL,
	body        json NOT NULL,
	PRIMARY KEY (ws, id)
);
-- Pages of conversations, newest first (last_at, then id, descending),
-- are read backwards along these.
CREATE INDEX conversations_by_last ON conversations (ws, last_at, id);
CREATE INDEX conversations_by_account ON conversations (ws, account_id, last_at, id);
CREATE INDEX conversations_by_tag ON conversations (ws, tag, last_at, id) WHERE tag <> '';

-- Replied conversations by campaign, account and variant, moved by a
-- trigger as job_tallies are.
CREATE TABLE reply_tallies (
	ws          text COLLATE "C" NOT NULL,
	campaign_id text COLLATE "C" NOT NULL,
	account_id  text COLLATE "C" NOT NULL,
	variant     integer NOT NULL,
	n           bigint NOT NULL,
	PRIMARY KEY (ws, campaign_id, account_id, variant)
);

CREATE FUNCTION conversations_tally() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	counted boolean := TG_OP IN ('UPDATE', 'DELETE') AND OLD.replied AND OLD.campaign_id <> '';
	counts  boolean := TG_OP IN ('INSERT', 'UPDATE') AND NEW.replied AND NEW.campaign_id <> '';
BEGIN
	IF counted AND counts AND (OLD.ws, OLD.campaign_id, OLD.account_id, OLD.variant)
		IS NOT DISTINCT FROM (NEW.ws, NEW.campaign_id, NEW.account_id, NEW.variant) THEN
		RETURN NULL;
	END IF;
	IF counted THEN
		INSERT INTO reply_tallies AS t VALUES (OLD.ws, OLD.campaign_id, OLD.account_id, OLD.variant, -1)
		ON CONFLICT (ws, campaign_id, account_id, variant) DO UPDATE SET n = t.n - 1;
	END IF;
	IF counts THEN
		INSERT INTO reply_tallies AS t VALUES (NEW.ws, NEW.campaign_id, NEW.account_id, NEW.variant, 1)
		ON CONFLICT (ws, campaign_id, account_id, variant) DO UPDATE SET n = t.n + 1;
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER conversations_tally AFTER INSERT OR UPDATE OR DELETE ON conversations
	FOR EACH ROW EXECUTE FUNCTION conversations_tally();

CREATE TABLE messages (
	ws              text COLLATE "C" NOT NULL,
	conversation_id text COLLATE "C" NOT NULL,
	id              text COLLATE "C" NOT NULL,
	at              timestamptz NOT NULL,
	body            json NOT NULL,
	PRIMARY KEY (ws, conversation_id, id)
);
CREATE INDEX messages_by_at ON messages (ws, conversation_id, at, id);

-- The outbox. Seqs come from event_seq, taken under an advisory lock held
-- to commit (outbox.go); data is kept apart from the body, byte for byte.
CREATE SEQUENCE event_seq;
CREATE TABLE events (
	seq  bigint PRIMARY KEY,
	ws   text COLLATE "C" NOT NULL,
	body json NOT NULL,
	data bytea
);
CREATE INDEX events_by_ws ON events (ws, seq);

CREATE TABLE event_cursors (
	consumer text COLLATE "C" PRIMARY KEY,
	seq      bigint NOT NULL
);

CREATE TABLE deliveries (
	ws         text COLLATE "C" NOT NULL,
	id         text COLLATE "C" NOT NULL,
	webhook_id text COLLATE "C" NOT NULL,
	created_at timestamptz NOT NULL,
	body       json NOT NULL,
	PRIMARY KEY (ws, id)
);
CREATE INDEX deliveries_by_webhook ON deliveries (ws, webhook_id, created_at, id);

CREATE TABLE api_keys (
	ws         text COLLATE "C" NOT NULL,
	id         text COLLATE "C" NOT NULL,
	hash       text COLLATE "C" NOT NULL,
	created_at timestamptz NOT NULL,
	body       json NOT NULL,
	PRIMARY KEY (ws, id)
);
CREATE INDEX api_keys_by_hash ON api_keys (hash);
CREATE INDEX api_keys_by_created ON api_keys (ws, created_at, id);
