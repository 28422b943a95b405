#!/usr/bin/env bash
# Regenerates the EF Core compiled models (src/GraphNotifications.Api/Storage/CompiledModels/Sqlite and /Postgres)
# from the model (Storage/EntityConfigurations and each context's OnModelCreating). The service starts on them
# instead of building its model at start-up. Run it after every model change, with the migrations (docs/changing-the-model.md,
# "Changing the model"); CompiledModelTests fails while a compiled model differs from the model.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
dotnet tool restore >/dev/null

for provider in Sqlite Postgres; do
  dotnet ef dbcontext optimize --project src/GraphNotifications.Api \
    --context "${provider}NotificationsDbContext" \
    --output-dir "Storage/CompiledModels/${provider}" \
    --namespace "GraphNotifications.Api.Storage.CompiledModels.${provider}"
done
