#!/usr/bin/env bash
# logs.top_patterns grouping time for 10,000 mixed log lines (issue 6: "well under a second").
# Usage: bench/log-patterns.sh   (from the project folder; builds the test classes first)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -DskipTests test-compile
./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
exec java -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" dev.rootcause.bench.LogPatternsBench
