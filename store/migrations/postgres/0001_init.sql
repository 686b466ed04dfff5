-- Per-client minute series, checkpoints and dead letters (PostgreSQL).
-- Times are epoch milliseconds (UTC); `minute` is the start of the minute.

CREATE TABLE client_minutes (
    client_type    TEXT             NOT NULL,
    client_value   TEXT             NOT NULL,
    minute         BIGINT           NOT NULL,
    total          BIGINT           NOT NULL,
    s2xx           BIGINT           NOT NULL,
    s3xx           BIGINT           NOT NULL,
    s4xx           BIGINT           NOT NULL,
    s401           BIGINT           NOT NULL,
    s403           BIGINT           NOT NULL,
    s404           BIGINT           NOT NULL,
    s429           BIGINT           NOT NULL,
    s5xx           BIGINT           NOT NULL,
    bytes          BIGINT           NOT NULL,
    latency_p50_ms DOUBLE PRECISION,
    latency_p95_ms DOUBLE PRECISION,
    latency_max_ms DOUBLE PRECISION,
    distinct_paths BIGINT           NOT NULL,
    distinct_ips   BIGINT           NOT NULL,
    latency_sketch BYTEA,
    paths_sketch   BYTEA            NOT NULL,
    ips_sketch     BYTEA            NOT NULL,
    -- The primary key serves "series of one client over a range".
    PRIMARY KEY (client_type, client_value, minute)
);

-- "Top-N clients by a metric over a range" scans one time range, then groups by client.
CREATE INDEX client_minutes_by_minute ON client_minutes (minute, client_type, client_value);

-- Source positions, committed in the same transaction as the aggregates they produced.
CREATE TABLE checkpoints (
    source     TEXT   PRIMARY KEY,
    position   TEXT   NOT NULL,
    events     BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Records that could not be used. `excerpt` only ever holds scrubbed text.
CREATE TABLE dead_letters (
    id          BIGSERIAL PRIMARY KEY,
    source      TEXT   NOT NULL,
    position    TEXT   NOT NULL,
    reason      TEXT   NOT NULL,
    excerpt     TEXT,
    received_at BIGINT NOT NULL
);
CREATE INDEX dead_letters_by_source ON dead_letters (source, id);
