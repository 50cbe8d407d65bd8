-- What each account's network calls cost on a UTC day, in millionths of
-- the price table's currency (store.Spend). The workspace's day is the
-- sum of its accounts' rows, read by (ws, day).
CREATE TABLE api_spend (
	ws         text COLLATE "C" NOT NULL,
	account_id text COLLATE "C" NOT NULL,
	day        text COLLATE "C" NOT NULL,
	micros     bigint NOT NULL,
	PRIMARY KEY (ws, account_id, day)
);
CREATE INDEX api_spend_day ON api_spend (ws, day);
