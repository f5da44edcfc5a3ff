#!/usr/bin/env bash
# What a log-only witness changes (issue 20, docs/witness.md), on a cluster of 2 hosts x 1 primary + mirror, the FTS
# loop in this JVM at default settings, content 0 with a witness on 127.0.0.3 and content 1 without:
#   a. kill -9 of the mirror under a writer (an insert every 5 ms): the longest pause between acknowledged commits,
#      per trial, with and without a witness (min/p50/p99/max over the trials)
#   b. steady state: single-row insert commits back to back on content 0 with its witness listed, then with the
#      witness removed: p50 latency ratio and throughput ratio
# Every cluster it creates lives under /tmp/tandem-it-bench-* and is stopped and removed at the end, on failure too.
#
#   bench/witness.sh [--trials N] [--commits N]   (defaults 10, 2000; about 3 minutes)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_build
exec "$JAVA_HOME/bin/java" -cp "$BENCH_CP" -Dtandem.bench.command="bench/witness.sh $*" \
  dev.tandem.bench.WitnessBench "$@"
