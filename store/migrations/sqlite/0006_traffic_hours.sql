-- Hourly traffic per route and per country (SQLite), for reports and exports.
-- Counters only, merged additively in the transaction that advances the source checkpoint.
-- `hour` is the epoch millisecond of the hour start (UTC).

CREATE TABLE route_hours (
    hour   INTEGER NOT NULL,
    -- apiId, else domainName, else '-'.
    api    TEXT    NOT NULL,
    -- 'METHOD /resource/{template}' or the HTTP API routeKey; never a concrete path.
    route  TEXT    NOT NULL,
    total  INTEGER NOT NULL,
    s2xx   INTEGER NOT NULL,
    s3xx   INTEGER NOT NULL,
    s4xx   INTEGER NOT NULL,
    s401   INTEGER NOT NULL,
    s403   INTEGER NOT NULL,
    s404   INTEGER NOT NULL,
    s429   INTEGER NOT NULL,
    s5xx   INTEGER NOT NULL,
    bytes  INTEGER NOT NULL,
    PRIMARY KEY (hour, api, route)
) WITHOUT ROWID;

CREATE TABLE country_hours (
    hour    INTEGER NOT NULL,
    -- ISO 3166-1 alpha-2, or '--' when unknown (no GeoIP database, no or unknown address).
    country TEXT    NOT NULL,
    total   INTEGER NOT NULL,
    s2xx    INTEGER NOT NULL,
    s3xx    INTEGER NOT NULL,
    s4xx    INTEGER NOT NULL,
    s401    INTEGER NOT NULL,
    s403    INTEGER NOT NULL,
    s404    INTEGER NOT NULL,
    s429    INTEGER NOT NULL,
    s5xx    INTEGER NOT NULL,
    bytes   INTEGER NOT NULL,
    PRIMARY KEY (hour, country)
) WITHOUT ROWID;
