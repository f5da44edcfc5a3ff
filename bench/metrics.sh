#!/usr/bin/env bash
# The cost of the FTS daemon's HTTP endpoint (issue 21), on a cluster of 2 hosts x 4 primaries + mirrors (8 pairs)
# with a real supervised daemon (tandem fts start --http 127.0.0.1:PORT) at its default settings:
#   a. the daemon's CPU (utime+stime of its `fts run` process, from /proc) over a window with no scrape, then over
#      the same window with a scrape of /metrics every second
#   b. /metrics latency: back-to-back scrapes from one client (min/p50/p99/max) and the body size
# 64 pairs: --pairs-per-host 32 (128 PostgreSQL instances; init alone takes about 2 minutes on 2 cores).
# Every cluster it creates lives under /tmp/tandem-it-bench-* and is stopped and removed at the end, on failure too.
#
#   bench/metrics.sh [--window SECONDS] [--scrapes N] [--pairs-per-host N]   (defaults 30, 300, 4; about 2 minutes)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_build
exec "$JAVA_HOME/bin/java" -cp "$BENCH_CP" -Dtandem.bench.command="bench/metrics.sh $*" \
  dev.tandem.bench.MetricsBench "$@"
