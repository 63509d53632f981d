#!/usr/bin/env bash
# loadtests/run.sh: start a gateway with its two demo upstreams and run Gatling simulations against it.
#
#   loadtests/run.sh [smoke|split|fallback|revert|throughput|rollout|mirror|all] [--config FILE] [-Dkey=value ...]
#
#   smoke       split + fallback + revert, short (under 90 s in total, JVM start-ups included); CI runs this
#   split       SplitStickinessSimulation, full length: every user sticks to one version, canary share = weight +- 1.5 pp
#   split-h2    the same, short, over HTTPS and HTTP/2 (the gateway runs `demo --tls`; Gatling negotiates h2 by ALPN)
#   fallback    FallbackSimulation, full length: 0 failed GETs while the canary refuses, resets, answers 503
#   revert      RevertSimulation, full length: the canary breaks mid-run; reverted (responses and /api/status) <= 2 s
#   throughput  ThroughputSimulation: closed-model ramp through the gateway, then directly against stable; prints the ratio, fails below 0.2
#   rollout     RolloutSimulation: a 3-step plan steps itself under load to ready_to_promote, nobody moves back; then the canary fails and is reverted <= 2 s
#   mirror      ThroughputSimulation, short (28 s of load), through a 0 % route without then with a dark launch
#               (mirror 100 %: every request also copied to the canary); a report, not a check; prints the copies' counts
#   all         the four, full length
#
#   --config FILE   gateway config (default loadtests/ramp-loadtest.conf). To show that the smoke catches a
#                   broken guard, run the revert test against a gateway whose guard is off; it must FAIL:
#                     loadtests/run.sh revert --config loadtests/ramp-loadtest-guard-off.conf
#   -Dkey=value     passed to every simulation, e.g. -Dramp.split.users=50000 -Dramp.throughput.users=128
#                   (every property is listed in docs/benchmarks.md, "Settings")
#
# What it does: builds gateway/target/ramp-gateway.jar if missing; wipes the state dir (loadtests/target/ramp-state);
# starts `ramp-gateway.jar demo --config FILE` (gateway 127.0.0.1:18080, admin 19901, stable 19001, canary 19002,
# fault switches 19101/19102) with RAMP_ADMIN_TOKEN set; waits until it answers; runs each simulation with
# `mvn -q -pl loadtests gatling:test -Dgatling.simulationClass=...`; always stops the gateway; exits 1 if any
# simulation failed (2 on bad usage). Reports: loadtests/target/gatling/<simulation>-<timestamp>/index.html.
# Gateway log: loadtests/target/gateway.log. Load stays on loopback and every run is bounded in time.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
MODE="${1:-smoke}"
[[ $# -gt 0 ]] && shift
case "$MODE" in -h|--help|help) usage; exit 0 ;; esac
CONFIG="loadtests/ramp-loadtest.conf"
EXTRA=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --config) CONFIG="${2:?--config needs a file}"; shift 2 ;;
    --config=*) CONFIG="${1#--config=}"; shift ;;
    -D*) EXTRA+=("$1"); shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument: $1 (see loadtests/run.sh --help)" >&2; exit 2 ;;
  esac
done
[[ -f "$CONFIG" ]] || { echo "run.sh: no config file $CONFIG" >&2; exit 2; }

PKG=dev.ramp.loadtests
# Short settings: the three correctness simulations in well under 90 s with JVM start-ups.
SMOKE_SPLIT=(-Dramp.split.users=3000 -Dramp.split.requests=4 -Dramp.split.warmup=8s -Dramp.split.duration=10s)
SMOKE_FALLBACK=(-Dramp.fallback.warmup=3s -Dramp.fallback.phase=3s -Dramp.fallback.rate=50)
SMOKE_REVERT=(-Dramp.revert.warmup=5s -Dramp.revert.after=5s -Dramp.revert.rate=120)
# Full settings: longer and bigger samples.
FULL_SPLIT=(-Dramp.split.users=20000 -Dramp.split.requests=5 -Dramp.split.warmup=10s -Dramp.split.duration=60s)
FULL_FALLBACK=(-Dramp.fallback.warmup=10s -Dramp.fallback.phase=15s -Dramp.fallback.rate=100)
FULL_REVERT=(-Dramp.revert.warmup=20s -Dramp.revert.after=15s -Dramp.revert.rate=150)
SHORT_THROUGHPUT=(-Dramp.throughput.warmup=2s -Dramp.throughput.ramp=1s -Dramp.throughput.hold=4s -Dramp.throughput.minRatio=0)
FULL_THROUGHPUT=(-Dramp.throughput.warmup=10s -Dramp.throughput.ramp=10s -Dramp.throughput.hold=30s -Dramp.throughput.users=64)

RUNS=()   # "SimulationClass|opts..." entries
TLS=0     # 1: the gateway serves HTTPS (demo --tls)
add() { local sim="$1"; shift; RUNS+=("$sim|$*"); }
case "$MODE" in
  smoke)      add SplitStickinessSimulation "${SMOKE_SPLIT[@]}"
              add FallbackSimulation "${SMOKE_FALLBACK[@]}"
              add RevertSimulation "${SMOKE_REVERT[@]}" ;;
  split)      add SplitStickinessSimulation "${FULL_SPLIT[@]}" ;;
  split-h2)   TLS=1
              # HTTP/2 multiplexes every user onto few connections: nothing queues in the client as with 32
              # HTTP/1.1 connections, so the offered load is what reaches the gateway; 1200 users keep it modest.
              add SplitStickinessSimulation "${SMOKE_SPLIT[@]}" -Dramp.split.users=1200 -Dramp.http2=true \
                  -Dramp.gatewayUrl=https://127.0.0.1:18080 ;;
  fallback)   add FallbackSimulation "${FULL_FALLBACK[@]}" ;;
  revert)     add RevertSimulation "${FULL_REVERT[@]}" ;;
  throughput) add ThroughputSimulation "${FULL_THROUGHPUT[@]}" ;;
  rollout)    add RolloutSimulation ;;
  mirror)     add ThroughputSimulation "${SHORT_THROUGHPUT[@]}" -Dramp.throughput.path=/dark-off
              add ThroughputSimulation "${SHORT_THROUGHPUT[@]}" -Dramp.throughput.path=/dark-on ;;
  all)        add SplitStickinessSimulation "${FULL_SPLIT[@]}"
              add FallbackSimulation "${FULL_FALLBACK[@]}"
              add RevertSimulation "${FULL_REVERT[@]}"
              add ThroughputSimulation "${FULL_THROUGHPUT[@]}" ;;
  *) echo "run.sh: unknown mode: $MODE (expected: smoke, split, split-h2, fallback, revert, throughput, rollout, mirror or all)" >&2; exit 2 ;;
esac

GATEWAY_PORT=18080; ADMIN_PORT=19901; STABLE_PORT=19001; CANARY_PORT=19002
MVN=(mvn -q ${MVN_FLAGS:-})
JAR=gateway/target/ramp-gateway.jar
START=$(date +%s)

if [[ ! -f "$JAR" ]]; then
  echo "== building $JAR"
  "${MVN[@]}" -pl gateway -am package -DskipTests
fi

# A gateway already on our ports would be tested instead of ours: refuse to run.
for p in $GATEWAY_PORT $ADMIN_PORT $STABLE_PORT $CANARY_PORT $((STABLE_PORT + 100)) $((CANARY_PORT + 100)); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    echo "run.sh: port $p is already in use; stop whatever listens there first" >&2; exit 1
  fi
done

mkdir -p loadtests/target
rm -rf loadtests/target/ramp-state
# The admin token: the gateway reads it through ${?RAMP_ADMIN_TOKEN}, RevertSimulation from the environment.
export RAMP_ADMIN_TOKEN="${RAMP_ADMIN_TOKEN:-loadtest-$RANDOM$RANDOM}"

GW_PID=""
stop_gateway() {
  if [[ -n "$GW_PID" ]] && kill -0 "$GW_PID" 2>/dev/null; then
    kill -TERM "$GW_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$GW_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$GW_PID" 2>/dev/null || true
    wait "$GW_PID" 2>/dev/null || true
  fi
  GW_PID=""
}
trap stop_gateway EXIT
trap 'exit 130' INT TERM

echo "== starting gateway + demo upstreams with $CONFIG (log: loadtests/target/gateway.log)"
# setsid: its own session, so no signal meant for this script's process group reaches it.
DEMO_FLAGS=(--config "$CONFIG"); SCHEME=http
[[ $TLS == 1 ]] && DEMO_FLAGS+=(--tls) && SCHEME=https
setsid java ${GATEWAY_JAVA_OPTS:--Xms256m -Xmx512m} -jar "$JAR" demo "${DEMO_FLAGS[@]}" >loadtests/target/gateway.log 2>&1 &
GW_PID=$!

answers() { curl -ks -o /dev/null --max-time 1 "$1"; }
for _ in $(seq 1 150); do
  if answers "$SCHEME://127.0.0.1:$GATEWAY_PORT/" && answers "http://127.0.0.1:$((CANARY_PORT + 100))/_demo/fault"; then
    break
  fi
  if ! kill -0 "$GW_PID" 2>/dev/null; then
    echo "run.sh: the gateway exited during start-up:" >&2; tail -20 loadtests/target/gateway.log >&2; exit 1
  fi
  sleep 0.2
done
answers "$SCHEME://127.0.0.1:$GATEWAY_PORT/" || { echo "run.sh: the gateway did not answer within 30 s" >&2; exit 1; }
echo "== gateway up after $(( $(date +%s) - START )) s"

# Compile once; each simulation then only forks Gatling.
"${MVN[@]}" -pl loadtests test-compile

FAILED=()
for run in "${RUNS[@]}"; do
  sim="${run%%|*}"; read -r -a opts <<<"${run#*|}"
  if ! kill -0 "$GW_PID" 2>/dev/null; then
    echo "run.sh: the gateway (pid $GW_PID) is gone; its log ends with:" >&2; tail -5 loadtests/target/gateway.log >&2
    FAILED+=("$sim"); continue
  fi
  echo "== $sim ${opts[*]} ${EXTRA[*]:-}"
  t0=$(date +%s)
  if "${MVN[@]}" -pl loadtests gatling:test -Dgatling.simulationClass="$PKG.$sim" "${opts[@]}" "${EXTRA[@]}"; then
    echo "== $sim PASSED ($(( $(date +%s) - t0 )) s)"
  else
    echo "== $sim FAILED ($(( $(date +%s) - t0 )) s)"
    FAILED+=("$sim")
  fi
  if [[ $sim == RevertSimulation ]]; then
    echo "   (its \"found 500\" errors are the canary's answers once its fault is on: expected; the two verdicts decide)"
  fi
done

if [[ $MODE == mirror ]]; then
  echo "== dark launch counts (route dark-on):"
  curl -s --max-time 2 "http://127.0.0.1:$ADMIN_PORT/api/status?route=dark-on" | tr -d '\n' \
    | grep -o '"mirror":{[^}]*}' || echo "   (status unavailable)"
fi
stop_gateway
echo "== $MODE done in $(( $(date +%s) - START )) s; reports under loadtests/target/gatling/"
if [[ ${#FAILED[@]} -gt 0 ]]; then
  echo "== FAILED: ${FAILED[*]}"
  exit 1
fi
echo "== all passed"
