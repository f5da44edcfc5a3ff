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
# the JDK the launcher finds (bin/tandem only defines its functions when sourced); an unmatched glob in an
# `ls` here used to end the script at once under pipefail, printing nothing
# shellcheck source=/dev/null
source "$repo/bin/tandem"
JAVA_HOME=$(find_jdk)
export JAVA_HOME
# the launcher (re)builds target/tandem.jar (every runtime dependency inside); the bench's own classes are test classes
bin/tandem --version >/dev/null
mvn -q -B -o test-compile >&2 2>/dev/null || mvn -q -B test-compile >&2
"$JAVA_HOME/bin/java" -cp "target/tandem.jar:target/test-classes" dev.tandem.bench.StandbyBench "$trials"
