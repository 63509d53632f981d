#!/usr/bin/env bash
# A healthy canary through the real gateway: two identical fast upstreams (nginx `return 200`, answers in well
# under a millisecond), the canary at 20 %, one client sending as fast as it can (wrk, one connection), for
# DURATION seconds. The guard must never revert it. Prints the reverts counted, the route's state, and where
# each guard rule stood at the end (figure, limit, p-value against the test level).
#   bash loadtests/bench/healthy-canary.sh                       # DURATION=300
#   JAR=/path/to/older/ramp-gateway.jar bash loadtests/bench/healthy-canary.sh   # the same against another build
# Loopback only; everything it starts is stopped on exit. Needs nginx and wrk (proxy-bench.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-300}
JAR=${JAR:-gateway/target/ramp-gateway.jar}
[[ $DURATION =~ ^[1-9][0-9]*$ ]] || { echo "healthy-canary.sh: DURATION must be whole seconds, got '$DURATION'" >&2
                                      exit 2; }
command -v nginx >/dev/null && command -v wrk >/dev/null \
  || { echo "healthy-canary.sh: needs nginx and wrk (apt-get install nginx-light wrk)" >&2; exit 2; }
[ -f "$JAR" ] || mvn -B -q -DskipTests package

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/up/nginx.pid" ] && kill "$(cat "$work/up/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
UP1=$(free_port); UP2=$(free_port); RAMP=$(free_port); ADMIN=$(free_port)
mkdir -p "$work/up/logs" "$work/state"
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
cat > "$work/ramp.conf" <<CONF
ramp {
  listen { host = "127.0.0.1", port = $RAMP, event-loops = 1 }
  admin { host = "127.0.0.1", port = $ADMIN }
  state-dir = "$work/state"
  routes = [ {
    name = "shop"
    stable { url = "http://127.0.0.1:$UP1", version = "v1" }
    canary { url = "http://127.0.0.1:$UP2", version = "v2" }
    weight = "20%"
  } ]
}
CONF
cat > "$work/uid.lua" <<'LUA'
math.randomseed(7)
request = function()
  return wrk.format("GET", "/", {["X-User-Id"] = "u" .. math.random(1, 1000000)})
end
LUA
nginx -c "$work/up/nginx.conf" -p "$work/up"
java -Xmx256m -jar "$JAR" run --config "$work/ramp.conf" > "$work/ramp.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$ADMIN/health/ready" >/dev/null 2>&1 && break
  sleep 0.1
done
echo "healthy canary at 20 %, one client, ${DURATION}s ($JAR)"
wrk -t1 -c1 -d"${DURATION}s" -s "$work/uid.lua" "http://127.0.0.1:$RAMP/" | grep -E 'Requests/sec|requests in|Non-2xx|Socket errors' || true
reverts=$(curl -fsS "http://127.0.0.1:$ADMIN/metrics" | awk '/^ramp_reverts_total/ {s += $2} END {print s + 0}')
curl -fsS "http://127.0.0.1:$ADMIN/api/status" > "$work/status.json"
python3 - "$work/status.json" "$reverts" <<'PY'
import json, sys
route = json.load(open(sys.argv[1]))["routes"][0]
print(f"reverts: {sys.argv[2]}; state: {route['state']}; window: stable {route['window']['stable']}, "
      f"canary {route['window']['canary']}")
evidence = (route.get("guard") or {}).get("evidence") or {}
for r in evidence.get("rules", []):
    print(f"  {r['rule']}: {r['value']} against limit {r['limit']} (share {r['shareOfLimit']}), "
          f"p {r['pValue']} (level {evidence.get('testLevel')})")
PY
grep -E 'reverting canary' "$work/ramp.log" | head -3 || true
