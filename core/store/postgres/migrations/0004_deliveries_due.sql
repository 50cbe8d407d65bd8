-- Webhook delivery (core/webhook): a delivery waiting for an attempt
-- carries when it is due, and each endpoint lists its due deliveries in
-- that order, then in the order of their events. Delivered and failed ones
-- have no due time and leave the index.
ALTER TABLE deliveries ADD COLUMN due_at timestamptz, ADD COLUMN event_seq bigint NOT NULL DEFAULT 0;
CREATE INDEX deliveries_due ON deliveries (ws, webhook_id, due_at, event_seq) WHERE due_at IS NOT NULL;
