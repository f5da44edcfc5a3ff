#!/usr/bin/env bash
# The long fault drill (issue 8): 200 random faults on a 4-pair cluster with the real FTS daemon, under load; every
# acknowledged commit checked, split brain watched every 20 ms, the cluster back whole and balanced at the end.
# Prints the drill's report; exits 1 when a check failed (a correctness failure, never a timing).
# The cluster lives under /tmp/tandem-drill-* and is stopped and removed at the end, on failure too.
#
#   bench/drill.sh [--faults N] [--seed S] [--duration D] [--pairs P] [--keep]
#   (defaults: --faults 200 --seed 8 --duration 90m --pairs 4, each unless given)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_build
args=("$@")
for default in "--faults 200" "--seed 8" "--duration 90m" "--pairs 4"; do
  [[ " $* " == *" ${default%% *} "* ]] || args+=($default)
done
exec "$JAVA_HOME/bin/java" -cp "$BENCH_CP" dev.tandem.cli.Main drill "${args[@]}"
