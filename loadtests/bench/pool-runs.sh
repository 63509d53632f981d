#!/usr/bin/env bash
# Pools the per-round Ramp/nginx ratios of several saved runs of proxy-bench.sh (their printed output) and prints
# each pooled median with its 95 % confidence interval. One run's 45 closed-loop and 21 paced rounds give an
# interval a few per cent wide at best on a noisy host; three runs give one about half as wide. Pool only runs of
# the same code and bench settings.
#
#   bash loadtests/bench/proxy-bench.sh | tee run1.txt    # ... and again into run2.txt, run3.txt
#   bash loadtests/bench/pool-runs.sh run1.txt run2.txt run3.txt
set -euo pipefail
. "$(dirname "$0")/stats.sh"   # ci, below1
[ $# -ge 1 ] || { echo "usage: pool-runs.sh PROXY_BENCH_OUTPUT..." >&2; exit 2; }
for f in "$@"; do
  [ -r "$f" ] || { echo "pool-runs.sh: cannot read $f" >&2; exit 2; }
  grep -q '^ramp/nginx per round: throughput ' "$f" \
    || { echo "pool-runs.sh: $f has no 'ramp/nginx per round:' line (not a complete proxy-bench.sh output?)" >&2; exit 2; }
done
ratios() { # line-prefix section files...: the ratios of section N (1-based, sections split by '|'), one per line
  local prefix=$1 section=$2; shift 2
  awk -v p="$prefix" -v s="$section" 'index($0, p) == 1 {
    split(substr($0, length(p) + 1), parts, "|"); n = split(parts[s], w, " ")
    for (i = 1; i <= n; i++) if (w[i] ~ /^[0-9.]+x$/) { sub(/x$/, "", w[i]); print w[i] } }' "$@"
}
closed='ramp/nginx per round: '
paced='paced ramp/nginx per round: '
line() { # label ratios below-word: the pooled median and interval, and how many rounds were below 1.0
  printf '  %-15s %s' "$1" "$(echo "$2" | ci)"
  [ -n "$3" ] && printf '; Ramp %s in %s rounds' "$3" "$(echo "$2" | below1)"
  echo
}
runs="$# runs"; [ $# -eq 1 ] && runs="1 run"
echo "ramp/nginx, the rounds of $runs pooled:"
line throughput "$(ratios "$closed" 1 "$@")" behind
line p99 "$(ratios "$closed" 2 "$@")" lower
line "CPU per request" "$(ratios "$closed" 3 "$@")" ""
p50=$(ratios "$paced" 1 "$@")
if [ -n "$p50" ]; then
  line "paced p50" "$p50" lower
  line "paced p99" "$(ratios "$paced" 2 "$@")" lower
fi
