#!/usr/bin/env bash
# Runs the service at http://127.0.0.1:8000/docs: database (local unless DB_* name one), migrations, API.
#   scripts/run.sh --watch     restarts on every code change (dotnet watch: the tutorial's --reload)
#   scripts/run.sh --urls ...  other arguments go to the API
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

use_database
restore_tools
# Built once here (restoring on a fresh clone), then migrated and, without --watch, run from that build.
step "Building the API"
dotnet build GinoDemo.Api -nologo -v quiet || die "build failed"
step "Applying migrations (dotnet ef database update)"
ef database update --no-build || die "migrations failed"
step "Starting the API: http://127.0.0.1:8000/docs (Ctrl+C stops it; the local database keeps running)"
if [[ "${1:-}" == "--watch" ]]; then
  shift
  exec dotnet watch --project GinoDemo.Api run -- "$@"
fi
exec dotnet run --no-build --project GinoDemo.Api -- "$@"
