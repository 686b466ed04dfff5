-- Hour and day tiers of the client series (sqlite).
--
-- client_hours and client_days hold the same columns as client_minutes; `minute` is the
-- first minute of the row's hour or UTC day. The batch commit keeps them in step with the
-- minute rows, in the same transaction (store/src/tiers.rs). A store that already holds
-- minute rows gets its tiers built from them on first open: `store_meta` records how far
-- that backfill has come, and the backfill covers only minutes stored before this migration.

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

-- Minutes in [tiers_backfill_next, tiers_backfill_end) still have to be folded into the tiers.
INSERT INTO store_meta (key, value) SELECT 'tiers_backfill_next', MIN(minute) FROM client_minutes HAVING COUNT(*) > 0;
INSERT INTO store_meta (key, value) SELECT 'tiers_backfill_end', MAX(minute) + 60000 FROM client_minutes HAVING COUNT(*) > 0;
