#!/usr/bin/env bash
# Queries and wall time per walk down the dependency graph, with a Prometheus answering every query in 50 ms.
# Usage: bench/walk.sh   (from the project folder; builds the test classes first)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -DskipTests test-compile
./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
exec java -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" dev.rootcause.bench.WalkBench
