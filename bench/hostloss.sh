#!/usr/bin/env bash
# Host loss: a segment host's link goes down -> first acknowledged commit on each of its contents.
#   bash bench/hostloss.sh [TRIALS=10] [PRIMARIES_PER_HOST=2]
# Two segment hosts in network namespaces (scripts/netns-hosts.sh), the coordinator on this machine, group
# mirroring, default FTS settings, a fresh cluster per trial. Needs root, openssh-server and nftables.
# Prints per-trial figures, then p50/max. Never fails on a timing.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$repo"
# shellcheck source=bin/tandem
source bin/tandem
JAVA_HOME=$(find_jdk) || exit 1
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"

mvn -q -B -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
    -Dmdep.includeScope=test >/dev/null
exec "$JAVA_HOME/bin/java" -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
    dev.tandem.bench.HostLossBench "${1:-10}" "${2:-2}"
