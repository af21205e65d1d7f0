#!/usr/bin/env bash
# Runs the service at http://127.0.0.1:8000/docs: database (local unless DB_* name one), migrations, API.
#   scripts/run.sh --watch     restarts on every code change (dotnet watch: the tutorial's --reload)
#   scripts/run.sh --urls ...  other arguments go to the API
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

API_DLL=GinoDemo.Api/bin/Debug/net10.0/GinoDemo.Api.dll
# Written when a build of this script succeeds, with the time that build started.
BUILD_STAMP=GinoDemo.Api/obj/run.sh.built
LAUNCH_SETTINGS=GinoDemo.Api/Properties/launchSettings.json

# True when the Debug build may be out of date: no build of this script yet, or a file it is built from (the two
# projects, the solution-wide props and settings) changed, appeared or disappeared since that build started (a
# folder's mtime changes when an entry is added, removed or renamed). `dotnet build` itself takes seconds to find
# that nothing changed: MSBuild evaluates every project first.
build_needed() {
  [[ -f "$API_DLL" && -f "$BUILD_STAMP" ]] || return 0
  local changed
  changed=$(find GinoDemo.Api GinoDemo.Data \( -name bin -o -name obj \) -prune -o -newer "$BUILD_STAMP" -print -quit)
  [[ -z "$changed" ]] || return 0
  changed=$(find . -maxdepth 1 -type f \( -name 'Directory.*' -o -name '*.props' -o -name '*.targets' \
    -o -name global.json -o -name nuget.config -o -name appsettings.json -o -name .editorconfig \) \
    -newer "$BUILD_STAMP" -print -quit)
  [[ -n "$changed" ]]
}

# What `dotnet run` takes from the launch profile and sets over the caller's environment: the profile's
# environment variables (ASPNETCORE_ENVIRONMENT=Development) and its applicationUrl as ASPNETCORE_URLS. Then the
# built API runs as `dotnet GinoDemo.Api.dll` from the repository root, as `dotnet run` runs it (RunWorkingDirectory).
use_launch_profile() {
  local url name value
  url=$(sed -n 's/^ *"applicationUrl": *"\([^"]*\)".*/\1/p' "$LAUNCH_SETTINGS")
  [[ -n "$url" ]] || die "$LAUNCH_SETTINGS has no applicationUrl"
  export ASPNETCORE_URLS=$url DOTNET_LAUNCH_PROFILE=GinoDemo.Api
  while IFS='=' read -r name value; do
    export "$name=$value"
  done < <(sed -n '/"environmentVariables"/,/}/s/^ *"\([A-Za-z_][A-Za-z0-9_]*\)": *"\([^"]*\)".*/\1=\2/p' "$LAUNCH_SETTINGS")
}

# True when the database already holds exactly the migrations of this build: `migrate` would only say so, after
# seconds of EF Core start-up. Checked with psql, and only on the local cluster with the default database (nothing in
# the environment or .env names another); anything else, or any doubt (psql missing, a failed query), runs migrate.
migrations_applied() {
  $local_cluster && ! env_has DB_DATABASE && ! env_has TESTING && command -v psql >/dev/null || return 1
  local expected applied
  expected=$(find GinoDemo.Data/Migrations -name '[0-9]*_*.cs' ! -name '*.Designer.cs' -printf '%f\n' | sed 's/\.cs$//' | sort)
  applied=$(PGPASSWORD=$DB_PASSWORD PGCONNECT_TIMEOUT=2 psql -X -A -t -q -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" \
    -d gino_demo -c 'SELECT "MigrationId" FROM "__EFMigrationsHistory" ORDER BY 1' 2>/dev/null) || return 1
  [[ -n "$expected" && "$applied" == "$expected" ]]
}

local_cluster=true
database_configured && local_cluster=false # before use_database, which sets DB_HOST & co. for the local cluster
use_database
if build_needed; then
  # Built once here (restoring on a fresh clone), then migrated and, without --watch, run from that build.
  step "Building the API"
  started=$(mktemp)
  dotnet build GinoDemo.Api -nologo -v quiet || { rm -f "$started"; die "build failed"; }
  mv -f "$started" "$BUILD_STAMP"
else
  step "The API's Debug build is up to date (nothing changed since $(date -r "$BUILD_STAMP" '+%F %T'))"
fi
use_launch_profile
# The API's own migrate command, as deployments run it: a person's mistake (a wrong password, no server at the
# address) is one line saying what to do, and its exit code (README, "Startup and shutdown") is run.sh's.
if migrations_applied; then
  step "The database has every migration of this build: not migrating"
else
  step "Applying migrations (GinoDemo.Api migrate)"
  dotnet "$API_DLL" migrate || exit $?
fi
step "Starting the API: http://127.0.0.1:8000/docs (Ctrl+C stops it; the local database keeps running)"
if [[ "${1:-}" == "--watch" ]]; then
  shift
  exec dotnet watch --project GinoDemo.Api run -- "$@"
fi
exec dotnet "$API_DLL" "$@"
