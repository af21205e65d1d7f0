#!/usr/bin/env bash
# The benchmark (issue 4): the published Release API against a raw ASP.NET Core + Npgsql baseline
# (bench/RawBaseline) and against PostgreSQL's own limit (pgbench), in one run, on loopback only.
#
#   bench/run.sh                 20 s per point, 30..120 s warm-up per app: about 9-12 minutes with the builds
#   bench/run.sh --quick         2 s per point, 2 s warm-up, 64 connections only: CI's smoke run (speed not judged; any error fails it)
#   bench/run.sh --duration 5 --warmup 30 --warmup-max 120 --connections "16 64" --loads "get post mixed" --users 10000
#   bench/run.sh --api-env Logging__LogLevel__Default=Warning   one more setting for the API only (experiments)
#   bench/run.sh --logs DIR      keep the apps' and PostgreSQL's logs in DIR (they are deleted otherwise)
#   bench/run.sh --no-build      publish the API from the Release build already made (scripts/test.sh's smoke run)
#   bench/run.sh --ablate        the layers' costs (issue 14): the API with one layer at a time left out
#                                (bench/Ablation), against the API and the raw baseline, --rounds rounds alternating;
#                                GET at 64 connections, 5 s per point, 20..60 s warm-up unless given otherwise
#   bench/run.sh --ablate --layers "rate-limiter all" --rounds 3 --loads "get post"
#   bench/run.sh --ablate --layers "none none+DOTNET_GCgen0size=0x1000000"   a layer may carry +KEY=VALUE settings
#   bench/run.sh --ablate --before REF   also the API as published from git commit REF ("api-before"): what a change bought
#   bench/run.sh --profile       CPU profile (perf, self time grouped by layer) of the API and the baseline under GET and
#                                POST at 64 connections, 15 s each after the warm-up: bench/results/profile.md
#
# What it does, all bounded in time and removed at the end (trap on exit):
#   a throwaway PostgreSQL cluster (own data folder under /tmp, own free port, 127.0.0.1 only), migrated with the
#   product's migrations, seeded with --users users; the API and the baseline published in Release and started
#   as in production; then for each load (GET, POST, mixed 80/20) and each connection count, the API, the
#   baseline and pgbench one after the other (the order flips every point, so machine drift hits all alike),
#   with VACUUM + CHECKPOINT before every point.
# Results: bench/results/latest.{json,md}, docs/performance.svg and the table in docs/performance.md
# (--quick writes bench/results/quick.* instead, ignored by git, so CI and trial runs never dirty the tree).
# This script only measures and records raw figures (integers, strings, wrk's own JSON, pgbench's logs);
# bench/report.py computes every figure from them and writes every file.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
BENCH_DIR=$REPO_ROOT/bench
caller_dir=$PWD
cd "$REPO_ROOT"

usage() { sed -n '2,29p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

original_args=("$@")
duration=20
warmup=30
warmup_max=120
warmup_round=5
connections="16 64"
loads="get post mixed"
users=10000
cold_runs=3
quick=false
extra_api_env=()
keep_logs=
api_build=()
ablate=false
profile=false
before_ref=
ablate_rounds=3
# Every layer bench/Ablation can leave out, then all of them at once; "none" is the ablation host with nothing left
# out (it must match the API: the same composition from another entry assembly).
layers="none rate-limiter request-timeouts security-headers forwarded-headers logging-scopes connection-per-request api-controller-filters problem-details kestrel-limits cors openapi all"
declare -A given=()
while (($#)); do
  given[$1]=1
  case $1 in
    --duration) duration=${2:?--duration needs seconds}; shift 2 ;;
    --warmup) warmup=${2:?--warmup needs seconds}; shift 2 ;;
    --warmup-max) warmup_max=${2:?--warmup-max needs seconds}; shift 2 ;;
    --connections) connections=${2:?--connections needs a list such as "16 64"}; shift 2 ;;
    --loads) loads=${2:?--loads needs a list such as "get mixed"}; shift 2 ;;
    --users) users=${2:?--users needs a count}; shift 2 ;;
    --logs) keep_logs=$(cd "$caller_dir" && realpath -m "${2:?--logs needs a folder}"); shift 2 ;;
    --api-env) extra_api_env+=("${2:?--api-env needs KEY=VALUE}"); shift 2 ;;
    --no-build) api_build=(--no-build); shift ;;
    --ablate) ablate=true; shift ;;
    --profile) profile=true; shift ;;
    --before) before_ref=${2:?--before needs a git commit}; shift 2 ;;
    --layers) layers=${2:?--layers needs a list such as "none rate-limiter"}; shift 2 ;;
    --rounds) ablate_rounds=${2:?--rounds needs a count}; shift 2 ;;
    --quick) quick=true; duration=2; warmup=2; warmup_max=2; warmup_round=2; connections=64; cold_runs=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
if $profile; then
  $quick && die "--profile and --quick do not go together"
  $ablate && die "--profile and --ablate do not go together"
  [[ -n ${given[--duration]:-} ]] || duration=15
  [[ -n ${given[--connections]:-} ]] || connections=64
  [[ -n ${given[--loads]:-} ]] || loads="get post"
  cold_runs=1
  # perf names JIT-compiled methods from the map files the runtime writes (/tmp/perf-PID.map). With W^X on (the
  # default) the code runs from a second, anonymous mapping (/memfd:doublemapper) that the map does not cover.
  extra_api_env+=(DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0)
  need_commands perf=linux-perf
fi
if $ablate; then
  $quick && die "--ablate and --quick do not go together"
  [[ -n ${given[--duration]:-} ]] || duration=5
  [[ -n ${given[--warmup]:-} ]] || warmup=20
  [[ -n ${given[--warmup-max]:-} ]] || warmup_max=60
  [[ -n ${given[--connections]:-} ]] || connections=64
  [[ -n ${given[--loads]:-} ]] || loads="get"
  cold_runs=1
fi
for number in "$duration" "$ablate_rounds" "$warmup" "$warmup_max" "$users" $connections; do
  [[ "$number" =~ ^[1-9][0-9]*$ ]] || die "not a positive whole number: $number"
done
for load in $loads; do
  [[ $load =~ ^(get|post|mixed)$ ]] || die "not a load (get, post, mixed): $load"
done
if $profile; then
  results_name=profile
elif $ablate; then
  results_name=ablation
elif $quick; then
  results_name=quick
else
  results_name=latest
fi

# One load-generator thread per two cores: wrk and pgbench share the machine with the server, and every
# thread they take is CPU the server under test does not get. One wrk thread drives far more than the
# server's requests per second.
threads=$(($(nproc) / 2))
((threads >= 1)) || threads=1

# The settings the run uses come from this script alone: a DB_DSN or TESTING exported in the caller's shell
# (eval "$(scripts/db.sh env)") or written in .env must not send the load, or the migrations, elsewhere.
while read -r name; do unset "$name"; done < <(compgen -e | grep -E '^(DB_[A-Z_]+|TESTING)$' || true)

# --- Tools: Debian packages, installed when missing. ----------------------------------------------------
need_commands wrk curl python3
install_postgres
pg_bin=$(postgres_bindir)
[[ -x "$pg_bin/pgbench" ]] || die "no pgbench in $pg_bin"

# --- Scratch space and cleanup. -------------------------------------------------------------------------
# Under /tmp and readable by all: as root the cluster runs as the postgres user, which must enter it.
work=$(mktemp -d /tmp/gino-bench.XXXXXX)
chmod 755 "$work"
pids=()
pg_started=false
cleanup() {
  local status=$? pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if $pg_started; then
    stop_cluster "$pg_bin" "$work" immediate >/dev/null 2>&1 || true
  fi
  if [[ -n "$keep_logs" ]]; then
    mkdir -p "$keep_logs"
    cp "$work"/*.log "$work/postgres/server.log" "$keep_logs/" 2>/dev/null || true
  fi
  if ((status != 0)) && [[ -f "$work/postgres/server.log" ]]; then
    printf '\nlast lines of the PostgreSQL log:\n' >&2
    tail -n 5 "$work/postgres/server.log" >&2 || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

now_ms() { printf '%s\n' "$(($(date +%s%N) / 1000000))"; }
started_ms=$(now_ms)

# --- The database. ------------------------------------------------------------------------------------
# Never on the developers' clusters' ports (5543x).
pg_port=$(free_port_from 56432)
# lib.sh's cluster: scram password, loopback only, no Unix socket; in our scratch folder, on our port.
create_local_postgres "$pg_bin" "$work" "$pg_port"
# Room for pgbench's 64 clients beside both apps' pools (16 each). Everything else is PostgreSQL's defaults,
# durability included (fsync, synchronous_commit): the same for the three targets, and what production runs.
# With --ablate, one more app per layer, each with its own pool.
max_connections=200
! $ablate || max_connections=500
printf 'max_connections = %s\n' "$max_connections" | as_pg_owner tee -a "$work/postgres/postgresql.conf" >/dev/null
step "Starting a throwaway PostgreSQL on 127.0.0.1:$pg_port ($work/postgres)"
start_cluster "$pg_bin" "$work"
pg_started=true
pg_password=$(cat "$work/postgres.password")
database=gino_demo

sql() {
  PGPASSWORD=$pg_password "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d "$database" \
    -v ON_ERROR_STOP=1 -qAt "$@"
}

# A SCRAM login takes milliseconds on an idle machine but more than the shipped 2 s on a 2-core machine other builds
# share (load average 40 was seen): a connect timeout there failed the migrations or a warm-up. Only the time allowed to
# open a connection changes; no request waits on it once the pools are warm.
connect_timeout=10

# --- Build: the API exactly as the Dockerfile publishes it; the baseline alike. ------------------------
step "Publishing the API and the raw baseline (Release)"
build_started=$(now_ms)
if [[ ${api_build[*]} == --no-build ]]; then
  # The smoke run (its figures are not judged): the Release build test.sh made, without ReadyToRun, which needs a
  # build for the platform.
  dotnet publish GinoDemo.Api/GinoDemo.Api.csproj -c Release --no-build -o "$work/api" -v quiet -nologo >"$work/publish.log" 2>&1 \
    || { cat "$work/publish.log" >&2; die "publishing the API failed"; }
else
  # The Dockerfile's two steps: restore (with ReadyToRun's compiler), then publish for the platform, compiled ahead of time.
  { dotnet restore GinoDemo.Api/GinoDemo.Api.csproj -p:PublishReadyToRun=true -v quiet -nologo \
    && dotnet publish GinoDemo.Api/GinoDemo.Api.csproj -c Release -r linux-x64 --self-contained false --no-restore \
      -p:UseAppHost=false -o "$work/api" -v quiet -nologo \
    && dotnet build GinoDemo.Api/GinoDemo.Api.csproj -c Release --no-restore -v quiet -nologo; } >"$work/publish.log" 2>&1 \
    || { cat "$work/publish.log" >&2; die "publishing the API failed"; }
  # The last step is the platform-neutral Release build that `dotnet ef` (--no-build) runs the migrations from.
fi
dotnet publish bench/RawBaseline/RawBaseline.csproj -c Release -o "$work/raw" -v quiet -nologo >>"$work/publish.log" 2>&1 \
  || { cat "$work/publish.log" >&2; die "publishing the raw baseline failed"; }
if [[ -n $before_ref ]]; then
  $ablate || die "--before goes with --ablate"
  mkdir -p "$work/src-before"
  git archive "$before_ref" | tar -x -C "$work/src-before" || die "no git commit $before_ref"
  dotnet publish "$work/src-before/GinoDemo.Api/GinoDemo.Api.csproj" -c Release -o "$work/api-before" -v quiet -nologo >>"$work/publish.log" 2>&1 \
    || { cat "$work/publish.log" >&2; die "publishing the API of $before_ref failed"; }
fi
if $ablate; then
  dotnet publish bench/Ablation/Ablation.csproj -c Release -o "$work/ablation" -v quiet -nologo >>"$work/publish.log" 2>&1 \
    || { cat "$work/publish.log" >&2; die "publishing the ablation host failed"; }
fi

# The product's migrations, as scripts/run.sh applies them, from the Release build made above.
# DB_DSN and TESTING are set here because the environment beats .env: a developer's .env cannot redirect them.
restore_tools
step "Migrating the throwaway database (dotnet ef database update)"
DB_DSN="postgresql://postgres:$pg_password@127.0.0.1:$pg_port/$database" TESTING=false DB_CONNECT_TIMEOUT=$connect_timeout \
  ef database update --no-build --configuration Release >"$work/migrate.log" 2>&1 \
  || { cat "$work/migrate.log" >&2; die "migrations failed"; }
build_ms=$(($(now_ms) - build_started))

step "Seeding $users users"
sql -c "INSERT INTO users (nickname) SELECT 'user ' || n FROM generate_series(1, $users) AS n" \
  -c "VACUUM ANALYZE users" -c "CHECKPOINT"
[[ $(sql -c "SELECT max(id) FROM users") == "$users" ]] || die "the seeded ids are not 1..$users"

# --- The two apps. ----------------------------------------------------------------------------------------
# Production settings, from appsettings.json and the environment as the Docker image runs them; each app runs
# in the scratch folder, where there is no .env. Pool sizes, logging, validation: the shipped defaults.
# Ports from 18000, 100 apart for each cluster port taken: two runs at once (each has its own cluster) never pick the
# same port for their apps in the moment between choosing and binding it.
api_port=$(free_port_from $((18000 + (pg_port - 56432) * 100)))
raw_port=$(free_port_from $((api_port + 1)))
app_env=(
  ASPNETCORE_ENVIRONMENT=Production
  DB_HOST=127.0.0.1 DB_PORT="$pg_port" DB_USER=postgres DB_PASSWORD="$pg_password" DB_DATABASE="$database"
  DB_CONNECT_TIMEOUT="$connect_timeout"
)
# The product's per-client rate limit (on by default, 100/s) would throttle this single loopback client: the
# limiter stays on, with the same middleware and partitioning on every request, only its numbers raised.
api_env=(RateLimiting__PermitsPerSecond=1000000 RateLimiting__Burst=1000000)
api_env+=("${extra_api_env[@]}")

declare -A app_pid app_port app_dll cold_times
app_port=([api]=$api_port [raw]=$raw_port)
app_dll=([api]=$work/api/GinoDemo.Api.dll [raw]=$work/raw/RawBaseline.dll)
apps=(api raw)
# --ablate: one more app per layer, the ablation host with that layer left out ("without-<layer>").
port=$raw_port
if [[ -n $before_ref ]]; then
  port=$(free_port_from $((port + 1)))
  app_port[api-before]=$port
  app_dll[api-before]=$work/api-before/GinoDemo.Api.dll
  apps+=(api-before)
fi
if $ablate; then
  for layer in $layers; do
    port=$(free_port_from $((port + 1)))
    app_port[without-$layer]=$port
    app_dll[without-$layer]=$work/ablation/Ablation.dll
    apps+=("without-$layer")
  done
fi

# Starts an app and waits for its first 200 on GET / (every app has it; health endpoints may come later).
# Prints the milliseconds from the process start to that answer: the cold start.
start_app() {
  local name=$1 port=${app_port[$1]} begin pid extra=()
  [[ $name != api && $name != api-before ]] || extra=("${api_env[@]}")
  ! $profile || [[ $name != raw ]] || extra=(DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0)
  # without-LAYER[+KEY=VALUE...]: the ablation host without LAYER, with more environment (GC settings, say).
  if [[ $name == without-* ]]; then
    local variant=${name#without-}
    extra=("${api_env[@]}" BENCH_ABLATE="${variant%%+*}")
    if [[ $variant == *+* ]]; then
      local more
      IFS=+ read -r -a more <<<"${variant#*+}"
      extra+=("${more[@]}")
    fi
  fi
  begin=$(now_ms)
  (cd "$work" && exec env "${app_env[@]}" "${extra[@]}" dotnet "${app_dll[$name]}" --urls "http://127.0.0.1:$port") \
    >>"$work/$name.log" 2>&1 &
  pid=$!
  # Known to the cleanup at once: an app that never answers is stopped too.
  pids+=("$pid")
  until curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$port/"; do
    kill -0 "$pid" 2>/dev/null || { tail -n 20 "$work/$name.log" >&2; die "$name exited while starting"; }
    # Generous: on a 2-core machine shared with other builds a start took over a minute.
    (($(now_ms) - begin < 180000)) || die "$name did not answer within 180 s"
    sleep 0.01
  done
  app_pid[$name]=$pid
  printf '%s\n' "$(($(now_ms) - begin))"
}

stop_app() {
  kill "${app_pid[$1]}"
  wait "${app_pid[$1]}" || true
}

# Cold start: cold_runs fresh starts (report.py takes their median); the last one stays up for the load.
for name in "${apps[@]}"; do
  step "Starting $name on 127.0.0.1:${app_port[$name]} (cold start, $cold_runs run(s))"
  times=()
  for ((run = 1; run <= cold_runs; run++)); do
    ((run == 1)) || stop_app "$name"
    start_app "$name" >"$work/cold" && times+=("$(cat "$work/cold")")
  done
  cold_times[$name]=${times[*]}
  printf '    runs: %s ms\n' "${cold_times[$name]}" >&2
done

# --- Measuring. -------------------------------------------------------------------------------------------
# CPU time (user + system) of a process, in clock ticks: fields 14 and 15 of /proc/PID/stat (after the name).
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
memory_kb() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; }

# wrk's figures: the one line of JSON bench/wrk/users.lua prints, passed on as it is.
run_wrk() {
  local seconds=$1 conns=$2 port=$3 load=$4 result
  result=$(BENCH_MAX_ID=$users wrk -t"$threads" -c"$conns" -d"${seconds}s" --timeout 5s -s "$BENCH_DIR/wrk/users.lua" \
    "http://127.0.0.1:$port" -- "$load" | sed -n 's/^BENCH_RESULT //p')
  [[ -n "$result" ]] || die "wrk printed no result (port $port, $load, $conns connections)"
  printf '%s\n' "$result"
}

# One point of an app, one tab-separated line: target, load, connections, the app's CPU ticks before and
# after, its resident memory (kB) afterwards, and wrk's JSON.
measure_app() {
  local name=$1 load=$2 conns=$3 pid=${app_pid[$1]} before after result
  before=$(cpu_ticks "$pid")
  result=$(run_wrk "$duration" "$conns" "${app_port[$name]}" "$load")
  after=$(cpu_ticks "$pid")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$load" "$conns" "$before" "$after" "$(memory_kb "$pid" VmRSS)" "$result"
}

# pgbench: the same statements, the same client count, prepared (the database's best case). One
# tab-separated line: pgbench, load, connections, the folder of its per-transaction logs (report.py takes
# the latency percentiles from them) and the file of its output (tps, failed transactions).
measure_pgbench() {
  local load=$1 conns=$2 scripts=() logs=$work/pgbench/$1-$2 output
  case $load in
    get) scripts=(-f "$BENCH_DIR/pgbench/select.sql") ;;
    post) scripts=(-f "$BENCH_DIR/pgbench/insert.sql") ;;
    mixed) scripts=(-f "$BENCH_DIR/pgbench/select.sql@8" -f "$BENCH_DIR/pgbench/insert.sql@2") ;;
  esac
  output=$logs/output.txt
  rm -rf "$logs" && mkdir -p "$logs"
  # pgbench's -T clock includes opening its connections (SCRAM: a few ms of CPU each, much more on a busy
  # machine), which it leaves out of its tps; in a short run that can be the whole time, so it gets 5 s more.
  local seconds=$duration
  ((duration >= 10)) || seconds=$((duration + 5))
  PGPASSWORD=$pg_password "$pg_bin/pgbench" -h 127.0.0.1 -p "$pg_port" -U postgres -n -M prepared \
    -c "$conns" -j "$threads" -T "$seconds" -D max_id="$users" "${scripts[@]}" \
    --log --log-prefix="$logs/tx" "$database" >"$output" 2>&1 || { cat "$output" >&2; die "pgbench failed"; }
  # Not one transaction logged (every log file empty): the run is broken, not slow.
  [[ -n "$(find "$logs" -name 'tx*' -size +0 -print -quit)" ]] \
    || { cat "$output" >&2; ls -la "$logs" >&2; die "pgbench ran no transaction"; }
  printf 'pgbench\t%s\t%s\t%s\t%s\n' "$load" "$conns" "$logs" "$output"
}

# Between points: the dead tuples and dirty pages one point leaves must not be cleaned up during the next.
maintenance() { sql -c "VACUUM ANALYZE users" -c "CHECKPOINT"; }

# Warm-up, not recorded, at the most connections: rounds of warmup_round seconds of GET, each followed by 1 s
# of POST (so that both paths are compiled and their pools warm), for at least --warmup seconds and then until
# two rounds in a row are no more than 5 % faster than the best GET round before (at most --warmup-max
# seconds). Why not a fixed time: .NET compiles hot methods a second time, optimised with profile data
# (tiered compilation, dynamic PGO), in the background; the API runs far more code per request (MVC, EF
# Core) than the baseline, and on a busy 2-core machine it was still compiling hundreds of methods a second
# after 30 s, at half its settled throughput. GET is the round that decides: it is CPU-bound, while POST
# waits on the disk's commits and would look settled long before the JIT is done.
max_conns=$(tr ' ' '\n' <<<"$connections" | sort -n | tail -n 1)
declare -A warmed_s
for name in "${apps[@]}"; do
  step "Warming up $name: GET and POST at $max_conns connections, ${warmup}..${warmup_max} s"
  begin=$(now_ms)
  rounds=$work/warmup-$name.jsonl
  : >"$rounds"
  while :; do
    run_wrk "$warmup_round" "$max_conns" "${app_port[$name]}" get >>"$rounds"
    run_wrk 1 "$max_conns" "${app_port[$name]}" post >/dev/null
    elapsed=$(($(now_ms) - begin))
    # Settled (report.py decides, and prints the round): two GET rounds in a row no more than 5 % above the
    # best round before them (one slow round on a shared machine is noise, not the end of the warm-up).
    settled=$(python3 "$BENCH_DIR/report.py" warmup-settled --rounds "$rounds" --elapsed-ms "$elapsed")
    ((elapsed < warmup * 1000)) || [[ $settled != yes ]] || break
    if ((elapsed + warmup_round * 1000 > warmup_max * 1000)); then
      ((warmup_max <= warmup)) || printf '    still getting faster after %s s: measuring anyway (raise --warmup-max)\n' "$((elapsed / 1000))" >&2
      break
    fi
  done
  warmed_s[$name]=$((elapsed / 1000))
done

# --- Ablation (--ablate): every app at every point, the order rotated each round; then the report. -----------
# One tab-separated line per point: app, load, connections, round, CPU ticks before and after, RSS (kB), bytes
# the process had allocated before and after (the ablation host only; "-" for the API and the baseline), wrk's JSON.
allocated_bytes() {
  [[ $1 == without-* ]] || { echo -; return; }
  curl -fs --max-time 5 "http://127.0.0.1:${app_port[$1]}/_bench/allocated" || echo -
}
if $ablate; then
  points=$work/ablation.tsv
  : >"$points"
  order=("${apps[@]}")
  for ((round = 1; round <= ablate_rounds; round++)); do
    for load in $loads; do
      for conns in $connections; do
        for name in "${order[@]}"; do
          printf '==> round %s/%s  %-5s %3s connections  %-32s %s s\n' "$round" "$ablate_rounds" "$load" "$conns" "$name" "$duration" >&2
          [[ $load == get ]] || maintenance
          pid=${app_pid[$name]}
          alloc_before=$(allocated_bytes "$name")
          before=$(cpu_ticks "$pid")
          result=$(run_wrk "$duration" "$conns" "${app_port[$name]}" "$load")
          after=$(cpu_ticks "$pid")
          alloc_after=$(allocated_bytes "$name")
          printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$load" "$conns" "$round" "$before" "$after" \
            "$(memory_kb "$pid" VmRSS)" "$alloc_before" "$alloc_after" "$result" >>"$points"
        done
      done
    done
    # Rotate: every app is measured at another place in the order each round.
    order=("${order[@]:1}" "${order[0]}")
  done
  {
    printf '%s\n' "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
      "command=bench/run.sh${original_args[*]:+ ${original_args[*]}}" \
      "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$([[ -z "$(git status --porcelain 2>/dev/null)" ]] || echo +changes)" \
      "before=$before_ref" "duration_s=$duration" "rounds=$ablate_rounds" "warmup_s=$warmup" "warmup_max_s=$warmup_max" \
      "load_average_at_start=$(cut -d ' ' -f 1-3 /proc/loadavg)" "cores=$(nproc)"
    for name in "${apps[@]}"; do
      # A variant's name may hold "=" (without-none+KEY=VALUE), which would end the key: written as ":".
      printf '%s\n' "warmed_s.${name//=/:}=${warmed_s[$name]}" "peak_rss_kb.${name//=/:}=$(memory_kb "${app_pid[$name]}" VmHWM)"
    done
  } >"$work/facts.txt"
  mkdir -p "$BENCH_DIR/results"
  python3 "$BENCH_DIR/report.py" ablation --points "$points" --facts "$work/facts.txt" --clock-ticks "$(getconf CLK_TCK)" \
    --json "$BENCH_DIR/results/ablation.json" --markdown "$BENCH_DIR/results/ablation.md" --doc "$REPO_ROOT/docs/performance.md"
  step "Done in $((($(now_ms) - started_ms) / 1000)) s; written: bench/results/ablation.md"
  exit 0
fi

# --- Profile (--profile): perf samples of each app under each load; report.py groups them by layer. ----------
if $profile; then
  profiles=()
  for load in $loads; do
    for conns in $connections; do
      for name in api raw; do
        printf '==> profiling %-5s %3s connections  %-4s %s s\n' "$load" "$conns" "$name" "$duration" >&2
        [[ $load == get ]] || maintenance
        data=$work/perf-$name-$load-$conns.data
        # Self time only (no call graphs): which code the CPU is in, at 499 samples a second. The software clock,
        # since virtual machines often expose no hardware cycle counter (perf then records nothing, silently).
        perf record -q -e cpu-clock -F 499 -o "$data" -p "${app_pid[$name]}" -- sleep "$duration" 2>>"$work/perf.log" &
        perf_pid=$!
        result=$(run_wrk "$duration" "$conns" "${app_port[$name]}" "$load")
        wait "$perf_pid" || die "perf record failed: $(tail -n 3 "$work/perf.log")"
        # perf 6.1 prints blank lines for -F dso,sym: the symbol is resolved only when the address is asked for too.
        perf script -i "$data" -F ip,sym,dso 2>>"$work/perf.log" >"$data.txt" || die "perf script failed"
        grep -q '[^[:space:]]' "$data.txt" || die "perf recorded no samples of $name: $(tail -n 3 "$work/perf.log")"
        profiles+=("$name" "$load" "$conns" "$data.txt" "$result")
      done
    done
  done
  mkdir -p "$BENCH_DIR/results"
  python3 "$BENCH_DIR/report.py" profile --command "bench/run.sh${original_args[*]:+ ${original_args[*]}}" \
    --commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" --load-average "$(cut -d ' ' -f 1-3 /proc/loadavg)" \
    --markdown "$BENCH_DIR/results/profile.md" "${profiles[@]}"
  step "Done in $((($(now_ms) - started_ms) / 1000)) s; written: bench/results/profile.md"
  exit 0
fi

points=$work/points.tsv
: >"$points"
order=(api raw pgbench)
point=0
for load in $loads; do
  for conns in $connections; do
    maintenance
    for target in "${order[@]}"; do
      point=$((point + 1))
      printf '==> %-5s %3s connections  %-7s %s s\n' "$load" "$conns" "$target" "$duration" >&2
      ((point == 1)) || maintenance
      if [[ $target == pgbench ]]; then
        measure_pgbench "$load" "$conns" >>"$points"
      else
        measure_app "$target" "$load" "$conns" >>"$points"
      fi
    done
    # Reverse the order for the next point: no target always runs first (or last) after maintenance.
    order=("${order[2]}" "${order[1]}" "${order[0]}")
  done
done

# --- Report. ----------------------------------------------------------------------------------------------
# The run's facts, one key=value a line; report.py turns them into the results' "meta".
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[[ -z "$(git status --porcelain 2>/dev/null)" ]] || commit="$commit+changes"
command="bench/run.sh${original_args[*]:+ ${original_args[*]}}"
{
  printf '%s\n' \
    "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    "command=${command//$'\n'/ }" \
    "commit=$commit" \
    "quick=$quick" \
    "duration_s=$duration" \
    "warmup_s=$warmup" \
    "warmup_max_s=$warmup_max" \
    "warmed_s.api=${warmed_s[api]}" \
    "warmed_s.raw=${warmed_s[raw]}" \
    "users=$users" \
    "connections=$connections" \
    "load_threads=$threads" \
    "extra_api_env=${extra_api_env[*]//$'\n'/ }" \
    "cores=$(nproc)" \
    "cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" \
    "memory_kb=$(awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo)" \
    "kernel=$(uname -r)" \
    "dotnet=$(dotnet --version)" \
    "postgres=$("$pg_bin/postgres" --version | awk '{ print $3 }')" \
    "wrk=$(wrk -v 2>&1 | awk 'NR == 1 { print $2 }')" \
    "load_average_at_start=$(cut -d ' ' -f 1-3 /proc/loadavg)" \
    "cold_start_runs_ms.api=${cold_times[api]}" \
    "cold_start_runs_ms.raw=${cold_times[raw]}" \
    "peak_rss_kb.api=$(memory_kb "${app_pid[api]}" VmHWM)" \
    "peak_rss_kb.raw=$(memory_kb "${app_pid[raw]}" VmHWM)" \
    "build_and_migrate_ms=$build_ms" \
    "total_ms=$(($(now_ms) - started_ms))"
} >"$work/facts.txt"
mkdir -p "$BENCH_DIR/results"
report_args=(--points "$points" --facts "$work/facts.txt" --clock-ticks "$(getconf CLK_TCK)"
  --json "$BENCH_DIR/results/$results_name.json" --markdown "$BENCH_DIR/results/$results_name.md")
if $quick; then
  report_args+=(--svg "$BENCH_DIR/results/quick.svg")
else
  report_args+=(--svg "$REPO_ROOT/docs/performance.svg" --doc "$REPO_ROOT/docs/performance.md")
fi
python3 "$BENCH_DIR/report.py" report "${report_args[@]}"
step "Done in $((($(now_ms) - started_ms) / 1000)) s; written: bench/results/$results_name.md"
