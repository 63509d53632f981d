#!/usr/bin/env bash
# loadtests/replicas.sh: three gateway processes sharing one redis-server, and ReplicasSimulation through them.
#
#   loadtests/replicas.sh [-Dkey=value ...]
#
# Starts redis-server (Debian's, on PATH) on 127.0.0.1:16379 without persistence; replica 1 with the demo
# upstreams (`demo --config loadtests/ramp-replicas.conf`: traffic 18080, admin 19901, stable 19001, canary
# 19002) and replicas 2 and 3 (`run`: 18081/19902, 18082/19903) in front of the same upstreams; then runs
# ReplicasSimulation (about 30 s of load): kill switch on replica 2, Redis killed and restarted empty, resume
# on replica 3; it fails unless every replica follows within 2 s and no request fails. Always stops what it
# started. Logs: loadtests/target/replica-{1,2,3}.log, loadtests/target/redis.log.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
EXTRA=("$@")
JAR=gateway/target/ramp-gateway.jar
MVN=(mvn -q ${MVN_FLAGS:-})
REDIS_PORT=16379
T=loadtests/target
command -v redis-server >/dev/null || { echo "replicas.sh: redis-server not on PATH (apt-get install redis-server)" >&2; exit 1; }
[[ -f "$JAR" ]] || "${MVN[@]}" -pl gateway -am package -DskipTests
for p in 18080 18081 18082 19901 19902 19903 19001 19002 19101 19102 $REDIS_PORT; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    echo "replicas.sh: port $p is already in use; stop whatever listens there first" >&2; exit 1
  fi
done
mkdir -p "$T"
rm -rf "$T"/replica-state-*
export RAMP_ADMIN_TOKEN="${RAMP_ADMIN_TOKEN:-loadtest-$RANDOM$RANDOM}"
export RAMP_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  # The simulation restarts Redis itself (daemonized, same pid file): stop whichever one runs.
  if [[ -f "$T/redis.pid" ]]; then kill -KILL "$(cat "$T/redis.pid")" 2>/dev/null || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

redis-server --port $REDIS_PORT --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --pidfile "$ROOT/$T/redis.pid" --logfile "$ROOT/$T/redis.log"

start() { # n command port admin
  RAMP_PORT=$3 RAMP_ADMIN_PORT=$4 RAMP_STATE_DIR="$T/replica-state-$1" RAMP_REPLICA_ID="replica-$1" \
    setsid java -Xms128m -Xmx256m -jar "$JAR" "$2" --config loadtests/ramp-replicas.conf >"$T/replica-$1.log" 2>&1 &
  PIDS+=($!)
}
start 1 demo 18080 19901
answers() { curl -s -o /dev/null --max-time 1 "$1"; }
for _ in $(seq 1 150); do answers http://127.0.0.1:19102/_demo/fault && break; sleep 0.2; done
start 2 run 18081 19902
start 3 run 18082 19903
for port in 18080 18081 18082; do
  for _ in $(seq 1 150); do answers "http://127.0.0.1:$port/" && break; sleep 0.2; done
  answers "http://127.0.0.1:$port/" || { echo "replicas.sh: the replica on $port did not start" >&2; exit 1; }
done
curl -s http://127.0.0.1:19901/health/ready; echo
"${MVN[@]}" -pl loadtests test-compile
"${MVN[@]}" -pl loadtests gatling:test -Dgatling.simulationClass=dev.ramp.loadtests.ReplicasSimulation \
  -Dramp.replicas.redisPort=$REDIS_PORT -Dramp.replicas.redisPidFile="$ROOT/$T/redis.pid" "${EXTRA[@]}"
