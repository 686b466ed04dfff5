-- Alerts and the detector's learned profiles (SQLite). Times are epoch milliseconds of event
-- time, except `updated_at` (wall clock). `evidence` is JSON built from scrubbed records only.

CREATE TABLE alerts (
    id            TEXT    PRIMARY KEY,
    kind          TEXT    NOT NULL,
    rule          TEXT    NOT NULL,
    severity      TEXT    NOT NULL,
    status        TEXT    NOT NULL,
    subject_type  TEXT    NOT NULL,
    subject_value TEXT    NOT NULL,
    first_seen    INTEGER NOT NULL,
    last_seen     INTEGER NOT NULL,
    detected_at   INTEGER NOT NULL,
    count         INTEGER NOT NULL,
    evidence      TEXT    NOT NULL,
    updated_at    INTEGER NOT NULL
);
-- At most one alert that is not resolved per (rule, subject).
CREATE UNIQUE INDEX alerts_one_open ON alerts (rule, subject_type, subject_value) WHERE status <> 'resolved';
CREATE INDEX alerts_by_time ON alerts (last_seen, id);

-- Per-client (and per-network, per-route) baselines, so a restart does not forget.
CREATE TABLE profiles (
    key        TEXT    PRIMARY KEY,
    data       TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);
