#!/usr/bin/env bash
# The service against its ceiling in one command: publishes the service and bench/Baseline (Release), builds the
# harness, and runs it: seeded SQLite stores, both apps started on loopback, wrk as the load, a report with charts.
#
#   bench/run.sh            full run (about 10 minutes): results in bench/results/<yyyy-MM-dd>.md and its charts
#   bench/run.sh --smoke    a few seconds per scenario (under a minute once built): results in a temporary folder
#                           (or --results DIR); it checks that the harness works, its numbers are not results
#
# Other options go to the harness (see bench/README.md), e.g. --seconds 30 --sizes 1000,1000000 --note "…".
# Needs wrk (Debian: apt-get install -y wrk).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v wrk >/dev/null; then
  echo "bench/run.sh needs wrk, the HTTP load generator (Debian: apt-get install -y wrk)." >&2
  exit 1
fi

command_line="bench/run.sh$(printf " %q" "$@")"
arguments=("$@")
if [[ " $* " == *" --smoke "* && " $* " != *" --results "* ]]; then
  results_dir=$(mktemp -d "${TMPDIR:-/tmp}/graphnotifications-bench-smoke.XXXXXX")
  arguments+=(--results "$results_dir")
fi

echo "==> dotnet publish src/GraphNotifications.Api -c Release -o bench/.out/service"
dotnet publish src/GraphNotifications.Api -c Release -o bench/.out/service --nologo -v quiet
echo "==> dotnet publish bench/Baseline -c Release -o bench/.out/baseline"
dotnet publish bench/Baseline -c Release -o bench/.out/baseline --nologo -v quiet
echo "==> dotnet build bench/Harness -c Release"
dotnet build bench/Harness -c Release --nologo -v quiet

echo "==> running the benchmark"
exec dotnet bench/Harness/bin/Release/net10.0/Harness.dll --repository . --service bench/.out/service \
  --baseline bench/.out/baseline --command "${command_line}" "${arguments[@]}"
