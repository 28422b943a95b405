#!/usr/bin/env bash
# Refreshes the inbox page's screenshots under docs/images/ (inbox-light.png, inbox-dark.png, inbox-narrow.png):
# runs the browser tests (InboxBrowserTests, which need Debian's chromium at /usr/bin/chromium), which write them to
# a temporary folder, and copies them here. Commit the result.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

shots=$(mktemp -d /tmp/graphnotifications-inbox-screenshots.XXXXXX)
trap 'rm -rf "$shots"' EXIT

GRAPHNOTIFICATIONS_INBOX_SCREENSHOTS="$shots" dotnet test tests/GraphNotifications.Tests \
  --filter "FullyQualifiedName~InboxBrowserTests"

for name in inbox-light.png inbox-dark.png inbox-narrow.png; do
  if [[ ! -s "$shots/$name" ]]; then
    echo "the browser tests wrote no $name (were they skipped? they need /usr/bin/chromium)" >&2
    exit 1
  fi
  cp "$shots/$name" "docs/images/$name"
done

echo "docs/images/inbox-{light,dark,narrow}.png refreshed"
