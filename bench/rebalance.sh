#!/usr/bin/env bash
# Rebalance write pauses on real PostgreSQL (issue 6): 4 pairs switched over, then `rebalance` with -B 1 and with
# all pairs in parallel, a tight client on every content. Prints the longest gap between acknowledged commits per
# content (p50/max), the total rebalance time per mode, and acknowledged commits lost. Never fails on a timing.
#
#   bench/rebalance.sh [ROUNDS]   (default 3)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_build
exec "$JAVA_HOME/bin/java" -cp "$BENCH_CP" -Dtandem.bench.command="bench/rebalance.sh $*" \
  dev.tandem.bench.RebalanceBench "$@"
