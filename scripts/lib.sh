# shellcheck shell=bash
# Shared by run.sh and test.sh: logging, and the database the commands use.
# A local PostgreSQL cluster of the repository's own is started unless DB_DSN or DB_HOST is set
# (in the environment or in .env), in which case that server is used as it is.

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE_DIR=$REPO_ROOT/.data
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

step() { printf '\n==> %s\n' "$*" >&2; }
die() { printf '\nerror: %s\n' "$*" >&2; exit 1; }

# True when the setting $1 has a value in the environment or in ./.env (the app's own precedence).
env_has() {
  [[ -n "${!1:-}" ]] && return 0
  [[ -f "$REPO_ROOT/.env" ]] && grep -Eq '^[[:space:]]*(export[[:space:]]+)?'"$1"'[[:space:]]*=[[:space:]]*["'"'"']?[^[:space:]#"'"'"']' "$REPO_ROOT/.env"
}

database_configured() { env_has DB_DSN || env_has DB_HOST; }

postgres_bindir() {
  local dir
  dir=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  [[ -n "$dir" && -x "$dir/initdb" ]] && printf '%s\n' "$dir"
}

# apt-get install, as root or through sudo (CI machines start fresh). The package lists are updated once per run,
# child scripts included.
apt_install() {
  local sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  if [[ -z "${GINO_DEMO_APT_UPDATED:-}" ]]; then
    "${sudo[@]}" apt-get update -q >/dev/null || die "apt-get update failed"
    export GINO_DEMO_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q "$@" >/dev/null || die "apt-get install $* failed"
}

# Installs, in one apt run, the packages of the commands missing: need_commands wrk psql=postgresql-client
need_commands() {
  local spec missing=()
  for spec in "$@"; do
    command -v "${spec%%=*}" >/dev/null || missing+=("${spec#*=}")
  done
  ((${#missing[@]} == 0)) && return 0
  step "Installing ${missing[*]} with apt"
  apt_install "${missing[@]}"
}

install_postgres() {
  [[ -n "$(postgres_bindir)" ]] && return 0
  step "PostgreSQL is not installed: installing it with apt"
  apt_install postgresql
  [[ -n "$(postgres_bindir)" ]] || die "PostgreSQL was installed but no initdb was found under /usr/lib/postgresql"
}

# Debian's Chromium, which the browser tests (GinoDemo.Tests/Browser) drive through Playwright at /usr/bin/chromium:
# Playwright never downloads a browser of its own here.
install_chromium() {
  [[ -x /usr/bin/chromium ]] && return 0
  step "Chromium is not installed: installing it with apt (for the browser tests)"
  apt_install chromium
  [[ -x /usr/bin/chromium ]] || die "chromium was installed but /usr/bin/chromium is missing"
}

# The Scaling tests' proxy and pooler, Debian's HAProxy 2.6 and PgBouncer 1.18, installed when missing. Both live in
# /usr/sbin, which is not on every user's PATH, so they are looked for there.
install_proxy_and_pooler() {
  local missing=()
  [[ -x /usr/sbin/haproxy ]] || missing+=(haproxy)
  [[ -x /usr/sbin/pgbouncer ]] || missing+=(pgbouncer)
  ((${#missing[@]} == 0)) && return 0
  step "Installing ${missing[*]} with apt (the Scaling tests run them)"
  apt_install "${missing[@]}"
}

# PostgreSQL refuses to run as root: as root the cluster belongs to the postgres user
# (started from /, since it may not be allowed into the current folder).
as_pg_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# Where the cluster lives: data in postgres/, its password and port beside it. As root the server runs as the
# postgres user, which cannot enter a private parent folder (a clone under /root or in a mktemp -d directory):
# such a clone keeps its cluster under /var/lib/gino-demo instead.
local_pg_home() {
  if [[ -n "${GINO_DEMO_PG_DIR:-}" ]]; then
    printf '%s\n' "$GINO_DEMO_PG_DIR"
  elif [[ $(id -u) -ne 0 ]] || (cd / && runuser -u postgres -- test -x "$STATE_DIR"); then
    printf '%s\n' "$STATE_DIR"
  else
    printf '/var/lib/gino-demo/%s\n' "$(printf '%s' "$REPO_ROOT" | sha256sum | cut -c1-12)"
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The first free loopback port of the hundred from $1.
free_port_from() {
  local port=$1
  while port_in_use "$port"; do
    port=$((port + 1))
    ((port < $1 + 100)) || die "no free port in $1..$((port - 1))"
  done
  printf '%s\n' "$port"
}

# GINO_DEMO_PG_PORT if it is free, else the first free port from 55432; chosen when the cluster is created.
free_port() {
  if [[ -n "${GINO_DEMO_PG_PORT:-}" ]]; then
    ! port_in_use "$GINO_DEMO_PG_PORT" || die "port $GINO_DEMO_PG_PORT (GINO_DEMO_PG_PORT) is taken"
    printf '%s\n' "$GINO_DEMO_PG_PORT"
  else
    free_port_from 55432
  fi
}

# A new cluster in $2/postgres, on port $3 (by default free_port's).
create_local_postgres() {
  local bin=$1 home=$2 port=${3:-} pwfile
  step "Creating a local PostgreSQL cluster in $home/postgres"
  mkdir -p "$home/postgres"
  [[ $(id -u) -eq 0 ]] && chown postgres: "$home/postgres"
  chmod 700 "$home/postgres"
  (umask 077 && od -An -tx1 -N16 /dev/urandom | tr -d ' \n' >"$home/postgres.password")
  pwfile=$(mktemp)
  cp "$home/postgres.password" "$pwfile"
  [[ $(id -u) -eq 0 ]] && chown postgres: "$pwfile"
  as_pg_owner "$bin/initdb" -D "$home/postgres" -U postgres --auth=scram-sha-256 --pwfile="$pwfile" \
    --encoding=UTF8 --locale=C.UTF-8 >/dev/null || { rm -f "$pwfile"; die "initdb failed"; }
  rm -f "$pwfile"
  [[ -n "$port" ]] || port=$(free_port)
  # Loopback TCP only; the port is part of the cluster, so every later start uses the same one.
  printf "listen_addresses = '127.0.0.1'\nport = %s\nunix_socket_directories = ''\n" "$port" \
    | as_pg_owner tee -a "$home/postgres/postgresql.conf" >/dev/null
  printf '%s\n' "$port" >"$home/postgres.port"
}

# Starts the cluster in $2/postgres and waits (60 s at most) until it accepts connections; its log is server.log.
start_cluster() {
  as_pg_owner "$1/pg_ctl" -D "$2/postgres" -l "$2/postgres/server.log" -w -t 60 start >/dev/null \
    || die "PostgreSQL did not start; see $2/postgres/server.log"
}

# Stops the cluster in $2/postgres with pg_ctl's shutdown mode $3 (fast, or immediate for a throwaway one).
stop_cluster() { as_pg_owner "$1/pg_ctl" -D "$2/postgres" -m "$3" stop; }

start_local_postgres() {
  install_postgres
  mkdir -p "$STATE_DIR"
  local bin home port
  bin=$(postgres_bindir)
  home=$(local_pg_home)
  if [[ "$home" != "$STATE_DIR" && -z "${GINO_DEMO_PG_DIR:-}" ]]; then
    step "The postgres user cannot enter $REPO_ROOT (a parent folder is private): the local cluster lives in $home"
  fi
  mkdir -p "$home"
  [[ -f "$home/postgres/PG_VERSION" ]] || create_local_postgres "$bin" "$home"
  [[ -s "$home/postgres.password" && -s "$home/postgres.port" ]] \
    || die "$home/postgres has no postgres.password or postgres.port beside it; stop it and delete $home/postgres to recreate it"
  port=$(cat "$home/postgres.port")

  if as_pg_owner "$bin/pg_ctl" -D "$home/postgres" status >/dev/null 2>&1; then
    step "Using the local PostgreSQL already running on 127.0.0.1:$port"
  else
    port_in_use "$port" && die "port $port, where $home/postgres listens, is taken by another program"
    step "Starting the local PostgreSQL on 127.0.0.1:$port (log: $home/postgres/server.log)"
    start_cluster "$bin" "$home"
  fi

  export DB_HOST=127.0.0.1 DB_PORT="$port" DB_USER=postgres
  DB_PASSWORD=$(cat "$home/postgres.password")
  export DB_PASSWORD
}

stop_local_postgres() {
  local bin home
  bin=$(postgres_bindir) || die "PostgreSQL is not installed"
  home=$(local_pg_home)
  [[ -f "$home/postgres/PG_VERSION" ]] || die "no local cluster in $home/postgres"
  stop_cluster "$bin" "$home" fast
}

# scripts/db.sh destroy [--yes]: stops the local cluster and deletes it (its postgres/ folder, the password and port
# beside it), wherever local_pg_home puts it; the folder holding them goes only if that leaves it empty. Says what it
# will delete and asks first on a terminal; without one it needs --yes.
destroy_local_postgres() {
  local yes=false home size files=() bin pid answer
  case "${1:-}" in
    "") ;;
    --yes | -y) yes=true ;;
    *) die "unknown option $1: scripts/db.sh destroy [--yes]" ;;
  esac
  home=$(local_pg_home)
  [[ -n "$home" && "$home" != / ]] || die "no folder for the local cluster"
  [[ -e "$home/postgres" ]] && files+=("$home/postgres")
  [[ -e "$home/postgres.password" ]] && files+=("$home/postgres.password")
  [[ -e "$home/postgres.port" ]] && files+=("$home/postgres.port")
  if ((${#files[@]} == 0)); then
    step "No local PostgreSQL cluster in $home: nothing to delete"
    return 0
  fi
  # Only a folder initdb made: never some other folder that happens to be called postgres.
  if [[ -e "$home/postgres" && ! -f "$home/postgres/PG_VERSION" ]]; then
    die "$home/postgres is not a PostgreSQL cluster (no PG_VERSION): not deleting it; check GINO_DEMO_PG_DIR"
  fi
  size=$(du -sch "${files[@]}" 2>/dev/null | tail -n 1 | cut -f 1)
  step "This stops the local PostgreSQL and deletes its data, $size in all: ${files[*]}"
  if ! $yes; then
    [[ -t 0 ]] || die "not deleting without a terminal to ask on: run scripts/db.sh destroy --yes"
    read -r -p "Delete it? [y/N] " answer
    [[ "$answer" == [yY] || "$answer" == [yY][eE][sS] ]] || { step "Nothing deleted"; return 0; }
  fi
  if [[ -f "$home/postgres/postmaster.pid" ]]; then
    bin=$(postgres_bindir) || true
    if [[ -n "$bin" ]] && as_pg_owner "$bin/pg_ctl" -D "$home/postgres" status >/dev/null 2>&1; then
      stop_cluster "$bin" "$home" fast >/dev/null || die "the local PostgreSQL did not stop; nothing deleted"
    else
      pid=$(head -n 1 "$home/postgres/postmaster.pid")
      [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null \
        && die "PostgreSQL (pid $pid) still runs on $home/postgres and pg_ctl cannot stop it; nothing deleted"
    fi
  fi
  rm -rf -- "${files[@]}"
  # The folder made for a clone outside it goes too, when nothing else is in it; .data/ and GINO_DEMO_PG_DIR stay.
  if [[ -z "${GINO_DEMO_PG_DIR:-}" && "$home" == /var/lib/gino-demo/* ]]; then
    rmdir -- "$home" 2>/dev/null && { rmdir -- /var/lib/gino-demo 2>/dev/null || true; }
  fi
  step "Deleted the local PostgreSQL ($size); scripts/run.sh or scripts/db.sh start makes a new one"
}

use_database() {
  if database_configured; then
    step "Using the database named by DB_DSN / DB_HOST"
  else
    start_local_postgres
  fi
}

# Once per run, child scripts included.
restore_tools() {
  [[ -z "${GINO_DEMO_TOOLS_RESTORED:-}" ]] || return 0
  step "Restoring the dotnet-ef tool"
  dotnet tool restore >/dev/null || die "dotnet tool restore failed"
  export GINO_DEMO_TOOLS_RESTORED=1
}

# dotnet-ef on the solution's projects; the caller adds the build options.
ef() {
  dotnet tool run dotnet-ef "$@" --project GinoDemo.Data --startup-project GinoDemo.Api
}
