#!/usr/bin/env bash
# Wall time of `tandem init` for 2, 8 and 16 primaries, each with a mirror: group mirroring
# over two loopback "hosts" (127.0.0.1, 127.0.0.2) with 1, 4 and 8 primaries per host.
# Each run gets a fresh base directory and free ports, and is stopped and removed afterwards;
# on failure or interrupt a trap stops whatever was started and removes everything.
# Prints a table. Never fails on a timing, only when a command fails.
#
#   bash bench/init.sh            (as root, PostgreSQL runs as the OS user postgres)
set -euo pipefail
export LC_ALL=C  # a '.' decimal point in $EPOCHREALTIME

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
tandem=$repo/bin/tandem
hosts=127.0.0.1,127.0.0.2
per_host_counts=(1 4 8)

base=""  # the current run's base directory; the trap cleans it
logs=$(mktemp -d /tmp/tandem-bench-logs.XXXXXX)

# stop_and_remove DIR: `tandem stop`, then SIGQUIT (immediate shutdown) for any postmaster still
# running in DIR (a half-done init leaves instances the coordinator does not know), then rm.
# A postmaster is recognised by its postmaster.pid *and* its working directory (it runs in its
# data directory), so a recycled pid is never signalled.
stop_and_remove() {
  local dir=$1 pidfile pid
  [[ -n "$dir" && -d "$dir" ]] || return 0
  if [[ -d "$dir/coordinator/gpseg-1" ]]; then
    if ! "$tandem" stop -a -M fast -d "$dir/coordinator/gpseg-1" >"$logs/stop.log" 2>&1; then
      echo "warning: tandem stop failed for $dir; stopping leftover instances directly. Its output:" >&2
      tail -n 20 "$logs/stop.log" >&2
    fi
  fi
  while IFS= read -r pidfile; do
    pid=$(head -n 1 "$pidfile" 2>/dev/null) || continue
    [[ "$pid" =~ ^[0-9]+$ ]] || continue
    if [[ "$(readlink -f "/proc/$pid/cwd" 2>/dev/null)" == "$(readlink -f "$(dirname "$pidfile")")" ]]; then
      echo "stopping leftover postmaster $pid in $(dirname "$pidfile")" >&2
      kill -QUIT "$pid" 2>/dev/null || true
      for _ in {1..50}; do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
  done < <(find "$dir" -name postmaster.pid 2>/dev/null)
  rm -rf "$dir"
}

cleanup() {
  stop_and_remove "$base"
  rm -rf "$logs"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# listening TCP ports, one per line
listening_ports() {
  ss -ltnH | awk '{ n = split($4, a, ":"); print a[n] }' | sort -un
}

# ports_free PORT...: true if none of them is listening on any address
ports_free() {
  local used p
  used=$(listening_ports)
  for p in "$@"; do
    grep -qx "$p" <<<"$used" && return 1
  done
  return 0
}

# pick_ports PER_HOST START_OFFSET: sets coordinator_port, port_base, mirror_port_base to a free
# set: coordinator 21000+o, primaries 21001+o.., mirrors 22001+o.. (o in steps of 100).
pick_ports() {
  local per_host=$1 off=$2 ports i
  for (( ; off < 1000; off += 100 )); do
    coordinator_port=$(( 21000 + off ))
    port_base=$(( 21001 + off ))
    mirror_port_base=$(( 22001 + off ))
    ports=("$coordinator_port")
    for (( i = 0; i < per_host; i++ )); do
      ports+=($(( port_base + i )) $(( mirror_port_base + i )))
    done
    if ports_free "${ports[@]}"; then
      return 0
    fi
  done
  echo "no free port range found in 21000-22999" >&2
  return 1
}

# Build the jar and check the JDK and PostgreSQL once, outside the timings.
"$tandem" --version >/dev/null

printf '%-10s | %-9s | %s\n' primaries instances "init seconds"
printf '%-10s-+-%-9s-+-%s\n' ---------- --------- ------------

run=0
for per_host in "${per_host_counts[@]}"; do
  primaries=$(( 2 * per_host ))
  instances=$(( 2 * primaries + 1 ))  # primaries + mirrors + coordinator
  pick_ports "$per_host" $(( run * 100 ))

  base=$(mktemp -d /tmp/tandem-bench.XXXXXX)
  chmod 755 "$base"  # the postgres OS user must traverse it
  if (( EUID == 0 )) && id postgres >/dev/null 2>&1; then
    chown postgres: "$base"
  fi

  log=$logs/init-$primaries.log
  start=$EPOCHREALTIME
  if ! "$tandem" init -a --hosts "$hosts" --primaries-per-host "$per_host" --mirror-mode group \
      --base-dir "$base" --coordinator-port "$coordinator_port" \
      --port-base "$port_base" --mirror-port-base "$mirror_port_base" >"$log" 2>&1; then
    echo "tandem init failed for $primaries primaries; last lines of its output:" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
  end=$EPOCHREALTIME
  seconds=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }')
  printf '%-10s | %-9s | %s\n' "$primaries" "$instances" "$seconds"

  stop_and_remove "$base"  # tandem stop -a -M fast -d $base/coordinator/gpseg-1, then rm -rf
  base=""
  run=$(( run + 1 ))
done
