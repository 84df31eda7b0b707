#!/usr/bin/env bash
# The one test command (README). On a bare Debian machine it installs what the suite needs (Chromium, PostgreSQL,
# kubectl from Debian's packages), starts a throwaway PostgreSQL server on a loopback port, builds the solution once
# and runs every test project one after the other. Idempotent, and quiet about what is already there.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
CONFIGURATION=${CONFIGURATION:-Release}

log() { echo "test.sh: $*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_packages() {
  local missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v kubectl >/dev/null 2>&1 || missing+=(kubernetes-client)
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
  if ((${#missing[@]})); then
    log "installing ${missing[*]} from Debian"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  command -v dotnet >/dev/null 2>&1 || { log "the .NET 10 SDK is required (dotnet on PATH)"; exit 1; }
}

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  log "no free loopback port found"; exit 1
}

PG_DIR=""
PG_RUN=()
stop_postgres() {
  if [ -n "$PG_DIR" ] && [ -d "$PG_DIR/data" ]; then
    "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}

start_postgres() {
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  PG_DIR=$(mktemp -d /tmp/portal-pg.XXXXXX)
  cd "$PG_DIR"  # the postgres account may not enter the caller's directory
  # PostgreSQL refuses to run as root: use the postgres account the Debian package creates.
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$PG_DIR"; PG_RUN=(runuser -u postgres --); fi
  trap stop_postgres EXIT
  "${PG_RUN[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U portal --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  local port; port=$(free_port)
  "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
  export PORTAL_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=portal;Database=postgres"
  cd "$ROOT"
  log "throwaway PostgreSQL on 127.0.0.1:$port"
}

ensure_packages
start_postgres

log "building ($CONFIGURATION)"
dotnet build Portal.sln -c "$CONFIGURATION" -nologo -clp:ErrorsOnly -warnaserror

passed=0; failed=0; status=0
for project in tests/*.Tests/*.Tests.csproj; do
  log "testing $(basename "$project" .csproj)"
  out=$(mktemp)
  if ! dotnet test "$project" -c "$CONFIGURATION" --no-build --nologo --blame-hang-timeout 10m 2>&1 | tee "$out"; then status=1; fi
  line=$(grep -E "(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+" "$out" | tail -n 1 || true)
  if [ -z "$line" ]; then status=1; log "no test summary from $project"; fi
  p=$(sed -E 's/.*Passed: +([0-9]+).*/\1/' <<<"$line"); f=$(sed -E 's/.*Failed: +([0-9]+),.*/\1/' <<<"$line")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  rm -f "$out"
done

echo "$passed passed, $failed failed"
if [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then status=1; fi
exit $status
