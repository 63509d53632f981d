#!/usr/bin/env bash
# Soak: Ramp holding IDLE idle keep-alive client connections while it serves steady load for DURATION seconds.
# Passes when there are no errors (no non-2xx, no socket errors, no connection refused, every idle connection
# still open at the end), Ramp's RSS stays within MAX_RSS_MB, and the RSS is flat: the least-squares slope of
# its samples over the last FLAT_WINDOW seconds is below FLAT_MB_PER_MIN; and its live heap grows by at most
# LIVE_GROWTH_MB over the same window.
#
#   bash loadtests/bench/soak.sh                  # DURATION=600 IDLE=10000 CONNS=32 SAMPLE=10, about 11 minutes
#   DURATION=120 IDLE=2000 FLAT_WINDOW=60 bash loadtests/bench/soak.sh   # a quick look
#
# Same setup as proxy-bench.sh: Ramp pinned to one core with the same JVM options, two nginx `return 200`
# upstreams and wrk on the other core, a random X-User-Id from a pool of USERS so both versions serve.
# Keeps the RSS curve (rss.csv), wrk's output, Ramp's log and its final /metrics in OUT.
# Exits 0 on PASS, 1 on FAIL. Loopback only; everything it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-600}   # seconds of steady load, with the idle connections held throughout
IDLE=${IDLE:-10000}         # idle keep-alive client connections, opened before the load
CONNS=${CONNS:-32}          # wrk connections (closed loop: each sends its next request on the last answer)
USERS=${USERS:-10000}       # distinct random user ids in the load
SAMPLE=${SAMPLE:-10}        # seconds between RSS samples
MAX_RSS_MB=${MAX_RSS_MB:-256}
FLAT_WINDOW=${FLAT_WINDOW:-300}        # seconds at the end of the soak over which the RSS slope is taken
FLAT_MB_PER_MIN=${FLAT_MB_PER_MIN:-0.5}
# The live heap may grow at most this much over the last FLAT_WINDOW s. Not zero: the guard's latency
# histograms widen (and never narrow) when a slot sees a latency above any before it, up to ~68 KB each at
# 60 s, ~8.5 MB for the soak's one route; a stall of the shared host late in the soak widens some of them.
LIVE_GROWTH_MB=${LIVE_GROWTH_MB:-4}
PROXY_CPU=${PROXY_CPU:-1}
LOAD_CPU=${LOAD_CPU:-0}
JAVA=${JAVA:-java}
TRANSPORT=${TRANSPORT:-auto}
# proxy-bench.sh's options, reasons there: a 128 MB heap touched at start, so the RSS is the one the process
# keeps from the first sample on and growth shows outside the heap, not as the heap being touched.
JVM_OPTS=${JVM_OPTS:--XX:ActiveProcessorCount=1 -Xms128m -Xmx128m -Xmn64m -XX:+AlwaysPreTouch -XX:+UseSerialGC -XX:CompileThresholdScaling=3}
OUT=${OUT:-loadtests/results/soak-$(date -u +%Y%m%dT%H%M%SZ)}
# 1: the JVM's Native Memory Tracking, a baseline at the start of the load and the change by area (heap, code,
# threads, malloc ...) at the end in OUT/nmt-diff.txt, to place RSS growth. It costs some RSS itself.
NMT=${NMT:-0}
if [ "$NMT" = 1 ]; then JVM_OPTS="$JVM_OPTS -XX:NativeMemoryTracking=summary"; fi

for v in DURATION IDLE CONNS USERS SAMPLE MAX_RSS_MB FLAT_WINDOW LIVE_GROWTH_MB; do
  [[ ${!v} =~ ^[0-9]+$ ]] && [ "${!v}" -gt 0 ] || { echo "soak.sh: $v must be a whole number above 0, got '${!v}'" >&2; exit 2; }
done
[[ $FLAT_MB_PER_MIN =~ ^[0-9]+(\.[0-9]+)?$ ]] \
  || { echo "soak.sh: FLAT_MB_PER_MIN must be a number (MB per minute), got '$FLAT_MB_PER_MIN'" >&2; exit 2; }
[ "$FLAT_WINDOW" -le "$DURATION" ] || { echo "soak.sh: FLAT_WINDOW ($FLAT_WINDOW) must not exceed DURATION ($DURATION)" >&2; exit 2; }

for c in nginx wrk taskset python3 curl; do
  command -v "$c" >/dev/null 2>&1 || { echo "soak.sh: needs $c (Debian: nginx-light, wrk, util-linux, python3, curl)" >&2; exit 2; }
done
[ -f gateway/target/ramp-gateway.jar ] || mvn -B -q -pl gateway -am package -DskipTests

mkdir -p "$OUT"
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/up/nginx.pid" ] && kill "$(cat "$work/up/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)"

UP1=29001; UP2=29002; RAMP=28081; ADMIN=29901
mkdir -p "$work/up/logs" "$work/state"
cat > "$work/up/nginx.conf" <<CONF
worker_processes 1;
pid $work/up/nginx.pid;
error_log $work/up/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$UP1; default_type application/json; location / { return 200 '{"version":"stable"}'; } }
  server { listen 127.0.0.1:$UP2; default_type application/json; location / { return 200 '{"version":"canary"}'; } }
}
CONF
# The client idle timeout outlives the soak, so an idle connection that closes is a fault, not the timeout.
# All clients come from 127.0.0.1, so the per-address limit (default 1000) is raised to the listener's.
cat > "$work/ramp.conf" <<CONF
ramp {
  listen {
    host = "127.0.0.1", port = $RAMP, event-loops = 1, transport = "$TRANSPORT"
    idle-timeout = $(( DURATION + 600 ))s
    limits { max-connections = $(( IDLE + CONNS + 1000 )), max-connections-per-ip = $(( IDLE + CONNS + 1000 )) }
  }
  admin { host = "127.0.0.1", port = $ADMIN }
  state-dir = "$work/state"
  routes = [ {
    name = "soak"
    stable { url = "http://127.0.0.1:$UP1", version = "v1" }
    canary { url = "http://127.0.0.1:$UP2", version = "v2" }
    weight = "50%"
  } ]
}
CONF
# Requests built once from a pool of USERS random ids, then sent in turn (as in proxy-bench.sh).
cat > "$work/uid.lua" <<LUA
math.randomseed(42)
local reqs, n, i = nil, $USERS, 0
request = function()
  if reqs == nil then
    reqs = {}
    for k = 1, n do
      reqs[k] = wrk.format("GET", "/", {["X-User-Id"] = "u" .. math.random(1, 1000000)})
    end
  end
  i = i % n + 1
  return reqs[i]
end
LUA

taskset -c "$LOAD_CPU" nginx -c "$work/up/nginx.conf" -p "$work/up"
taskset -c "$PROXY_CPU" $JAVA $JVM_OPTS -jar gateway/target/ramp-gateway.jar run --config "$work/ramp.conf" \
    > "$OUT/ramp.log" 2>&1 &
rp=$!
pids+=("$rp")
for _ in $(seq 1 600); do
  curl -fs -o /dev/null "http://127.0.0.1:$ADMIN/health/ready" && break
  kill -0 "$rp" 2>/dev/null || { echo "soak.sh: Ramp exited at start; its log:" >&2; cat "$OUT/ramp.log" >&2; exit 1; }
  sleep 0.1
done
curl -fs -o /dev/null "http://127.0.0.1:$ADMIN/health/ready" || { echo "soak.sh: Ramp not ready after 60 s" >&2; exit 1; }

rss_mb() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$rp/status"; }
rss_ready=$(rss_mb)

# The idle connections, each with one answered request, held (and watched) past the end of the load.
taskset -c "$LOAD_CPU" python3 loadtests/bench/idle-conns.py 127.0.0.1 "$RAMP" "$IDLE" $(( DURATION + 120 )) \
    "$work/idle.status" > "$work/idle.out" &
ip=$!
pids+=("$ip")
for _ in $(seq 1 1200); do [ -s "$work/idle.out" ] && break; kill -0 "$ip" 2>/dev/null || break; sleep 0.1; done
[ -s "$work/idle.out" ] || { echo "soak.sh: the idle connections were not opened within 120 s" >&2; exit 1; }
answered=$(awk 'NR == 1 { print $1 }' "$work/idle.out")
for _ in $(seq 1 50); do [ -s "$work/idle.status" ] && break; sleep 0.1; done
open_idle() { awk '{ print $1 }' "$work/idle.status" 2>/dev/null || echo; }

echo "ramp RSS: $rss_ready MB ready, $(rss_mb) MB with $answered of $IDLE idle connections answered"
echo "steady load: wrk -t1 -c$CONNS -d${DURATION}s (closed loop, random X-User-Id from $USERS, 50% canary); RSS every ${SAMPLE}s"
taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNS" -d"${DURATION}s" -s "$work/uid.lua" "http://127.0.0.1:$RAMP/" > "$OUT/wrk.txt" 2>&1 &
wp=$!
pids+=("$wp")
# With the heap touched at start, a leak in the heap never shows in the RSS: the live heap (after a full
# collection, which a class histogram forces) is compared between the start of the last FLAT_WINDOW s and
# the end, when the meters of both versions exist and the JIT has settled.
live_mb() { # file for the histogram
  jcmd "$rp" GC.class_histogram > "$1" 2>&1 && awk '/^Total/ { printf "%.1f", $3 / 1048576 }' "$1"
}
live0=
echo "seconds,rss_mb,open_idle_conns" > "$OUT/rss.csv"
if [ "$NMT" = 1 ]; then jcmd "$rp" VM.native_memory baseline > /dev/null; fi
t0=$(date +%s%N)
k=0
while :; do
  kill -0 "$rp" 2>/dev/null || { echo "soak.sh: Ramp died during the soak; the end of its log:" >&2; tail -30 "$OUT/ramp.log" >&2; exit 1; }
  echo "$(( k * SAMPLE )),$(rss_mb),$(open_idle)" >> "$OUT/rss.csv"
  if [ -z "$live0" ] && [ $(( k * SAMPLE )) -ge $(( DURATION - FLAT_WINDOW )) ]; then
    live0=$(live_mb "$OUT/histogram-start.txt")
  fi
  [ $(( k * SAMPLE )) -ge "$DURATION" ] && break
  k=$(( k + 1 ))
  wait_ns=$(( t0 + k * SAMPLE * 1000000000 - $(date +%s%N) ))
  [ "$wait_ns" -gt 0 ] && sleep "$(awk -v n="$wait_ns" 'BEGIN { printf "%.3f", n / 1e9 }')"
done
wait "$wp" || true
sleep 1.5   # one more turn of the watcher, so a close at the very end is counted
idle_end=$(open_idle)
idle_closed=$(awk '{ print $2 }' "$work/idle.status")
live1=$(live_mb "$OUT/histogram-end.txt")
if [ "$NMT" = 1 ]; then jcmd "$rp" VM.native_memory summary.diff scale=KB > "$OUT/nmt-diff.txt" 2>&1 || true; fi
curl -fs "http://127.0.0.1:$ADMIN/metrics" > "$OUT/metrics.txt" || echo "soak.sh: could not read /metrics" >&2
kill -TERM "$ip" 2>/dev/null; wait "$ip" 2>/dev/null || true

# wrk prints the Non-2xx and Socket errors lines only when there are some.
requests=$(awk '/requests in/ { print $1 }' "$OUT/wrk.txt")
non2xx=$(awk '/Non-2xx/ { print $NF }' "$OUT/wrk.txt"); non2xx=${non2xx:-0}
sockerr=$(awk '/Socket errors/ { gsub(",", ""); print $4, $6, $8, $10 }' "$OUT/wrk.txt"); sockerr=${sockerr:-0 0 0 0}
sockerr_sum=$(echo "$sockerr" | awk '{ print $1 + $2 + $3 + $4 }')
rejected=$(awk '/^ramp_connections_rejected_total/ { n += $NF } END { printf "%d", n }' "$OUT/metrics.txt" 2>/dev/null || echo 0)
rejected_lines=$(grep '^ramp_connections_rejected_total' "$OUT/metrics.txt" 2>/dev/null || true)
log_errors=$(grep -c ' ERROR ' "$OUT/ramp.log" || true)
log_warns=$(grep -c ' WARN ' "$OUT/ramp.log" || true)

# RSS: first (the start of the load), min, max, last, and the least-squares slope over the last FLAT_WINDOW s.
read -r first min max last slope < <(awk -F, -v from=$(( DURATION - FLAT_WINDOW )) 'NR > 1 {
    if (NR == 2) { first = $2; min = $2; max = $2 }
    if ($2 < min) min = $2; if ($2 > max) max = $2; last = $2
    if ($1 >= from) { n++; sx += $1; sy += $2; sxx += $1 * $1; sxy += $1 * $2 } }
  END { d = n * sxx - sx * sx; s = d > 0 ? (n * sxy - sx * sy) / d * 60 : 0
        printf "%s %s %s %s %.3f\n", first, min, max, last, s }' "$OUT/rss.csv")

echo
echo "RSS per minute (all samples: $OUT/rss.csv)"
printf '%8s %8s %10s\n' minute "RSS MB" "idle open"
awk -F, 'NR > 1 && $1 % 60 == 0 { printf "%8d %8s %10s\n", $1 / 60, $2, $3 }' "$OUT/rss.csv"
echo
echo "requests:           $requests in ${DURATION}s ($(awk '/Requests\/sec/ { print $2 }' "$OUT/wrk.txt") req/s)"
echo "non-2xx:            $non2xx"
echo "socket errors:      $sockerr_sum (connect read write timeout: $sockerr)"
echo "idle connections:   $idle_end of $IDLE still open at the end ($answered answered at the start, $idle_closed closed by Ramp)"
echo "connections refused by Ramp (ramp_connections_rejected_total): ${rejected_lines:-none counted}"
echo "Ramp's log:         $log_errors ERROR, $log_warns WARN lines"
echo "RSS MB:             ready $rss_ready; under load first $first, min $min, max $max, last $last"
echo "RSS slope, last ${FLAT_WINDOW}s: $slope MB/min (flat: below $FLAT_MB_PER_MIN)"
echo "live heap MB:       $live0 at ${FLAT_WINDOW}s before the end, $live1 at the end (after a full GC each)"
echo "jvm: $JAVA $JVM_OPTS"

fail=()
[ "$non2xx" -eq 0 ] || fail+=("$non2xx non-2xx")
[ "$sockerr_sum" -eq 0 ] || fail+=("$sockerr_sum socket errors")
[ "$rejected" -eq 0 ] || fail+=("$rejected connections refused")
[ "$answered" -eq "$IDLE" ] && [ "${idle_end:-0}" -eq "$IDLE" ] || fail+=("idle connections: $idle_end of $IDLE open at the end")
[ "$log_errors" -eq 0 ] || fail+=("$log_errors ERROR lines in Ramp's log")
awk -v m="$max" -v l="$MAX_RSS_MB" 'BEGIN { exit !(m <= l) }' || fail+=("max RSS $max MB > $MAX_RSS_MB MB")
awk -v s="$slope" -v l="$FLAT_MB_PER_MIN" 'BEGIN { exit !(s < l) }' || fail+=("RSS grows $slope MB/min")
awk -v a="$live0" -v b="$live1" -v l="$LIVE_GROWTH_MB" 'BEGIN { exit !(a != "" && b != "" && b - a <= l) }' \
  || fail+=("live heap grew from $live0 to $live1 MB")
if [ "${#fail[@]}" -eq 0 ]; then
  echo "PASS"
else
  echo "classes whose live bytes grew most in the last ${FLAT_WINDOW}s (KB, instances; histograms in $OUT):"
  awk 'FNR == NR && $1 ~ /^[0-9]+:$/ { b[$4] = $3; n[$4] = $2; next }
       $1 ~ /^[0-9]+:$/ { printf "%10.1f %+10d  %s\n", ($3 - b[$4]) / 1024, $2 - n[$4], $4 }' \
      "$OUT/histogram-start.txt" "$OUT/histogram-end.txt" | sort -rn | head -10 || true
  echo "FAIL: $(IFS=';'; echo "${fail[*]}" | sed 's/;/; /g')"
  exit 1
fi
