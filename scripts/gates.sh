# shellcheck shell=bash
# The CI gates that scripts/test.sh runs around the build and the tests (README, "CI gates").
# Each prints one ==> line and dies with what to do when it finds something. Needs lib.sh, run from the root.

# What scripts/test.sh counts: a gate either passes or stops the run (die); one that cannot run here says so with
# gate_skipped, and is counted as skipped, never as passed. Only a server the developer configured can make a gate
# skip; on the local PostgreSQL the scripts start (CI's configuration: nothing configured) a skip fails the run.
GATES_PASSED=0
GATES_SKIPPED=()

# Runs one gate (a function and its arguments) and counts it as passed unless it said it was skipped.
run_gate() {
  local skipped_before=${#GATES_SKIPPED[@]}
  "$@"
  ((${#GATES_SKIPPED[@]} > skipped_before)) || GATES_PASSED=$((GATES_PASSED + 1))
}

gate_skipped() {
  database_configured \
    || die "the $1 gate did not run ($2), though on the local PostgreSQL every gate must"
  GATES_SKIPPED+=("$1")
  step "Skipped, NOT passed: $2"
}

# The closing line of a full run: what ran and what did not.
gates_summary() {
  if ((${#GATES_SKIPPED[@]} == 0)); then
    step "$GATES_PASSED gates passed, 0 skipped"
  else
    step "$GATES_PASSED gates passed, ${#GATES_SKIPPED[@]} skipped (${GATES_SKIPPED[*]}): the skipped ones were not checked"
  fi
}

# Why the migration-artifacts gate cannot run with these settings; empty when it can. Its psql reaches the server
# through DB_HOST & co. from the environment, which the local PostgreSQL of scripts/ exports (as on CI).
migration_artifacts_skip_reason() {
  if env_has DB_DSN; then
    printf 'the server is named by DB_DSN, which psql cannot read; it needs DB_HOST, DB_PORT, DB_USER and DB_PASSWORD\n'
  elif [[ -z "${DB_HOST:-}" ]]; then
    printf 'DB_HOST is only in .env; it needs DB_HOST, DB_PORT, DB_USER and DB_PASSWORD in the environment\n'
  fi
}

# Runs a command showing its output only when it fails.
quietly() {
  local output
  output=$("$@" 2>&1) || { printf '%s\n' "$output" >&2; return 1; }
}

# dotnet-ef on the Release build scripts/test.sh made.
ef_release() { ef "$@" --no-build --configuration Release; }

# Every shell script in the repository: *.sh and files starting with a shell shebang (.ci/run).
shell_scripts() {
  local file
  while IFS= read -r -d '' file; do
    if [[ "$file" == *.sh ]] || head -n 1 "$file" | grep -Eq '^#!.*[/ ](ba)?sh$'; then
      printf '%s\n' "${file#./}"
    fi
  done < <(find . \( -name .git -o -name bin -o -name obj -o -name .data -o -name artifacts -o -name TestResults \
    -o -name node_modules \) -prune -o -type f -print0 | sort -z)
}

gate_shellcheck() {
  need_commands shellcheck
  local scripts
  mapfile -t scripts < <(shell_scripts)
  step "shellcheck: ${scripts[*]}"
  shellcheck --external-sources "${scripts[@]}" \
    || die "shellcheck found the problems above; fix them (https://www.shellcheck.net/wiki/SC<code> explains each)"
}

gate_format() {
  step "Formatting, style and analyzers (dotnet format --verify-no-changes)"
  dotnet format GinoDemo.sln --verify-no-changes --no-restore \
    || die "the code is not formatted as .editorconfig says: run 'dotnet format' and commit the result"
}

# The locked restore, audited by NuGet (Directory.Build.props): every package, transitive ones included, against the
# advisories of nuget.config's <auditSources>. An advisory of any severity (NU1901-NU1904) is an error and fails it.
# A source that serves no advisory data (NuGet's warning NU1905) or could not be read (NU1900): the run goes on (CI
# cannot mend a feed), but says loudly that nothing was checked. --force: a restore with nothing to do would replay
# old results, not audit; -tl:off: plain lines, whatever the terminal, for the checks below to read.
gate_audited_restore() {
  step "Restoring packages exactly as the lock files pin them, audited for known vulnerabilities (NuGet audit)"
  local output status=0 silent rule
  output=$(dotnet restore --locked-mode --force -tl:off 2>&1) || status=$?
  printf '%s\n' "$output"
  if grep -q 'NU190[1-4]' <<<"$output"; then
    die "vulnerable packages (NU1901-NU1904 above): raise their versions in Directory.Packages.props (a transitive one: pin it there too), then 'dotnet restore --force-evaluate'"
  fi
  ((status == 0)) || die "restore failed: if the lock files are out of date, run 'dotnet restore --force-evaluate' and commit the packages.lock.json files"
  silent=$(sed -n 's/.*NU190[05]: //p' <<<"$output" | sed 's/ \[[^]]*\]$//' | sort -u)
  if [[ -n "$silent" ]]; then
    rule=$(printf '!%.0s' {1..100})
    printf '\n%s\nWARNING: no advisory data consulted, so vulnerable packages would NOT be detected:\n%s\n%s\n' "$rule" "$silent" "$rule" >&2
  else
    printf 'audit: every package, direct and transitive, checked against the advisories of nuget.config'"'"'s audit sources: none found\n'
  fi
}

gate_pending_model_changes() {
  step "The model matches the last migration (dotnet ef migrations has-pending-model-changes)"
  ef_release migrations has-pending-model-changes \
    || die "the model has changes no migration holds: dotnet ef migrations add <Name> --project GinoDemo.Data --startup-project GinoDemo.Api"
}

# deploy/kubernetes/ checked offline as strictly as `kubectl apply --validate=strict` (tools/ManifestCheck, built with the
# solution): Kubernetes' own kinds by KubernetesClient's strict typed loading, CloudNativePG's against the CRD schemas
# vendored in tools/ManifestCheck/crds/, where an unknown field fails as the API server would prune it.
gate_deploy_manifests() {
  step "Kubernetes manifests (deploy/kubernetes): strict schema validation, offline (tools/ManifestCheck)"
  dotnet run --no-build -c Release --project tools/ManifestCheck -- deploy/kubernetes \
    || die "deploy/kubernetes has the problems above (file:line): fix the field it names; a CloudNativePG field must be in tools/ManifestCheck/crds/"
}

# The coverage of GinoDemo.Api + GinoDemo.Data (coverage.runsettings) against the threshold; the worst files when below.
gate_coverage() {
  local threshold=$1 results=$2 report root covered valid tenths
  report=$(find "$results" -name coverage.cobertura.xml -print | sort | head -n 1)
  [[ -n "$report" ]] || die "no coverage report was written under $results"
  root=$(grep -o '<coverage [^>]*>' "$report" | head -n 1)
  covered=$(sed -n 's/.* lines-covered="\([0-9]*\)".*/\1/p' <<<"$root")
  valid=$(sed -n 's/.* lines-valid="\([0-9]*\)".*/\1/p' <<<"$root")
  [[ -n "$covered" && -n "$valid" && "$valid" -gt 0 ]] || die "$report has no line counts"
  tenths=$((covered * 1000 / valid))
  step "Line coverage of GinoDemo.Api and GinoDemo.Data"
  printf 'coverage: %d.%d %% lines (threshold %d %%)\n' $((tenths / 10)) $((tenths % 10)) "$threshold"
  if ((covered * 100 < threshold * valid)); then
    printf '\nfiles below %d %%, least covered first (covered/lines):\n' "$threshold" >&2
    # A line is listed under its class and again under its method: count each file:line once.
    awk -F'"' -v threshold="$threshold" '/<class / { for (i = 1; i < NF; i++) if ($i ~ /filename=$/) file = $(i + 1) }
      /<line / { for (i = 1; i < NF; i++) { if ($i ~ /number=$/) n = $(i + 1); if ($i ~ /hits=$/) h = $(i + 1) }
                 key = file ":" n; if (!(key in seen)) { seen[key] = 1; lines[file]++ } if (h > 0 && !(key in hit)) { hit[key] = 1; cov[file]++ } }
      END { for (f in lines) if (100 * cov[f] < threshold * lines[f]) printf "%6.1f %%  %4d/%-4d  %s\n", 100 * cov[f] / lines[f], cov[f], lines[f], f }' \
      "$report" | sort -n | head -n 15 >&2
    die "line coverage is below $threshold %: test the files above (the report: $report)"
  fi
}

# psql, createdb and dropdb reach the server the tests use (DB_HOST & co.; the local cluster exports them).
use_pg_settings() {
  need_commands psql=postgresql-client
  export PGHOST=${DB_HOST:-localhost} PGPORT=${DB_PORT:-5432} PGUSER=${DB_USER:-postgres} PGPASSWORD=${DB_PASSWORD:-}
  export PGCONNECT_TIMEOUT=10 PGOPTIONS="-c client_min_messages=warning"
  unset PGDATABASE PGSERVICE
}

# The database's tables, columns, constraints and indexes, as text two databases can be compared by.
schema_of() {
  psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" <<'SQL'
SELECT 'table ' || table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1;
SELECT format('column %s.%s %s null=%s default=%s identity=%s %s', table_name, column_name, data_type, is_nullable,
  coalesce(column_default, '-'), is_identity, coalesce(identity_generation, '-'))
  FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position;
SELECT format('constraint %s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
  FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1;
SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1;
SQL
}

THROWAWAY_DATABASES=()
drop_throwaway_databases() {
  local db
  for db in "${THROWAWAY_DATABASES[@]}"; do
    dropdb --if-exists "$db" || printf 'warning: could not drop the throwaway database %s\n' "$db" >&2
  done
  THROWAWAY_DATABASES=()
}

throwaway_database() {
  THROWAWAY_DATABASES+=("$1")
  if ! dropdb --if-exists "$1" || ! createdb "$1"; then
    die "cannot create the throwaway database $1 on $PGHOST:$PGPORT"
  fi
}

# dotnet ef migrations bundle restores the projects for a runtime (linux-x64): in locked mode (CI=true) that fails on
# lock files written without one, otherwise it rewrites them. So it restores unlocked here, and the lock files and
# the restore are put back as they were, whatever happens.
build_bundle() {
  local saved file status=0
  saved=$(mktemp -d)
  for file in */packages.lock.json; do
    mkdir -p "$saved/${file%/*}" && cp -p "$file" "$saved/$file"
  done
  CI=false quietly ef_release migrations bundle --output artifacts/efbundle --force || status=$?
  # File by file: copying "$saved/." onto "." would also give the repository root mktemp's mode 700.
  for file in */packages.lock.json; do
    cp -p "$saved/$file" "$file"
  done
  rm -rf "$saved"
  quietly dotnet restore --locked-mode || die "the lock files could not be restored after building the bundle"
  ((status == 0)) || die "dotnet ef migrations bundle failed"
}

# The deployable migrations, built into artifacts/ and checked for real: the idempotent SQL script applied twice
# with psql, the bundle run twice, each on a throwaway database; both must give the same schema and history.
gate_migration_artifacts() {
  step "Migration artifacts: artifacts/migrate.sql (idempotent) and artifacts/efbundle, applied to throwaway databases"
  local reason
  reason=$(migration_artifacts_skip_reason)
  if [[ -n "$reason" ]]; then
    gate_skipped "migration artifacts" "$reason"
    return 0
  fi
  mkdir -p artifacts
  quietly ef_release migrations script --idempotent --output artifacts/migrate.sql || die "dotnet ef migrations script failed"
  build_bundle
  # The bundle reads its defaults from appsettings.json beside it, as the API does: deploy them together.
  cp appsettings.json artifacts/appsettings.json

  use_pg_settings
  trap drop_throwaway_databases EXIT
  local script_db=gino_ci_script_$$ bundle_db=gino_ci_bundle_$$ once twice expected history bundled empty run
  throwaway_database "$script_db"
  psql -X -q -v ON_ERROR_STOP=1 -d "$script_db" -f artifacts/migrate.sql >/dev/null || die "artifacts/migrate.sql failed on an empty database"
  once=$(schema_of "$script_db")
  psql -X -q -v ON_ERROR_STOP=1 -d "$script_db" -f artifacts/migrate.sql >/dev/null \
    || die "artifacts/migrate.sql failed on a database it had already migrated: it is not idempotent"
  twice=$(schema_of "$script_db")
  [[ "$once" == "$twice" ]] || die "artifacts/migrate.sql changed the schema when applied a second time: $(diff <(printf '%s\n' "$once") <(printf '%s\n' "$twice"))"
  grep -v '^table __EFMigrationsHistory$' <<<"$once" | grep -q '^table ' || die "artifacts/migrate.sql created no table"

  expected=$(find GinoDemo.Data/Migrations -name '[0-9]*_*.cs' ! -name '*.Designer.cs' -printf '%f\n' | sed 's/\.cs$//' | sort)
  history=$(psql -X -A -t -v ON_ERROR_STOP=1 -d "$script_db" -c 'SELECT "MigrationId" FROM "__EFMigrationsHistory" ORDER BY 1')
  [[ "$history" == "$expected" ]] || die "artifacts/migrate.sql recorded [${history//$'\n'/ }], the migrations are [${expected//$'\n'/ }]"

  # The bundle creates its database itself, through the same DB_* settings and design-time factory as dotnet ef;
  # run from an empty folder so that no .env changes them.
  THROWAWAY_DATABASES+=("$bundle_db")
  empty=$(mktemp -d)
  for run in 1 2; do
    (cd "$empty" && DB_HOST=$PGHOST DB_PORT=$PGPORT DB_USER=$PGUSER DB_PASSWORD=$PGPASSWORD DB_DATABASE=$bundle_db TESTING=false \
      quietly "$REPO_ROOT/artifacts/efbundle") || { rmdir "$empty"; die "artifacts/efbundle failed (run $run of 2)"; }
  done
  rmdir "$empty"
  bundled=$(schema_of "$bundle_db")
  [[ "$bundled" == "$once" ]] || die "artifacts/efbundle and artifacts/migrate.sql give different schemas: $(diff <(printf '%s\n' "$once") <(printf '%s\n' "$bundled"))"
  history=$(psql -X -A -t -v ON_ERROR_STOP=1 -d "$bundle_db" -c 'SELECT "MigrationId" FROM "__EFMigrationsHistory" ORDER BY 1')
  [[ "$history" == "$expected" ]] || die "artifacts/efbundle recorded [${history//$'\n'/ }], the migrations are [${expected//$'\n'/ }]"
  drop_throwaway_databases
  trap - EXIT
  printf 'migrations: %s applied by the script (twice) and by the bundle (twice), same schema: %s\n' \
    "$(wc -l <<<"$expected")" "$(grep -c '^table ' <<<"$once") tables"
}

# The benchmark's smoke run: a few seconds per point, so that the tool, its raw baseline and its scripts cannot rot
# unnoticed. Its speed figures are not judged (a shared CI machine's figures mean nothing); any error is (a non-2xx
# answer or a socket error of the API or the raw baseline, a failed pgbench transaction): bench/report.py fails on it.
gate_benchmark_smoke() {
  step "Benchmark smoke run (bench/run.sh --quick --no-build): fails on any error; its speed figures are not judged"
  "$REPO_ROOT/bench/run.sh" --quick --no-build || die "bench/run.sh --quick --no-build failed: read the lines above (errors, or its log)"
}
#if (templateRepository)

# The template package (README, "Start your own service from it"), as a newcomer uses it: packed, installed into a
# throwaway hive, and `dotnet new gino-api -n Acme.Users` run from it and from the working tree (both must give the
# same files). The new project must follow its name (no GinoDemo, gino_demo, gino-demo, GINO_DEMO left), hold none of
# this repository's machinery, keep its scripts executable, and pass its own quick test command (the locked
# restore, the Release build with warnings as errors, the CRUD and configuration tests) on a PostgreSQL cluster of
# its own, then `has-pending-model-changes`. Everything lives in one temporary folder, removed with its cluster.
TEMPLATE_WORK=
template_cleanup() {
  [[ -n "$TEMPLATE_WORK" ]] || return 0
  if [[ -f "$TEMPLATE_WORK/pg/postgres/postmaster.pid" ]]; then
    stop_cluster "$(postgres_bindir)" "$TEMPLATE_WORK/pg" immediate >/dev/null 2>&1 \
      || printf 'warning: could not stop the cluster in %s/pg\n' "$TEMPLATE_WORK" >&2
  fi
  rm -rf "$TEMPLATE_WORK"
  TEMPLATE_WORK=
}

gate_template() {
  step "Template package: dotnet new gino-api -n Acme.Users (packed nupkg and working tree), then the new project's own tests"
  local started=$SECONDS created tested work package project found script log status=0
  need_commands shellcheck
  TEMPLATE_WORK=$(mktemp -d /tmp/gino-template.XXXXXX)
  work=$TEMPLATE_WORK
  trap template_cleanup EXIT
  # The postgres user runs the new project's cluster inside this folder.
  chmod 755 "$work"

  package=$("$REPO_ROOT/scripts/pack-template.sh" "$work/package") || die "scripts/pack-template.sh failed"
  quietly dotnet new install "$package" --debug:custom-hive "$work/hive-package" \
    || die "dotnet new install $package failed"
  (cd "$work" && quietly dotnet new gino-api -n Acme.Users -o acme --no-update-check --debug:custom-hive "$work/hive-package") \
    || die "dotnet new gino-api from the package failed"
  quietly dotnet new install "$REPO_ROOT" --debug:custom-hive "$work/hive-tree" \
    || die "dotnet new install $REPO_ROOT (the working tree) failed"
  (cd "$work" && quietly dotnet new gino-api -n Acme.Users -o acme-tree --no-update-check --debug:custom-hive "$work/hive-tree") \
    || die "dotnet new gino-api from the working tree failed"
  diff -r -q "$work/acme" "$work/acme-tree" >&2 \
    || die "the package and the working tree make different projects (above): the excludes of template/GinoDemo.Templates.csproj and .template.config/template.json differ"
  project=$work/acme
  created=$SECONDS

  for found in Acme.Users.sln Acme.Users.Api/Acme.Users.Api.csproj Acme.Users.Data/Acme.Users.Data.csproj \
    Acme.Users.Tests/Acme.Users.Tests.csproj Acme.Users.Client/Acme.Users.Client.csproj; do
    [[ -f "$project/$found" ]] || die "the new project has no $found"
  done
  found=$(cd "$project" && { grep -rIl -i -E 'ginodemo|gino[-_ ]demo' . ; find . -iname '*ginodemo*' -o -iname '*gino[-_]demo*'; } | sort -u)
  [[ -z "$found" ]] || die "the new project still names GinoDemo (any spelling) in: ${found//$'\n'/ }; add the spelling to .template.config/template.json's symbols"
  found=$(cd "$project" && find . \( -name .git -o -name .template.config -o -name template -o -name pack-template.sh \
    -o -name bin -o -name obj -o -name TestResults -o -name .data -o -name artifacts -o -name node_modules \
    -o -path ./bench/results -o -name .env \) -print | sort)
  [[ -z "$found" ]] || die "the new project holds the template's own machinery: ${found//$'\n'/ }; exclude it in .template.config/template.json and template/GinoDemo.Templates.csproj"
  found=$(grep -rIl -E 'templateRepository|gate_template|pack-template' "$project" || true)
  [[ -z "$found" ]] || die "the new project holds this repository's own parts (#if (templateRepository) not applied): ${found//$'\n'/ }"
  while IFS= read -r script; do
    if [[ -x "$script" && -e "$project/$script" && ! -x "$project/$script" ]]; then
      die "$script is not executable in the new project: add it to the chmod post action in .template.config/template.json"
    fi
  done < <(shell_scripts)
  (cd "$project" && shellcheck --external-sources scripts/*.sh .ci/run bench/run.sh) \
    || die "the new project's scripts fail shellcheck (above): check the #if (templateRepository) blocks"

  # Its own command, on its own cluster: nothing of this run's database settings, no port or folder shared with it.
  log=$work/test.log
  (cd "$project" && env -u DB_DSN -u DB_HOST -u DB_PORT -u DB_USER -u DB_PASSWORD -u DB_DATABASE \
    ACME_USERS_PG_DIR="$work/pg" MSBUILDDISABLENODEREUSE=1 \
    scripts/test.sh --filter "FullyQualifiedName~CrudTests|FullyQualifiedName~ConfigurationTests") >"$log" 2>&1 || status=$?
  if ((status != 0)); then
    tail -n 60 "$log" >&2
    die "the new project's scripts/test.sh failed (the end of its output is above)"
  fi
  grep '^tests: ' "$log" || die "the new project's scripts/test.sh printed no tests: line"
  tested=$SECONDS
  (cd "$project" && quietly dotnet tool restore \
    && quietly dotnet tool run dotnet-ef migrations has-pending-model-changes --no-build --configuration Release \
      --project Acme.Users.Data --startup-project Acme.Users.Api) \
    || die "the new project's model differs from its migrations' snapshot (dotnet ef migrations has-pending-model-changes)"
  template_cleanup
  trap - EXIT
  printf 'template: Acme.Users created from the package and the working tree (%d s), its scripts/test.sh (%d s), pending model check and clean-up (%d s): %d s\n' \
    $((created - started)) $((tested - created)) $((SECONDS - tested)) $((SECONDS - started))
}
#endif

HTTP_FILE_API_PID=
HTTP_FILE_DATABASE=
stop_http_file_api() {
  if [[ -n "$HTTP_FILE_API_PID" ]]; then
    kill -TERM "$HTTP_FILE_API_PID" 2>/dev/null || true
    wait "$HTTP_FILE_API_PID" 2>/dev/null || true
    HTTP_FILE_API_PID=
  fi
  if [[ -n "$HTTP_FILE_DATABASE" ]]; then
    dropdb --if-exists "$HTTP_FILE_DATABASE" || printf 'warning: could not drop the throwaway database %s\n' "$HTTP_FILE_DATABASE" >&2
    HTTP_FILE_DATABASE=
  fi
}

# httpyac, pinned by tools/httpyac/package-lock.json: installed with npm ci unless that install is already there.
install_httpyac() {
  need_commands node=nodejs npm=npm
  local tool=$REPO_ROOT/tools/httpyac
  if [[ ! -x "$tool/node_modules/.bin/httpyac" || "$tool/package-lock.json" -nt "$tool/node_modules/.package-lock.json" ]]; then
    step "Installing httpyac (npm ci in tools/httpyac)"
    (cd "$tool" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || die "npm ci in tools/httpyac failed"
  fi
}

# GinoDemo.Api/GinoDemo.Api.http, the IDE's requests file, sent whole by httpyac to the Release build on a free
# loopback port and a throwaway database: every request's "# @expect-status" must hold (GinoDemo.Api/.httpyac.config.js),
# so that the file cannot go stale. The API is stopped by its PID and the database dropped, whatever happens.
gate_http_file() {
  step "GinoDemo.Api/GinoDemo.Api.http sent by httpyac to the API on a throwaway database: every expected status"
  local reason port log empty summary status=0
  reason=$(migration_artifacts_skip_reason)
  if [[ -n "$reason" ]]; then
    gate_skipped "http file" "$reason"
    return 0
  fi
  install_httpyac
  need_commands curl
  use_pg_settings
  trap stop_http_file_api EXIT
  HTTP_FILE_DATABASE=gino_ci_http_$$
  dropdb --if-exists "$HTTP_FILE_DATABASE" || die "cannot reach $PGHOST:$PGPORT to drop $HTTP_FILE_DATABASE"
  port=$(free_port_from 18080)
  log=$(mktemp)
  # From an empty folder, so that no .env changes the settings; the API's own migrate creates the database.
  empty=$(mktemp -d)
  # Only ever called in a subshell (quietly's, or a background job), which it replaces: the job's PID is the API's.
  http_file_api() {
    cd "$empty" || return 1
    DB_HOST=$PGHOST DB_PORT=$PGPORT DB_USER=$PGUSER DB_PASSWORD=$PGPASSWORD DB_DSN='' \
      DB_DATABASE=$HTTP_FILE_DATABASE TESTING=false ASPNETCORE_ENVIRONMENT=Production \
      exec dotnet "$REPO_ROOT/GinoDemo.Api/bin/Release/net10.0/GinoDemo.Api.dll" "$@"
  }
  quietly http_file_api migrate || die "the API's migrate failed on the throwaway database $HTTP_FILE_DATABASE"
  http_file_api --urls "http://127.0.0.1:$port" >"$log" 2>&1 &
  HTTP_FILE_API_PID=$!
  local deadline=$((SECONDS + 60))
  until curl -sf -o /dev/null "http://127.0.0.1:$port/healthz/ready"; do
    kill -0 "$HTTP_FILE_API_PID" 2>/dev/null || { cat "$log" >&2; die "the API exited before it was ready (its log is above)"; }
    ((SECONDS < deadline)) || { cat "$log" >&2; die "the API was not ready within 60 s (its log is above)"; }
    sleep 0.2
  done
  summary=$(GINO_DEMO_HTTP_HOST="http://127.0.0.1:$port" timeout 120 \
    "$REPO_ROOT/tools/httpyac/node_modules/.bin/httpyac" send GinoDemo.Api/GinoDemo.Api.http --all --bail \
    --output none --output-failed exchange --no-color 2>&1) || status=$?
  stop_http_file_api
  trap - EXIT
  rm -f "$log"
  rmdir "$empty"
  if ((status != 0)); then
    printf '%s\n' "$summary" >&2
    die "GinoDemo.Api/GinoDemo.Api.http: a request failed or answered another status than its '# @expect-status' (above; exit $status): correct the file, or the API if the file says what the README promises"
  fi
  printf 'http file: %s\n' "$(tail -n 1 <<<"$summary")"
}
