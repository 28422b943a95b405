#!/usr/bin/env bash
# The feed-page benchmark in one command: publishes the service (Release), builds the bench, runs it.
#
#   bench/run-feed-page.sh            full run: N = 1,000 / 100,000 / 1,000,000 (a few minutes),
#                                     results in bench/results/feed-page-<yyyy-MM-dd>.md
#   bench/run-feed-page.sh --quick    smoke run: N = 1,000 / 10,000, few requests (about a minute),
#                                     results in bench/results/tmp/ (ignored by git)
#
# Any other arguments go to the bench (see bench/README.md), e.g. --sizes 1000,50000 --requests 300.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

publish_dir=bench/.out/service
command_line="bench/run-feed-page.sh${*:+ $*}"

echo "==> dotnet publish src/GraphNotifications.Api -c Release -o ${publish_dir}"
dotnet publish src/GraphNotifications.Api -c Release -o "${publish_dir}" --nologo -v quiet

echo "==> dotnet build bench/FeedPage -c Release"
dotnet build bench/FeedPage -c Release --nologo -v quiet

echo "==> running the benchmark"
exec dotnet bench/FeedPage/bin/Release/net10.0/FeedPage.dll --publish "${publish_dir}" --command "${command_line}" "$@"
