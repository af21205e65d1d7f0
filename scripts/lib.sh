# shellcheck shell=bash
# Shared by run.sh and test.sh: logging, and the database the commands use.
# A local PostgreSQL cluster of the repository's own is started unless DB_DSN or DB_HOST is set
# (in the environment or in .env), in which case that server is used as it is.

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOCAL_PG_DIR=${GINO_DEMO_PG_DIR:-$REPO_ROOT/.data/postgres}
LOCAL_PG_PORT=${GINO_DEMO_PG_PORT:-55432}
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

step() { printf '\n==> %s\n' "$*" >&2; }
die() { printf '\nerror: %s\n' "$*" >&2; exit 1; }

# True when DB_DSN or DB_HOST has a value in the environment or in ./.env (the app's own precedence).
database_configured() {
  [[ -n "${DB_DSN:-}" || -n "${DB_HOST:-}" ]] && return 0
  [[ -f "$REPO_ROOT/.env" ]] && grep -Eq '^[[:space:]]*(export[[:space:]]+)?DB_(DSN|HOST)[[:space:]]*=[[:space:]]*[^[:space:]#]' "$REPO_ROOT/.env"
}

postgres_bindir() {
  local dir
  dir=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  [[ -n "$dir" && -x "$dir/initdb" ]] && printf '%s\n' "$dir"
}

install_postgres() {
  [[ -n "$(postgres_bindir)" ]] && return 0
  step "PostgreSQL is not installed: installing it with apt"
  local sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  "${sudo[@]}" apt-get update -q || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q postgresql || die "apt-get install postgresql failed"
  [[ -n "$(postgres_bindir)" ]] || die "PostgreSQL was installed but no initdb was found under /usr/lib/postgresql"
}

# PostgreSQL refuses to run as root: as root the cluster belongs to the postgres user.
as_pg_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start_local_postgres() {
  install_postgres
  local bin password_file
  bin=$(postgres_bindir)
  password_file="$(dirname "$LOCAL_PG_DIR")/postgres.password"
  mkdir -p "$(dirname "$LOCAL_PG_DIR")"

  if [[ $(id -u) -eq 0 ]] && ! runuser -u postgres -- test -x "$(dirname "$LOCAL_PG_DIR")"; then
    die "the postgres user cannot reach $(dirname "$LOCAL_PG_DIR") (a parent folder is private).
Set GINO_DEMO_PG_DIR to a folder it can reach, e.g. GINO_DEMO_PG_DIR=/var/tmp/gino-demo/postgres"
  fi

  if [[ ! -f "$LOCAL_PG_DIR/PG_VERSION" ]]; then
    step "Creating a local PostgreSQL cluster in $LOCAL_PG_DIR"
    mkdir -p "$LOCAL_PG_DIR"
    [[ $(id -u) -eq 0 ]] && chown postgres: "$LOCAL_PG_DIR"
    chmod 700 "$LOCAL_PG_DIR"
    (umask 077 && od -An -tx1 -N16 /dev/urandom | tr -d ' \n' >"$password_file")
    local pwfile
    pwfile=$(mktemp)
    cp "$password_file" "$pwfile"
    [[ $(id -u) -eq 0 ]] && chown postgres: "$pwfile"
    as_pg_owner "$bin/initdb" -D "$LOCAL_PG_DIR" -U postgres --auth=scram-sha-256 --pwfile="$pwfile" \
      --encoding=UTF8 --locale=C.UTF-8 >/dev/null || { rm -f "$pwfile"; die "initdb failed"; }
    rm -f "$pwfile"
  fi

  if as_pg_owner "$bin/pg_ctl" -D "$LOCAL_PG_DIR" status >/dev/null 2>&1; then
    step "Using the local PostgreSQL already running on 127.0.0.1:$LOCAL_PG_PORT"
  else
    step "Starting the local PostgreSQL on 127.0.0.1:$LOCAL_PG_PORT (log: $LOCAL_PG_DIR/server.log)"
    as_pg_owner "$bin/pg_ctl" -D "$LOCAL_PG_DIR" -l "$LOCAL_PG_DIR/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -c port=$LOCAL_PG_PORT -c unix_socket_directories=''" start >/dev/null \
      || die "PostgreSQL did not start; see $LOCAL_PG_DIR/server.log (is port $LOCAL_PG_PORT taken? set GINO_DEMO_PG_PORT)"
  fi

  export DB_HOST=127.0.0.1 DB_PORT="$LOCAL_PG_PORT" DB_USER=postgres
  DB_PASSWORD=$(cat "$password_file")
  export DB_PASSWORD
}

use_database() {
  if database_configured; then
    step "Using the database named by DB_DSN / DB_HOST"
  else
    start_local_postgres
  fi
}

restore_tools() {
  step "Restoring the dotnet-ef tool"
  dotnet tool restore >/dev/null || die "dotnet tool restore failed"
}
