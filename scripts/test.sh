#!/usr/bin/env bash
# Runs the whole test suite against a real PostgreSQL (local unless DB_* name one), as CI does:
# locked restore, warnings-as-errors Release build, then every test. Extra arguments go to `dotnet test`,
# e.g. scripts/test.sh --filter CrudTests
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

use_database
step "Restoring packages exactly as the lock files pin them"
dotnet restore --locked-mode || die "restore failed: run 'dotnet restore' and commit the packages.lock.json files"
step "Building (Release, warnings are errors)"
dotnet build --no-restore -c Release -warnaserror || die "build failed"

step "Running the tests"
results="$REPO_ROOT/TestResults"
rm -rf "$results"
status=0
dotnet test --no-build -c Release --results-directory "$results" --logger "trx;LogFileName=tests.trx" "$@" || status=$?

# One plain closing line, whatever the runner's own summary looks like.
counters=$(grep -o '<Counters [^>]*>' "$results/tests.trx" 2>/dev/null || true)
[[ -n "$counters" ]] || die "no test results were written (status $status)"
count() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
printf '\ntests: %s passed, %s failed, %s skipped\n' "$(count passed)" "$(count failed)" "$(( $(count total) - $(count passed) - $(count failed) ))"
exit "$status"
