#!/usr/bin/env bash
# Failover times on real PostgreSQL with the FTS daemon loop at its default settings (issue 3, bench/failover):
#   a. kill -9 of a primary's postmaster -> first acknowledged commit on its content, and acknowledged-but-lost commits
#   b. the floor: the same kill on an identical cluster with no FTS, mirror promoted by hand at once; Tandem/floor ratio
#   c. kill -9 of a mirror -> commits on its primary resume
#   d. SIGSTOP of a whole primary instance -> first acknowledged commit (SIGCONT afterwards, always)
#   e. the FTS daemon's CPU while probing 8 pairs
# Prints tables (min/p50/p99/max). Never fails on a timing; only when something breaks.
# Every cluster it creates lives under /tmp/tandem-it-bench-* and is stopped and removed at the end, on failure too.
#
#   bench/failover.sh [TRIALS] [--stop-trials N] [--mirror-trials N] [--cpu-seconds S] [--per-host K]
#   (TRIALS default 20; SIGSTOP trials default min(5, TRIALS); mirror-kill trials default TRIALS; CPU over 30 s)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_build
exec "$JAVA_HOME/bin/java" -cp "$BENCH_CP" -Dtandem.bench.command="bench/failover.sh $*" \
  dev.tandem.bench.FailoverBench "$@"
