#!/usr/bin/env bash
# The guard's false-revert rate and detection times by simulation (GuardSimulationReport): healthy canaries
# over simulated days at 1, 10, 100 and 1 000 req/s, near-equal canaries, and the time to revert three
# regressions. Prints Markdown tables (docs/architecture.md, "Guard", holds the latest).
#   bash loadtests/bench/guard-sim.sh                  # everything: ~30 min on 2 cores
#   bash loadtests/bench/guard-sim.sh detect           # one part: false | nearly | detect
#   JAVA_OPTS='-Dhours=1 -Drates=1:4,10:4' bash loadtests/bench/guard-sim.sh false   # a quick look
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q -ntp -pl gateway test-compile dependency:build-classpath -Dmdep.outputFile=target/sim.cp \
    -Dmdep.includeScope=test
CP="gateway/target/test-classes:gateway/target/classes:$(cat gateway/target/sim.cp)"
# shellcheck disable=SC2086
java -Xmx2g -Dlogback.configurationFile=loadtests/bench/quiet-logback.xml ${JAVA_OPTS:-} -cp "$CP" dev.ramp.gateway.guard.GuardSimulationReport "$@"
