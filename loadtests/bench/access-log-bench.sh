#!/usr/bin/env bash
# The access log's cost: two gateways on the same nginx upstreams, one with ramp.access-log on (to a file), one
# with it off, loaded in short alternating rounds (this host's speed moves in phases of seconds, so two separate
# runs would compare the phases). Prints each round's requests/s and the median of the per-round ratios on/off.
#   bash loadtests/bench/access-log-bench.sh    # WARMUP=8 ROUNDS=3 SECONDS_PER_ROUND=2: 28 s of load
#   ROUNDS=6 CONNECTIONS=32 bash loadtests/bench/access-log-bench.sh
# Loopback only; everything it starts is stopped on exit. Needs nginx and wrk (apt-get install nginx-light wrk).
set -euo pipefail
cd "$(dirname "$0")/../.."
WARMUP=${WARMUP:-8}
ROUNDS=${ROUNDS:-3}
SECONDS_PER_ROUND=${SECONDS_PER_ROUND:-2}
CONNECTIONS=${CONNECTIONS:-16}
JAR=${JAR:-gateway/target/ramp-gateway.jar}
command -v nginx >/dev/null && command -v wrk >/dev/null \
  || { echo "access-log-bench.sh: needs nginx and wrk (apt-get install nginx-light wrk)" >&2; exit 2; }
[ -f "$JAR" ] || mvn -B -q -ntp -pl gateway -DskipTests package

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/up/nginx.pid" ] && kill "$(cat "$work/up/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
UP1=$(free_port); UP2=$(free_port)
mkdir -p "$work/up/logs"
cat > "$work/up/nginx.conf" <<CONF
worker_processes 1;
pid $work/up/nginx.pid;
error_log $work/up/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$UP1; location / { return 200 'ok'; } }
  server { listen 127.0.0.1:$UP2; location / { return 200 'ok'; } }
}
CONF
nginx -c "$work/up/nginx.conf" -p "$work/up"

# start NAME ACCESS_LOG_BLOCK: a gateway with one route (canary at 20 %), one event loop; prints its port
start() {
  local name=$1 log=$2 port admin
  port=$(free_port); admin=$(free_port)
  mkdir -p "$work/$name/state"
  cat > "$work/$name/ramp.conf" <<CONF
ramp {
  listen { host = "127.0.0.1", port = $port, event-loops = 1 }
  admin { host = "127.0.0.1", port = $admin }
  state-dir = "$work/$name/state"
  $log
  routes = [ { name = "bench", weight = "20%",
               stable { url = "http://127.0.0.1:$UP1", version = "v1" },
               canary { url = "http://127.0.0.1:$UP2", version = "v2" } } ]
}
CONF
  java -Xmx256m -Dlogback.configurationFile=loadtests/bench/quiet-logback.xml -jar "$JAR" run \
      --config "$work/$name/ramp.conf" > "$work/$name/out.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 150); do
    curl -fsS "http://127.0.0.1:$admin/health/ready" >/dev/null 2>&1 && break
    sleep 0.1
  done
  echo "$port $admin"
}
read -r OFF OFF_ADMIN < <(start off "")
read -r ON ON_ADMIN < <(start on "access-log { enabled = true, path = \"$work/on/access.log\" }")

rate() { wrk -t1 -c"$CONNECTIONS" -d"${2:-$SECONDS_PER_ROUND}s" "http://127.0.0.1:$1/" | awk '/Requests\/sec/ {print $2}'; }
# Warm-up (the JIT compiles the data path in the first seconds) for both, not counted.
rate "$OFF" "$WARMUP" >/dev/null; rate "$ON" "$WARMUP" >/dev/null
echo "access log off vs on, $ROUNDS rounds of ${SECONDS_PER_ROUND}s, wrk -t1 -c$CONNECTIONS, one event loop ($JAR)"
ratios=()
for r in $(seq 1 "$ROUNDS"); do
  if (( r % 2 )); then off=$(rate "$OFF"); on=$(rate "$ON"); else on=$(rate "$ON"); off=$(rate "$OFF"); fi
  ratio=$(python3 -c "print(f'{$on / $off:.3f}')")
  ratios+=("$ratio")
  echo "round $r: off ${off} req/s, on ${on} req/s, on/off ${ratio}"
done
python3 -c "import statistics,sys; print(f'median on/off: {statistics.median(map(float, sys.argv[1:])):.3f}')" "${ratios[@]}"
lines=$(wc -l < "$work/on/access.log")
dropped=$(curl -fsS "http://127.0.0.1:$ON_ADMIN/metrics" | awk '/^ramp_access_log_dropped_total/ {print $2}')
echo "access log: $lines lines written, ${dropped:-0} dropped; one line: $(tail -n 1 "$work/on/access.log")"
