-- The queue (queue.go) looks up the live River job of a unit (an account's
-- lane, or a scrape) by its arguments before it inserts or wakes one. River
-- indexes its jobs by kind, state and schedule, not by arguments; this index
-- on River's table (created by River's own migrations, applied first) makes
-- the lookup one index probe per unit.
CREATE INDEX river_job_outreach_unit ON river_job (kind, (args->>'workspace'), (args->>'id'))
	WHERE kind IN ('outreach.lane', 'outreach.scrape');
