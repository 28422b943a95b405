#!/usr/bin/env bash
# Regenerates the C# client in tests/GraphNotifications.Client/Generated from csdl/openapi.json with Kiota (the
# dotnet tool Microsoft.OpenApi.Kiota, pinned in dotnet-tools.json). Never edit the generated files: regenerate the
# description (scripts/generate-openapi.sh), then run this script. CI runs it and fails when the checked-in client differs.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# No first-run tutorial hints, and no look-ups beyond the local description.
export KIOTA_TUTORIAL_ENABLED=false KIOTA_OFFLINE_ENABLED=true DOTNET_NOLOGO=1

dotnet tool restore >/dev/null
# Relative paths, so the lock file Kiota writes beside the code is the same on every machine.
dotnet kiota generate --language CSharp \
  --openapi csdl/openapi.json \
  --output tests/GraphNotifications.Client/Generated \
  --class-name GraphNotificationsClient \
  --namespace-name GraphNotifications.Client \
  --exclude-backward-compatible \
  --clean-output \
  --log-level Warning
echo "wrote tests/GraphNotifications.Client/Generated"
