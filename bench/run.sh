#!/usr/bin/env bash
# Cairn's benchmarks (issues 6 and 16), each beside its reference in the same run:
#   1. approve -> invoice over HTTP on PostgreSQL at 1, 4, 16 clients vs its floor (the same
#      writes by hand: bench/floor/approve-postgres.sql under pgbench -M prepared) and TPC-B
#   2. the same on SQLite vs its floor (the same statements by hand) and committed inserts
#   3. GET /api/v1/contracts/{id} vs its floor (one prepared query over Npgsql) and /livez
#   3b. approve, contract read, payment and credit note at ~10k vs ~1M invoices
#   3c. 1, 2 and 3 instances behind nginx on one PostgreSQL (nginx-light is installed with
#      apt-get when missing and this runs as root; the section is skipped without nginx)
#   4. dashboard and aging over 100,000 contracts / 1,000,000 invoices vs hand-written SQL
#   5. invoice PDFs per second per core
#   6. server RSS at idle and under load; start-up time to the first answered /healthz
# Writes bench/results/latest.md and bench/results/latest.svg.
#
#   bench/run.sh            the full run (about 15-20 minutes on 2 quiet cores; starts its own PostgreSQL
#                           cluster with fsync and synchronous commits on)
#   bench/run.sh --smoke    tiny sizes, numbers meaningless: proves the benchmarks still run
#                           (./test.sh calls this). About 2-3 minutes of benchmarks after the
#                           build. Uses CAIRN_TEST_POSTGRES when set; writes nothing into the
#                           repository, and removes its report when it exits.
#   --no-build              use the existing Release build
#
# Loopback only; every loop is bounded; it ends only the processes it started.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT="${DOTNET_CLI_TELEMETRY_OPTOUT:-1}"
export DOTNET_NOLOGO="${DOTNET_NOLOGO:-1}"
export MSBUILDDISABLENODEREUSE="${MSBUILDDISABLENODEREUSE:-1}"

log() { printf '==> %s\n' "$*"; }
warn() { printf 'run.sh: %s\n' "$*" >&2; }
die() { warn "$*"; exit 1; }

PG_DIR=""
PG_PID=""
SMOKE_DIR=""
PUBLISH_DIR=""
# shellcheck source=scripts/pg.sh
. scripts/pg.sh

# shellcheck disable=SC2317  # invoked through the EXIT trap
cleanup() {
  local rc=$?
  set +e
  stop_postgres
  [[ -n "$PG_DIR" && -d "$PG_DIR" ]] && rm -rf -- "$PG_DIR"
  [[ -n "$SMOKE_DIR" && -d "$SMOKE_DIR" ]] && rm -rf -- "$SMOKE_DIR"
  [[ -n "$PUBLISH_DIR" && -d "$PUBLISH_DIR" ]] && rm -rf -- "$PUBLISH_DIR"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

smoke=false
build=true
while [[ $# -gt 0 ]]; do
  case "$1" in
    --smoke) smoke=true; shift ;;
    --no-build) build=false; shift ;;
    -h | --help) sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac
done

command -v dotnet >/dev/null 2>&1 || die "'dotnet' is not on PATH: install the .NET 10 SDK"
if [[ "$build" == true ]]; then
  log "building the server, the cairn CLI and Cairn.Bench (Release)"
  dotnet build src/Cairn.Cli -c Release -v quiet -nologo >/dev/null || die "the build failed (run: dotnet build src/Cairn.Cli -c Release)"
  dotnet build bench/Cairn.Bench -c Release -v quiet -nologo >/dev/null || die "the build failed (run: dotnet build bench/Cairn.Bench -c Release)"
fi
server=src/Cairn.Server/bin/Release/net10.0/Cairn.Server.dll
server_build='`dotnet build -c Release` output'
if [[ "$build" == true && "$smoke" == false ]]; then
  # The full run measures the server as it is deployed: published ready-to-run (see README).
  PUBLISH_DIR="$(mktemp -d "${TMPDIR:-/tmp}/cairn-bench-publish.XXXXXX")"
  log "publishing the server ready-to-run (dotnet publish -c Release -r linux-x64)"
  dotnet publish src/Cairn.Server -c Release -r linux-x64 --self-contained false -o "$PUBLISH_DIR" -v quiet -nologo >/dev/null \
    || die "the publish failed (run: dotnet publish src/Cairn.Server -c Release -r linux-x64)"
  server="$PUBLISH_DIR/Cairn.Server.dll"
  server_build='ready-to-run publish: `dotnet publish src/Cairn.Server -c Release -r linux-x64`'
fi
cli=src/Cairn.Cli/bin/Release/net10.0/cairn.dll
bench=bench/Cairn.Bench/bin/Release/net10.0/Cairn.Bench.dll
for f in "$server" "$cli" "$bench"; do [[ -f "$f" ]] || die "missing $f: build first (drop --no-build)"; done

pg_prerequisites
[[ -x "$PG_BIN/pgbench" ]] || die "pgbench is missing next to $PG_BIN/postgres"
if [[ "$smoke" == true && -n "${CAIRN_TEST_POSTGRES:-}" ]]; then
  log "using the PostgreSQL server of CAIRN_TEST_POSTGRES"
else
  # The full run measures real commits: fsync and synchronous_commit stay on.
  PG_DURABLE=true start_postgres
fi

if [[ "$smoke" == true ]]; then
  SMOKE_DIR="$(mktemp -d "${TMPDIR:-/tmp}/cairn-bench-smoke.XXXXXX")"
  out="$SMOKE_DIR"
  mode=(--smoke)
else
  out=bench/results
  mode=()
fi

# Section 3c needs nginx; the smoke run leaves it out (./test.sh installs nothing for it).
if [[ "$smoke" == false ]]; then
  if ! command -v nginx >/dev/null 2>&1 && [[ ! -x /usr/sbin/nginx ]]; then
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
      log "installing nginx-light (apt-get) for the multi-instance section"
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx-light >/dev/null \
        || warn "apt-get install nginx-light failed: the multi-instance section is skipped"
    else
      warn "nginx is not installed (sudo apt-get install -y nginx-light): the multi-instance section is skipped"
    fi
  fi
  nginx_bin="$(command -v nginx || true)"
  [[ -z "$nginx_bin" && -x /usr/sbin/nginx ]] && nginx_bin=/usr/sbin/nginx
  [[ -n "$nginx_bin" ]] && mode+=(--nginx "$nginx_bin")
fi

log "running the benchmarks$([[ "$smoke" == true ]] && echo " (smoke)")"
timeout_s=$([[ "$smoke" == true ]] && echo 420 || echo 7200)
timeout --signal=TERM --kill-after=30 "$timeout_s" \
  dotnet "$bench" run --server "$server" --cli "$cli" --postgres "$CAIRN_TEST_POSTGRES" \
  --pgbench "$PG_BIN/pgbench" --out "$out" --server-build "$server_build" ${mode[@]+"${mode[@]}"}
