# shellcheck shell=bash
# Shared by run.sh and test.sh: logging, and the database the commands use.
# A local PostgreSQL cluster of the repository's own is started unless DB_DSN or DB_HOST is set
# (in the environment or in .env), in which case that server is used as it is.

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE_DIR=$REPO_ROOT/.data
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

# The cluster's folder. As root the server runs as the postgres user, which cannot enter a private parent
# folder (a clone under /root or in a mktemp -d directory): such a clone keeps its cluster in /var/lib.
local_pg_dir() {
  if [[ -n "${GINO_DEMO_PG_DIR:-}" ]]; then
    printf '%s\n' "$GINO_DEMO_PG_DIR"
  elif [[ $(id -u) -ne 0 ]] || runuser -u postgres -- test -x "$STATE_DIR"; then
    printf '%s\n' "$STATE_DIR/postgres"
  else
    printf '/var/lib/gino-demo/%s/postgres\n' "$(printf '%s' "$REPO_ROOT" | sha256sum | cut -c1-12)"
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The port is chosen once per clone (the first free one from 55432), so two clones can run side by side.
local_pg_port() {
  if [[ -n "${GINO_DEMO_PG_PORT:-}" ]]; then
    printf '%s\n' "$GINO_DEMO_PG_PORT"
    return
  fi
  if [[ ! -s "$STATE_DIR/postgres.port" ]]; then
    local port=55432
    while port_in_use "$port"; do
      port=$((port + 1))
      ((port < 55532)) || die "no free port in 55432..55531; set GINO_DEMO_PG_PORT"
    done
    printf '%s\n' "$port" >"$STATE_DIR/postgres.port"
  fi
  cat "$STATE_DIR/postgres.port"
}

start_local_postgres() {
  install_postgres
  mkdir -p "$STATE_DIR"
  local bin dir port password_file="$STATE_DIR/postgres.password"
  bin=$(postgres_bindir)
  dir=$(local_pg_dir)

  if [[ ! -f "$dir/PG_VERSION" ]]; then
    step "Creating a local PostgreSQL cluster in $dir"
    mkdir -p "$dir"
    [[ $(id -u) -eq 0 ]] && chown postgres: "$dir"
    chmod 700 "$dir"
    (umask 077 && od -An -tx1 -N16 /dev/urandom | tr -d ' \n' >"$password_file")
    local pwfile
    pwfile=$(mktemp)
    cp "$password_file" "$pwfile"
    [[ $(id -u) -eq 0 ]] && chown postgres: "$pwfile"
    as_pg_owner "$bin/initdb" -D "$dir" -U postgres --auth=scram-sha-256 --pwfile="$pwfile" \
      --encoding=UTF8 --locale=C.UTF-8 >/dev/null || { rm -f "$pwfile"; die "initdb failed"; }
    rm -f "$pwfile"
  fi

  port=$(local_pg_port)
  if as_pg_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    step "Using the local PostgreSQL already running on 127.0.0.1:$port"
  else
    port_in_use "$port" && die "port $port is taken by another program; set GINO_DEMO_PG_PORT to a free one"
    step "Starting the local PostgreSQL on 127.0.0.1:$port (log: $dir/server.log)"
    as_pg_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=''" start >/dev/null \
      || die "PostgreSQL did not start; see $dir/server.log"
  fi

  export DB_HOST=127.0.0.1 DB_PORT="$port" DB_USER=postgres
  DB_PASSWORD=$(cat "$password_file")
  export DB_PASSWORD
}

stop_local_postgres() {
  local bin dir
  bin=$(postgres_bindir) || die "PostgreSQL is not installed"
  dir=$(local_pg_dir)
  [[ -f "$dir/PG_VERSION" ]] || die "no local cluster in $dir"
  as_pg_owner "$bin/pg_ctl" -D "$dir" -m fast stop
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
