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

# the shaded jar has every runtime dependency; the fixtures also need JUnit's Assumptions (from the local repository)
mvn -q -B -DskipTests package
m2=${MAVEN_REPO:-$HOME/.m2/repository}
jar_of() { find "$m2/$1" -name "$2-*.jar" ! -name '*-sources.jar' 2>/dev/null | sort -V | tail -n 1; }
cp=target/tandem.jar:target/test-classes
for j in "$(jar_of org/junit/jupiter/junit-jupiter-api junit-jupiter-api)" "$(jar_of org/opentest4j opentest4j)"; do
  [[ -n $j ]] || { echo "error: JUnit jars not in $m2: run mvn -B test-compile once" >&2; exit 1; }
  cp=$cp:$j
done
# BENCH_JAVA_OPTS="-Dtandem.log.level=INFO -Dtandem.bench.timeline=true" shows FTS's log with each promotion's steps
# timed and the moment of each cut, for attributing the figure.
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:-} -cp "$cp" dev.tandem.bench.HostLossBench "${1:-10}" "${2:-2}"
