#!/usr/bin/env bash
# One database through the coordinator (issue 18, bench/coordinator), on clusters of 2 hosts x 2 primaries + mirrors
# with the FTS daemon loop at its default settings:
#   a. kill -9 of a primary -> first acknowledged insert through the coordinator into a distributed table, next to
#      the direct writer of bench/failover.sh in the same trials; the ratio (goal: within 1.2x)
#   b. single-row insert latency and COPY throughput, through the coordinator vs direct to one segment primary
#   c. scan + aggregate over 4 segments vs the same rows in one PostgreSQL instance
# Prints the command, the machine and tables (min/p50/p99/max). Fails only when something breaks (or a row is lost).
# Every cluster it creates lives under /tmp/tandem-it-bench-* and is stopped and removed at the end, on failure too.
#
#   bench/coordinator.sh [TRIALS] [--inserts N] [--copy-rows N] [--scan-rows N] [--phases abc]
#   (TRIALS default 10, inserts 2000, COPY 20000 rows, scan 500000 rows; about 3-5 minutes)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_build
exec "$JAVA_HOME/bin/java" -cp "$BENCH_CP" -Dtandem.bench.command="bench/coordinator.sh $*" \
  dev.tandem.bench.CoordinatorBench "$@"
