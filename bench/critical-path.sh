#!/usr/bin/env bash
# Diagnosis wall time vs its critical path, with a backend answering every query in 200 ms.
# Usage: bench/critical-path.sh   (from the project folder; builds the test classes first)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -DskipTests test-compile
./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
exec java -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" dev.rootcause.bench.CriticalPathBench
