#!/usr/bin/env bash
# The repository's local PostgreSQL (the one run.sh and test.sh start when no DB_* names a server).
#   scripts/db.sh start   start it (creating it the first time)
#   scripts/db.sh stop    stop it; the data stays (in .data/postgres)
#   scripts/db.sh env     print its DB_* settings: eval "$(scripts/db.sh env)" before dotnet ef / dotnet watch
#   scripts/db.sh psql    open psql on the development database
#   scripts/db.sh destroy stop it and delete its data, after saying what goes and asking (--yes: without asking)
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case "${1:-}" in
  start)
    start_local_postgres
    ;;
  stop)
    stop_local_postgres
    ;;
  env)
    start_local_postgres
    printf 'export DB_HOST=%q DB_PORT=%q DB_USER=%q DB_PASSWORD=%q\n' "$DB_HOST" "$DB_PORT" "$DB_USER" "$DB_PASSWORD"
    ;;
  psql)
    start_local_postgres
    PGPASSWORD=$DB_PASSWORD exec psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" "${2:-gino_demo}"
    ;;
  destroy)
    shift
    destroy_local_postgres "$@"
    ;;
  *)
    sed -n '2,8s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
    exit 2
    ;;
esac
