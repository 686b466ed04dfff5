-- client_minutes keyed by minute first (SQLite).
--
-- Batches arrive in time order, so with the minute leading the key each commit writes at the
-- right edge of one B-tree, and the range scans behind top clients, reports and exports read
-- the table itself. The separate by-minute index (a second B-tree insert per row) is gone. One
-- client's series walks the stored minutes with one key probe each (`Store::series`).
--
-- SQLite cannot change a primary key in place: the table is rebuilt, in key order.

CREATE TABLE client_minutes_by_time (
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
    PRIMARY KEY (minute, client_type, client_value)
) WITHOUT ROWID;

INSERT INTO client_minutes_by_time (
    client_type, client_value, minute, total, s2xx, s3xx, s4xx, s401, s403, s404, s429, s5xx,
    bytes, latency_p50_ms, latency_p95_ms, latency_max_ms, distinct_paths, distinct_ips,
    latency_sketch, paths_sketch, ips_sketch
)
SELECT
    client_type, client_value, minute, total, s2xx, s3xx, s4xx, s401, s403, s404, s429, s5xx,
    bytes, latency_p50_ms, latency_p95_ms, latency_max_ms, distinct_paths, distinct_ips,
    latency_sketch, paths_sketch, ips_sketch
FROM client_minutes
ORDER BY minute, client_type, client_value;

-- (Drops client_minutes_by_minute with it.)
DROP TABLE client_minutes;

ALTER TABLE client_minutes_by_time RENAME TO client_minutes;
