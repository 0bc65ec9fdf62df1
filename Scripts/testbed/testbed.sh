#!/usr/bin/env bash
# A WalT server with its real network services, inside a network namespace of its own:
# walt-net (made by walt-net-config), walt-server-daemon with its embedded PostgreSQL,
# isc-dhcp-server running the daemon's dhcpd.conf (whose hook is our walt-dhcp-event),
# tftpd-hpa on the daemon's node tree, NFS-Ganesha (+ rpcbind) on the daemon's exports and
# bind9 on its zone. Nodes are namespaces with a veth on walt-net.
#
# Nothing here touches the host's own interfaces or sends traffic outside the namespaces
# it creates. Usage:
#   testbed.sh up DIR [--walt BIN] [--net CIDR] [--host-access]
#                                 server side; DIR holds all state; --host-access links the
#                                 host to the server's namespace (host 10.213.255.1, server .2)
#   testbed.sh node DIR NAME MODEL [MAC]   a simulated node (MAC 02:57:41:... by default; upstream
#                                 shows 52:54:00:... as VPN nodes): DHCP as walt.node.MODEL, then
#                                 sim-node.sh (boot file, bootup notification, logs)
#   testbed.sh kill-node DIR NAME  the node dies (its processes are killed)
#   testbed.sh exec DIR [NAME] -- CMD...   run CMD in the server's (or NAME's) namespace
#   testbed.sh down DIR           stop everything, remove namespaces and DIR's runtime files
# Called by the daemon (server.conf's restart commands):
#   testbed.sh restart-dhcpd DIR | reload-named DIR | reload-nfs DIR
set -euo pipefail

die() { echo "testbed: $*" >&2; exit 1; }
usage() { sed -n '9,21p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

self=$(readlink -f "$0")
cmd=${1:-}; [ -n "$cmd" ] || usage
shift
dir=${1:-}; [ -n "$dir" ] || usage
shift
mkdir -p "$dir"
dir=$(readlink -f "$dir")
state=$dir/state
run=$dir/run
logs=$dir/logs

ns() { cat "$dir/namespace" 2>/dev/null || die "no testbed in $dir (run: testbed.sh up $dir)"; }
in_ns() { ip netns exec "$(ns)" "$@"; }
server_ip() { sed -n 's/^TFTPD_ADDRESS=//p' "$state/services/tftpd/tftpd.env"; }

# Stops the process whose pid is in file $1 and waits (at most 5 s) until it is gone.
stop_pidfile() {
    local pid
    [ -f "$1" ] || return 0
    pid=$(cat "$1")
    rm -f "$1"
    kill "$pid" 2>/dev/null || return 0
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.05; done
    kill -9 "$pid" 2>/dev/null || true
}

up() {
    local walt="" net=10.213.0.1/24 access=no
    while [ $# -gt 0 ]; do
        case $1 in
            --walt) walt=$2; shift 2 ;;
            --net) net=$2; shift 2 ;;
            --host-access) access=yes; shift ;;
            *) die "unknown option $1" ;;
        esac
    done
    [ -n "$walt" ] || walt=$(command -v walt) || die "--walt BIN is needed (no walt on PATH)"
    [ "$(id -u)" -eq 0 ] || die "must run as root (network namespaces)"
    [ ! -f "$dir/namespace" ] || die "$dir already holds a testbed (testbed.sh down $dir first)"
    local name
    name="wtb-$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    mkdir -p "$state" "$run/named" "$logs" "$dir/bin" "$dir/nfs/recovery"
    chmod 755 "$dir" "$state"
    for personality in walt walt-server-daemon walt-dhcp-event walt-net-config; do
        ln -sfn "$(readlink -f "$walt")" "$dir/bin/$personality"
    done
    cat > "$dir/server.conf" <<EOF
# testbed server configuration (testbed.sh)
network:
    walt-net:
        raw-device: null
        ip: $net
services:
    dhcpd:
        restart-command: $self restart-dhcpd $dir
    named:
        restart-command: $self reload-named $dir
    nfsd:
        exports-format: ganesha
        exports-file: $state/services/nfsd/walt-exports.conf
        reload-command: $self reload-nfs $dir
EOF
    ip netns add "$name"
    echo "$name" > "$dir/namespace"
    ip -n "$name" link set lo up
    in_ns "$dir/bin/walt-net-config" --config "$dir/server.conf" --state-dir "$state" up >> "$logs/net-config.log"
    # tftpd-hpa drops to user nobody: the tree it serves must be readable.
    mkdir -p "$state/nodes" "$state/tftp-static"
    chmod 755 "$state/nodes" "$state/tftp-static"
    in_ns /usr/sbin/in.tftpd --listen --address "$(server_ip):69" --secure \
        --map-file "$state/services/tftpd/map" --pidfile "$run/tftpd.pid" "$state" > /dev/null 2>&1 < /dev/null
    # The daemon: PATH leads dhcpd's hook to our walt-dhcp-event.
    ip netns exec "$name" env -u WALT_PERSONALITY PATH="$dir/bin:/usr/sbin:/usr/bin:/sbin:/bin" WALT_LOG_LEVEL=info \
        setsid "$dir/bin/walt-server-daemon" --config "$dir/server.conf" --state-dir "$state" --run-dir "$run" \
        >> "$logs/daemon.log" 2>&1 < /dev/null &
    echo $! > "$run/daemon.pid"
    for _ in $(seq 600); do
        grep -q "walt-server-daemon ready" "$logs/daemon.log" && break
        kill -0 "$(cat "$run/daemon.pid")" 2>/dev/null || die "the daemon stopped: $(tail -3 "$logs/daemon.log")"
        sleep 0.1
    done
    grep -q "walt-server-daemon ready" "$logs/daemon.log" || die "the daemon is not ready after 60 s"
    if [ $access = yes ]; then
        # A point-to-point link from the host into the server's namespace, so that a
        # client in the host's own shell reaches the daemon (nothing else is routed).
        local host_if="wtbh${name#wtb-}"
        ip link add "$host_if" type veth peer name host0 netns "$name"
        ip addr add 10.213.255.1/30 dev "$host_if"
        ip link set "$host_if" up
        ip -n "$name" addr add 10.213.255.2/30 dev host0
        ip -n "$name" link set host0 up
        echo "$host_if" > "$dir/host-interface"
    fi
    echo "testbed up: namespace $name, walt-net $net, state $state"
}

restart_dhcpd() {
    stop_pidfile "$run/dhcpd.pid"
    touch "$state/services/dhcpd/dhcpd.leases"
    date +%s.%N >> "$logs/dhcpd-restarts"
    # Started directly (not through a shell function) so that $! is dhcpd itself.
    ip netns exec "$(ns)" env PATH="$dir/bin:/usr/sbin:/usr/bin:/sbin:/bin" setsid /usr/sbin/dhcpd -f -4 -d \
        -cf "$state/services/dhcpd/dhcpd.conf" -lf "$state/services/dhcpd/dhcpd.leases" \
        -pf "$run/dhcpd.pid.dhcpd" walt-net >> "$logs/dhcpd.log" 2>&1 < /dev/null &
    echo $! > "$run/dhcpd.pid"
}

reload_named() {
    date +%s.%N >> "$logs/named-reloads"
    if [ -f "$run/named.pid.main" ] && kill -HUP "$(cat "$run/named.pid.main")" 2>/dev/null; then return 0; fi
    ip netns exec "$(ns)" setsid /usr/sbin/named -f -4 -c "$state/services/named/named.conf" \
        >> "$logs/named.log" 2>&1 < /dev/null &
    echo $! > "$run/named.pid.main"
}

reload_nfs() {
    date +%s.%N >> "$logs/nfs-reloads"
    if [ -f "$run/ganesha.pid" ] && kill -HUP "$(cat "$run/ganesha.pid")" 2>/dev/null; then return 0; fi
    cat > "$dir/nfs/ganesha.conf" <<EOF
NFS_CORE_PARAM { Protocols = 3, 4; Bind_addr = $(server_ip); Enable_NLM = false; Enable_RQUOTA = false; }
NFSv4 { RecoveryBackend = fs; RecoveryRoot = $dir/nfs/recovery; Graceless = true; }
LOG { Default_Log_Level = EVENT; }
%include "$state/services/nfsd/walt-exports.conf"
EOF
    # rpcbind keeps its socket in /run: a private /run lets it coexist with the host's.
    ip netns exec "$(ns)" setsid unshare --mount --propagation private sh -c "
        mount -t tmpfs tmpfs /run && mkdir -p /run/ganesha
        rpcbind -f -w &
        for i in \$(seq 50); do [ -S /run/rpcbind.sock ] && break; sleep 0.1; done
        exec ganesha.nfsd -F -L $logs/ganesha.log -f $dir/nfs/ganesha.conf -p $run/ganesha.pid.main -N NIV_EVENT
    " >> "$logs/ganesha.out" 2>&1 < /dev/null &
    echo $! > "$run/ganesha.pid"
}

node() {
    local name=${1:?node name} model=${2:?node model} mac=${3:-}
    [ -n "$mac" ] || mac=$(printf '02:57:41:%02x:%02x:%02x' $((RANDOM % 256)) $((RANDOM % 256)) $((RANDOM % 256)))
    local nodens
    nodens="$(ns)-$name"
    ip netns add "$nodens"
    echo "$nodens" >> "$dir/node-namespaces"
    ip -n "$nodens" link set lo up
    ip link add "wn-$name" netns "$(ns)" type veth peer name eth0 netns "$nodens"
    ip -n "$(ns)" link set "wn-$name" master walt-net up
    ip -n "$nodens" link set eth0 address "$mac" up
    cat > "$dir/udhcpc.script" <<'EOF'
#!/bin/sh
# udhcpc hook: configure the leased address (busybox-static ships no default script).
case $1 in
    bound|renew)
        ip addr flush dev "$interface"
        ip addr add "$ip/${mask:-24}" dev "$interface"
        [ -z "$router" ] || ip route replace default via "${router%% *}" dev "$interface"
        echo "$ip" > "$LEASE_FILE" ;;
esac
EOF
    chmod 755 "$dir/udhcpc.script"
    ip netns exec "$nodens" env LEASE_FILE="$dir/$name.ip" busybox udhcpc -i eth0 -f -q -n -t 10 -T 1 \
        -V "walt.node.$model" -x "hostname:$name" -s "$dir/udhcpc.script" >> "$logs/$name-udhcpc.log" 2>&1 \
        || die "node $name got no DHCP lease (see $logs/$name-udhcpc.log)"
    ip netns exec "$nodens" setsid sh "$(dirname "$self")/sim-node.sh" "$(server_ip)" "$name" "$dir/nodes/$name" \
        >> "$logs/$name.log" 2>&1 < /dev/null &
    echo "node $name ($mac): $(cat "$dir/$name.ip") in namespace $nodens"
}

kill_node() {
    local name=${1:?node name} pids
    pids=$(ip netns pids "$(ns)-$name")
    [ -z "$pids" ] || kill $pids
}

exec_in() {
    local target=""
    if [ "${1:-}" != "--" ]; then target=${1:-}; shift; fi
    [ "${1:-}" = "--" ] && shift
    if [ -n "$target" ]; then exec ip netns exec "$(ns)-$target" "$@"; fi
    exec ip netns exec "$(ns)" "$@"
}

down() {
    [ -f "$dir/namespace" ] || return 0
    local name
    name=$(cat "$dir/namespace")
    # Every process started in the namespaces (daemon, PostgreSQL, dhcpd, tftpd, named,
    # ganesha, rpcbind) goes with them.
    for space in "$name" $(cat "$dir/node-namespaces" 2>/dev/null); do
        pids=$(ip netns pids "$space" 2>/dev/null || true)
        [ -z "$pids" ] || kill $pids 2>/dev/null || true
    done
    for _ in $(seq 100); do
        [ -z "$(ip netns pids "$name" 2>/dev/null)" ] && break
        sleep 0.1
    done
    pids=$(ip netns pids "$name" 2>/dev/null || true)
    [ -z "$pids" ] || kill -9 $pids 2>/dev/null || true
    for space in $(cat "$dir/node-namespaces" 2>/dev/null) "$name"; do
        ip netns del "$space" 2>/dev/null || true
    done
    # The host end of --host-access goes with the namespace; make sure.
    [ ! -f "$dir/host-interface" ] || ip link del "$(cat "$dir/host-interface")" 2>/dev/null || true
    rm -f "$dir/namespace" "$dir/node-namespaces" "$dir/host-interface" "$run"/*.pid*
}

case $cmd in
    up) up "$@" ;;
    node) node "$@" ;;
    kill-node) kill_node "$@" ;;
    exec) exec_in "$@" ;;
    down) down ;;
    restart-dhcpd) restart_dhcpd ;;
    reload-named) reload_named ;;
    reload-nfs) reload_nfs ;;
    *) usage ;;
esac
