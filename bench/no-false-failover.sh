#!/usr/bin/env bash
# No false failover (issue 3): pgbench saturating both cores on every primary of a 2 hosts x 4 primaries cluster
# (pgbench -i -s 5 on each, then pgbench -c 8 -j 2 -T DURATION on all at once) with the FTS daemon loop at its
# default settings; prints the failovers and mirror-down markings FTS made meanwhile. Expected: 0 and 0.
# Exit status: 0 when both are 0, 2 when not, 1 when something broke. The cluster lives under
# /tmp/tandem-it-bench-nff-* and is stopped and removed at the end, on failure too.
#
#   bench/no-false-failover.sh [DURATION_SECONDS] [--per-host K] [--scale S] [--clients C]   (default 300 s)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_build
exec "$JAVA_HOME/bin/java" -cp "$BENCH_CP" -Dtandem.bench.command="bench/no-false-failover.sh $*" \
  dev.tandem.bench.NoFalseFailoverBench "$@"
