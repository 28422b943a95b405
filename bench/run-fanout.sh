#!/usr/bin/env bash
# Fan-out's figures (issue 17): the link rate of addRecipients (100,000 recipients in 10 calls) on SQLite and
# PostgreSQL beside the ceiling (bench/Baseline) doing the same insert, the same with 1,000 subscribed webhooks,
# what 10,000-recipient calls do to other writers' latency, and the time until a Web Push to each of 100,000
# recipients has reached a push service on loopback, beside the push library alone. Publishes the service and the
# ceiling (Release), builds the harness and runs its --fanout scenario. See bench/README.md, "Fan-out".
#
#   bench/run-fanout.sh                 full run (many minutes): bench/results/<yyyy-MM-dd>-fanout.md
#   bench/run-fanout.sh --pushes-only   the pushes and their ceiling only: bench/results/<yyyy-MM-dd>-fanout-push.md
#   bench/run-fanout.sh --smoke         100 recipients, 10 webhooks, 100 pushes, SQLite only, seconds: results in a temporary folder
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

arguments=("$@")
if [[ " $* " == *" --smoke "* && " $* " != *" --results "* ]]; then
  arguments+=(--results "$(mktemp -d "${TMPDIR:-/tmp}/graphnotifications-bench-fanout.XXXXXX")")
fi

echo "==> dotnet publish src/GraphNotifications.Api -c Release -o bench/.out/service"
dotnet publish src/GraphNotifications.Api -c Release -o bench/.out/service --nologo -v quiet
echo "==> dotnet publish bench/Baseline -c Release -o bench/.out/baseline"
dotnet publish bench/Baseline -c Release -o bench/.out/baseline --nologo -v quiet
echo "==> dotnet build bench/Harness -c Release"
dotnet build bench/Harness -c Release --nologo -v quiet

echo "==> running the fan-out benchmark"
exec dotnet bench/Harness/bin/Release/net10.0/Harness.dll --fanout --service bench/.out/service --baseline bench/.out/baseline "${arguments[@]}"
