-- Replied campaign conversations by account, campaign and the sentiment of
-- the lead's latest classified reply ('' until one new_sentiment classified), moved by
-- a trigger as reply_tallies are: the workspace's analytics read these
-- rows rather than every conversation.
CREATE TABLE sentiment_tallies (
	ws          text COLLATE "C" NOT NULL,
	account_id  text COLLATE "C" NOT NULL,
	campaign_id text COLLATE "C" NOT NULL,
	sentiment   text COLLATE "C" NOT NULL,
	n           bigint NOT NULL,
	PRIMARY KEY (ws, account_id, campaign_id, sentiment)
);

INSERT INTO sentiment_tallies
	SELECT ws, account_id, campaign_id, coalesce(body->>'sentiment', ''), count(*)
	FROM conversations WHERE replied AND campaign_id <> ''
	GROUP BY 1, 2, 3, 4;

CREATE FUNCTION conversations_sentiment_tally() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	counted boolean := TG_OP IN ('UPDATE', 'DELETE') AND OLD.replied AND OLD.campaign_id <> '';
	counts  boolean := TG_OP IN ('INSERT', 'UPDATE') AND NEW.replied AND NEW.campaign_id <> '';
	old_sentiment text;
	new_sentiment text;
BEGIN
	IF counted THEN
		old_sentiment := coalesce(OLD.body->>'sentiment', '');
	END IF;
	IF counts THEN
		new_sentiment := coalesce(NEW.body->>'sentiment', '');
	END IF;
	IF counted AND counts AND (OLD.ws, OLD.account_id, OLD.campaign_id, old_sentiment)
		IS NOT DISTINCT FROM (NEW.ws, NEW.account_id, NEW.campaign_id, new_sentiment) THEN
		RETURN NULL;
	END IF;
	IF counted THEN
		INSERT INTO sentiment_tallies AS t VALUES (OLD.ws, OLD.account_id, OLD.campaign_id, old_sentiment, -1)
		ON CONFLICT (ws, account_id, campaign_id, sentiment) DO UPDATE SET n = t.n - 1;
	END IF;
	IF counts THEN
		INSERT INTO sentiment_tallies AS t VALUES (NEW.ws, NEW.account_id, NEW.campaign_id, new_sentiment, 1)
		ON CONFLICT (ws, account_id, campaign_id, sentiment) DO UPDATE SET n = t.n + 1;
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER conversations_sentiment_tally AFTER INSERT OR UPDATE OR DELETE ON conversations
	FOR EACH ROW EXECUTE FUNCTION conversations_sentiment_tally();
