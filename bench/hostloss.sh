#!/usr/bin/env bash
# Host loss: a segment host's link goes down -> first acknowledged commit on each of its contents.
#   bash bench/hostloss.sh [TRIALS=10] [PRIMARIES_PER_HOST=2]
# Two segment hosts in network namespaces (scripts/netns-hosts.sh), the coordinator on this machine, group
# mirroring, default FTS settings, a fresh cluster per trial. Needs root, openssh-server and nftables
# (`sudo bin/tandem install-deps` installs them). Prints per-trial figures, then p50/max. Never fails on a timing.
set -euo pipefail

# what the namespace hosts need, said before compiling anything (the bench itself checks again, with namespaces)
needs=()
(( EUID == 0 )) || needs+=("root (network namespaces)")
[[ -x /usr/sbin/sshd ]] || needs+=("/usr/sbin/sshd (package openssh-server)")
[[ -x /usr/sbin/nft ]] || needs+=("/usr/sbin/nft (package nftables)")
if (( ${#needs[@]} )); then
  printf 'hostloss bench: needs %s\n' "${needs[@]}" >&2
  echo "  install the packages with: sudo bin/tandem install-deps; then run it as root" >&2
  exit 2
fi

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_build
# BENCH_JAVA_OPTS="-Dtandem.log.level=INFO -Dtandem.bench.timeline=true" shows FTS's log with each promotion's steps
# timed and the moment of each cut, for attributing the figure.
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:-} -cp "$BENCH_CP" dev.tandem.bench.HostLossBench "${1:-10}" "${2:-2}"
