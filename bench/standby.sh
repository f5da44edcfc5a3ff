#!/usr/bin/env bash
# Time from `kill -9` of the coordinator to a completed `tandem activatestandby` and a working `tandem state`
# against the new coordinator: a few trials, each on a fresh cluster (2 loopback hosts x 1 primary, standby on the
# second host) that is torn down afterwards (every process started under its directory is stopped).
# Prints each trial, then p50 and max. Never fails on a timing, only when a command fails.
#
#   bash bench/standby.sh [TRIALS]      (default 3; as root, PostgreSQL runs as the OS user postgres)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$repo"
trials=${1:-3}
if [[ -z "${JAVA_HOME:-}" ]]; then
  JAVA_HOME=$(ls -d /usr/lib/jvm/*25* /usr/lib/jvm/*21* 2>/dev/null | head -1)
  export JAVA_HOME
fi
# the launcher (re)builds target/tandem.jar (every runtime dependency inside); the bench's own classes are test classes
bin/tandem --version >/dev/null
mvn -q -B -o test-compile >&2 2>/dev/null || mvn -q -B test-compile >&2
"$JAVA_HOME/bin/java" -cp "target/tandem.jar:target/test-classes" dev.tandem.bench.StandbyBench "$trials"
