-- Hour and day tiers of the client series (sqlite).
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
    minute         INTEGER NOT NULL,
    total          INTEGER NOT NULL,
    s2xx           INTEGER NOT NULL,
    s3xx           INTEGER NOT NULL,
    s4xx           INTEGER NOT NULL,
    s401           INTEGER NOT NULL,
    s403           INTEGER NOT NULL,
    s404           INTEGER NOT NULL,
    s429           INTEGER NOT NULL,
    s5xx           INTEGER NOT NULL,
    bytes          INTEGER NOT NULL,
    latency_p50_ms REAL,
    latency_p95_ms REAL,
    latency_max_ms REAL,
    distinct_paths INTEGER NOT NULL,
    distinct_ips   INTEGER NOT NULL,
    latency_sketch BLOB,
    paths_sketch   BLOB NOT NULL,
    ips_sketch     BLOB NOT NULL,
    PRIMARY KEY (minute, client_type, client_value)
) WITHOUT ROWID;

CREATE TABLE client_days (
    client_type    TEXT    NOT NULL,
    client_value   TEXT    NOT NULL,
    minute         INTEGER NOT NULL,
    total          INTEGER NOT NULL,
    s2xx           INTEGER NOT NULL,
    s3xx           INTEGER NOT NULL,
    s4xx           INTEGER NOT NULL,
    s401           INTEGER NOT NULL,
    s403           INTEGER NOT NULL,
    s404           INTEGER NOT NULL,
    s429           INTEGER NOT NULL,
    s5xx           INTEGER NOT NULL,
    bytes          INTEGER NOT NULL,
    latency_p50_ms REAL,
    latency_p95_ms REAL,
    latency_max_ms REAL,
    distinct_paths INTEGER NOT NULL,
    distinct_ips   INTEGER NOT NULL,
    latency_sketch BLOB,
    paths_sketch   BLOB NOT NULL,
    ips_sketch     BLOB NOT NULL,
    PRIMARY KEY (minute, client_type, client_value)
) WITHOUT ROWID;

CREATE TABLE store_meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);

INSERT INTO store_meta (key, value)
    SELECT 'hours_through', (MIN(minute) / 3600000) * 3600000 FROM client_minutes HAVING COUNT(*) > 0;
INSERT INTO store_meta (key, value)
    SELECT 'days_through', (MIN(minute) / 86400000) * 86400000 FROM client_minutes HAVING COUNT(*) > 0;
