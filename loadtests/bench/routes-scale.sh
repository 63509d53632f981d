#!/usr/bin/env bash
# What a route costs when nobody uses it: Ramp with ROUTES routes (one host each, the same two upstreams)
# against the same gateway with one route. Prints per size: validate time, start to ready, RSS and live heap
# idle, a weight edit of one route applied (file rewritten + SIGHUP, until /api/status shows it), one
# /metrics scrape and one /api/status (whole, and ?route=NAME).
#   bash loadtests/bench/routes-scale.sh              # ROUTES=10000
# Loopback only; no traffic is sent; everything it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUTES=${ROUTES:-10000}
JAR=${JAR:-gateway/target/ramp-gateway.jar}
JVM_OPTS=${JVM_OPTS:--XX:ActiveProcessorCount=1 -Xmx1g -XX:+UseSerialGC}
[[ $ROUTES =~ ^[1-9][0-9]*$ ]] || { echo "routes-scale.sh: ROUTES must be a whole number, got '$ROUTES'" >&2; exit 2; }
[ -f "$JAR" ] || mvn -B -q -DskipTests package
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
ms() { echo $(( $(date +%s%N) / 1000000 )); }

write_config() { # n weight-of-r0
  python3 - "$1" "$2" "$work" "$ADMIN" > "$work/ramp.conf" <<'PY'
import sys
n, weight, work, admin = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
print('ramp {\n  listen { host = "127.0.0.1", port = 0, event-loops = 1 }')
print(f'  admin {{ host = "127.0.0.1", port = {admin} }}\n  state-dir = "{work}/state"\n  routes = [')
for i in range(n):
    w = weight if i == 0 else "10%"
    print(f'    {{ name = "r{i}", match {{ hosts = ["h{i}.example.com"] }}, '
          f'stable {{ url = "http://127.0.0.1:9001", version = "v1" }}, '
          f'canary {{ url = "http://127.0.0.1:9002", version = "v2" }}, weight = "{w}" }}')
print('  ]\n}')
PY
}

measure() { # n
  local n=$1 t0 t1 ready validate reload rss heap metrics status one
  ADMIN=$(free_port)
  write_config "$n" "10%"
  t0=$(ms); java $JVM_OPTS -jar "$JAR" validate --config "$work/ramp.conf" > /dev/null; t1=$(ms); validate=$((t1 - t0))
  t0=$(ms)
  java $JVM_OPTS -jar "$JAR" run --config "$work/ramp.conf" > "$work/ramp.log" 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$ADMIN/health/ready"; do sleep 0.01; done
  ready=$(( $(ms) - t0 ))
  sleep 3   # a few guard ticks
  jcmd "$pid" GC.run > /dev/null
  # Every generation's "used NNNK", summed.
  heap=$(jcmd "$pid" GC.heap_info | awk '/generation/ {for (i = 1; i <= NF; i++) if ($i == "used") {v = $(i + 1);
         sub(/K,?/, "", v); s += v}} END {printf "%d MB", s / 1024}')
  rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")
  t0=$(ms); curl -fs -o /dev/null "http://127.0.0.1:$ADMIN/metrics"; metrics=$(( $(ms) - t0 ))
  t0=$(ms); curl -fs -o /dev/null "http://127.0.0.1:$ADMIN/api/status"; status=$(( $(ms) - t0 ))
  t0=$(ms); curl -fs -o /dev/null "http://127.0.0.1:$ADMIN/api/status?route=r0"; one=$(( $(ms) - t0 ))
  write_config "$n" "20%"
  t0=$(ms); kill -HUP "$pid"
  until curl -fs "http://127.0.0.1:$ADMIN/api/status?route=r0" 2>/dev/null | grep -q '"configuredWeight":"20%"'; do
    sleep 0.01
  done
  reload=$(( $(ms) - t0 ))
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  printf '| %s | %s ms | %s ms | %s MB | %s | %s ms | %s ms | %s ms, %s ms |\n' "$n" "$validate" "$ready" "$rss" \
    "$heap" "$reload" "$metrics" "$status" "$one"
}

echo "| routes | validate | start to ready | RSS idle | heap used after GC | weight edit applied (SIGHUP) | /metrics | /api/status, ?route= |"
echo "|---|---|---|---|---|---|---|---|"
measure 1
measure "$ROUTES"
