-- Completed idempotency keys: one per key, with the request's fingerprint and the response.
-- Shipped: never edit this file; change the schema in a new migration.
CREATE TABLE idempotency_keys (
    key text PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 255),
    fingerprint bytea NOT NULL CHECK (length(fingerprint) = 32),
    status bigint NOT NULL CHECK (status BETWEEN 100 AND 599),
    body bytea NOT NULL,
    received_at bigint NOT NULL
);
CREATE INDEX idempotency_keys_by_time ON idempotency_keys (received_at);
