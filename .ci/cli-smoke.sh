#!/usr/bin/env bash
# The fat jar's command line from outside: validate's exit codes, `demo` serving, SIGTERM draining to exit 0.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=gateway/target/ramp-gateway.jar
tmp=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

java -jar "$JAR" validate --config config/gateway.conf
java -jar "$JAR" validate --config docker/ramp.conf
printf 'ramp { routes = [ { name = "x", weight = "150%%" } ] }\n' > "$tmp/bad.conf"
set +e
java -jar "$JAR" validate --config "$tmp/bad.conf" 2> "$tmp/err"
rc=$?
set -e
[ "$rc" -eq 2 ] || { echo "validate of a bad config exited $rc, expected 2"; exit 1; }
grep -q "bad.conf:1: ramp.routes\[0\].weight" "$tmp/err" || { echo "no file:line in:"; cat "$tmp/err"; exit 1; }

# RAMP_LOG_LEVEL is checked before anything starts.
set +e
RAMP_LOG_LEVEL=loud java -jar "$JAR" validate --config config/gateway.conf 2> "$tmp/err"
rc=$?
set -e
[ "$rc" -eq 2 ] || { echo "RAMP_LOG_LEVEL=loud exited $rc, expected 2"; exit 1; }
grep -q "RAMP_LOG_LEVEL=loud is not a log level" "$tmp/err" || { echo "no level error in:"; cat "$tmp/err"; exit 1; }

# A transport named but unable to load stops the start with the reason (native transports switched off here).
cat > "$tmp/uring.conf" <<CONF
ramp {
  listen { host = "127.0.0.1", port = 0, transport = "io_uring" }
  admin { host = "127.0.0.1", port = 0 }
  state-dir = "$tmp/state"
  routes = [ { name = "a", weight = "5%", stable { url = "http://127.0.0.1:1", version = "v1" },
               canary { url = "http://127.0.0.1:2", version = "v2" } } ]
}
CONF
set +e
timeout 60 java -Dio.netty.transport.noNative=true -jar "$JAR" run --config "$tmp/uring.conf" > "$tmp/uring.out" 2>&1
rc=$?
set -e
[ "$rc" -eq 1 ] || { echo "run with an unloadable transport exited $rc, expected 1"; cat "$tmp/uring.out"; exit 1; }
grep -q 'uring.conf: ramp.listen.transport = "io_uring" cannot be used on this machine' "$tmp/uring.out" \
  || { echo "no transport error in:"; cat "$tmp/uring.out"; exit 1; }

java -jar "$JAR" demo > "$tmp/demo.out" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null http://127.0.0.1:8080/ -H 'X-User-Id: ci' 2>/dev/null && break
  sleep 0.2
done
body=$(curl -fsS http://127.0.0.1:8080/ -H 'X-User-Id: ci')
echo "demo answered: $body"
echo "$body" | grep -q '"version":"\(stable\|canary\)"'
# SIGHUP reloads the config (demo runs with config/demo.conf).
kill -HUP "$pid"
for _ in $(seq 1 50); do grep -q "(SIGHUP)" "$tmp/demo.out" && break; sleep 0.1; done
grep -q "(SIGHUP)" "$tmp/demo.out" || { echo "no reload logged after SIGHUP"; cat "$tmp/demo.out"; exit 1; }
# The printed hints work as printed: the demo makes an admin token, and its kill switch and resume answer 200.
for _ in $(seq 1 50); do grep -q "admin token" "$tmp/demo.out" && break; sleep 0.1; done
token=$(sed -n 's/.*admin token \([^)]*\)).*/\1/p' "$tmp/demo.out" | head -n 1)
[ -n "$token" ] || { echo "demo printed no admin token"; cat "$tmp/demo.out"; exit 1; }
for action in revert resume; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -XPOST -H "Authorization: Bearer $token" \
    "http://127.0.0.1:9901/api/routes/demo/$action")
  [ "$code" = 200 ] || { echo "demo $action with the printed token answered $code"; cat "$tmp/demo.out"; exit 1; }
done
# Log lines as LogSetup writes them: time, level, thread, logger.
grep -Eq '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} INFO  \[[^]]+\] [a-z.]+[A-Za-z]+ - ' "$tmp/demo.out" \
  || { echo "no log line in the expected format:"; cat "$tmp/demo.out"; exit 1; }
kill -TERM "$pid"
set +e
wait "$pid"
rc=$?
set -e
pid=""
[ "$rc" -eq 0 ] || { echo "demo exited $rc on SIGTERM, expected 0"; cat "$tmp/demo.out"; exit 1; }
echo "cli smoke: ok"
