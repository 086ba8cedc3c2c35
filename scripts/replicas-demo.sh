#!/usr/bin/env bash
# Three replicas of Engine Control behind a real load balancer, on one machine, showing how
# fast a change made through one replica is enforced by all of them.
#
# It starts, on loopback ports, in a temporary directory:
#   - a throwaway PostgreSQL cluster (Debian's postgresql package; run as user postgres when
#     started as root) with a database and a password-protected user;
#   - three replicas of the jar on that database, sharing one generated operator key;
#   - haproxy (Debian's package), round-robin over the three, with its own config.
# Then it registers an engine through the balancer, warms every replica's caches with a
# check sent straight to it, and for three changes (maintenance, kill switch, suspension),
# each made through a different replica, polls every replica every few milliseconds and
# prints how long each took to deny, counted from the moment the write returned.
# Everything it started is stopped on exit, by PID, and the directory is removed.
#
# Usage: scripts/replicas-demo.sh            (as root, or as a user with the packages installed)
#
# Environment (all optional):
#   PG_PORT=15432              PostgreSQL port         (default: a free port)
#   REPLICA_PORTS="18181 18182 18183"  the three replicas' ports (default: free ports)
#   LB_PORT=18180              the balancer's port     (default: a free port)
#   POLL_MS=5                  pause between two checks of one replica while waiting
#   GIVE_UP_MS=3000            stop polling a replica that has not denied by then
#   JAVA_OPTS="-Xmx256m ..."   JVM options for each replica
#   KEEP=1                     leave everything running at the end and print how to stop it
#   DEMO_DIR=/tmp/...          where to put it all (default: a new temporary directory)
#
# Needs: Java 17+, curl, python3; postgresql and haproxy are installed with apt-get if
# missing (as root, or through sudo).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PROJECT_DIR=$(pwd)

POLL_MS=${POLL_MS:-5}
GIVE_UP_MS=${GIVE_UP_MS:-3000}
JAVA_OPTS=${JAVA_OPTS:--Xms64m -Xmx256m -XX:+UseSerialGC}
KEEP=${KEEP:-0}
JAR="$PROJECT_DIR/target/engine-control-0.1.0-SNAPSHOT.jar"

say() { printf '\n== %s\n' "$*"; }
die() { printf 'replicas-demo: %s\n' "$*" >&2; exit 1; }

for tool in java curl python3; do
	command -v "$tool" >/dev/null || die "$tool is needed"
done

# ---------------------------------------------------------------------------------------
# Cleanup: every process this script started, by PID, then the directory.
# ---------------------------------------------------------------------------------------
DEMO_DIR=${DEMO_DIR:-}
REPLICA_PIDS=()
LB_PID=
PG_PID=
FINISHED=0

stop_pid() { # pid signal seconds
	local pid=$1 signal=$2 seconds=$3 i
	kill -0 "$pid" 2>/dev/null || return 0
	kill "-$signal" "$pid" 2>/dev/null || return 0
	for ((i = 0; i < seconds * 10; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
	local status=$?
	trap - EXIT INT TERM
	if [[ "$KEEP" == 1 && "$FINISHED" == 1 ]]; then
		return "$status"
	fi
	if [[ "$status" != 0 && -n "$DEMO_DIR" && -d "$DEMO_DIR" ]]; then
		for log in "$DEMO_DIR"/replica-*.log "$DEMO_DIR"/haproxy.log "$DEMO_DIR"/pg/postgres.log; do
			[[ -s "$log" ]] || continue
			printf '\n-- last lines of %s\n' "${log#"$DEMO_DIR"/}" >&2
			tail -n 5 "$log" >&2
		done
	fi
	printf '\n== stopping what the demo started\n'
	[[ -n "$LB_PID" ]] && stop_pid "$LB_PID" TERM 5
	local pid
	for pid in "${REPLICA_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
	for pid in "${REPLICA_PIDS[@]}"; do stop_pid "$pid" TERM 20; done
	# SIGINT is PostgreSQL's "fast" shutdown: disconnect clients, stop cleanly.
	[[ -n "$PG_PID" ]] && stop_pid "$PG_PID" INT 20
	[[ -n "$DEMO_DIR" && -d "$DEMO_DIR" ]] && rm -rf "$DEMO_DIR"
	printf 'stopped; removed %s\n' "${DEMO_DIR:-nothing}"
	return "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------
# Packages and the jar.
# ---------------------------------------------------------------------------------------
apt_install() {
	local prefix=()
	if [[ $EUID -ne 0 ]]; then
		command -v sudo >/dev/null || die "please install $* (apt-get install $*)"
		prefix=(sudo)
	fi
	say "installing $* (apt-get)"
	"${prefix[@]}" apt-get update -qq
	# RUNLEVEL=1 keeps the packages' own system services from being started on machines
	# without systemd; this demo runs its own instances.
	"${prefix[@]}" env RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

pg_bin() {
	local dir
	for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/psql" ]]; then
			printf '%s\n' "$dir"
			return 0
		fi
	done
	return 1
}

PG_BIN=$(pg_bin) || { apt_install postgresql && PG_BIN=$(pg_bin); } || die "no PostgreSQL server found"
command -v haproxy >/dev/null || apt_install haproxy
command -v haproxy >/dev/null || die "haproxy is needed"

if [[ ! -f "$JAR" ]]; then
	say "building the jar (./mvnw -B -q -DskipTests package)"
	./mvnw -B -q -DskipTests package
fi

# ---------------------------------------------------------------------------------------
# Ports and the directory.
# ---------------------------------------------------------------------------------------
free_ports() { # count: ports nothing listens on right now, asked of the kernel
	python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}

read -r -a FREE <<<"$(free_ports 5)"
PG_PORT=${PG_PORT:-${FREE[0]}}
LB_PORT=${LB_PORT:-${FREE[1]}}
read -r -a PORTS <<<"${REPLICA_PORTS:-${FREE[2]} ${FREE[3]} ${FREE[4]}}"
[[ ${#PORTS[@]} == 3 ]] || die "REPLICA_PORTS needs three ports"

if [[ -z "$DEMO_DIR" ]]; then
	DEMO_DIR=$(mktemp -d /tmp/replicas-demo.XXXXXX)
else
	mkdir -p "$DEMO_DIR"
fi
chmod 755 "$DEMO_DIR"

secret() { # n: n random characters from [A-Za-z0-9]
	python3 -c "import secrets, string, sys; a = string.ascii_letters + string.digits; print(''.join(secrets.choice(a) for _ in range(int(sys.argv[1]))))" "$1"
}
ADMIN_KEY="demo_$(secret 43)"
DB_PASSWORD=$(secret 24)

# ---------------------------------------------------------------------------------------
# PostgreSQL: a throwaway cluster, not the system's.
# ---------------------------------------------------------------------------------------
PG_DIR="$DEMO_DIR/pg"
mkdir -p "$PG_DIR"
as_pg() {
	if [[ $EUID -eq 0 ]]; then
		(cd "$PG_DIR" && runuser -u postgres -- "$@")
	else
		(cd "$PG_DIR" && "$@")
	fi
}
[[ $EUID -eq 0 ]] && chown postgres: "$PG_DIR"

say "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT ($PG_DIR)"
as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -E UTF8 \
	--auth-local=trust --auth-host=scram-sha-256 >"$PG_DIR/initdb.log" 2>&1 ||
	{ cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 \
	-o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1" start >/dev/null ||
	die "PostgreSQL did not start"
PG_PID=$(head -n 1 "$PG_DIR/data/postmaster.pid")
as_pg "$PG_BIN/psql" -q -h "$PG_DIR" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
	-c "create role engine_control login password '$DB_PASSWORD'" \
	-c "create database engine_control owner engine_control"
echo "database engine_control, user engine_control (password authentication); postmaster PID $PG_PID"

# ---------------------------------------------------------------------------------------
# Three replicas on the same database and operator key, started one after another, so that
# each is listening for notifications before the next starts and the log stays readable.
# (Replicas started together also work: MultiInstanceIntegrationTests starts three at once.)
# ---------------------------------------------------------------------------------------
say "three replicas on ports ${PORTS[*]} (logs: $DEMO_DIR/replica-N.log)"
started=$SECONDS
for i in 1 2 3; do
	port=${PORTS[i - 1]}
	mkdir -p "$DEMO_DIR/replica-$i"
	# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
	ENGINE_CONTROL_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/engine_control" \
		ENGINE_CONTROL_DB_USERNAME=engine_control \
		ENGINE_CONTROL_DB_PASSWORD="$DB_PASSWORD" \
		ENGINE_CONTROL_BOOTSTRAP_ADMIN_KEY="$ADMIN_KEY" \
		ENGINE_CONTROL_DATA_DIR="$DEMO_DIR/replica-$i" \
		SERVER_PORT="$port" \
		java $JAVA_OPTS -jar "$JAR" >"$DEMO_DIR/replica-$i.log" 2>&1 &
	REPLICA_PIDS+=($!)
	until [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/actuator/health/readiness")" == 200 ]]; do
		kill -0 "${REPLICA_PIDS[i - 1]}" 2>/dev/null || die "replica-$i exited during startup"
		((SECONDS - started < 300)) || die "replica-$i not ready after $((SECONDS - started)) s"
		sleep 0.5
	done
	# The change listener connects right after startup; wait for it so that what follows
	# measures notifications, not a listener still connecting.
	until curl -s "http://127.0.0.1:$port/actuator/health" | grep -q '"listener":"listening"'; do
		((SECONDS - started < 300)) || die "replica-$i is not listening for changes"
		sleep 0.2
	done
	echo "replica-$i ready on 127.0.0.1:$port, PID ${REPLICA_PIDS[i - 1]}, listening for changes ($((SECONDS - started)) s)"
done

# ---------------------------------------------------------------------------------------
# haproxy, round-robin, in the foreground of its own process (not a system service).
# ---------------------------------------------------------------------------------------
cat >"$DEMO_DIR/haproxy.cfg" <<EOF
global
    maxconn 512

defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s

frontend engine_control
    bind 127.0.0.1:$LB_PORT
    default_backend replicas

backend replicas
    balance roundrobin
    option httpchk GET /actuator/health/readiness
    http-check expect status 200
    # Says which replica answered, so the round robin can be seen.
    http-response set-header X-Served-By %[srv_name]
    server replica-1 127.0.0.1:${PORTS[0]} check inter 1s
    server replica-2 127.0.0.1:${PORTS[1]} check inter 1s
    server replica-3 127.0.0.1:${PORTS[2]} check inter 1s
EOF
haproxy -c -q -f "$DEMO_DIR/haproxy.cfg" || die "haproxy rejected its configuration"
haproxy -db -f "$DEMO_DIR/haproxy.cfg" >"$DEMO_DIR/haproxy.log" 2>&1 &
LB_PID=$!
say "haproxy $(haproxy -v | awk 'NR == 1 {print $3}') on 127.0.0.1:$LB_PORT, round-robin over the three, PID $LB_PID"
for _ in $(seq 100); do
	[[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$LB_PORT/actuator/health/readiness")" == 200 ]] && break
	kill -0 "$LB_PID" 2>/dev/null || die "haproxy exited"
	sleep 0.1
done

# ---------------------------------------------------------------------------------------
# The measurement (python3: keep-alive connections, one polling thread per replica).
# ---------------------------------------------------------------------------------------
export ADMIN_KEY LB_PORT POLL_MS GIVE_UP_MS
export REPLICA_PORTS_LIST="${PORTS[*]}"
python3 - <<'PY'
import http.client, json, os, threading, time

ADMIN = ("admin", os.environ["ADMIN_KEY"])
PORTS = [int(p) for p in os.environ["REPLICA_PORTS_LIST"].split()]
LB_PORT = int(os.environ["LB_PORT"])
POLL = int(os.environ["POLL_MS"]) / 1000
GIVE_UP = int(os.environ["GIVE_UP_MS"]) / 1000
NAMES = [f"replica-{i + 1}" for i in range(len(PORTS))]
ENGINE = "action"
CHECK = json.dumps({"platform": "gmail", "action_type": "send_email"})


class Client:
    """One keep-alive HTTP connection, as one engine (or the operator)."""

    def __init__(self, port, credentials):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        self.headers = {"X-Engine-ID": credentials[0], "X-Engine-Key": credentials[1],
                        "Content-Type": "application/json"}

    def call(self, method, path, body=None, parse=True):
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=self.headers)
                response = self.conn.getresponse()
                text = response.read().decode()
                return response.status, (json.loads(text) if parse and text else text), response
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()  # the server closed an idle keep-alive connection
                if attempt == 2:
                    raise

    def check(self):
        return self.call("POST", "/actions/check", CHECK)


def denial(status, body):
    """Why a check was refused, or None when it was allowed."""
    if status == 200 and body["allowed"]:
        return None
    if status == 200:
        return body["reason"]
    return f"{status} {body['type'].rsplit('/', 1)[-1]}"


def cache_misses(admin):
    _, text, _ = admin.call("GET", "/actuator/prometheus", parse=False)
    misses = [float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
              if line.startswith("cache_gets_total{") and 'result="miss"' in line]
    assert misses, "no cache_gets_total metric: cannot tell whether checks come from the caches"
    return sum(misses)


# Register an engine through the balancer.
lb_admin = Client(LB_PORT, ADMIN)
status, body, response = lb_admin.call("POST", "/engines/register", json.dumps(
    {"engine_id": ENGINE, "description": "replicas demo", "capabilities": {"gmail": ["send_email"]}}))
assert status == 201, (status, body)
engine = (ENGINE, body["engine_key"])
print(f"\n== registered engine '{ENGINE}' through the balancer: {status}, "
      f"served by {response.getheader('X-Served-By')}")

admins = [Client(port, ADMIN) for port in PORTS]
engines = [Client(port, engine) for port in PORTS]


def wait_until_all_allow():
    """After a change is undone, each replica allows again within moments."""
    deadline = time.monotonic() + 5
    for name, client in zip(NAMES, engines):
        while True:
            status, body, _ = client.check()
            if denial(status, body) is None:
                break
            assert time.monotonic() < deadline, f"{name} still denies: {body}"
            time.sleep(0.01)


def warm():
    """Every replica answers allowed, from its caches (checked on its cache metrics)."""
    wait_until_all_allow()
    for name, client, admin in zip(NAMES, engines, admins):
        before = cache_misses(admin)
        status, body, _ = client.check()
        assert denial(status, body) is None, body
        misses = cache_misses(admin) - before
        print(f"   {name}: allowed at revision {body['revision']}, "
              + ("from its caches (no cache miss)" if misses == 0 else f"{misses:.0f} cache misses"))


def measure(title, via, write, restore):
    """Makes a change through one replica while every replica is being polled.

    Each replica is polled from before the write (so connections and code paths are warm)
    until it first denies. Reported: the time from the write's response to the first
    denied answer (0 when that answer arrived before the write's own response), and how
    many answers sent after the write's response still said allowed.
    """
    print(f"\n== {title}")
    # The undo, made once beforehand (it changes nothing), warms the write's code path on
    # that replica, so the timed write is not a cold first call.
    status, _, _ = restore(admins[via])
    assert status == 200, status
    warm()
    stop = threading.Event()
    logs = [[] for _ in PORTS]

    def poll(index):
        client = engines[index]
        while not stop.is_set():
            sent = time.perf_counter()
            status, body, _ = client.check()
            received = time.perf_counter()
            why = denial(status, body)
            logs[index].append((sent, received, why))
            if why is not None:
                return
            time.sleep(POLL)

    threads = [threading.Thread(target=poll, args=(i,)) for i in range(len(PORTS))]
    for thread in threads:
        thread.start()
    time.sleep(0.3)  # polling, all allowed
    started = time.perf_counter()
    status, body, response = write(admins[via])
    t0 = time.perf_counter()
    assert status == 200, (status, body)
    for thread in threads:
        thread.join(timeout=max(0.0, t0 + GIVE_UP - time.perf_counter()))
    stop.set()
    for thread in threads:
        thread.join()
    print(f"   written through {NAMES[via]} -> {status} in {(t0 - started) * 1000:.1f} ms, "
          f"store revision {response.getheader('X-Store-Revision')}")
    took = (t0 - started) * 1000
    results = []
    for name, log in zip(NAMES, logs):
        assert all(why is None for sent, _, why in log if sent < started), f"{name} denied before the write"
        stale = sum(1 for sent, _, why in log if sent >= t0 and why is None)
        denied = [(received, why) for _, received, why in log if why is not None]
        if denied:
            ms = (denied[0][0] - t0) * 1000
            when = (f"{ms:.1f} ms after the write returned" if ms >= 0
                    else f"{-ms:.1f} ms before the write's response arrived")
            print(f"   {name}: denied {when} ({denied[0][1]}); allowed answers after it returned: {stale}")
            results.append((ms, denied[0][1]))
        else:
            print(f"   {name}: STILL ALLOWED {GIVE_UP * 1000:.0f} ms after the write; allowed answers: {stale}")
            results.append((None, None))
    if title.startswith("maintenance"):
        status, body, response = Client(LB_PORT, engine).check()
        print(f"   one check through the balancer: {status} allowed={body['allowed']} "
              f"reason={body['reason']} (served by {response.getheader('X-Served-By')})")
    status, _, _ = restore(admins[via])
    assert status == 200, status
    return title, NAMES[via], took, results


def send(method, path, body=None):
    return lambda admin: admin.call(method, path, None if body is None else json.dumps(body))


rows = [
    measure("maintenance: PUT /admin/platforms/gmail/status", 0,
            send("PUT", "/admin/platforms/gmail/status", {"status": "maintenance", "message": "replicas demo"}),
            send("PUT", "/admin/platforms/gmail/status", {"status": "available"})),
    measure("kill switch: PUT /admin/flags/action.gmail.send_email", 1,
            send("PUT", "/admin/flags/action.gmail.send_email", {"enabled": False}),
            send("PUT", "/admin/flags/action.gmail.send_email", {"enabled": True})),
    measure(f"suspension: POST /admin/engines/{ENGINE}/suspend", 2,
            send("POST", f"/admin/engines/{ENGINE}/suspend"),
            send("POST", f"/admin/engines/{ENGINE}/resume")),
]

print("\n== three checks through the balancer, once every change was undone")
wait_until_all_allow()
lb_engine = Client(LB_PORT, engine)
for _ in range(3):
    status, body, response = lb_engine.check()
    print(f"   {status} {denial(status, body) or 'allowed'} at revision {body.get('revision')}, "
          f"served by {response.getheader('X-Served-By')}")

print(f"\n== time from the write's response to each replica's first denial "
      f"(polled every {os.environ['POLL_MS']} ms)\n")
header = (f"{'change':<12} {'through':<10} {'write took':>10}" + "".join(f" {n:>10}" for n in NAMES)
          + "  denied with")
print(header)
print("-" * len(header))
worst = 0.0
failed = early = False
for title, via, took, results in rows:
    cells = ""
    for ms, _ in results:
        if ms is None:
            failed = True
            cells += f" {'> ' + str(int(GIVE_UP * 1000)):>7} ms"
        else:
            worst = max(worst, ms)
            early = early or ms < 0
            cells += f" {max(ms, 0.0):7.1f} ms" + ("*" if ms < 0 else " ")
    reasons = sorted({why for _, why in results if why})
    print(f"{title.split(':')[0]:<12} {via:<10} {took:7.1f} ms{cells} {', '.join(reasons)}")
if early:
    print("* denied before the write's own response had arrived")
print()
if failed or worst >= 1000:
    print(f"FAIL: a replica took 1 s or more (worst {worst:.1f} ms)")
    raise SystemExit(1)
print(f"every replica denied within 1 s of the write returning (worst {max(worst, 0.0):.1f} ms)")
PY

FINISHED=1
if [[ "$KEEP" == 1 ]]; then
	cat >"$DEMO_DIR/stop.sh" <<EOF
#!/usr/bin/env bash
# Stops what scripts/replicas-demo.sh left running (KEEP=1), by PID, and removes $DEMO_DIR.
wait_gone() { for _ in \$(seq 200); do kill -0 "\$1" 2>/dev/null || return 0; sleep 0.1; done; kill -KILL "\$1" 2>/dev/null; }
kill -TERM $LB_PID ${REPLICA_PIDS[*]} 2>/dev/null
for pid in $LB_PID ${REPLICA_PIDS[*]}; do wait_gone "\$pid"; done
kill -INT $PG_PID 2>/dev/null   # PostgreSQL's fast shutdown
wait_gone $PG_PID
rm -rf '$DEMO_DIR'
echo "stopped; removed $DEMO_DIR"
EOF
	chmod +x "$DEMO_DIR/stop.sh"
	cat <<EOF

== left running (KEEP=1)
balancer    http://127.0.0.1:$LB_PORT   haproxy PID $LB_PID
replicas    ${PORTS[*]}   PIDs ${REPLICA_PIDS[*]}
PostgreSQL  127.0.0.1:$PG_PORT   postmaster PID $PG_PID, user engine_control, password $DB_PASSWORD
operator    X-Engine-ID: admin   X-Engine-Key: $ADMIN_KEY
files       $DEMO_DIR
stop it all with: $DEMO_DIR/stop.sh
EOF
fi
