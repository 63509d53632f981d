#!/usr/bin/env bash
# The edge-hardening cases side by side: nginx, Ramp before the hardening work, and Ramp now, each in front of
# the same logging raw-socket upstream, each case sent as exact bytes by a raw-socket client. Prints a Markdown
# table (case | nginx | Ramp before | Ramp now) and writes it to OUT. The cases, the upstream and the client are
# in edge_cases.py and edge_wire.py (python3, standard library only); docs/design/edge-cases.md has the
# latest table.
#
#   bash loadtests/edge/edge-cases.sh                    # OUT=/tmp/edge-cases.md
#   OUT=/tmp/t.md bash loadtests/edge/edge-cases.sh     # the table in /tmp/t.md, logs and raw results in /tmp/t.d/
#   BEFORE=<commit> bash loadtests/edge/edge-cases.sh    # the "before" Ramp (default: 444a7ac^)
#
# "Ramp before" is built from BEFORE in a temporary git worktree under /tmp (removed on exit); "Ramp now" is the
# working tree (built with `mvn -o` when its jar is missing or older than the sources). Everything listens on
# free loopback ports, one proxy at a time; everything started is stopped on exit. Takes 3-4 minutes,
# builds included; it uses at most about one core, and that only for seconds.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-/tmp/edge-cases.md}
BEFORE=${BEFORE:-444a7ac^}
JAVA=${JAVA:-java}
NGINX=${NGINX:-/usr/sbin/nginx}
JVM_OPTS=${JVM_OPTS:--XX:ActiveProcessorCount=1 -Xms64m -Xmx128m -XX:+UseSerialGC}
# The limits, the same for nginx and Ramp now (edge_cases.py's LIMITS must match the two connection counts).
PER_IP=4; TOTAL=20; HEADER_TIMEOUT=2; BODY_TIMEOUT=1; MAX_HEADERS=100

command -v "$NGINX" >/dev/null || { echo "edge-cases.sh: no nginx at $NGINX (apt-get install nginx-light)" >&2
                                   exit 2; }
before_sha=$(git rev-parse --verify -q "$BEFORE^{commit}") \
  || { echo "edge-cases.sh: BEFORE=$BEFORE is not a commit" >&2; exit 2; }

work=$(mktemp -d /tmp/edge-cases.XXXXXX)
chmod 755 "$work"   # nginx's workers drop to nobody when started as root
tree="$work/before-tree"
pids=()
logs="${OUT%.md}.d"   # each proxy's log and each run's raw results, kept for a look after the run
cleanup() {
  mkdir -p "$logs"
  cp "$work"/*.json "$logs/" 2>/dev/null || true
  cp "$work/nginx/logs/error.log" "$logs/nginx-error.log" 2>/dev/null || true
  for r in before now; do cp "$work/$r/ramp.log" "$logs/ramp-$r.log" 2>/dev/null || true; done
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/nginx/nginx.pid" ] && kill "$(cat "$work/nginx/nginx.pid")" 2>/dev/null || true
  if [ -d "$tree" ]; then git worktree remove --force "$tree" >/dev/null 2>&1 || true; git worktree prune; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
py() { python3 -B loadtests/edge/edge_cases.py "$@"; }
t_start=$(date +%s)

# Jars: now from this tree, before from a detached worktree at BEFORE.
build() { nice -n 10 mvn -B -ntp -o -q -pl gateway -am package -DskipTests; }
now_jar=gateway/target/ramp-gateway.jar
if [ ! -f "$now_jar" ] || [ -n "$(find gateway/src pom.xml gateway/pom.xml -newer "$now_jar" -type f | head -1)" ]; then
  echo "building Ramp now" >&2; build
fi
echo "building Ramp before ($before_sha) in $tree" >&2
git worktree add --detach "$tree" "$before_sha" >/dev/null 2>&1
(cd "$tree" && build)
cp "$tree/gateway/target/ramp-gateway.jar" "$work/ramp-before.jar"
cp "$now_jar" "$work/ramp-now.jar"
git worktree remove --force "$tree"

read -r UP PROXY ADMIN < <(py ports 3)

start_nginx() {
  mkdir -p "$work/nginx/logs"
  cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log info;
events { worker_connections 256; }
http {
  access_log $work/nginx/logs/access.log;
  keepalive_timeout 30s;
  client_header_timeout ${HEADER_TIMEOUT}s;
  client_body_timeout ${BODY_TIMEOUT}s;
  limit_conn_zone \$binary_remote_addr zone=perip:1m;
  limit_conn_zone \$server_port zone=total:1m;
  upstream up { server 127.0.0.1:$UP; keepalive 32; }
  server {
    listen 127.0.0.1:$PROXY;
    limit_conn perip $PER_IP;
    limit_conn total $TOTAL;
    location / {
      proxy_pass http://up;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      # What Ramp does for a peer outside trusted-sources: X-Forwarded-For replaced by the peer address.
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Forwarded-Host \$http_host;
    }
  }
}
CONF
  "$NGINX" -c "$work/nginx/nginx.conf" -p "$work/nginx"
}

start_ramp() { # name jar limits(0|1)
  local limits=""
  [ "$3" = 1 ] && limits="limits { header-timeout = ${HEADER_TIMEOUT}s, body-timeout = ${BODY_TIMEOUT}s,
      max-header-count = $MAX_HEADERS, max-connections = $TOTAL, max-connections-per-ip = $PER_IP }"
  mkdir -p "$work/$1/state"
  cat > "$work/$1/ramp.conf" <<CONF
ramp {
  listen { host = "127.0.0.1", port = $PROXY, event-loops = 1, idle-timeout = 30s
    $limits
  }
  admin { host = "127.0.0.1", port = $ADMIN, token = "edge-cases" }
  state-dir = "$work/$1/state"
  trusted-sources = []   # every client is untrusted, as on the internet
  routes = [ {
    name = "edge"
    stable { url = "http://127.0.0.1:$UP", version = "v1" }
    canary { url = "http://127.0.0.1:1", version = "v2" }   # never chosen at 0 %
    weight = "0%"
  } ]
}
CONF
  $JAVA $JVM_OPTS -jar "$2" run --config "$work/$1/ramp.conf" > "$work/$1/ramp.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 600); do
    curl -fs -o /dev/null "http://127.0.0.1:$ADMIN/health/ready" && return 0
    kill -0 "${pids[-1]}" 2>/dev/null || break
    sleep 0.1
  done
  echo "edge-cases.sh: Ramp ($1) did not start:" >&2; cat "$work/$1/ramp.log" >&2; exit 1
}

stop_ramp() { kill -TERM "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true; unset 'pids[-1]'; }

echo "nginx" >&2
start_nginx
PROXY_PID=$(pgrep -P "$(cat "$work/nginx/nginx.pid")" | head -1) py run nginx "$PROXY" "$UP" "$work/nginx.json"
kill "$(cat "$work/nginx/nginx.pid")"; rm -f "$work/nginx/nginx.pid"

echo "Ramp before" >&2
start_ramp before "$work/ramp-before.jar" 0
PROXY_PID=${pids[-1]} py run before "$PROXY" "$UP" "$work/before.json" "$ADMIN" "$work/before/state" edge-cases
stop_ramp

echo "Ramp now" >&2
start_ramp now "$work/ramp-now.jar" 1
PROXY_PID=${pids[-1]} py run now "$PROXY" "$UP" "$work/now.json" "$ADMIN" "$work/now/state" edge-cases
stop_ramp

ngx_version=$("$NGINX" -v 2>&1 | sed 's/.*nginx\///')
# "Now" is named by the last commit that changed the gateway, plus "+changes" when the tree differs from it.
now_sha=$(git log -1 --format=%h -- gateway pom.xml)$(git diff --quiet HEAD -- gateway pom.xml || echo '+changes')
py table "nginx $ngx_version=$work/nginx.json" "Ramp before (${before_sha:0:7})=$work/before.json" \
  "Ramp now ($now_sha)=$work/now.json" \
  | tee "$OUT"
echo "edge-cases.sh: $(( $(date +%s) - t_start )) s; table in $OUT" >&2
