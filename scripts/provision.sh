#!/usr/bin/env bash
# Make sure a PostgreSQL with pgvector (and plpgsql_check for linting) is reachable.
#
#  - DATABASE_URL set: only check that server (it must have pgvector available).
#  - otherwise, on Debian with a local PostgreSQL: build pgvector from Debian's own source
#    package (trixie deb-src only: a trixie `deb` line would upgrade libc) and install
#    plpgsql_check from bookworm. Idempotent: a second run checks and returns in < 1 s.
#  - otherwise: explain how to get a server (docker compose up -d, or set DATABASE_URL).
set -euo pipefail

say() { printf 'provision: %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

url=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}

have_ext() { # $1 = extension name; true if the server can create it
  psql "$url" -XAtqc "select 1 from pg_available_extensions where name = '$1'" 2>/dev/null | grep -q 1
}

server_up() { psql "$url" -XAtqc 'select 1' >/dev/null 2>&1; }

if ! command -v psql >/dev/null; then
  die "psql not found. Install the PostgreSQL client (apt-get install postgresql-client) or use docker compose."
fi

if ! server_up; then
  if [ -z "${DATABASE_URL:-}" ] && [ -d /etc/postgresql ] && command -v pg_ctlcluster >/dev/null; then
    ver=$(ls /etc/postgresql | sort -n | tail -1)
    say "starting local PostgreSQL $ver"
    pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
    for _ in $(seq 1 30); do server_up && break; sleep 0.5; done
  fi
  server_up || die "cannot connect to $url. Start PostgreSQL, run 'docker compose up -d' (pgvector image), or set DATABASE_URL."
fi

if have_ext vector && have_ext plpgsql_check; then
  say "ok: $url has pgvector and plpgsql_check"
  exit 0
fi

if [ -n "${DATABASE_URL:-}" ] && ! psql "$url" -XAtqc "select inet_server_addr() is null or host(inet_server_addr()) in ('127.0.0.1','::1')" | grep -q t; then
  have_ext vector || die "the server at DATABASE_URL has no pgvector. Install it there (https://github.com/pgvector/pgvector#installation)."
  say "ok: pgvector present; plpgsql_check missing on that server (only the lint step needs it)"
  exit 0
fi

[ "$(id -u)" = 0 ] || die "pgvector is not installed on the local server and building it needs root (re-run with sudo)."
command -v apt-get >/dev/null || die "no apt-get: install pgvector for your PostgreSQL by hand, or use docker compose."

pgver=$(psql "$url" -XAtqc 'show server_version_num' | cut -c1-2)
say "installing pgvector and plpgsql_check for PostgreSQL $pgver (Debian packages)"

src_list=/etc/apt/sources.list.d/pgrecall-trixie-src.sources
if [ ! -f "$src_list" ]; then
  # deb-src only: never a `deb` line for trixie, which would pull a newer libc.
  cat > "$src_list" <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "postgresql-server-dev-$pgver" "postgresql-$pgver-plpgsql-check" \
  build-essential dpkg-dev >/dev/null

if ! have_ext vector; then
  build=$(mktemp -d)
  ( cd "$build" && apt-get source -qq pgvector >/dev/null 2>&1 ) || die "apt-get source pgvector failed (is the trixie deb-src reachable?)"
  dir=$(find "$build" -maxdepth 1 -type d -name 'pgvector-*' | head -1)
  [ -n "$dir" ] || die "pgvector source not found after apt-get source"
  # OPTFLAGS='' keeps the build portable (no -march=native) for machines of this kind.
  make -s -C "$dir" PG_CONFIG="/usr/lib/postgresql/$pgver/bin/pg_config" OPTFLAGS="" >/dev/null
  make -s -C "$dir" PG_CONFIG="/usr/lib/postgresql/$pgver/bin/pg_config" install >/dev/null
  rm -rf "$build"
fi

have_ext vector || die "pgvector still not available after building it"
have_ext plpgsql_check || say "warning: plpgsql_check not available; lint step will fail"
say "ok: $url has pgvector$(have_ext plpgsql_check && echo ' and plpgsql_check')"
