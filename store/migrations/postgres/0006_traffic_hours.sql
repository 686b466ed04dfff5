-- Hourly traffic per route and per country (PostgreSQL), for reports and exports.
-- Counters only, merged additively in the transaction that advances the source checkpoint.
-- `hour` is the epoch millisecond of the hour start (UTC).

CREATE TABLE route_hours (
    hour   BIGINT  NOT NULL,
    -- apiId, else domainName, else '-'.
    api    TEXT    NOT NULL,
    -- 'METHOD /resource/{template}' or the HTTP API routeKey; never a concrete path.
    route  TEXT    NOT NULL,
    total  BIGINT  NOT NULL,
    s2xx   BIGINT  NOT NULL,
    s3xx   BIGINT  NOT NULL,
    s4xx   BIGINT  NOT NULL,
    s401   BIGINT  NOT NULL,
    s403   BIGINT  NOT NULL,
    s404   BIGINT  NOT NULL,
    s429   BIGINT  NOT NULL,
    s5xx   BIGINT  NOT NULL,
    bytes  BIGINT  NOT NULL,
    PRIMARY KEY (hour, api, route)
);

CREATE TABLE country_hours (
    hour    BIGINT  NOT NULL,
    -- ISO 3166-1 alpha-2, or '--' when unknown (no GeoIP database, no or unknown address).
    country TEXT    NOT NULL,
    total   BIGINT  NOT NULL,
    s2xx    BIGINT  NOT NULL,
    s3xx    BIGINT  NOT NULL,
    s4xx    BIGINT  NOT NULL,
    s401    BIGINT  NOT NULL,
    s403    BIGINT  NOT NULL,
    s404    BIGINT  NOT NULL,
    s429    BIGINT  NOT NULL,
    s5xx    BIGINT  NOT NULL,
    bytes   BIGINT  NOT NULL,
    PRIMARY KEY (hour, country)
);
