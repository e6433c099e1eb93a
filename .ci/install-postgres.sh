#!/usr/bin/env bash
# Makes sure PostgreSQL server binaries (initdb, postgres) are available for
# Gatehouse's embedded cluster and integration tests, installing them with
# apt-get when possible. Searches where adapters/postgres/embedded.FindBinDir
# does: $GATEHOUSE_PG_BIN, `pg_config --bindir`, /usr/lib/postgresql/*/bin.
set -euo pipefail

hint='PostgreSQL server binaries (initdb, postgres) not found; install them with `apt-get install -y postgresql` (Debian/Ubuntu) or set GATEHOUSE_PG_BIN to the directory holding them'

has_server() { [[ -x "$1/initdb" && -x "$1/postgres" ]]; }

find_bindir() {
  if [[ -n "${GATEHOUSE_PG_BIN:-}" ]]; then
    has_server "$GATEHOUSE_PG_BIN" && { echo "$GATEHOUSE_PG_BIN"; return 0; }
    return 1 # an explicit setting is not second-guessed, as in FindBinDir
  fi
  local dir
  if dir=$(pg_config --bindir 2>/dev/null) && has_server "$dir"; then
    echo "$dir"; return 0
  fi
  # Highest major version first (sort -V: 9.6 < 10 < 15).
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    has_server "$dir" && { echo "$dir"; return 0; }
  done
  return 1
}

# As root, initdb and postgres must run as this user: they refuse root.
ensure_postgres_user() {
  [[ $EUID -eq 0 ]] || return 0
  if ! id postgres >/dev/null 2>&1; then
    useradd --system --home /var/lib/postgresql --shell /bin/bash postgres
    echo "created the postgres OS user"
  fi
}

if dir=$(find_bindir); then
  ensure_postgres_user
  echo "PostgreSQL server binaries found in $dir ($("$dir/postgres" --version))"
  exit 0
fi

if [[ -n "${GATEHOUSE_PG_BIN:-}" ]]; then
  echo "GATEHOUSE_PG_BIN=$GATEHOUSE_PG_BIN has no initdb and postgres: $hint" >&2
  exit 1
fi

if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null; then
  echo "installing PostgreSQL server with apt-get…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null # also creates the postgres user
  ensure_postgres_user
  if dir=$(find_bindir); then
    echo "PostgreSQL server binaries installed in $dir ($("$dir/postgres" --version))"
    exit 0
  fi
  echo "apt-get installed postgresql but initdb/postgres are still not found" >&2
fi

echo "$hint" >&2
exit 1
