#!/usr/bin/env bash
# Test "hosts" on this machine: N network namespaces on a private bridge, an sshd in each, and each host its own
# view of the directories Tandem and the tests write to.
#
#   scripts/netns-hosts.sh up N          create hosts 1..N (root needed), print how to reach them
#   scripts/netns-hosts.sh down          stop everything `up` started and remove it
#   scripts/netns-hosts.sh status        namespaces, addresses, sshd pids, active faults
#   scripts/netns-hosts.sh cut I         host I cut off completely (its link on the bridge down)
#   scripts/netns-hosts.sh cut-coordinator I   host I cannot talk to the bridge address (this host) only
#   scripts/netns-hosts.sh cut-pair I J  hosts I and J cannot talk to each other; both still reach the rest
#   scripts/netns-hosts.sh heal          undo every cut
#
# Layout (defaults; override with TANDEM_NETNS_PREFIX, TANDEM_NETNS_SUBNET, TANDEM_NETNS_DIR):
#   bridge tandem-br0 with 10.231.0.1/24 in the root namespace = the coordinator host (this machine)
#   namespace tandem-hI with 10.231.0.(10+I)/24 on eth0, whose peer tandem-hI-br is a bridge port
#   sshd in each namespace on its address, port 22, root login by key only, one generated key pair;
#   ssh -F $DIR/ssh_config 10.231.0.11 reaches host 1 (or: export TANDEM_SSH_CONFIG=$DIR/ssh_config for Tandem)
# Processes started over ssh run inside the namespace: PostgreSQL of host I listens on 10.231.0.(10+I).
# File systems: each sshd runs in its own mount namespace where /tmp (1777), /var/lib/postgresql (the postgres
# user's home, owned by postgres), /run/tandem and /var/log/tandem are empty per-host directories $DIR/hI/fs/*
# bind-mounted over those paths, as on a fresh Debian host; every ssh session inherits that view. A file Tandem
# forgets to ship to a host is missing there, as on a real machine. The rest of the file system (binaries, /etc,
# $DIR itself) and the process table are this machine's. `down` removes the per-host trees with $DIR.
# To run a command in host I's namespaces without ssh: nsenter -t "$(cat $DIR/hI/sshd.pid)" -m -n -- CMD...
set -euo pipefail

PREFIX=${TANDEM_NETNS_PREFIX:-tandem}
SUBNET=${TANDEM_NETNS_SUBNET:-10.231.0}
# not under /tmp: every host has its own /tmp, and its sshd must still see the keys and configs here
DIR=${TANDEM_NETNS_DIR:-/var/tmp/$PREFIX-netns}
BRIDGE=$PREFIX-br0
BRIDGE_IP=$SUBNET.1

die() { echo "netns-hosts: $*" >&2; exit 1; }
ns() { echo "$PREFIX-h$1"; }
addr() { echo "$SUBNET.$((10 + $1))"; }
veth() { echo "$PREFIX-h$1-br"; }
count() { cat "$DIR/count" 2>/dev/null || echo 0; }
# the paths each host sees as its own, and the per-host directory (under $DIR/hI/fs) mounted over each
OWN_PATHS=(/tmp /var/lib/postgresql /run/tandem /var/log/tandem)
OWN_DIRS=(tmp postgres-home run-tandem log-tandem)

own_fs() {  # own_fs I: fresh, empty per-host directories with the owners and modes of a fresh Debian host
  local fs=$DIR/h$1/fs
  rm -rf "$fs"
  mkdir -p "$fs"
  install -d -o root -g root -m 1777 "$fs/tmp"
  install -d -o postgres -g postgres -m 755 "$fs/postgres-home"
  install -d -o root -g root -m 755 "$fs/run-tandem" "$fs/log-tandem"
}

check_index() { [[ $1 =~ ^[0-9]+$ ]] && (( $1 >= 1 && $1 <= $(count) )) || die "no host $1 (hosts are 1..$(count))"; }

preflight() {
  [[ $(id -u) == 0 ]] || die "needs root (ip netns, bridge, sshd)"
  command -v ip >/dev/null || die "ip (iproute2) missing"
  [[ -x /usr/sbin/sshd ]] || die "/usr/sbin/sshd missing: apt-get install openssh-server"
  command -v ssh-keygen >/dev/null || die "ssh-keygen missing"
  id postgres >/dev/null 2>&1 || die "no OS user postgres (the per-host home belongs to it)"
}

up() {
  local n=$1
  [[ $n =~ ^[0-9]+$ ]] && (( n >= 1 && n <= 200 )) || die "up N: N from 1 to 200"
  preflight
  ip link show "$BRIDGE" >/dev/null 2>&1 && die "$BRIDGE exists already (run down first, or set TANDEM_NETNS_PREFIX)"
  mkdir -p "$DIR" && chmod 700 "$DIR"
  echo "$n" > "$DIR/count"
  # one key pair for root's login, one host key shared by every sshd
  [[ -f $DIR/id_ed25519 ]] || ssh-keygen -q -t ed25519 -N '' -C "tandem-netns" -f "$DIR/id_ed25519"
  [[ -f $DIR/host_key ]] || ssh-keygen -q -t ed25519 -N '' -C "tandem-netns-host" -f "$DIR/host_key"
  cp "$DIR/id_ed25519.pub" "$DIR/authorized_keys"
  : > "$DIR/known_hosts"
  mkdir -p /run/sshd && chmod 755 /run/sshd   # sshd's privilege separation directory
  # mount points: a fresh host may lack the last two; here they are only empty directories of this machine
  local p
  for p in "${OWN_PATHS[@]}"; do [[ -d $p ]] || install -d -m 755 "$p"; done

  ip link add "$BRIDGE" type bridge
  ip addr add "$BRIDGE_IP/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  local i
  for (( i = 1; i <= n; i++ )); do
    local name a
    name=$(ns "$i"); a=$(addr "$i")
    ip netns add "$name"
    ip link add "$(veth "$i")" type veth peer name "$PREFIX-tmp$i"
    ip link set "$PREFIX-tmp$i" netns "$name"
    ip -n "$name" link set "$PREFIX-tmp$i" name eth0
    ip -n "$name" addr add "$a/24" dev eth0
    ip -n "$name" link set lo up
    ip -n "$name" link set eth0 up
    ip link set "$(veth "$i")" master "$BRIDGE"
    ip link set "$(veth "$i")" up
    mkdir -p "$DIR/h$i"
    cat > "$DIR/h$i/sshd_config" <<CONF
ListenAddress $a
Port 22
HostKey $DIR/host_key
PidFile $DIR/h$i/sshd.pid
AuthorizedKeysFile $DIR/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PrintMotd no
MaxSessions 100
MaxStartups 100
LogLevel ERROR
CONF
    own_fs "$i"
    # `ip netns exec` gives the command a mount namespace of its own (slave of this one: nothing mounted there
    # comes back here); the bind mounts are made in it, then sshd replaces the shell and every session inherits them
    # shellcheck disable=SC2016
    ip netns exec "$name" bash -c '
      set -e
      fs=$1; shift; n=$1; shift
      paths=("${@:1:n}"); dirs=("${@:n+1:n}"); shift $((2 * n))
      for k in "${!paths[@]}"; do mount --bind "$fs/${dirs[k]}" "${paths[k]}"; done
      exec "$@"' netns-host "$DIR/h$i/fs" "${#OWN_PATHS[@]}" "${OWN_PATHS[@]}" "${OWN_DIRS[@]}" \
      /usr/sbin/sshd -f "$DIR/h$i/sshd_config" -E "$DIR/h$i/sshd.log" -o "PidFile=$DIR/h$i/sshd.pid"
    echo "$a $(cut -d' ' -f1,2 "$DIR/host_key.pub")" >> "$DIR/known_hosts"
  done
  cat > "$DIR/ssh_config" <<CONF
Host $SUBNET.*
  User root
  IdentityFile $DIR/id_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile $DIR/known_hosts
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking yes
CONF
  # bounded wait for every sshd to listen
  for (( i = 1; i <= n; i++ )); do
    local tries=0
    until ip netns exec "$(ns "$i")" ss -Hltn "sport = :22" | grep -q .; do
      (( ++tries > 100 )) && die "sshd of host $i did not start; see $DIR/h$i/sshd.log"
      sleep 0.05
    done
  done
  echo "bridge $BRIDGE $BRIDGE_IP (this host)"
  for (( i = 1; i <= n; i++ )); do echo "host $i: namespace $(ns "$i") address $(addr "$i") sshd pid $(cat "$DIR/h$i/sshd.pid")"; done
  echo "ssh_config $DIR/ssh_config"
}

down() {
  local n i
  n=$(count)
  for (( i = 1; i <= n; i++ )); do
    local name pidfile
    name=$(ns "$i"); pidfile=$DIR/h$i/sshd.pid
    [[ -f $pidfile ]] && kill "$(cat "$pidfile")" 2>/dev/null || true
    if ip netns list | grep -qw "$name"; then
      # whatever still runs in this namespace was started through its sshd (sessions, PostgreSQL)
      local pids tries=0
      pids=$(ip netns pids "$name" || true)
      [[ -n $pids ]] && kill $pids 2>/dev/null || true
      while [[ -n $(ip netns pids "$name" || true) ]] && (( ++tries <= 50 )); do sleep 0.1; done
      pids=$(ip netns pids "$name" || true)
      [[ -n $pids ]] && kill -9 $pids 2>/dev/null || true
      ip netns del "$name"
    fi
    ip link del "$(veth "$i")" 2>/dev/null || true
  done
  ip link del "$BRIDGE" 2>/dev/null || true
  # the per-host trees go with $DIR: their mounts lived only in the hosts' mount namespaces, gone with their processes
  rm -rf "$DIR"
  echo "down: removed $n hosts, $BRIDGE and $DIR (with every host's own /tmp, postgres home, /run/tandem, /var/log/tandem)"
}

fault_table() {  # fault_table I: make sure host I has the fault table with input/output chains
  ip netns exec "$(ns "$1")" nft -f - <<NFT
table inet tandem_fault {
  chain input { type filter hook input priority 0; policy accept; }
  chain output { type filter hook output priority 0; policy accept; }
}
NFT
}

drop_between() {  # drop_between I ADDRESS: host I drops everything from and to ADDRESS
  command -v nft >/dev/null || die "nft missing: apt-get install nftables"
  fault_table "$1"
  ip netns exec "$(ns "$1")" nft add rule inet tandem_fault input ip saddr "$2" drop
  ip netns exec "$(ns "$1")" nft add rule inet tandem_fault output ip daddr "$2" drop
}

heal() {
  local n i
  n=$(count)
  for (( i = 1; i <= n; i++ )); do
    ip netns exec "$(ns "$i")" nft delete table inet tandem_fault 2>/dev/null || true
    ip link set "$(veth "$i")" up
  done
  echo "healed $n hosts"
}

status() {
  local n i
  n=$(count)
  (( n > 0 )) || { echo "no hosts ($DIR/count missing)"; return 0; }
  for (( i = 1; i <= n; i++ )); do
    local link faults
    link=$(ip -br link show "$(veth "$i")" 2>/dev/null | awk '{print $2}')
    faults=$(ip netns exec "$(ns "$i")" nft list table inet tandem_fault 2>/dev/null | grep -c drop || true)
    echo "host $i: $(ns "$i") $(addr "$i") link=$link drop-rules=$faults sshd=$(cat "$DIR/h$i/sshd.pid" 2>/dev/null)"
  done
}

case ${1:-} in
  up) up "${2:?up N}" ;;
  down) down ;;
  status) status ;;
  cut) check_index "${2:?cut I}"; ip link set "$(veth "$2")" down ;;
  uncut) check_index "${2:?uncut I}"; ip link set "$(veth "$2")" up ;;
  cut-coordinator) check_index "${2:?cut-coordinator I}"; drop_between "$2" "$BRIDGE_IP" ;;
  cut-pair)
    check_index "${2:?cut-pair I J}"; check_index "${3:?cut-pair I J}"
    drop_between "$2" "$(addr "$3")"; drop_between "$3" "$(addr "$2")" ;;
  heal) heal ;;
  *) sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
