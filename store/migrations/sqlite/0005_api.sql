-- API tokens: only a SHA-256 of each token is kept (tokens are 256-bit random, so a fast hash
-- is enough); `scope` is read or admin; a revoked token keeps its row for the audit trail.
CREATE TABLE api_tokens (
    id         TEXT    PRIMARY KEY,
    name       TEXT    NOT NULL,
    scope      TEXT    NOT NULL,
    token_hash TEXT    NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER,
    last_used  INTEGER
);

-- Suppressions made through the API (the config file may hold more); the detector loads them.
CREATE TABLE suppressions (
    id         TEXT    PRIMARY KEY,
    rule       TEXT    NOT NULL,
    subject    TEXT    NOT NULL,
    cidr       TEXT    NOT NULL,
    until      TEXT    NOT NULL,
    reason     TEXT    NOT NULL,
    created_by TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
