#!/usr/bin/env bash
# HTTP/1.1 over TLS, side by side: Ramp vs nginx terminating TLS with the same ECDSA P-256 certificate and doing
# the same job (split on X-User-Id into two keep-alive upstreams, nginx `return 200` on the other core), each
# proxy pinned to one core. Prints per round and as medians with 95 % intervals: keep-alive req/s and p99,
# handshakes per second (a new connection per request), HTTP/2 req/s and mean request time (h2load: H2_CONNS
# connections with H2_STREAMS streams each, one user id), and the memory each idle TLS connection costs Ramp.
#   bash loadtests/bench/tls-bench.sh                 # ROUNDS=9 DURATION=4 CONNS=64 IDLE=2000 H2_CONNS=16 H2_STREAMS=16
# Loopback only; everything it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
. loadtests/bench/stats.sh
ROUNDS=${ROUNDS:-9}; DURATION=${DURATION:-4}; CONNS=${CONNS:-64}; IDLE=${IDLE:-2000}
H2_CONNS=${H2_CONNS:-16}; H2_STREAMS=${H2_STREAMS:-16}
PROXY_CPU=${PROXY_CPU:-1}; LOAD_CPU=${LOAD_CPU:-0}
JVM_OPTS=${JVM_OPTS:--XX:ActiveProcessorCount=1 -Xms128m -Xmx128m -Xmn64m -XX:+AlwaysPreTouch -XX:+UseSerialGC}
for v in ROUNDS DURATION CONNS IDLE H2_CONNS H2_STREAMS; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "tls-bench.sh: $v must be a whole number above 0, got '${!v}'" >&2; exit 2; }
done
command -v nginx >/dev/null && command -v wrk >/dev/null && command -v openssl >/dev/null \
  || { echo "tls-bench.sh: needs nginx, wrk and openssl (apt-get install nginx-light wrk openssl)" >&2; exit 2; }
[ -f gateway/target/ramp-gateway.jar ] || mvn -B -q -DskipTests package

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for d in up px; do [ -f "$work/$d/nginx.pid" ] && kill "$(cat "$work/$d/nginx.pid")" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
ulimit -n 65536 2>/dev/null || true
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
UP1=$(free_port); UP2=$(free_port); NGX=$(free_port); RAMP=$(free_port); ADMIN=$(free_port)

# A test CA and an ECDSA P-256 server certificate for localhost / 127.0.0.1.
openssl ecparam -name prime256v1 -genkey -noout -out "$work/ca.key" 2>/dev/null
openssl req -x509 -new -key "$work/ca.key" -subj "/CN=bench CA" -days 2 -out "$work/ca.pem" 2>/dev/null
openssl ecparam -name prime256v1 -genkey -noout -out "$work/ec.key" 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in "$work/ec.key" -out "$work/key.pem"
openssl req -new -key "$work/key.pem" -subj "/CN=localhost" -out "$work/srv.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > "$work/ext"
openssl x509 -req -in "$work/srv.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial -days 2 \
  -extfile "$work/ext" -out "$work/cert.pem" 2>/dev/null

mkdir -p "$work/up/logs" "$work/px/logs" "$work/state"
cat > "$work/up/nginx.conf" <<CONF
worker_processes 1; pid $work/up/nginx.pid; error_log $work/up/logs/error.log warn;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
  server { listen 127.0.0.1:$UP1; location / { return 200 'stable'; } }
  server { listen 127.0.0.1:$UP2; location / { return 200 'canary'; } } }
CONF
cat > "$work/px/nginx.conf" <<CONF
worker_processes 1; pid $work/px/nginx.pid; error_log $work/px/logs/error.log warn;
events { worker_connections 20000; }
http { access_log off; keepalive_requests 1000000;
  upstream stable { server 127.0.0.1:$UP1; keepalive 128; }
  upstream canary { server 127.0.0.1:$UP2; keepalive 128; }
  split_clients "\${http_x_user_id}" \$version { 50% canary; * stable; }
  server {
    listen 127.0.0.1:$NGX ssl http2;
    ssl_certificate $work/cert.pem; ssl_certificate_key $work/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    location / { proxy_pass http://\$version; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for; proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Forwarded-Host \$http_host; } } }
CONF
cat > "$work/ramp.conf" <<CONF
ramp {
  listen { host = "127.0.0.1", port = $RAMP, event-loops = 1
           tls { cert = "$work/cert.pem", key = "$work/key.pem" }
           limits { max-connections = 40000, max-connections-per-ip = 40000 } }
  admin { host = "127.0.0.1", port = $ADMIN }
  state-dir = "$work/state"
  routes = [ { name = "bench", stable { url = "http://127.0.0.1:$UP1", version = "v1" },
               canary { url = "http://127.0.0.1:$UP2", version = "v2" }, weight = "50%" } ]
}
CONF
cat > "$work/uid.lua" <<'LUA'
math.randomseed(42)
local reqs, i = nil, 0
request = function()
  if reqs == nil then
    reqs = {}
    for k = 1, 10000 do reqs[k] = wrk.format("GET", "/", {["X-User-Id"] = "u" .. math.random(1, 1000000)}) end
  end
  i = i % 10000 + 1
  return reqs[i]
end
LUA
cp "$work/uid.lua" "$work/close.lua"
sed -i 's/{\["X-User-Id"\] = "u" .. math.random(1, 1000000)}/{["X-User-Id"] = "u" .. math.random(1, 1000000), ["Connection"] = "close"}/' \
  "$work/close.lua"

taskset -c "$LOAD_CPU" nginx -c "$work/up/nginx.conf" -p "$work/up"
taskset -c "$PROXY_CPU" nginx -c "$work/px/nginx.conf" -p "$work/px"
taskset -c "$PROXY_CPU" java $JVM_OPTS -jar gateway/target/ramp-gateway.jar run --config "$work/ramp.conf" \
  > "$work/ramp.log" 2>&1 &
rp=$!; pids+=("$rp")
until curl -fs -o /dev/null "http://127.0.0.1:$ADMIN/health/ready"; do sleep 0.05; done
grep -o 'TLS by [A-Za-z]*' "$work/ramp.log" | head -1 || true

run() { # script url -> "req/s p99ms"
  taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency -s "$1" "$2" \
    | awk '/Requests\/sec/ {r = $2} /^ +99%/ {v = $2; if (v ~ /us$/) {sub(/us/, "", v); v /= 1000}
           else if (v ~ /ms$/) {sub(/ms/, "", v)} else if (v ~ /s$/) {sub(/s/, "", v); v *= 1000}; p = v}
           END {printf "%s %s\n", r, p}'
}
h2() { # url -> "req/s mean-ms" (h2load; "- -" without it)
  command -v h2load >/dev/null || { echo "- -"; return; }
  taskset -c "$LOAD_CPU" h2load -D "$DURATION" -c "$H2_CONNS" -m "$H2_STREAMS" -H 'x-user-id: u42' "$1" 2>/dev/null \
    | awk '/^finished in/ {r = $4} /^time for request:/ {v = $6; if (v ~ /us$/) {sub(/us/, "", v); v /= 1000}
           else if (v ~ /ms$/) {sub(/ms/, "", v)} else if (v ~ /s$/) {sub(/s/, "", v); v *= 1000}; m = v}
           END {printf "%s %s\n", r, m}'
}
echo "warm-up: 5 unmeasured rounds each"
for _ in 1 2 3 4 5; do run "$work/uid.lua" "https://127.0.0.1:$NGX/" > /dev/null
                       run "$work/uid.lua" "https://127.0.0.1:$RAMP/" > /dev/null
                       h2 "https://127.0.0.1:$NGX/" > /dev/null; h2 "https://127.0.0.1:$RAMP/" > /dev/null; done
echo "round  keep-alive req/s nginx ramp | p99 ms nginx ramp | handshakes/s nginx ramp | h2 req/s nginx ramp | h2 mean ms nginx ramp"
: > "$work/ka"; : > "$work/p99"; : > "$work/hs"; : > "$work/h2"; : > "$work/h2t"
for r in $(seq 1 "$ROUNDS"); do
  read -r n_rps n_p99 <<< "$(run "$work/uid.lua" "https://127.0.0.1:$NGX/")"
  read -r r_rps r_p99 <<< "$(run "$work/uid.lua" "https://127.0.0.1:$RAMP/")"
  read -r n_hs _ <<< "$(run "$work/close.lua" "https://127.0.0.1:$NGX/")"
  read -r r_hs _ <<< "$(run "$work/close.lua" "https://127.0.0.1:$RAMP/")"
  read -r n_h2 n_h2t <<< "$(h2 "https://127.0.0.1:$NGX/")"
  read -r r_h2 r_h2t <<< "$(h2 "https://127.0.0.1:$RAMP/")"
  echo "$r      $n_rps $r_rps | $n_p99 $r_p99 | $n_hs $r_hs | $n_h2 $r_h2 | $n_h2t $r_h2t"
  if [ "$n_h2" != "-" ]; then
    awk -v a="$r_h2" -v b="$n_h2" 'BEGIN {print a / b}' >> "$work/h2"
    awk -v a="$r_h2t" -v b="$n_h2t" 'BEGIN {print a / b}' >> "$work/h2t"
  fi
  awk -v a="$r_rps" -v b="$n_rps" 'BEGIN {print a / b}' >> "$work/ka"
  awk -v a="$r_p99" -v b="$n_p99" 'BEGIN {print a / b}' >> "$work/p99"
  awk -v a="$r_hs" -v b="$n_hs" 'BEGIN {print a / b}' >> "$work/hs"
done
echo "ramp/nginx median of $ROUNDS rounds:"
echo "  keep-alive req/s  $(ci < "$work/ka")"
echo "  keep-alive p99    $(ci < "$work/p99")"
echo "  handshakes/s      $(ci < "$work/hs")"
[ -s "$work/h2" ] && echo "  h2 req/s          $(ci < "$work/h2")" && echo "  h2 mean time      $(ci < "$work/h2t")"
rss0=$(awk '/VmRSS/ {print $2}' "/proc/$rp/status")
python3 loadtests/bench/tls-idle-conns.py 127.0.0.1 "$RAMP" "$IDLE" 4 "$work/ca.pem" > "$work/idle.out" &
ip=$!
for _ in $(seq 1 1200); do [ -s "$work/idle.out" ] && break; sleep 0.1; done
rss1=$(awk '/VmRSS/ {print $2}' "/proc/$rp/status")
wait "$ip" || true
echo "ramp: $(cat "$work/idle.out"); RSS $((rss0 / 1024)) -> $((rss1 / 1024)) MB, ~$(( (rss1 - rss0) / IDLE )) KB per idle TLS connection"
