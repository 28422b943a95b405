#!/usr/bin/env bash
# Scenario 1 (POST the seed's example, 32 connections) profiled on the service and on the ceiling: dotnet-trace's
# CPU samples and dotnet-counters attached to each during its measured run. Writes into bench/.out/profile (or the
# folder given): <target>.nettrace (open it in PerfView or convert it with `dotnet-trace convert --format speedscope`),
# <target>-top-inclusive.txt / -top-exclusive.txt (the methods longest on the stack) and <target>-counters.csv.
#
#   dotnet tool install dotnet-trace --tool-path /tmp/dotnet-tools
#   dotnet tool install dotnet-counters --tool-path /tmp/dotnet-tools
#   bench/profile-post.sh [folder]            (DOTNET_TOOLS=/tmp/dotnet-tools by default)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
tools=${DOTNET_TOOLS:-/tmp/dotnet-tools}
out=${1:-bench/.out/profile}
if [[ ! -x "$tools/dotnet-trace" || ! -x "$tools/dotnet-counters" ]]; then
  echo "Install dotnet-trace and dotnet-counters into $tools first (dotnet tool install … --tool-path $tools), or set DOTNET_TOOLS." >&2
  exit 1
fi

mkdir -p "$out"
exec bench/run.sh --profile "$out" --tools "$tools" --sizes 1000 --seconds 20 --warmup 8 --after-load 0 --results "$out/post.md"
