#!/usr/bin/env bash
# Coordinator loss with etcd (docs/etcd.md): the coordinator's host is cut off -> first write acknowledged by the
# automatically activated standby; then the FTS leader daemon is killed -> first probe round by the new leader.
#   bash bench/coordinator-loss.sh [TRIALS=5]
# Three hosts in network namespaces (scripts/netns-hosts.sh), one etcd member on each (Debian's etcd-server), the
# coordinator on host 1, its standby and the leading FTS daemon on host 2, default settings, lease 3 s, a fresh
# cluster per trial. Needs root, openssh-server, nftables and etcd-server. Prints per-trial figures, then
# min/p50/p99/max. Never fails on a timing.
set -euo pipefail

needs=()
(( EUID == 0 )) || needs+=("root (network namespaces)")
[[ -x /usr/sbin/sshd ]] || needs+=("/usr/sbin/sshd (package openssh-server)")
[[ -x /usr/sbin/nft ]] || needs+=("/usr/sbin/nft (package nftables)")
[[ -x /usr/bin/etcd ]] || needs+=("/usr/bin/etcd (package etcd-server)")
if (( ${#needs[@]} )); then
  printf 'coordinator-loss bench: needs %s\n' "${needs[@]}" >&2
  echo "  install the packages with: sudo bin/tandem install-deps; then run it as root" >&2
  exit 2
fi

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_build
# BENCH_JAVA_OPTS="-Dtandem.netns.prefix=P -Dtandem.netns.subnet=10.231.N" keeps its hosts apart from others'
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:-} -cp "$BENCH_CP" dev.tandem.bench.CoordinatorLossBench "${1:-5}"
