# shellcheck shell=bash
# A throwaway PostgreSQL cluster on a free 127.0.0.1 port, for ./test.sh and
# bench/run.sh. Sourced, not run. The caller:
#   - may define log/warn/die (defaults below) and sets PG_DIR="" PG_PID="";
#   - calls pg_prerequisites (sets PG_BIN), then start_postgres (sets PG_DIR,
#     PG_PID and exports CAIRN_TEST_POSTGRES), and on exit stop_postgres and
#     rm -rf "$PG_DIR";
#   - may set PG_DURABLE=true to keep fsync and synchronous commits on.
# As root the cluster runs as the unprivileged user $PG_USER_WHEN_ROOT.

declare -F log >/dev/null || log() { printf '==> %s\n' "$*"; }
declare -F warn >/dev/null || warn() { printf '%s\n' "$*" >&2; }
declare -F die >/dev/null || die() { warn "$*"; exit 1; }
declare -F is_root >/dev/null || is_root() { [[ $(id -u) -eq 0 ]]; }

: "${PG_USER_WHEN_ROOT:=cairntest}"
: "${PG_WAIT_SECONDS:=30}"
PG_BIN="${PG_BIN:-}"
PG_DIR="${PG_DIR:-}"
PG_PID="${PG_PID:-}"

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

# Finds (or, as root, installs) the PostgreSQL server binaries into PG_BIN, and as root
# creates the unprivileged user that runs the cluster.
pg_prerequisites() {
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

  # Loopback only, sockets in our temp dir, and (unless PG_DURABLE=true) durability
  # off: a fast server whose data we throw away anyway. Benchmarks want the real
  # cost of a commit, so they keep PostgreSQL's defaults (fsync on).
  # (Later lines win in postgresql.conf.)
  cat >>"$PG_DIR/data/postgresql.conf" <<EOF

# --- added by Cairn scripts/pg.sh ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_DIR/sock'
max_connections = 400
shared_buffers = 128MB
EOF
  if [[ "${PG_DURABLE:-false}" != true ]]; then
    printf '%s\n' 'fsync = off' 'synchronous_commit = off' 'full_page_writes = off' >>"$PG_DIR/data/postgresql.conf"
  fi

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
      PG_PORT="$port"
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

# A hot standby of the running cluster (PG_DIR, PG_PORT): pg_basebackup with streaming
# replication configured (-R), started on another free port. Sets STANDBY_PID and exports
# CAIRN_TEST_POSTGRES_STANDBY. Stop it with stop_standby (the caller removes PG_DIR).
STANDBY_PID="${STANDBY_PID:-}"
start_standby() {
  local port
  [[ -n "$PG_DIR" && -n "${PG_PORT:-}" ]] || die "start_standby needs a running cluster (start_postgres first)"
  log "copying the cluster into a hot standby (pg_basebackup)"
  (cd "$PG_DIR" && as_pg_user "$PG_BIN/pg_basebackup" -D "$PG_DIR/standby" -h 127.0.0.1 -p "$PG_PORT" -U postgres \
      -R -X stream --no-sync >"$PG_DIR/basebackup.log" 2>&1) || { cat "$PG_DIR/basebackup.log" >&2; die "pg_basebackup failed"; }
  port="$(find_free_port)"
  run_standby "$port"
  export CAIRN_TEST_POSTGRES_STANDBY="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=true;Timeout=30;Command Timeout=120"
  log "standby is ready (pid $STANDBY_PID); CAIRN_TEST_POSTGRES_STANDBY=$CAIRN_TEST_POSTGRES_STANDBY"
}

# Starts the standby that start_standby made again, after stop_standby, on the port it had ($1);
# sets STANDBY_PID. Tests use it to take a working standby away and bring it back.
restart_standby() {
  [[ -n "$PG_DIR" && -d "$PG_DIR/standby" && -n "${1:-}" ]] || die "restart_standby needs PG_DIR with a standby and its port"
  run_standby "$1"
}

# Starts the standby in $PG_DIR/standby on port $1 and waits until it accepts connections; sets STANDBY_PID.
run_standby() {
  local port="$1" deadline
  (cd "$PG_DIR" && as_pg_user "$PG_BIN/pg_ctl" start -W -D "$PG_DIR/standby" -l "$PG_DIR/standby.log" -o "-p $port" \
      </dev/null >/dev/null 2>&1) || { tail -n 50 "$PG_DIR/standby.log" >&2; die "the standby did not start"; }
  deadline=$((SECONDS + PG_WAIT_SECONDS))
  until "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -t 1; do
    ((SECONDS < deadline)) || { tail -n 50 "$PG_DIR/standby.log" >&2; die "the standby did not become ready"; }
    sleep 0.5
  done
  STANDBY_PID="$(head -n1 "$PG_DIR/standby/postmaster.pid")"
}

stop_standby() {
  [[ -n "$STANDBY_PID" ]] || return 0
  if pid_alive "$STANDBY_PID"; then
    (cd "$PG_DIR" && as_pg_user "$PG_BIN/pg_ctl" stop -D "$PG_DIR/standby" -m fast -w -t 20 >/dev/null 2>&1) || kill -TERM "$STANDBY_PID" 2>/dev/null || true
  fi
  STANDBY_PID=""
}
