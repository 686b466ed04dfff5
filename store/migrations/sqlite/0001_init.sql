-- Per-client minute series, checkpoints and dead letters (SQLite).
-- Times are epoch milliseconds (UTC); `minute` is the start of the minute.

CREATE TABLE client_minutes (
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
    paths_sketch   BLOB    NOT NULL,
    ips_sketch     BLOB    NOT NULL,
    -- The primary key serves "series of one client over a range".
    PRIMARY KEY (client_type, client_value, minute)
) WITHOUT ROWID;

-- "Top-N clients by a metric over a range" scans one time range, then groups by client.
CREATE INDEX client_minutes_by_minute ON client_minutes (minute, client_type, client_value);

-- Source positions, committed in the same transaction as the aggregates they produced.
CREATE TABLE checkpoints (
    source     TEXT    PRIMARY KEY,
    position   TEXT    NOT NULL,
    events     INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- Records that could not be used. `excerpt` only ever holds scrubbed text.
CREATE TABLE dead_letters (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    source      TEXT    NOT NULL,
    position    TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    excerpt     TEXT,
    received_at INTEGER NOT NULL
);
CREATE INDEX dead_letters_by_source ON dead_letters (source, id);
