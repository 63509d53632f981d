#!/usr/bin/env bash
# `promtool check metrics` on a real scrape (docs/metrics.md): start the demo on its default ports
# (gateway 8080, admin 9901, upstreams 9001/9002, fault switches 9101/9102), send traffic to both versions,
# canary failures and a gateway-made 400, scrape the admin /metrics and lint it with Prometheus's promtool.
# Exits non-zero on any problem: no promtool, demo not ready, wrong content type, missing series, lint.
#
# promtool as .ci/promtool.sh finds it: $PROMTOOL, on PATH, or Debian's `prometheus` package unpacked.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=gateway/target/ramp-gateway.jar
TRAFFIC=http://127.0.0.1:8080
ADMIN=http://127.0.0.1:9901
CANARY_FAULT=http://127.0.0.1:9102/_demo/fault

tmp=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "promtool-check: $*" >&2; [ -f "$tmp/demo.out" ] && { echo "--- demo output:" >&2; tail -n 40 "$tmp/demo.out" >&2; }; exit 1; }

. .ci/promtool.sh
PROMTOOL=$(find_promtool "$tmp") || fail "no promtool (above)"
"$PROMTOOL" --version 2>&1 | head -1

if [ ! -f "$JAR" ]; then
  echo "building $JAR"
  mvn -B -ntp -q -pl gateway -am package -DskipTests
fi

for port in 8080 9901 9001 9002; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    fail "port $port is already in use: the demo needs it"
  fi
done

# The demo run needs a writable state dir and no admin token from the environment.
(cd "$tmp" && exec env -u RAMP_ADMIN_TOKEN java -jar "$OLDPWD/$JAR" demo) > "$tmp/demo.out" 2>&1 &
pid=$!
for _ in $(seq 1 150); do
  curl -fsS -o /dev/null "$ADMIN/health/ready" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || fail "the demo exited early"
  sleep 0.2
done
curl -fsS -o /dev/null "$ADMIN/health/ready" || fail "the demo's admin API never became ready"

for i in $(seq 1 20); do
  curl -fsS -o /dev/null "$TRAFFIC/item/$i" -H 'X-Ramp-Version: stable'
  curl -fsS -o /dev/null "$TRAFFIC/item/$i" -H 'X-Ramp-Version: canary'
  curl -fsS -o /dev/null "$TRAFFIC/item/$i" -H "X-User-Id: ci-$i"
done
curl -fsS -o /dev/null -XPOST "$CANARY_FAULT" -d '{"mode":"status","status":500}'
for i in $(seq 1 5); do
  curl -sS -o /dev/null "$TRAFFIC/fail/$i" -H 'X-Ramp-Version: canary'
done
curl -fsS -o /dev/null -XPOST "$CANARY_FAULT" -d '{"mode":"ok"}'
code=$(curl -sS -o /dev/null -w '%{http_code}' "$TRAFFIC/" -H 'X-Ramp-Version: purple')
[ "$code" = 400 ] || fail "a bad override header got $code, expected 400"
sleep 0.5 # the observer runs when each response is fully written

ctype=$(curl -fsS -o "$tmp/metrics.txt" -w '%{content_type}' "$ADMIN/metrics") || fail "GET $ADMIN/metrics failed"
[ "$ctype" = "text/plain; version=0.0.4; charset=utf-8" ] || fail "content type \"$ctype\""
echo "scraped $(grep -vc '^#' "$tmp/metrics.txt") samples"

for series in \
  'ramp_upstream_request_seconds_count{outcome="2xx",role="stable",route="demo",version="v1.4.2"}' \
  'ramp_upstream_request_seconds_count{outcome="5xx",role="canary",route="demo",version="v1.5.0"} 5' \
  'ramp_requests_total{route="demo",served_by="canary",status_class="5xx"} 5.0' \
  'ramp_requests_total{route="demo",served_by="gateway",status_class="4xx"} 1.0' \
  'ramp_canary_weight_ratio{kind="effective",route="demo"}' \
  'ramp_config_reloads_total{result="success"}' \
  'jvm_memory_used_bytes{'; do
  grep -qF "$series" "$tmp/metrics.txt" || fail "no $series in the scrape"
done

if ! "$PROMTOOL" check metrics < "$tmp/metrics.txt"; then
  fail "promtool check metrics found problems (above)"
fi
echo "promtool check metrics: no problems"
