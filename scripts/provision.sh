#!/usr/bin/env bash
# Make sure the PostgreSQL server pgrecall will use has pgvector (and plpgsql_check, which
# only `pgrecall lint-sql` and its test need).
#
#   bash scripts/provision.sh [URL]    URL: default $DATABASE_URL, else
#                                      postgres://postgres@127.0.0.1:5432/postgres
#
# Only the URL's server matters: every check connects to its maintenance database
# (`postgres`, else `template1`), so the database the URL names need not exist yet
# (`pgrecall migrate` creates it). Whether the URL came from DATABASE_URL makes no
# difference; where the server runs does:
#
#  1. Nothing listens, and the URL's host is this machine (127.0.0.1, localhost, ::1 or a
#     Unix socket): start the stopped Debian cluster on the URL's port (pg_lsclusters,
#     pg_ctlcluster), if there is one, and wait up to 15 s for it. Still no answer, or an
#     answer that refuses us (unknown role, bad password): stop with psql's reason.
#  2. The server has pgvector and plpgsql_check available: say so, change nothing
#     (a second run ends here, in well under a second).
#  3. The server is elsewhere (its inet_server_addr() is neither loopback nor a Unix
#     socket: another machine, or a container such as `docker compose up -d`): change
#     nothing; stop with an error when pgvector is missing, warn when only plpgsql_check is.
#  4. The server runs on this machine: needs root and apt-get. Adds a trixie deb-src-only
#     source (never a trixie `deb` line, which would upgrade libc), runs apt-get update,
#     installs postgresql-server-dev-N, postgresql-N-plpgsql-check, build-essential and
#     dpkg-dev (N: the server's major version), and, if pgvector is still missing, builds
#     Debian's pgvector source package and installs it into /usr/lib/postgresql/N.
set -euo pipefail

say() { printf 'provision: %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

# Screen capture (X11, and its tests under Xvfb; Wayland: grim and swayidle, and its tests under
# a headless sway with foot windows, swaylock and XWayland), the Screenpipe importer (ffmpeg) and the
# page's browser tests (chromium, driven by playwright-core) use Debian's tools: install the
# missing ones where we can (root and apt-get), else name them.
need=()
for t in ffmpeg:ffmpeg xwd:x11-apps xprop:x11-utils xrandr:x11-xserver-utils xprintidle:xprintidle \
         Xvfb:xvfb openbox:openbox xdotool:xdotool xterm:xterm chromium:chromium \
         grim:grim swayidle:swayidle sway:sway foot:foot swaylock:swaylock Xwayland:xwayland; do
  command -v "${t%%:*}" >/dev/null || need+=("${t#*:}")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing ${need[*]} (capture and import tools)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 ||
      { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; } ||
      say "warning: could not install ${need[*]}: capture/import tests will fail"
  else
    say "warning: missing ${need[*]} (capture and import): apt-get install ${need[*]}"
  fi
fi

url=${1:-${DATABASE_URL:-}}
url=${url:-postgres://postgres@127.0.0.1:5432/postgres}
uri_re='^(postgres(ql)?://)([^@/?#]*@)?(\[[^]]*\]|[^/?#:]*)(:[0-9]*)?(/[^?#]*)?(\?[^#]*)?$'

with_db() { # $1 = database name: the URL with its database replaced
  if [[ $url =~ $uri_re ]]; then
    printf '%s%s%s%s/%s%s' "${BASH_REMATCH[1]}" "${BASH_REMATCH[3]}" "${BASH_REMATCH[4]}" "${BASH_REMATCH[5]}" "$1" "${BASH_REMATCH[7]}"
  else
    printf '%s dbname=%s' "$url" "$1" # keyword=value form: the last dbname wins
  fi
}

host_is_here() { # the URL's host, as written, is this machine
  local host=""
  if [[ $url =~ $uri_re ]]; then
    host=${BASH_REMATCH[4]}
    [[ ${BASH_REMATCH[7]} =~ [?\&]host=([^\&]*) ]] && host=${BASH_REMATCH[1]}
  elif [[ $url =~ (^|[[:space:]])host=([^[:space:]]*) ]]; then
    host=${BASH_REMATCH[2]}
  fi
  case "$host" in "" | localhost | 127.0.0.1 | "[::1]" | ::1 | /* | %2F* | %2f*) return 0 ;; *) return 1 ;; esac
}

url_port() { # the URL's port, as written (default $PGPORT, else 5432)
  local port=""
  if [[ $url =~ $uri_re ]]; then
    port=${BASH_REMATCH[5]#:}
    [[ ${BASH_REMATCH[7]} =~ [?\&]port=([0-9]+) ]] && port=${BASH_REMATCH[1]}
  elif [[ $url =~ (^|[[:space:]])port=([0-9]+) ]]; then
    port=${BASH_REMATCH[2]}
  fi
  echo "${port:-${PGPORT:-5432}}"
}

admin="" err=""
server_up() { # sets $admin to a URL of a maintenance database that answers
  local db
  for db in postgres template1; do
    if err=$(psql -w "$(with_db "$db")" -XAtqc 'select 1' 2>&1 >/dev/null); then
      admin=$(with_db "$db")
      return 0
    fi
  done
  return 1
}

q() { psql -w "$admin" -XAtqc "$1"; }
have_ext() { [ "$(q "select count(*) from pg_available_extensions where name = '$1'")" = 1 ]; }

command -v psql >/dev/null || die "psql not found. Install the PostgreSQL client (apt-get install postgresql-client) or use docker compose."

if ! server_up; then
  # pg_isready: 1 = starting up, 2 = nothing listens (anything else: the server answered and refused us).
  ready=0; pg_isready -q -d "$(with_db postgres)" >/dev/null 2>&1 || ready=$?
  cluster=""
  if [ "$ready" = 2 ] && host_is_here && command -v pg_lsclusters >/dev/null; then
    cluster=$(pg_lsclusters -h | awk -v port="$(url_port)" '$3 == port && $4 ~ /down/ { print $1, $2; exit }')
    if [ -n "$cluster" ]; then
      say "starting local PostgreSQL cluster $cluster (port $(url_port))"
      # shellcheck disable=SC2086 # "$version $name"
      pg_ctlcluster --skip-systemctl-redirect $cluster start || true
    fi
  fi
  if [ -n "$cluster" ] || [ "$ready" = 1 ]; then
    for _ in $(seq 1 30); do server_up && break; sleep 0.5; done
  fi
  server_up || die "cannot connect to the server of $url (${err//$'\n'/ }). Start PostgreSQL, run 'docker compose up -d' (pgvector image), or set DATABASE_URL."
fi

# OCR: Debian's tesseract CLI (bench/ocr's baseline; the engine PGRECALL_OCR_ENGINE=native|auto
# runs), its tessdata_fast English model (what tesseract.js reads with by default when it is
# there: PGRECALL_OCR_DATA=auto) and the fonts the OCR corpus renders with (fixtures/screens-ocr.ts). Needs root and apt.
ocr_pkgs=(tesseract-ocr tesseract-ocr-eng fonts-liberation2 fonts-noto-core fonts-roboto-unhinted fonts-jetbrains-mono fonts-firacode fonts-open-sans fonts-cantarell fonts-hack fonts-lato)
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && ! dpkg -s "${ocr_pkgs[@]}" >/dev/null 2>&1; then
  say "installing tesseract-ocr and the OCR corpus fonts (Debian packages)"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${ocr_pkgs[@]}" >/dev/null || say "warning: tesseract-ocr or the corpus fonts could not be installed"
fi

if have_ext vector && have_ext plpgsql_check; then
  say "ok: the server of $url has pgvector and plpgsql_check"
  exit 0
fi

if [ "$(q "select coalesce(host(inet_server_addr()) in ('127.0.0.1', '::1'), true)")" != t ]; then
  have_ext vector || die "the server of $url has no pgvector and runs elsewhere: install it there (https://github.com/pgvector/pgvector#installation)."
  say "ok: pgvector present; plpgsql_check missing on that server (only the lint step needs it), left as it is"
  exit 0
fi

[ "$(id -u)" = 0 ] || die "pgvector or plpgsql_check is not installed on the local server and installing them needs root (re-run with sudo)."
command -v apt-get >/dev/null || die "no apt-get: install pgvector for your PostgreSQL by hand, or use docker compose."

pgver=$(q 'show server_version_num' | cut -c1-2)
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
say "ok: the server of $url has pgvector$(have_ext plpgsql_check && echo ' and plpgsql_check')"
