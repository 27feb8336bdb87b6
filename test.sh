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
#      so is Debian's Chromium for the browser tests (CAIRN_CHROMIUM_PATH), and the
#      Noto fonts and poppler-utils the document (PDF) tests need, and the
#      EN 16931 validator's tools (xmllint, Saxon-HE, a JRE) for the e-invoice tests;
#   2. builds Cairn.slnx in Release;
#   3. starts a throwaway PostgreSQL cluster (as the unprivileged user `cairntest` when
#      run as root) on a free 127.0.0.1 port and exports CAIRN_TEST_POSTGRES;
#   4. runs `dotnet test` with a TRX logger, then (unless --filter is given) the
#      benchmarks in smoke mode (bench/run.sh --smoke) and the crash test in smoke mode
#      on both engines (bench/crash-test.sh --smoke: 3 kills each, webhooks and emails
#      followed), then summarises the TRX files;
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
# The integration tests start hundreds of in-process servers; file watchers that poll, and
# configuration that is not watched, keep them within the machine's inotify limit (128 per user).
export DOTNET_USE_POLLING_FILE_WATCHER="${DOTNET_USE_POLLING_FILE_WATCHER:-true}"
export DOTNET_hostBuilder__reloadConfigOnChange="${DOTNET_hostBuilder__reloadConfigOnChange:-false}"

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

# The throwaway PostgreSQL cluster (start_postgres, stop_postgres, ...) lives in
# scripts/pg.sh, shared with bench/run.sh.
# shellcheck source=scripts/pg.sh
. scripts/pg.sh

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
check_prerequisites() {
  command -v dotnet >/dev/null 2>&1 ||
    die "'dotnet' is not on PATH: install the .NET 10 SDK (https://dot.net) and retry"

  pg_prerequisites
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
# Invoice and credit-note PDFs draw names in any script with the Noto fonts
# (fonts-noto-core: Arabic, Hebrew, Devanagari, Thai …; fonts-noto-cjk: Chinese,
# Japanese, Korean); the document tests read PDFs back with poppler's pdffonts,
# pdfdetach and pdfinfo (poppler-utils).
# ---------------------------------------------------------------------------
install_document_tools() {
  local missing=()
  [[ -f /usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf ]] || missing+=(fonts-noto-core)
  [[ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ]] || missing+=(fonts-noto-cjk)
  command -v pdfdetach >/dev/null 2>&1 || missing+=(poppler-utils)
  ((${#missing[@]} == 0)) && return 0
  if ! is_root; then
    warn "missing: ${missing[*]}, needed by the document (PDF) tests"
    warn "install them with:  sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
  log "installing ${missing[*]} with apt-get (for the document tests)"
  apt_install "${missing[@]}" || die "could not install ${missing[*]}"
}

# ---------------------------------------------------------------------------
# The e-invoice tests (tests/Cairn.Server.Tests/EInvoicing) judge every UBL document
# Cairn writes with the official EN 16931 validation artefacts in ../shared/einvoice
# (CEN/TC 434, release 1.3.16): xmllint for the XSD, Saxon-HE on a Java runtime for
# the schematron. Debian packages: libxml2-utils, libsaxonhe-java, default-jre-headless.
# ---------------------------------------------------------------------------
install_einvoice_validator() {
  local missing=()
  command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
  command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
  [[ -r /usr/share/java/Saxon-HE.jar ]] || missing+=(libsaxonhe-java)
  [[ ${#missing[@]} -eq 0 ]] && return 0
  if ! is_root; then
    warn "missing: ${missing[*]}, needed by the e-invoice validation tests"
    warn "install them with:  sudo apt-get install -y --no-install-recommends ${missing[*]}"
    exit 1
  fi
  log "installing ${missing[*]} with apt-get (for the EN 16931 e-invoice validator)"
  apt_install "${missing[@]}" || die "could not install the Debian packages ${missing[*]}"
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
install_document_tools
install_einvoice_validator

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

# The benchmarks, only in their tiny smoke mode (on the same cluster), so they cannot rot.
# A filtered run is for quick iteration, so it leaves them out.
bench_rc=0
crash_rc=0
if [[ ${#filter_args[@]} -eq 0 ]]; then
  log "benchmark smoke run: bench/run.sh --smoke (numbers are not asserted)"
  bench/run.sh --smoke --no-build || bench_rc=$?
  log "crash test smoke run: bench/crash-test.sh --smoke (3 kills per engine)"
  bench/crash-test.sh --smoke --no-build || crash_rc=$?
fi

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
if ((bench_rc != 0)); then
  echo "FAILED: the benchmark smoke run (bench/run.sh --smoke) exited with status $bench_rc (see its output above)."
  status=1
fi
if ((crash_rc != 0)); then
  echo "FAILED: the crash test smoke run (bench/crash-test.sh --smoke) exited with status $crash_rc (see its output above)."
  status=1
fi
final_line "$passed" "$failed" "$skipped"
exit "$status"
