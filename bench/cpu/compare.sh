#!/usr/bin/env bash
# CPU per request of two published builds of the service, side by side: each on its own copy of one seeded SQLite
# store, the same load (wrk) on each in turn, several rounds, the process's CPU time over a round divided by the
# requests it answered. What a change did to a scenario's CPU, with the machine's noise falling on both alike.
#
#   dotnet publish src/GraphNotifications.Api -c Release -o /tmp/before   (on the commit before)
#   dotnet publish src/GraphNotifications.Api -c Release -o /tmp/after    (on the commit after)
#   bench/cpu/compare.sh /tmp/before /tmp/after [rounds] [seconds]
#
# Scenarios: page (GET /me/notifications?$top=20 on a feed of ~10,000, 8 connections) and post (the create of
# bench/cpu/post.json, 32 connections). Needs wrk and python3.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
before=$(realpath "$1"); after=$(realpath "$2"); rounds=${3:-3}; seconds=${4:-10}
work=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
key=$(python3 -c 'import base64; print(base64.b64encode(b"k" * 32).decode())')
start() { # dir port store
  ASPNETCORE_ENVIRONMENT=Production dotnet "$1/GraphNotifications.Api.dll" --urls "http://127.0.0.1:$2" \
    --Storage:Provider=Sqlite "--ConnectionStrings:Notifications=Data Source=$3" --Logging:LogLevel:Default=Warning \
    --Limits:PermitsPerApp=2000000000 --Limits:PermitsPerUser=2000000000 \
    --Authentication:Schemes:Bearer:ValidIssuer=https://login.bench.test/ \
    --Authentication:Schemes:Bearer:ValidAudiences:0=https://graph.bench.test \
    --Authentication:Schemes:Bearer:SigningKeys:0:Issuer=https://login.bench.test/ \
    "--Authentication:Schemes:Bearer:SigningKeys:0:Value=$key" >"$work/$2.log" 2>&1 &
  for _ in $(seq 1 120); do curl -sf -o /dev/null "http://127.0.0.1:$2/health/ready" && return; sleep 0.5; done
  echo "the service on port $2 did not start; see its log:" >&2; cat "$work/$2.log" >&2; exit 1
}
token=$(python3 "$here/token.py" delegated)
printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$token" >"$work/page.lua"
printf 'wrk.method = "POST"\nwrk.headers["Authorization"] = "Bearer %s"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = [[%s]]\n' \
  "$token" "$(cat "$here/post.json")" >"$work/post.lua"
cpu_per_request() { # pid url lua connections
  local t0 t1 out
  t0=$(awk '{print $14+$15}' "/proc/$1/stat")
  out=$(wrk -t1 -c"$4" -d"${seconds}s" -s "$3" "$2")
  t1=$(awk '{print $14+$15}' "/proc/$1/stat")
  python3 -c "print(round(($t1 - $t0) * 1000 / $(getconf CLK_TCK) / $(echo "$out" | awk '/requests in/{print $1}'), 3))"
}
# One seeded store (10,000 creates into u1's feed), copied for each build.
start "$before" 5811 "$work/seed.db"
wrk -t1 -c16 -d15s -s "$work/post.lua" http://127.0.0.1:5811/v1.0/me/notifications >/dev/null
kill %1; wait %1 2>/dev/null || true
cp "$work/seed.db" "$work/before.db"; cp "$work/seed.db" "$work/after.db"
start "$before" 5812 "$work/before.db"; start "$after" 5813 "$work/after.db"
pids=("$(pgrep -f "urls http://127.0.0.1:5812")" "$(pgrep -f "urls http://127.0.0.1:5813")")
for scenario in "page /v1.0/me/notifications?\$top=20 8" "post /v1.0/me/notifications 32"; do
  read -r name path connections <<<"$scenario"
  for i in 0 1; do cpu_per_request "${pids[$i]}" "http://127.0.0.1:$((5812 + i))$path" "$work/$name.lua" "$connections" >/dev/null; done  # warm-up
  for round in $(seq 1 "$rounds"); do
    b=$(cpu_per_request "${pids[0]}" "http://127.0.0.1:5812$path" "$work/$name.lua" "$connections")
    a=$(cpu_per_request "${pids[1]}" "http://127.0.0.1:5813$path" "$work/$name.lua" "$connections")
    echo "$name round $round: before $b ms, after $a ms of CPU per request"
  done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
