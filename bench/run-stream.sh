#!/usr/bin/env bash
# The live stream's figures (issue 14): latency from a create's 201 to the event with 1,000 streams open over 200
# users, and 5,000 streams open on one instance with the service's resident memory. Publishes the service (Release),
# builds the harness and runs its --stream scenario.
#
#   bench/run-stream.sh            full run (a few minutes): bench/results/<yyyy-MM-dd>-stream.md
#   bench/run-stream.sh --smoke    50 and 200 streams, seconds: results in a temporary folder (or --results FILE)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Every stream is a socket on both ends (the harness and the service inherit this limit): 5,000 need more than 1,024.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

arguments=("$@")
if [[ " $* " == *" --smoke "* && " $* " != *" --results "* ]]; then
  arguments+=(--results "$(mktemp -d "${TMPDIR:-/tmp}/graphnotifications-bench-stream.XXXXXX")")
fi

echo "==> dotnet publish src/GraphNotifications.Api -c Release -o bench/.out/service"
dotnet publish src/GraphNotifications.Api -c Release -o bench/.out/service --nologo -v quiet
echo "==> dotnet build bench/Harness -c Release"
dotnet build bench/Harness -c Release --nologo -v quiet

echo "==> running the stream benchmark (ulimit -n $(ulimit -n))"
exec dotnet bench/Harness/bin/Release/net10.0/Harness.dll --stream --service bench/.out/service "${arguments[@]}"
