-- Hour and day tiers of the client series (postgres).
--
-- client_hours and client_days hold the same columns as client_minutes; `minute` is the
-- first minute of the row's hour or UTC day. The batch commit keeps them in step with the
-- minute rows, in the same transaction (store/src/tiers.rs). A store that already holds
-- minute rows gets its tiers built from them on first open: `store_meta` records how far
-- that backfill has come, and the backfill covers only minutes stored before this migration.

CREATE TABLE client_hours (
    client_type    TEXT    NOT NULL,
    client_value   TEXT    NOT NULL,
    minute         BIGINT  NOT NULL,
    total          BIGINT NOT NULL,
    s2xx           BIGINT NOT NULL,
    s3xx           BIGINT NOT NULL,
    s4xx           BIGINT NOT NULL,
    s401           BIGINT NOT NULL,
    s403           BIGINT NOT NULL,
    s404           BIGINT NOT NULL,
    s429           BIGINT NOT NULL,
    s5xx           BIGINT NOT NULL,
    bytes          BIGINT NOT NULL,
    latency_p50_ms DOUBLE PRECISION,
    latency_p95_ms DOUBLE PRECISION,
    latency_max_ms DOUBLE PRECISION,
    distinct_paths BIGINT NOT NULL,
    distinct_ips   BIGINT NOT NULL,
    latency_sketch BYTEA,
    paths_sketch   BYTEA NOT NULL,
    ips_sketch     BYTEA NOT NULL,
    PRIMARY KEY (minute, client_type, client_value)
);

CREATE TABLE client_days (
    client_type    TEXT    NOT NULL,
    client_value   TEXT    NOT NULL,
    minute         BIGINT  NOT NULL,
    total          BIGINT NOT NULL,
    s2xx           BIGINT NOT NULL,
    s3xx           BIGINT NOT NULL,
    s4xx           BIGINT NOT NULL,
    s401           BIGINT NOT NULL,
    s403           BIGINT NOT NULL,
    s404           BIGINT NOT NULL,
    s429           BIGINT NOT NULL,
    s5xx           BIGINT NOT NULL,
    bytes          BIGINT NOT NULL,
    latency_p50_ms DOUBLE PRECISION,
    latency_p95_ms DOUBLE PRECISION,
    latency_max_ms DOUBLE PRECISION,
    distinct_paths BIGINT NOT NULL,
    distinct_ips   BIGINT NOT NULL,
    latency_sketch BYTEA,
    paths_sketch   BYTEA NOT NULL,
    ips_sketch     BYTEA NOT NULL,
    PRIMARY KEY (minute, client_type, client_value)
);

CREATE TABLE store_meta (
    key   TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);

-- Minutes in [tiers_backfill_next, tiers_backfill_end) still have to be folded into the tiers.
INSERT INTO store_meta (key, value) SELECT 'tiers_backfill_next', MIN(minute) FROM client_minutes HAVING COUNT(*) > 0;
INSERT INTO store_meta (key, value) SELECT 'tiers_backfill_end', MAX(minute) + 60000 FROM client_minutes HAVING COUNT(*) > 0;
