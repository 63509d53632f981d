#!/usr/bin/env bash
# Side-by-side benchmark: Ramp vs nginx doing the same job (split_clients on X-User-Id into two keep-alive
# upstreams), each proxy pinned to one core, upstreams (nginx `return 200`) and wrk on the other core.
# Also: Ramp's resident memory with 10 000 idle keep-alive client connections, and time from start to ready.
#
#   bash loadtests/bench/proxy-bench.sh            # DURATION=4 ROUNDS=45 PACED_ROUNDS=21 CONNS=64 USERS=10000 WARMUP=60
#   ROUNDS=9 PACED_ROUNDS=5 bash loadtests/bench/proxy-bench.sh   # a quick look (no useful confidence interval)
#   TRANSPORT=io_uring bash loadtests/bench/proxy-bench.sh  # Ramp's sockets on io_uring (auto: epoll)
#
# Installs Debian's nginx-light and wrk when missing. Loopback only; everything it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
. loadtests/bench/stats.sh   # med, ci, below1
# Many short alternating rounds rather than a few long ones: on a shared or virtualised host the speed moves in
# phases of seconds, and a ratio is only as good as the number of pairs it rests on. Each median ratio is printed
# with its 95 % confidence interval (distribution-free, from the order statistics of the per-round ratios).
DURATION=${DURATION:-4}
ROUNDS=${ROUNDS:-45}   # alternating measured runs per proxy; the ratios are reported per round and as the median
WARMUP=${WARMUP:-60}   # seconds of load per proxy before the measured rounds, in unmeasured rounds of DURATION
CONNS=${CONNS:-64}
USERS=${USERS:-10000}  # distinct random user ids in the load (X-User-Id), each sent in turn
PACED_ROUNDS=${PACED_ROUNDS:-21}  # rounds at the same offered load for both (p99 "at the same load"); 0: none
PACE=${PACE:-0.5}      # the paced rounds offer this fraction of nginx's median closed-loop req/s to each proxy
IDLE=${IDLE:-10000}
PROXY_CPU=${PROXY_CPU:-1}
LOAD_CPU=${LOAD_CPU:-0}
JAVA=${JAVA:-java}
TRANSPORT=${TRANSPORT:-auto}    # ramp.listen.transport: auto (epoll here), io_uring, epoll or nio
ROUTE_EXTRA=${ROUTE_EXTRA:-}   # extra HOCON for the bench route, e.g. ROUTE_EXTRA='guard { enabled = false }'
# A 64 MB young generation: a young collection every ~2 s at this load instead of 4-5 a second. Each one stops
# the loop (~1 ms) and wakes the JDK's notification thread for the GC meters (~0.7 ms more on the same core).
# A 128 MB heap, touched at start (AlwaysPreTouch): a long-running JVM ends with all of its heap resident (the
# old generation is touched up to its top before it is first collected), so the RSS measured below is the one
# it keeps, not a snapshot of a young process. With 192 MB it was 293 MB at 10 000 idle connections once the
# heap was all resident; 10 000 idle connections hold ~20 MB of the heap.
# CompileThresholdScaling=3: code must run three times as often before the JIT compiles it. On one core the
# compiler threads took ~45 % of the CPU from exec to ready compiling start-up code that never runs again; a
# per-request method still reaches the C2 threshold within a second under load.
JVM_OPTS=${JVM_OPTS:--XX:ActiveProcessorCount=1 -Xms128m -Xmx128m -Xmn64m -XX:+AlwaysPreTouch -XX:+UseSerialGC -XX:CompileThresholdScaling=3}
CDS=${CDS:-1}   # 1: start from an AppCDS archive made by a training start (as a container image would ship it)

for v in DURATION ROUNDS WARMUP CONNS USERS PACED_ROUNDS IDLE; do
  [[ ${!v} =~ ^[0-9]+$ ]] || { echo "proxy-bench.sh: $v must be a whole number, got '${!v}'" >&2; exit 2; }
done
for v in DURATION ROUNDS CONNS USERS; do
  [ "${!v}" -gt 0 ] || { echo "proxy-bench.sh: $v must be at least 1, got '${!v}'" >&2; exit 2; }
done
[[ $PACE =~ ^(0?\.[0-9]*[1-9][0-9]*|[1-9][0-9]*(\.[0-9]+)?)$ ]] \
  || { echo "proxy-bench.sh: PACE must be a positive number (a fraction of nginx's req/s), got '$PACE'" >&2; exit 2; }

need() { command -v "$1" >/dev/null 2>&1; }
if ! need nginx || ! need wrk; then
  echo "installing nginx-light and wrk from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq nginx-light wrk >/dev/null
fi
[ -f gateway/target/ramp-gateway.jar ] || mvn -B -q -DskipTests package

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/up/nginx.pid" ] && kill "$(cat "$work/up/nginx.pid")" 2>/dev/null || true
  [ -f "$work/px/nginx.pid" ] && kill "$(cat "$work/px/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)"

UP1=29001; UP2=29002; NGX=28080; RAMP=28081; ADMIN=29901
mkdir -p "$work/up/logs" "$work/px/logs" "$work/state"
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
cat > "$work/px/nginx.conf" <<CONF
worker_processes 1;
pid $work/px/nginx.pid;
error_log $work/px/logs/error.log warn;
events { worker_connections 20000; }
http {
  access_log off;
  keepalive_requests 1000000;
  upstream stable { server 127.0.0.1:$UP1; keepalive 128; }
  upstream canary { server 127.0.0.1:$UP2; keepalive 128; }
  split_clients "\${http_x_user_id}" \$version { 50% canary; * stable; }
  server {
    listen 127.0.0.1:$NGX;
    location / {
      proxy_pass http://\$version;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      # The forwarded headers Ramp sets on every request (X-Forwarded-For appended to for a trusted peer).
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Forwarded-Host \$http_host;
    }
  }
}
CONF
cat > "$work/ramp.conf" <<CONF
ramp {
  # Every bench client comes from 127.0.0.1: the per-address limit (default 1000) would refuse the idle
  # connections beyond it, and the memory figure would not be of IDLE connections.
  listen { host = "127.0.0.1", port = $RAMP, event-loops = 1, transport = "$TRANSPORT"
           limits { max-connections = $((IDLE + CONNS + 100)), max-connections-per-ip = $((IDLE + CONNS + 100)) } }
  admin { host = "127.0.0.1", port = $ADMIN }
  state-dir = "$work/state"
  routes = [ {
    name = "bench"
    stable { url = "http://127.0.0.1:$UP1", version = "v1" }
    canary { url = "http://127.0.0.1:$UP2", version = "v2" }
    weight = "50%"
    $ROUTE_EXTRA
  } ]
}
CONF
# Random user ids from a pool of USERS requests built on the first call and then taken in turn. Formatting a
# request per call (wrk.format, a random number, a string concatenation) cost the load core ~3.5 us per request,
# ~13 % of what it has for wrk and the upstreams; that core, not the proxy's, then set both proxies' req/s.
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
# Paced load: the same requests, but each connection waits a random 0..2*PACE_MS ms (wrk rounds down to whole
# ms) before each one, so the offered rate is set here and is the same for both proxies, not by how fast a
# proxy answers (as in the closed-loop rounds).
cp "$work/uid.lua" "$work/paced.lua"
cat >> "$work/paced.lua" <<'LUA'
local d = tonumber(os.getenv("PACE_MS"))
delay = function()
  return math.random() * 2 * d
end
LUA

taskset -c "$LOAD_CPU" nginx -c "$work/up/nginx.conf" -p "$work/up"
taskset -c "$PROXY_CPU" nginx -c "$work/px/nginx.conf" -p "$work/px"

# AppCDS: one training start dumps the loaded classes; the measured starts map them instead of parsing jars.
if [ "$CDS" = 1 ]; then
  taskset -c "$PROXY_CPU" $JAVA $JVM_OPTS -XX:ArchiveClassesAtExit="$work/ramp.jsa" -jar gateway/target/ramp-gateway.jar \
      run --config "$work/ramp.conf" > "$work/cds.log" 2>&1 &
  cp=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$ADMIN/health/ready"; do sleep 0.01; done
  curl -fs -o /dev/null -H 'X-User-Id: a' "http://127.0.0.1:$RAMP/" || true
  kill -TERM "$cp"; wait "$cp" || true
  JVM_OPTS="$JVM_OPTS -XX:SharedArchiveFile=$work/ramp.jsa"
fi

# Time to ready: from exec to /health/ready answering 200 (best of 3 starts).
ready_ms=()
for i in 1 2 3; do
  t0=$(date +%s%N)
  taskset -c "$PROXY_CPU" $JAVA $JVM_OPTS -jar gateway/target/ramp-gateway.jar run --config "$work/ramp.conf" \
      > "$work/ramp.log" 2>&1 &
  rp=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$ADMIN/health/ready"; do sleep 0.005; done
  t1=$(date +%s%N)
  ready_ms+=($(( (t1 - t0) / 1000000 )))
  if [ "$i" -lt 3 ]; then kill -TERM "$rp"; wait "$rp" || true; fi
done
pids+=("$rp")
ready=$(printf '%s\n' "${ready_ms[@]}" | sort -n | head -1)

# The warm-up is unmeasured rounds of the same shape as the measured ones: the two proxies take turns under load,
# so each also idles while the other works. On the JVM, a path first taken after the C2 compiler has settled
# deoptimises the compiled read loop, and recompiling it on the one core costs the run in progress its p99: the
# clients' first disconnects (EpollIoHandler.processReady, doReadBytes), the first burst after a long pause,
# the meters' time-window rotations (every 40 s). Each measured round prints the compiler's CPU time during it,
# so a round that still paid for the JIT shows.
warm() { # url...
  local left=$WARMUP n u
  while [ "$left" -gt 0 ]; do
    n=$(( left > DURATION ? DURATION : left ))
    for u in "$@"; do taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNS" -d"${n}s" -s "$work/uid.lua" "$u" > /dev/null; done
    left=$(( left - n ))
  done
}
cpu_ticks() { awk '{print $14, $15}' "/proc/$1/stat"; } # user and system clock ticks of a process
jit_ticks() { # clock ticks the JVM's JIT compiler threads have used
  local t sum=0
  for t in /proc/"$1"/task/*; do
    if grep -q '^C[12] CompilerThre' "$t/comm" 2>/dev/null; then sum=$(( sum + $(awk '{print $14 + $15}' "$t/stat") )); fi
  done
  echo "$sum"
}
measure() { # url label pid-of-the-proxy [jvm: its young-generation allocation is sampled around the run]
  [ -n "${4:-}" ] && jstat -gc "$3" | tail -1 > "$work/$2.gc0" && jit_ticks "$3" > "$work/$2.jit0"
  cpu_ticks "$3" > "$work/$2.cpu0"
  taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency -s "$work/uid.lua" "$1" > "$work/$2.wrk"
  cpu_ticks "$3" > "$work/$2.cpu1"
  [ -n "${4:-}" ] && jstat -gc "$3" | tail -1 > "$work/$2.gc1" && jit_ticks "$3" > "$work/$2.jit1"
  return 0
}
# The proxy's CPU per request over a run, user and system, in microseconds: less sensitive to the load
# generator's share of the machine than req/s.
cpu_per_req() { # label
  local n; n=$(awk '/requests in/ {print $1}' "$work/$1.wrk")
  paste "$work/$1.cpu0" "$work/$1.cpu1" | awk -v n="$n" -v hz="$(getconf CLK_TCK)" \
    '{ printf "%.1f %.1f", ($3 - $1) * 1e6 / hz / n, ($4 - $2) * 1e6 / hz / n }'
}
# Bytes the JVM allocated per request over a run: young collections x eden size, plus the change in eden and
# survivor use (jstat -gc columns: S0C S1C S0U S1U EC EU ..., YGC and YGCT at 13 and 14).
alloc_per_req() { # label
  local n; n=$(awk '/requests in/ {print $1}' "$work/$1.wrk")
  paste "$work/$1.gc0" "$work/$1.gc1" | awk -v n="$n" '{ h = NF / 2;
    bytes = (($(h+13) - $13) * $5 + ($(h+6) - $6) + ($(h+3) + $(h+4)) - ($3 + $4)) * 1024;
    printf "%.0f B/request, %d young GCs (%.2f ms mean pause)", bytes / n, $(h+13) - $13,
      ($(h+13) > $13) ? 1000 * ($(h+14) - $14) / ($(h+13) - $13) : 0 }'
}
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
pct() { # file percentile -> ms
  awk -v p="$2%" '$1 == p { v=$2; if (v ~ /us$/) { sub(/us$/,"",v); v=v/1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v) } else if (v ~ /s$/) { sub(/s$/,"",v); v=v*1000 }; printf "%.2f", v }' "$1"
}
errors() { awk '/Non-2xx|Socket errors/ {print}' "$1"; }

# Both warmed, then ROUNDS alternating measured runs so drift on a shared machine hits both: nginx first in odd
# rounds, Ramp first in even ones, so neither always runs on the heels of the other's load.
ngx_worker=$(pgrep -P "$(cat "$work/px/nginx.pid")" | head -1)
warm "http://127.0.0.1:$NGX/" "http://127.0.0.1:$RAMP/"
echo
echo "one proxy core (taskset -c $PROXY_CPU), wrk -t1 -c$CONNS -d${DURATION}s per run after ${WARMUP}s warm-up, random X-User-Id (a pool of $USERS), 50% canary"
printf '%-6s %-20s %12s %10s %10s %18s\n' round proxy "req/s" "p50 ms" "p99 ms" "CPU us/req usr sys"
: > "$work/ratios"
for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) -eq 1 ]; then
    measure "http://127.0.0.1:$NGX/" "nginx$r" "$ngx_worker"
    measure "http://127.0.0.1:$RAMP/" "ramp$r" "$rp" jvm
  else
    measure "http://127.0.0.1:$RAMP/" "ramp$r" "$rp" jvm
    measure "http://127.0.0.1:$NGX/" "nginx$r" "$ngx_worker"
  fi
  for who in nginx ramp; do
    f="$work/$who$r.wrk"
    label=$who; [ "$who" = ramp ] && label="ramp" && { [ "$TRANSPORT" = auto ] || label="$label-$TRANSPORT"; }
    printf '%-6s %-20s %12s %10s %10s %18s\n' "$r" "$label" "$(rps "$f")" "$(pct "$f" 50)" "$(pct "$f" 99)" \
      "$(cpu_per_req "$who$r")"
    errors "$f" | sed "s/^/$label: /"
    if [ "$who" = ramp ]; then
      echo "       ramp JIT compiler CPU $(( ($(cat "$work/ramp$r.jit1") - $(cat "$work/ramp$r.jit0")) * 1000 / $(getconf CLK_TCK) )) ms; $(alloc_per_req "ramp$r")"
    fi
    if [ -n "${VERBOSE:-}" ]; then cat "$f"; fi
  done
  awk -v r="$(rps "$work/ramp$r.wrk")" -v n="$(rps "$work/nginx$r.wrk")" -v r99="$(pct "$work/ramp$r.wrk" 99)" \
      -v n99="$(pct "$work/nginx$r.wrk" 99)" -v rc="$(cpu_per_req "ramp$r")" -v nc="$(cpu_per_req "nginx$r")" \
      'BEGIN { split(rc, a, " "); split(nc, b, " ");
               printf "%.3f %.3f %.3f\n", r / n, r99 / n99, (a[1] + a[2]) / (b[1] + b[2]) }' >> "$work/ratios"
done
below() { awk -v c="$1" '{ print $c }' "$2" | below1; } # rounds whose ratio (column $1 of file $2) is < 1
echo "ramp/nginx per round: throughput $(awk '{printf "%.2fx ", $1}' "$work/ratios")| p99 $(awk '{printf "%.2fx ", $2}' "$work/ratios")| CPU per request $(awk '{printf "%.2fx ", $3}' "$work/ratios")"
echo "ramp/nginx median of $ROUNDS rounds:"
echo "  throughput      $(awk '{print $1}' "$work/ratios" | ci); Ramp behind in $(below 1 "$work/ratios") rounds"
echo "  p99             $(awk '{print $2}' "$work/ratios" | ci); Ramp lower in $(below 2 "$work/ratios") rounds"
echo "  CPU per request $(awk '{print $3}' "$work/ratios" | ci)"
tot() { cat "$work"/$1*.wrk | awk '/requests in/ { n += $1 } END { print n }'; }
echo "ramp/nginx requests over all $ROUNDS rounds: $(awk -v r="$(tot ramp)" -v n="$(tot nginx)" 'BEGIN { printf "%.2fx (%d / %d)", r / n, r, n }')"

# The same offered load for both: p99 compared at equal req/s, which the closed-loop rounds above cannot do when
# one proxy is faster. The rate is PACE times nginx's median closed-loop req/s.
if [ "$PACED_ROUNDS" -gt 0 ]; then
  n_med=$(for r in $(seq 1 "$ROUNDS"); do rps "$work/nginx$r.wrk"; done | med)
  pace_ms=$(awk -v c="$CONNS" -v n="$n_med" -v f="$PACE" 'BEGIN { printf "%.2f", c * 1000 / (n * f) }')
  echo
  echo "paced: each of $CONNS connections waits 0-$(awk -v d="$pace_ms" 'BEGIN { print 2 * d }') ms (random) before each request, offering ~$(awk -v n="$n_med" -v f="$PACE" 'BEGIN { printf "%.0f", n * f }') req/s ($PACE x nginx's median above)"
  printf '%-6s %-20s %12s %10s %10s\n' round proxy "req/s" "p50 ms" "p99 ms"
  : > "$work/paced-ratios"
  for r in $(seq 1 "$PACED_ROUNDS"); do
    order="nginx ramp"; [ $((r % 2)) -eq 0 ] && order="ramp nginx"
    for who in $order; do
      port=$NGX; [ "$who" = ramp ] && port=$RAMP
      PACE_MS=$pace_ms taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency -s "$work/paced.lua" \
          "http://127.0.0.1:$port/" > "$work/paced-$who$r.wrk"
    done
    for who in nginx ramp; do
      f="$work/paced-$who$r.wrk"
      label=$who; [ "$who" = ramp ] && label="ramp" && { [ "$TRANSPORT" = auto ] || label="$label-$TRANSPORT"; }
      printf '%-6s %-20s %12s %10s %10s\n' "$r" "$label" "$(rps "$f")" "$(pct "$f" 50)" "$(pct "$f" 99)"
      errors "$f" | sed "s/^/$label: /"
    done
    awk -v r99="$(pct "$work/paced-ramp$r.wrk" 99)" -v n99="$(pct "$work/paced-nginx$r.wrk" 99)" \
        -v r50="$(pct "$work/paced-ramp$r.wrk" 50)" -v n50="$(pct "$work/paced-nginx$r.wrk" 50)" \
        'BEGIN { printf "%.3f %.3f\n", r50 / n50, r99 / n99 }' >> "$work/paced-ratios"
  done
  echo "paced ramp/nginx per round: p50 $(awk '{printf "%.2fx ", $1}' "$work/paced-ratios")| p99 $(awk '{printf "%.2fx ", $2}' "$work/paced-ratios")"
  echo "paced ramp/nginx median of $PACED_ROUNDS rounds:"
  echo "  p50 $(awk '{print $1}' "$work/paced-ratios" | ci); Ramp lower in $(below 1 "$work/paced-ratios") rounds"
  echo "  p99 $(awk '{print $2}' "$work/paced-ratios" | ci); Ramp lower in $(below 2 "$work/paced-ratios") rounds"
fi

# Resident memory with IDLE idle keep-alive client connections.
rss_before=$(awk '/VmRSS/ {print $2}' "/proc/$rp/status")
python3 loadtests/bench/idle-conns.py 127.0.0.1 "$RAMP" "$IDLE" 5 > "$work/idle.out" &
ip=$!
# Sampled once every connection has had its answer and sits idle (the script says so, then holds them).
for _ in $(seq 1 900); do [ -s "$work/idle.out" ] && break; sleep 0.1; done
rss_idle=$(awk '/VmRSS/ {print $2}' "/proc/$rp/status")
wait "$ip" || true

held=$(awk '{print $1}' "$work/idle.out")
echo "ramp RSS: $((rss_before / 1024)) MB before, $((rss_idle / 1024)) MB with $held idle keep-alive connections"
[ "$held" = "$IDLE" ] || echo "WARNING: only $held of $IDLE idle connections were answered: the RSS is not of $IDLE" >&2
echo "ramp start to ready: ${ready} ms (best of ${ready_ms[*]})"
echo "jvm: $JAVA $JVM_OPTS"
