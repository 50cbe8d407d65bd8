-- The engagement before first DMs (store.Engagement): one outcome per
-- campaign, lead and step, its tallies moved by a trigger as job_tallies
-- are (0001_init.sql), and each account's daily count of each step, as
-- sent_counts is of its DMs.
CREATE TABLE engagements (
	ws          text COLLATE "C" NOT NULL,
	campaign_id text COLLATE "C" NOT NULL,
	lead_id     text COLLATE "C" NOT NULL,
	step        text COLLATE "C" NOT NULL,
	account_id  text COLLATE "C" NOT NULL,
	state       text COLLATE "C" NOT NULL,
	body        json NOT NULL,
	PRIMARY KEY (ws, campaign_id, lead_id, step)
);
CREATE INDEX engagements_by_lead ON engagements (ws, lead_id, campaign_id, step);

CREATE TABLE engage_tallies (
	ws          text COLLATE "C" NOT NULL,
	campaign_id text COLLATE "C" NOT NULL,
	account_id  text COLLATE "C" NOT NULL,
	step        text COLLATE "C" NOT NULL,
	state       text COLLATE "C" NOT NULL,
	n           bigint NOT NULL,
	PRIMARY KEY (ws, campaign_id, account_id, step, state)
);

CREATE FUNCTION engagements_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' AND (OLD.ws, OLD.campaign_id, OLD.account_id, OLD.step, OLD.state)
		IS NOT DISTINCT FROM (NEW.ws, NEW.campaign_id, NEW.account_id, NEW.step, NEW.state) THEN
		RETURN NULL;
	END IF;
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		INSERT INTO engage_tallies AS t VALUES (OLD.ws, OLD.campaign_id, OLD.account_id, OLD.step, OLD.state, -1)
		ON CONFLICT (ws, campaign_id, account_id, step, state) DO UPDATE SET n = t.n - 1;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		INSERT INTO engage_tallies AS t VALUES (NEW.ws, NEW.campaign_id, NEW.account_id, NEW.step, NEW.state, 1)
		ON CONFLICT (ws, campaign_id, account_id, step, state) DO UPDATE SET n = t.n + 1;
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER engagements_tally AFTER INSERT OR UPDATE OR DELETE ON engagements
	FOR EACH ROW EXECUTE FUNCTION engagements_tally();

CREATE TABLE engage_counts (
	ws         text COLLATE "C" NOT NULL,
	account_id text COLLATE "C" NOT NULL,
	step       text COLLATE "C" NOT NULL,
	day        text COLLATE "C" NOT NULL,
	n          integer NOT NULL,
	PRIMARY KEY (ws, account_id, step, day)
);
