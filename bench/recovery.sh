#!/usr/bin/env bash
# Recovery times on real PostgreSQL (issue 5): for each data size, a mirror killed with ~10 MB changed on its primary
# while down, then recovered incrementally, differentially (rsync) and in full, timed to the pair in sync; a bare
# pg_basebackup of the same primary in the same run (full/bare ratio); 4 mirrors recovered in full at once with
# -B 1 -b 1 and in parallel. Prints a table; never fails on a timing.
#
#   bench/recovery.sh [SIZES_MB]   (default 100; the 1 GB case: bench/recovery.sh 100,1000)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_build
exec "$JAVA_HOME/bin/java" -cp "$BENCH_CP" -Dtandem.bench.command="bench/recovery.sh $*" \
  dev.tandem.bench.RecoveryBench "$@"
