#!/usr/bin/env bash
# JMH: the per-request routing decision (route match, identity -> bucket -> version; TargetingDecisionBenchmark:
# the whole decision with 0 or 20 targeting rules) and the guard's once-a-second
# evaluation (GuardEvaluationBenchmark), with the GC profiler
# so allocation per operation is visible (gc.alloc.rate.norm: ~0 B/op expected for the routing decision).
# Usage: bash loadtests/bench/jmh.sh [JMH options, e.g. -f 1 -wi 2 -i 3]
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q -pl gateway test-compile dependency:build-classpath -Dmdep.outputFile=target/jmh.cp -Dmdep.includeScope=test
CP="gateway/target/test-classes:gateway/target/classes:$(cat gateway/target/jmh.cp)"
exec java -cp "$CP" org.openjdk.jmh.Main 'dev.ramp.gateway.bench.*' -prof gc "$@"
