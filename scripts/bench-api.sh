#!/usr/bin/env bash
# API latency under concurrent load: a day of generated traffic for 10,000 clients replayed into
# a SQLite store, served by the release binary, loaded with wrk (Debian package `wrk`).
# Prints requests/s, p50 and p99 per route, and each p50 as a ratio of /healthz's (a baseline
# measured in the same run, so the figures travel between machines better than milliseconds).
#
#   cargo build --release && scripts/bench-api.sh            # BENCH_BIN, CLIENTS, MINUTES,
#                                                            # RATE, DURATION, CONNECTIONS override
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BENCH_BIN:-target/release/gatewatch}
CLIENTS=${CLIENTS:-10000}
MINUTES=${MINUTES:-1440}
RATE=${RATE:-3000}
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-32}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -x "$BIN" ] || { echo "no binary at $BIN: cargo build --release" >&2; exit 1; }

DIR=$(mktemp -d)
trap '[ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null; rm -rf "$DIR"' EXIT
DB="sqlite://$DIR/day.db"
echo "== generating $MINUTES min of traffic for $CLIENTS clients (~$((RATE * MINUTES)) events)"
"$BIN" generate --clients "$CLIENTS" --minutes "$MINUTES" --rate "$RATE" --out "$DIR/day.ndjson" 2>/dev/null
echo "== replaying into $DB"
GATEWATCH_DETECT__ENABLED=${GATEWATCH_DETECT__ENABLED:-true} "$BIN" replay --input "$DIR/day.ndjson" --db "$DB" | tail -n 3
rm -f "$DIR/day.ndjson"
TOKEN=$("$BIN" token create --scope read --db "$DB" 2>/dev/null | tail -n 1)
# The load comes from one token: lift its rate limit for the measurement.
GATEWATCH_API__RATE_LIMIT_PER_MINUTE=1000000000 GATEWATCH_API__RATE_LIMIT_BURST=1000000 \
  "$BIN" serve --db "$DB" --listen 127.0.0.1:0 > "$DIR/serve.out" 2>/dev/null &
SERVER=$!
for _ in $(seq 1 50); do grep -q "listening on" "$DIR/serve.out" && break; sleep 0.2; done
BASE=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$DIR/serve.out")
H="Authorization: Bearer $TOKEN"
RANGE=$(curl -sf -H "$H" "$BASE/v1/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["last_event_minute"])')
FROM=$(python3 -c "import datetime as d; t=d.datetime.fromisoformat('$RANGE'.replace('Z','+00:00')); print((t-d.timedelta(days=1)).strftime('%Y-%m-%dT%H:%M:%SZ'))")
CLIENT=$(curl -sf -H "$H" "$BASE/v1/clients?metric=total&limit=1" | python3 -c 'import json,sys; c=json.load(sys.stdin)["clients"][0]["client"]; print(c["type"]+":"+c["value"])')
ALERT=$(curl -sf -H "$H" "$BASE/v1/alerts?limit=1" | python3 -c 'import json,sys; a=json.load(sys.stdin)["alerts"]; print(a[0]["id"] if a else "none")')
echo "== store: $(du -h "$DIR/day.db" | cut -f1), newest minute $RANGE; $CONNECTIONS connections, $DURATION each"
printf '%-62s %10s %10s %10s %8s\n' ROUTE REQ/S P50 P99 P50/BASE
base_p50=""
ms() { # wrk latency (e.g. 812.00us, 3.21ms, 1.02s) in ms
  python3 -c "import re,sys; v,u=re.match(r'([0-9.]+)(us|ms|s)','$1').groups(); print(float(v)*{'us':0.001,'ms':1,'s':1000}[u])"
}
for path in \
  "/healthz" \
  "/v1/alerts?limit=50" \
  "/v1/alerts/$ALERT" \
  "/v1/alerts?rule=brute_force&status=open" \
  "/v1/clients?metric=s403&limit=10" \
  "/v1/clients/$CLIENT/series?step=1m" \
  "/v1/clients/$CLIENT/series?from=$FROM&to=$RANGE&step=1h" \
  "/v1/clients?metric=s403&from=$FROM&to=$RANGE&limit=10"; do
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 30s --latency -H "$H" "$BASE$path")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errs=$(awk '/Non-2xx/ {print "non-2xx " $NF} /Socket errors/ {print $0}' <<<"$out" | tr '\n' ' ')
  p50ms=$(ms "$p50")
  [ -z "$base_p50" ] && base_p50=$p50ms
  ratio=$(python3 -c "print(f'{$p50ms/$base_p50:.1f}x')")
  printf '%-62s %10s %10s %10s %8s%s\n' "${path:0:62}" "$rps" "$p50" "$p99" "$ratio" "${errs:+  $errs}"
done
