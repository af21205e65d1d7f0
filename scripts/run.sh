#!/usr/bin/env bash
# Runs the service at http://127.0.0.1:8000/docs: database (local unless DB_* name one), migrations, API.
#   scripts/run.sh --watch     restarts on every code change (dotnet watch: the tutorial's --reload)
#   scripts/run.sh --urls ...  other arguments go to the API
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

use_database
# Built once here (restoring on a fresh clone), then migrated and, without --watch, run from that build.
step "Building the API"
dotnet build GinoDemo.Api -nologo -v quiet || die "build failed"
# The API's own migrate command, as deployments run it: a person's mistake (a wrong password, no server at the
# address) is one line saying what to do, and its exit code (README, "Startup and shutdown") is run.sh's.
step "Applying migrations (GinoDemo.Api migrate)"
dotnet run --no-build --project GinoDemo.Api -- migrate || exit $?
step "Starting the API: http://127.0.0.1:8000/docs (Ctrl+C stops it; the local database keeps running)"
if [[ "${1:-}" == "--watch" ]]; then
  shift
  exec dotnet watch --project GinoDemo.Api run -- "$@"
fi
exec dotnet run --no-build --project GinoDemo.Api -- "$@"
