#!/usr/bin/env bash
# Cairn test runner: one command runs every test on a fresh machine.
#
#   ./test.sh                      build and run the whole suite
#   ./test.sh --filter <expr>      pass a filter through to `dotnet test`
#                                  (e.g. --filter "FullyQualifiedName~Invoices")
#
# What it does, in order:
#   1. checks prerequisites: `dotnet` must be on PATH; PostgreSQL server binaries
#      are installed with apt-get when run as root, otherwise it says what to install;
#      so is Debian's Chromium for the browser tests (CAIRN_CHROMIUM_PATH);
#   2. builds Cairn.slnx in Release;
#   3. starts a throwaway PostgreSQL cluster (as the unprivileged user `cairntest` when
#      run as root) on a free 127.0.0.1 port and exports CAIRN_TEST_POSTGRES;
#   4. runs `dotnet test` with a TRX logger, then summarises the TRX files;
#   5. on exit, stops the cluster it started and deletes its temporary directories.
#
# The last line printed is always `N passed, N failed` (plus `, N skipped` when
# some were skipped). The exit status is non-zero if the build failed, any test
# failed, the test run itself failed, or no test ran.
#
# Environment (optional):
#   TEST_RESULTS_DIR   keep the TRX files in this directory instead of a temp dir
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

readonly PG_USER_WHEN_ROOT=cairntest
readonly PG_WAIT_SECONDS=30

# Keep dotnet quiet and leave no MSBuild worker nodes running after we finish.
export DOTNET_CLI_TELEMETRY_OPTOUT="${DOTNET_CLI_TELEMETRY_OPTOUT:-1}"
export DOTNET_NOLOGO="${DOTNET_NOLOGO:-1}"
export MSBUILDDISABLENODEREUSE="${MSBUILDDISABLENODEREUSE:-1}"

log() { printf '==> %s\n' "$*"; }
warn() { printf 'test.sh: %s\n' "$*" >&2; }
die() { warn "$*"; exit 1; }

is_root() { [[ $(id -u) -eq 0 ]]; }

usage() {
  sed -n '2,6p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

# ---------------------------------------------------------------------------
# Arguments
# ---------------------------------------------------------------------------
filter_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --filter)
      [[ $# -ge 2 ]] || die "--filter needs an expression"
      filter_args=(--filter "$2")
      shift 2
      ;;
    --filter=*)
      filter_args=(--filter "${1#--filter=}")
      shift
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    *)
      usage >&2
      die "unknown argument: $1"
      ;;
  esac
done

# ---------------------------------------------------------------------------
# State for the cleanup trap: everything we start or create is recorded here,
# and the trap undoes exactly that - nothing else.
# ---------------------------------------------------------------------------
PG_DIR=""          # temp dir holding the cluster (data/, sockets, log)
PG_PID=""          # pid of the postmaster we started
RESULTS_DIR=""     # temp dir for TRX files (only removed if we created it)
REMOVE_RESULTS_DIR=false

# Run a command as the user that owns the throwaway cluster.
as_pg_user() {
  if is_root; then
    runuser -u "$PG_USER_WHEN_ROOT" -- "$@"
  else
    "$@"
  fi
}

# True if process $1 exists and is not a zombie (an exited postmaster can stay
# a zombie for a moment until init reaps it, and `kill -0` succeeds on those).
pid_alive() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"           # drop "pid (comm) "; the state letter follows
  [[ "${stat:0:1}" != Z ]]
}

postmaster_alive() { [[ -n "$PG_PID" ]] && pid_alive "$PG_PID"; }

stop_postgres() {
  [[ -n "$PG_PID" ]] || return 0
  if postmaster_alive; then
    log "stopping PostgreSQL (pid $PG_PID)"
    (cd "$PG_DIR" && as_pg_user "$PG_BIN/pg_ctl" stop -D "$PG_DIR/data" -m fast -w -t 20 >/dev/null 2>&1) || true
    # Still alive (pg_ctl failed or timed out)? Kill the postmaster by its pid.
    if postmaster_alive; then
      warn "pg_ctl stop did not stop pid $PG_PID; killing it"
      kill -TERM "$PG_PID" 2>/dev/null || true
      for _ in 1 2 3 4 5; do
        postmaster_alive || break
        sleep 1
      done
      kill -KILL "$PG_PID" 2>/dev/null || true
    fi
  fi
  PG_PID=""
}

# shellcheck disable=SC2317  # invoked through the EXIT trap
cleanup() {
  local rc=$?
  set +e
  stop_postgres
  [[ -n "$PG_DIR" && -d "$PG_DIR" ]] && rm -rf -- "$PG_DIR"
  [[ "$REMOVE_RESULTS_DIR" == true && -n "$RESULTS_DIR" && -d "$RESULTS_DIR" ]] && rm -rf -- "$RESULTS_DIR"
  exit "$rc"
}
trap cleanup EXIT
# Turn Ctrl-C / termination into a normal exit so the EXIT trap always runs.
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------
# 1. Prerequisites
# ---------------------------------------------------------------------------

# apt-get install, running `apt-get update` only if the first attempt fails
# (a fresh machine may have empty or stale package lists).
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends "$@" && return 0
  log "apt-get install failed; running apt-get update and retrying"
  apt-get update && apt-get install -y --no-install-recommends "$@"
}

# Directory with initdb/pg_ctl/postgres/pg_isready: PostgreSQL 15 if present,
# otherwise the newest version installed. Empty if none is installed.
find_pg_bin() {
  local dir best=""
  if [[ -x /usr/lib/postgresql/15/bin/initdb ]]; then
    echo /usr/lib/postgresql/15/bin
    return
  fi
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/postgres" && -x "$dir/pg_isready" ]] || continue
    best="$dir"   # the glob sorts lexically; fine for two-digit versions
  done
  echo "$best"
}

check_prerequisites() {
  command -v dotnet >/dev/null 2>&1 ||
    die "'dotnet' is not on PATH: install the .NET 10 SDK (https://dot.net) and retry"

  PG_BIN="$(find_pg_bin)"
  if [[ -z "$PG_BIN" ]]; then
    if ! is_root; then
      warn "missing: the PostgreSQL 15 server binaries (/usr/lib/postgresql/15/bin/initdb, pg_ctl, postgres, pg_isready)"
      warn "install them with:  sudo apt-get install -y postgresql-15"
      warn "(or run ./test.sh as root and it installs them itself)"
      exit 1
    fi
    log "installing PostgreSQL server binaries with apt-get"
    apt_install postgresql-15 || apt_install postgresql ||
      die "could not install PostgreSQL (tried Debian packages postgresql-15 and postgresql)"
    PG_BIN="$(find_pg_bin)"
    [[ -n "$PG_BIN" ]] || die "PostgreSQL was installed but no initdb found under /usr/lib/postgresql/*/bin"
  fi
  log "PostgreSQL binaries: $PG_BIN ($("$PG_BIN/postgres" --version))"

  if is_root; then
    command -v runuser >/dev/null 2>&1 || apt_install util-linux
    # PostgreSQL refuses to run as root, so the cluster runs as a system user.
    if ! id "$PG_USER_WHEN_ROOT" >/dev/null 2>&1; then
      log "creating system user $PG_USER_WHEN_ROOT to run the test cluster"
      useradd --system --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin --comment "Cairn test PostgreSQL" "$PG_USER_WHEN_ROOT" ||
        id "$PG_USER_WHEN_ROOT" >/dev/null 2>&1 || # a concurrent run may have just created it
        die "could not create user $PG_USER_WHEN_ROOT"
    fi
  fi
}

# ---------------------------------------------------------------------------
# The browser (Playwright) tests in tests/Cairn.Web.Tests need a Chromium. We use
# Debian's `chromium` package rather than Playwright's own download (which needs
# internet access CI does not have) and tell the tests where it is through
# CAIRN_CHROMIUM_PATH. Note: Chromium needs --no-sandbox when run as root.
# ---------------------------------------------------------------------------
install_chromium_for_web_tests() {
  [[ -d tests/Cairn.Web.Tests ]] || return 0
  local chromium
  chromium="$(command -v chromium || true)"
  if [[ -z "$chromium" ]]; then
    if ! is_root; then
      warn "missing: Chromium, needed by tests/Cairn.Web.Tests"
      warn "install it with:  sudo apt-get install -y chromium"
      exit 1
    fi
    log "installing chromium with apt-get (for tests/Cairn.Web.Tests)"
    apt_install chromium || die "could not install the Debian package chromium"
    chromium="$(command -v chromium)"
  fi
  export CAIRN_CHROMIUM_PATH="$chromium"
  export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
  log "Chromium for web tests: $CAIRN_CHROMIUM_PATH"
}

# ---------------------------------------------------------------------------
# 3. Throwaway PostgreSQL cluster
# ---------------------------------------------------------------------------

# True if something accepts TCP connections on 127.0.0.1:$1.
port_in_use() {
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# Print a random port in 20000-60000 on which nothing listens.
find_free_port() {
  local port _
  for _ in $(seq 1 100); do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 40001))   # RANDOM alone is only 15 bits
    if ! port_in_use "$port"; then
      echo "$port"
      return 0
    fi
  done
  die "could not find a free TCP port in 20000-60000"
}

start_postgres() {
  local owner attempt port
  if is_root; then owner="$PG_USER_WHEN_ROOT"; else owner="$(id -un)"; fi

  # Under /tmp (not $TMPDIR): it must be reachable by $owner, and the unix
  # socket path must stay short (about 100 bytes at most).
  PG_DIR="$(mktemp -d /tmp/cairn-pg.XXXXXX)"
  mkdir "$PG_DIR/sock"
  : >"$PG_DIR/postgres.log"
  if is_root; then
    chown -R "$owner:" "$PG_DIR"
  fi

  log "initialising a throwaway PostgreSQL cluster in $PG_DIR as user $owner"
  # Run from inside PG_DIR: the PostgreSQL user may not be able to read our cwd.
  if ! (cd "$PG_DIR" && as_pg_user "$PG_BIN/initdb" -D "$PG_DIR/data" --auth=trust -U postgres \
        --encoding=UTF8 --no-locale --no-sync --no-instructions >"$PG_DIR/initdb.log" 2>&1); then
    cat "$PG_DIR/initdb.log" >&2
    die "initdb failed"
  fi

  # Loopback only, sockets in our temp dir, and durability off: a fast server
  # whose data we throw away anyway. (Later lines win in postgresql.conf.)
  cat >>"$PG_DIR/data/postgresql.conf" <<EOF

# --- added by Cairn test.sh ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_DIR/sock'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 400
shared_buffers = 128MB
EOF

  # A port found free can still be taken before the server binds it (e.g. by a
  # concurrent run), so retry with another port if binding fails.
  for attempt in 1 2 3 4 5; do
    port="$(find_free_port)"
    log "starting PostgreSQL on 127.0.0.1:$port"
    : >"$PG_DIR/postgres.log"   # keeps its owner; only this attempt's log
    (cd "$PG_DIR" && as_pg_user "$PG_BIN/pg_ctl" start -W -D "$PG_DIR/data" \
      -l "$PG_DIR/postgres.log" -o "-p $port" </dev/null >/dev/null 2>&1) ||
      { cat "$PG_DIR/postgres.log" >&2; die "pg_ctl start failed"; }

    if wait_for_postgres "$port"; then
      export CAIRN_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=200;Timeout=30;Command Timeout=120"
      log "PostgreSQL is ready (pid $PG_PID); CAIRN_TEST_POSTGRES=$CAIRN_TEST_POSTGRES"
      return 0
    fi

    if grep -q 'already in use' "$PG_DIR/postgres.log" && ! postmaster_alive; then
      warn "port $port was taken before PostgreSQL could bind it (attempt $attempt); retrying"
      PG_PID=""
      continue
    fi
    warn "PostgreSQL did not become ready; its log follows:"
    cat "$PG_DIR/postgres.log" >&2
    die "could not start PostgreSQL"
  done
  die "could not start PostgreSQL: no free port after 5 attempts"
}

# Wait (bounded) until the server on port $1 accepts connections. Records the
# postmaster pid in PG_PID as soon as postmaster.pid appears, so the EXIT trap
# can stop it even if we give up waiting.
wait_for_postgres() {
  local port="$1" deadline=$((SECONDS + PG_WAIT_SECONDS))
  while ((SECONDS < deadline)); do
    if [[ -z "$PG_PID" && -r "$PG_DIR/data/postmaster.pid" ]]; then
      PG_PID="$(head -n1 "$PG_DIR/data/postmaster.pid" 2>/dev/null || true)"
      [[ "$PG_PID" =~ ^[0-9]+$ ]] || PG_PID=""
    fi
    if [[ -n "$PG_PID" ]]; then
      postmaster_alive || return 1   # it exited: no point waiting
      if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -t 1; then
        return 0
      fi
    elif grep -q 'FATAL' "$PG_DIR/postgres.log" 2>/dev/null; then
      return 1                       # failed before writing its pid file
    fi
    sleep 0.5
  done
  return 1
}

# ---------------------------------------------------------------------------
# 4. Summary of the TRX files
# ---------------------------------------------------------------------------

# Prints a readable summary of all TRX files in $1, then a last line
# "COUNTS <passed> <failed> <skipped>" for the caller to use.
# Plain awk (no python, no xmllint): each record is the text after one '<'.
summarise_trx() {
  local dir="$1" files=()
  shopt -s nullglob
  files=("$dir"/*.trx "$dir"/*/*.trx)
  shopt -u nullglob
  if [[ ${#files[@]} -eq 0 ]]; then
    echo "no TRX result files were written"
    echo "COUNTS 0 0 0"
    return
  fi
  awk '
    BEGIN { RS = "<"; nfail = 0; nerr = 0; in_fail = 0; in_err = 0 }

    function attr(rec, name,    s) {
      if (!match(rec, "[ \t\r\n]" name "=\"[^\"]*\"")) return ""
      s = substr(rec, RSTART + 1, RLENGTH - 1)
      s = substr(s, length(name) + 3)
      return unxml(substr(s, 1, length(s) - 1))
    }
    function unxml(s) {
      gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s)
      gsub(/&apos;/, "\047", s); gsub(/&#xD;|&#13;/, "", s)
      gsub(/&#xA;|&#10;/, "\n", s); gsub(/&#x9;|&#9;/, "\t", s)
      gsub(/&amp;/, "\\&", s)
      return s
    }
    function text(rec) { return unxml(substr(rec, index(rec, ">") + 1)) }
    function engine_count(name, outcome, lname) {
      lname = tolower(name)
      if (index(lname, "sqlite"))   eng["SQLite", outcome]++
      if (index(lname, "postgres")) eng["PostgreSQL", outcome]++
    }
    # Indent every line of a message; keep long stack-ish messages readable.
    function show(msg,    n, lines, i, max) {
      max = 20
      sub(/[ \t\r\n]+$/, "", msg)
      n = split(msg, lines, "\n")
      for (i = 1; i <= n && i <= max; i++) print "      " lines[i]
      if (n > max) print "      ... (" n - max " more lines; see the test output above)"
    }

    /^UnitTestResult[ \t\r\n>\/]/ {
      name = attr($0, "testName"); outcome = attr($0, "outcome")
      in_fail = 0
      if (outcome == "Passed") { passed++; engine_count(name, "passed") }
      else if (outcome == "NotExecuted" || outcome == "Inconclusive" || outcome == "Pending" || outcome == "Disconnected") {
        skipped++; engine_count(name, "skipped")
      } else {
        # Failed, Error, Timeout, Aborted, ...
        failed++; engine_count(name, "failed")
        nfail++; fname[nfail] = name; fmsg[nfail] = "(no message; outcome " outcome ")"; in_fail = 1; got_msg = 0
      }
      next
    }
    /^\/UnitTestResult>/ { in_fail = 0; next }
    /^Message>/ { if (in_fail && !got_msg) { fmsg[nfail] = text($0); got_msg = 1 }; next }

    # Errors of the test run itself (e.g. a crashed test host) live in RunInfos.
    /^RunInfo[ \t\r\n]/ { in_err = (attr($0, "outcome") == "Error"); next }
    # (xunit also reports each failure there as "[xUnit.net ...] Name [FAIL]":
    # already listed above, so those are left out.)
    /^Text>/ {
      t = text($0)
      if (in_err && t !~ /^\[xUnit\.net [^]]*\].*\[FAIL\][ \t\r\n]*$/) { nerr++; err[nerr] = t }
      in_err = 0; next
    }

    END {
      split("SQLite PostgreSQL", engines, " ")
      for (i = 1; i <= 2; i++) {
        e = engines[i]
        p = eng[e, "passed"] + 0; f = eng[e, "failed"] + 0; s = eng[e, "skipped"] + 0
        if (p + f + s == 0) { print "integration tests on " e ": none ran"; continue }
        line = "integration tests on " e ": " p " passed"
        if (f > 0) line = line ", " f " failed"
        if (s > 0) line = line ", " s " skipped"
        print line
      }
      if (nfail > 0) {
        print ""
        print "FAILED tests (" nfail "):"
        for (i = 1; i <= nfail; i++) { print "  - " fname[i]; show(fmsg[i]) }
      }
      if (nerr > 0) {
        print ""
        print "test run errors (" nerr "):"
        for (i = 1; i <= nerr; i++) show(err[i])
      }
      print "COUNTS " passed + 0 " " failed + 0 " " skipped + 0
    }
  ' "${files[@]}"
}

# Print the final line: "N passed, N failed[, N skipped]".
final_line() {
  local passed="$1" failed="$2" skipped="$3"
  if ((skipped > 0)); then
    echo "$passed passed, $failed failed, $skipped skipped"
  else
    echo "$passed passed, $failed failed"
  fi
}

# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------
check_prerequisites
install_chromium_for_web_tests

log "building Cairn.slnx (Release)"
if ! dotnet build Cairn.slnx -c Release; then
  echo
  echo "BUILD FAILED (see the errors above); no tests ran."
  final_line 0 0 0
  exit 1
fi

start_postgres

if [[ -n "${TEST_RESULTS_DIR:-}" ]]; then
  mkdir -p "$TEST_RESULTS_DIR"
  RESULTS_DIR="$(cd "$TEST_RESULTS_DIR" && pwd)"
  rm -f "$RESULTS_DIR"/*.trx
else
  RESULTS_DIR="$(mktemp -d "${TMPDIR:-/tmp}/cairn-test-results.XXXXXX")"
  REMOVE_RESULTS_DIR=true
fi

log "running the tests (TRX results in $RESULTS_DIR)"
test_rc=0
dotnet test Cairn.slnx -c Release --no-build --logger "trx" --results-directory "$RESULTS_DIR" \
  ${filter_args[@]+"${filter_args[@]}"} || test_rc=$?

# The cluster is no longer needed; stop it before summarising.
stop_postgres

echo
echo "==================== test summary ===================="
summary="$(summarise_trx "$RESULTS_DIR")" ||
  summary=$'could not parse the TRX files\nCOUNTS 0 0 0'
counts="${summary##*$'\n'}"            # the last line: COUNTS p f s
body="${summary%"$counts"}"
read -r _ passed failed skipped <<<"$counts"
[[ -n "$body" ]] && printf '%s' "$body"

status=0
if ((failed > 0)); then
  status=1
fi
if ((passed + failed == 0)); then
  echo "FAILED: no tests ran."
  status=1
fi
if ((test_rc != 0 && failed == 0)); then
  echo "FAILED: dotnet test exited with status $test_rc although no test result failed (see its output above)."
  status=1
fi
final_line "$passed" "$failed" "$skipped"
exit "$status"
