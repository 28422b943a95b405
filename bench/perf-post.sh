#!/usr/bin/env bash
# Scenario 1 (POST the seed's example, 32 connections) with Linux perf sampling the service's CPU in its steady state:
# where the CPU of a POST goes, native and kernel time included (dotnet-trace's thread-time samples, which
# bench/profile-post.sh takes, count waiting threads too and leave the kernel out). Writes into bench/.out/perf (or
# the folder given): service.perf.data, by-thread-and-library.txt (perf's report by thread and library) and
# components.txt (the share of the worker threads' samples under each part of the request path).
#
#   apt-get install -y linux-perf     (Debian's perf; root, or kernel.perf_event_paranoid <= 1)
#   bench/perf-post.sh [folder]
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=$(realpath -m "${1:-bench/.out/perf}")
warmup=30
if ! command -v perf >/dev/null; then
  echo "perf is not installed (Debian: apt-get install -y linux-perf)." >&2
  exit 1
fi

mkdir -p "$out"
# The runtime writes /tmp/perf-<pid>.map for perf to name JIT-compiled methods; with W^X on, perf cannot tie the
# code's double-mapped pages to that map.
export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
bench/run.sh --post-only --sizes 1000 --warmup "$warmup" --seconds 25 --after-load 0 --results "$out/post.md" >"$out/run.log" 2>&1 &
run=$!

service="$(pwd)/bench/.out/service/GraphNotifications.Api.dll"
pid=""
for _ in $(seq 1 1200); do
  pid=$(pgrep -f "dotnet $service" | head -n 1 || true)
  if [[ -n "$pid" ]] && pgrep -x wrk >/dev/null; then
    break
  fi
  pid=""
  sleep 0.25
done
if [[ -z "$pid" ]]; then
  echo "The service never came under load; see $out/run.log." >&2
  wait "$run" || true
  exit 1
fi

# wrk's warm-up first: the measured part is the steady state.
sleep $((warmup + 3))
perf record -F 999 -g -p "$pid" -o "$out/service.perf.data" -- sleep 15 2>>"$out/run.log"
wait "$run"

perf report -i "$out/service.perf.data" --no-children --sort comm,dso --stdio -g none 2>/dev/null \
  | grep -v '^#' | grep -v '^$' | head -n 30 >"$out/by-thread-and-library.txt"
perf script -i "$out/service.perf.data" --comm '.NET TP Worker' -F ip,sym 2>/dev/null >"$out/workers.script"
python3 bench/perf-components.py "$out/workers.script" >"$out/components.txt"
rm -f "$out/workers.script"
grep -h '1. POST: service' "$out/run.log" || true
echo "Written to $out: by-thread-and-library.txt, components.txt, service.perf.data"
