#!/usr/bin/env bash
# The crash test of issue 6: the real server (Release build) on SQLite and on PostgreSQL,
# killed with SIGKILL at random moments while concurrent approvals, payments and credit
# notes run against it, each with an Idempotency-Key; restarted after every kill, with every
# unanswered request sent again under its key. Passes when `cairn verify` is clean and every
# request answered 2xx is in the books exactly once (see bench/Cairn.Bench/CrashTest.cs).
# A webhook receiver process on loopback (it verifies every Standard Webhooks signature) and the
# mail pickup folder follow the events: once the last server has drained its outbox, every
# acknowledged approval, payment and credit note must have its webhooks and emails delivered at
# least once, nothing for a refused request, and no webhook-id or Message-ID twice with the same
# attempt number.
#
#   bench/crash-test.sh [--engine sqlite|postgres|both] [--kills N] [--smoke] [--no-build] [-- extra options]
#
# --smoke: 3 kills over 6 contracts of 4 milestones, within at most 6 minutes per engine (about
# two minutes each on an idle machine); ./test.sh runs this on both engines.
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
smoke=()
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
    --smoke) kills=3; smoke=(--contracts 6 --milestones 4 --minutes 6); shift ;;
    --) shift; extra=("$@"); break ;;
    -h | --help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
    ${CAIRN_TEST_POSTGRES:+--postgres "$CAIRN_TEST_POSTGRES"} ${smoke[@]+"${smoke[@]}"} ${extra[@]+"${extra[@]}"} || rc=$?
  if ((rc == 0)); then results+=("$engine: passed"); else results+=("$engine: FAILED ($rc)"); status=1; fi
done

echo
echo "==================== crash test ===================="
printf '%s\n' "${results[@]}"
exit "$status"
