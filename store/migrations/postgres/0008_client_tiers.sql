-- Hour and day tiers of the client series (postgres).
--
-- client_hours and client_days hold the same columns as client_minutes; `minute` is the
-- first minute of the row's hour or UTC day. Complete hours are rolled up from the minute rows,
-- complete days from the hour rows (store/src/tiers.rs); `store_meta` records how far: every
-- minute before `hours_through` is in client_hours, every hour before `days_through` in
-- client_days. A store that already holds minute rows starts both at its first minute, and
-- opening it rolls them forward.

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

INSERT INTO store_meta (key, value)
    SELECT 'hours_through', (MIN(minute) / 3600000) * 3600000 FROM client_minutes HAVING COUNT(*) > 0;
INSERT INTO store_meta (key, value)
    SELECT 'days_through', (MIN(minute) / 86400000) * 86400000 FROM client_minutes HAVING COUNT(*) > 0;
