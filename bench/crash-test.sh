#!/usr/bin/env bash
# The crash test of issue 6: the real server (Release build) on SQLite and on PostgreSQL,
# killed with SIGKILL at random moments while concurrent approvals, payments and credit
# notes run against it, each with an Idempotency-Key; restarted after every kill, with every
# unanswered request sent again under its key. Passes when `cairn verify` is clean and every
# request answered 2xx is in the books exactly once (see bench/Cairn.Bench/CrashTest.cs).
#
#   bench/crash-test.sh [--engine sqlite|postgres|both] [--kills N] [--no-build] [-- extra options]
#
# PostgreSQL: uses CAIRN_TEST_POSTGRES when set, otherwise starts a throwaway cluster
# (scripts/pg.sh) and stops it at the end. Loopback only; every loop is bounded; it ends
# only the processes it started, by their pid.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT="${DOTNET_CLI_TELEMETRY_OPTOUT:-1}"
export DOTNET_NOLOGO="${DOTNET_NOLOGO:-1}"
export MSBUILDDISABLENODEREUSE="${MSBUILDDISABLENODEREUSE:-1}"

log() { printf '==> %s\n' "$*"; }
warn() { printf 'crash-test.sh: %s\n' "$*" >&2; }
die() { warn "$*"; exit 1; }

PG_DIR=""
PG_PID=""
# shellcheck source=scripts/pg.sh
. scripts/pg.sh

# shellcheck disable=SC2317  # invoked through the EXIT trap
cleanup() {
  local rc=$?
  set +e
  stop_postgres
  [[ -n "$PG_DIR" && -d "$PG_DIR" ]] && rm -rf -- "$PG_DIR"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

engines=(sqlite postgres)
kills=20
build=true
extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --engine)
      [[ $# -ge 2 ]] || die "--engine needs sqlite, postgres or both"
      case "$2" in
        sqlite | postgres) engines=("$2") ;;
        both) engines=(sqlite postgres) ;;
        *) die "--engine is sqlite, postgres or both" ;;
      esac
      shift 2
      ;;
    --kills)
      [[ $# -ge 2 && "$2" =~ ^[0-9]+$ ]] || die "--kills needs a number"
      kills="$2"
      shift 2
      ;;
    --no-build) build=false; shift ;;
    --) shift; extra=("$@"); break ;;
    -h | --help) sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
cli=src/Cairn.Cli/bin/Release/net10.0/cairn.dll
bench=bench/Cairn.Bench/bin/Release/net10.0/Cairn.Bench.dll
for f in "$server" "$cli" "$bench"; do [[ -f "$f" ]] || die "missing $f: build first (drop --no-build)"; done

if [[ " ${engines[*]} " == *" postgres "* && -z "${CAIRN_TEST_POSTGRES:-}" ]]; then
  pg_prerequisites
  PG_DURABLE=true start_postgres
fi

status=0
results=()
for engine in "${engines[@]}"; do
  log "crash test on $engine ($kills kills)"
  rc=0
  dotnet "$bench" crash --engine "$engine" --server "$server" --cli "$cli" --kills "$kills" \
    ${CAIRN_TEST_POSTGRES:+--postgres "$CAIRN_TEST_POSTGRES"} ${extra[@]+"${extra[@]}"} || rc=$?
  if ((rc == 0)); then results+=("$engine: passed"); else results+=("$engine: FAILED ($rc)"); status=1; fi
done

echo
echo "==================== crash test ===================="
printf '%s\n' "${results[@]}"
exit "$status"
