#!/usr/bin/env bash
# Regenerates csdl/openapi.json from csdl/GraphNotifications.xml with the OASIS OData TC's converter (npm package
# odata-openapi, pinned in tools/openapi/package-lock.json). Never edit openapi.json by hand: change the CSDL (its
# Capabilities annotations say which routes and operations the description lists) and run this script.
# CI runs it and fails when the checked-in file differs.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/tools/openapi"
source_csdl="$root/csdl/GraphNotifications.xml"
target="$root/csdl/openapi.json"

if [[ ! -x "$tools/node_modules/.bin/odata-openapi3" ]]; then
  (cd "$tools" && npm ci --no-audit --no-fund --loglevel=error)
fi

# The converter writes the file asynchronously and exits 0 even when it fails: write to a temporary file, check it,
# then move it into place.
generated=$(mktemp)
trap 'rm -f "$generated"' EXIT

# --skipBatchPath: the converter describes OData's multipart $batch; the service speaks Graph's JSON $batch.
"$tools/node_modules/.bin/odata-openapi3" \
  --openapi-version 3.0.3 \
  --scheme http --host localhost:5080 --basePath /v1.0 \
  --title "GraphNotifications" \
  --description "A Microsoft Graph-style notification feed (Graph beta's notification types), conformant OData v4. Generated from csdl/GraphNotifications.xml; the same paths are served under /beta. Every operation needs a bearer token with Notifications.ReadWrite.CreatedByApp (a delegated scope or an app role)." \
  --skipBatchPath \
  --pretty \
  --target "$generated" \
  "$source_csdl" >/dev/null

node -e '
  const fs = require("node:fs");
  const description = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  if (!description.openapi || !description.paths || Object.keys(description.paths).length === 0) {
    console.error("The converter wrote no paths: is the CSDL valid?");
    process.exit(1);
  }
' "$generated"

# The converter lists a function bound to Collection(notification) on the entity set, because it lists bound operations
# only there and on containment navigation. This service binds the feed's delta to the feeds (/me/notifications,
# /users/{id}/notifications; user/notifications is not contained, see the CSDL's opening comment), as Graph serves it,
# and pages it with @odata.nextLink and @odata.deltaLink: the path is moved there and its answer says so.
node -e '
  const fs = require("node:fs");
  const file = process.argv[1];
  const description = JSON.parse(fs.readFileSync(file, "utf8"));
  const onSet = "/notifications/graph.delta()";
  const delta = description.paths[onSet];
  if (delta) {
    delete description.paths[onSet];
    const answer = delta.get.responses["200"].content["application/json"].schema;
    delete answer.properties["@odata.count"];
    answer.properties["@odata.nextLink"] = { type: "string", description: "The next page of this round: follow it as it is." };
    answer.properties["@odata.deltaLink"] = { type: "string", description: "On the last page: keep it, and call it for the changes since." };
    delta.get.summary = "Invoke function delta: the feed, then its changes";
    const feeds = { "/me/notifications": "me", "/users/{id}/notifications": "users" };
    const paths = {};
    for (const [path, item] of Object.entries(description.paths)) {
      paths[path] = item;
      if (feeds[path]) {
        const copy = JSON.parse(JSON.stringify(delta));
        if (item.parameters) copy.parameters = item.parameters;
        copy.get.tags = [feeds[path]];
        paths[path + "/microsoft.graph.delta()"] = copy;
      }
    }
    description.paths = paths;
  }
  // markAllAsRead, an action bound to Collection(notification), marks a feed: it is moved to the feeds the same way
  // (the entity set answers it with a 400: it is nobody'"'"'s feed).
  const actionOnSet = "/notifications/graph.markAllAsRead";
  const markAll = description.paths[actionOnSet];
  if (markAll) {
    delete description.paths[actionOnSet];
    const feeds = { "/me/notifications": "me", "/users/{id}/notifications": "users" };
    const paths = {};
    const deltaOf = (feed) => feed + "/microsoft.graph.delta()";
    for (const [path, item] of Object.entries(description.paths)) {
      paths[path] = item;
      // Each feed'"'"'s action right after its delta function.
      const feed = Object.keys(feeds).find((f) => deltaOf(f) === path);
      if (feed) {
        const copy = JSON.parse(JSON.stringify(markAll));
        if (description.paths[feed].parameters) copy.parameters = description.paths[feed].parameters;
        copy.post.tags = [feeds[feed]];
        paths[feed + "/microsoft.graph.markAllAsRead"] = copy;
      }
    }
    description.paths = paths;
  }
  // addRecipients and removeRecipients, bound to one notification, stay where the converter lists them, under the
  // namespace the service routes (the converter writes the CSDL'"'"'s alias, graph., which OData'"'"'s URL parser does not
  // resolve).
  for (const action of ["addRecipients", "removeRecipients"]) {
    const aliased = "/notifications/{id}/graph." + action;
    if (description.paths[aliased]) {
      description.paths = Object.fromEntries(Object.entries(description.paths)
        .map(([path, item]) => [path === aliased ? "/notifications/{id}/microsoft.graph." + action : path, item]));
    }
  }
  fs.writeFileSync(file, JSON.stringify(description, null, 4));
' "$generated"

# The converter writes no final newline; editors and git prefer one.
{ cat "$generated"; echo; } >"$target"
echo "wrote ${target#"$root"/}"
