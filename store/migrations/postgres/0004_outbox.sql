-- The SIEM outbox: every alert event (opened, updated, resolved), written in the transaction
-- that changed the alert, then delivered to each destination in id order (at least once; the
-- idempotency key is the outbox id). `alert` is the alert's JSON at that event: scrubbed text.
CREATE TABLE outbox (
    id         BIGSERIAL PRIMARY KEY,
    alert_id   TEXT   NOT NULL,
    event      TEXT   NOT NULL,
    alert      TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);

-- Per destination: how far delivery got, and why the head message is failing.
CREATE TABLE forward_state (
    destination     TEXT   PRIMARY KEY,
    delivered_up_to BIGINT NOT NULL,
    attempts        BIGINT NOT NULL,
    last_error      TEXT,
    next_attempt_at BIGINT NOT NULL
);

-- Messages a destination refused too often: set aside with the reason, delivery goes on.
CREATE TABLE forward_parked (
    destination TEXT   NOT NULL,
    outbox_id   BIGINT NOT NULL,
    attempts    BIGINT NOT NULL,
    reason      TEXT   NOT NULL,
    parked_at   BIGINT NOT NULL,
    PRIMARY KEY (destination, outbox_id)
);
