#!/usr/bin/env python3
"""The yardstick of `gatewatch bench`: DuckDB's bare GROUP BY over the same access-log NDJSON.

Per client and minute: total, 4XX, 403, 429 and approximate distinct paths, with the client
picked as gatewatch does by default (principalId, apiKeyId, IAM identity, source ip) and both
API Gateway time fields (REST `requestTime`, HTTP API `requestTimeEpoch`). One thread.

    python3 scripts/bench-duckdb.py access.ndjson [--threads 1]

Prints one JSON object: events, groups, seconds, events_per_sec, duckdb version. Needs
`pip install duckdb==2.0.0`. `gatewatch bench` embeds and runs this same file.
"""

import argparse
import json
import sys
import time

try:
    import duckdb
except ImportError:
    print(json.dumps({"error": "python module duckdb is not installed (pip install duckdb==2.0.0)"}))
    sys.exit(2)

COLUMNS = {
    name: "VARCHAR"
    for name in [
        "requestId", "ip", "caller", "user", "userArn", "requestTime", "requestTimeEpoch",
        "httpMethod", "resourcePath", "routeKey", "path", "status", "responseLength",
        "principalId", "apiKeyId",
    ]
}


def absent(col: str) -> str:
    """API Gateway writes "-" for a missing value."""
    return f"nullif({col}, '-')"


QUERY = f"""
CREATE OR REPLACE TEMP TABLE per_client_minute AS
SELECT
  coalesce({absent('principalId')}, {absent('apiKeyId')}, {absent('userArn')}, {absent('caller')},
           {absent('user')}, ip) AS client,
  coalesce(try_cast({absent('requestTimeEpoch')} AS BIGINT) // 60000,
           epoch(try_strptime(requestTime, '%d/%b/%Y:%H:%M:%S %z'))::BIGINT // 60) AS minute,
  count(*) AS total,
  count(*) FILTER (WHERE status LIKE '4%') AS s4xx,
  count(*) FILTER (WHERE status = '403') AS s403,
  count(*) FILTER (WHERE status = '429') AS s429,
  approx_count_distinct(path) AS distinct_paths
FROM read_json(?, format = 'newline_delimited', columns = {COLUMNS!r},
               maximum_object_size = 16777216, ignore_errors = true)
GROUP BY ALL
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    con = duckdb.connect(":memory:")
    con.execute(f"SET threads = {int(args.threads)}")
    con.execute("SET preserve_insertion_order = false")
    start = time.perf_counter()
    con.execute(QUERY, [args.input])
    seconds = time.perf_counter() - start
    events, groups = con.execute("SELECT sum(total), count(*) FROM per_client_minute").fetchone()
    print(json.dumps({
        "events": int(events or 0),
        "groups": int(groups),
        "seconds": seconds,
        "events_per_sec": (events or 0) / seconds if seconds > 0 else 0.0,
        "threads": args.threads,
        "duckdb": duckdb.__version__,
    }))


if __name__ == "__main__":
    main()
