#!/usr/bin/env bash
# A WalT server with its real network services, inside a network namespace of its own:
# walt-net (made by walt-net-config), walt-server-daemon with its embedded PostgreSQL,
# isc-dhcp-server running the daemon's dhcpd.conf (whose hook is our walt-dhcp-event),
# tftpd-hpa on the daemon's node tree, NFS-Ganesha (+ rpcbind) on the daemon's exports and
# bind9 on its zone. Nodes are namespaces with a veth on walt-net.
#
# Nothing here touches the host's own interfaces or sends traffic outside the namespaces
# it creates. Usage:
#   testbed.sh up DIR [--walt BIN] [--net CIDR] [--host-access] [--images|--no-images]
#                 [--imageless-nodes retry|host-root] [--image-cache DIR] [--vnode-image]
#                                 server side; DIR holds all state; --host-access links the
#                                 host to the server's namespace (host 10.213.255.1, server .2);
#                                 --images: the daemon's podman store in DIR/podman, and the
#                                 simulated-node image (Scripts/images/build-sim-image.sh, kept
#                                 in the cache) as its default image (the default when podman is
#                                 installed; WALT_TESTBED_IMAGES=yes|no|auto sets the default);
#                                 --imageless-nodes: what a node does while no image is
#                                 deployed to it: retry DHCP/TFTP as a board without boot
#                                 files (default with --images), or run on the host's programs
#                                 (host-root, default with --no-images)
#                                 --vnode-image (with --images): pc-x86-64 nodes get the
#                                 virtual-node image instead (Scripts/images/build-vnode-image.sh:
#                                 a kernel, an initramfs, busybox and dropbear), which QEMU
#                                 vnodes (walt node create) boot over the network
#   testbed.sh node DIR NAME MODEL [MAC] [--switch SW [--port P]] [--no-lldp]   a node (MAC
#                                 02:57:41:... by default; upstream shows 52:54:00:... as VPN
#                                 nodes), powered on: its init (sim-node-init.sh) boots it
#                                 (DHCP as walt.node.MODEL, TFTP, sshd, net service on 12346,
#                                 bootup notification, logs, lldpd); returns once it has its
#                                 address. Plugged on walt-net directly, or on switch SW's
#                                 port P (default: its first free port), powered by its PoE;
#                                 --no-lldp: without lldpd (found by forwarding tables only)
#   testbed.sh switch DIR NAME [--ports N]   a simulated PoE switch (sim-switch.sh): a bridge
#                                 with N node ports (default 7; interface indexes 2..N+1,
#                                 its port numbers) and an uplink (port N+2) on walt-net; DHCP
#                                 on its bridge; snmpd (community public, private to write)
#                                 with lldpd as AgentX subagent (LLDP-MIB) and PoE
#                                 (sim-poe.sh: POWER-ETHERNET-MIB)
#   testbed.sh kill-node DIR NAME  power loss: every process of the node dies
#                                 (what its switch port's PoE does when turned off)
#   testbed.sh start-node DIR NAME [--no-wait]   power back on (same MAC and model)
#   testbed.sh exec DIR [NAME] -- CMD...   run CMD in the server's namespace, or inside node
#                                 NAME (its network, pid, uts and mount namespaces, in the
#                                 root of its image when it runs one)
#   testbed.sh restart-daemon DIR [--kill]   the daemon stops (SIGTERM; --kill: SIGKILL, as a
#                                 crash) and starts again on the same state
#   testbed.sh down DIR           stop everything, unmount the images, remove namespaces and
#                                 DIR's runtime files
# Called by the daemon (server.conf's restart commands):
#   testbed.sh restart-dhcpd DIR | reload-named DIR | reload-nfs DIR
set -euo pipefail

die() { echo "testbed: $*" >&2; exit 1; }
usage() { sed -n '9,50p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

# Whether `up` gives the daemon an image store and default images (server.conf's images
# section): yes, no, or auto (yes when podman is installed).
images_default=${WALT_TESTBED_IMAGES:-auto}

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
# A setting `up` recorded in DIR/testbed.conf.
setting() { sed -n "s/^$1=//p" "$dir/testbed.conf" 2>/dev/null; }
# podman on the daemon's store (the same options as server.conf's images section).
podman_store() {
    CONTAINERS_CONF=$dir/containers.conf podman --root "$dir/podman/root" --runroot "$dir/podman/run" "$@"
}

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

# Starts the daemon in the server's namespace $1; returns once it says it is ready.
start_daemon() {
    local name=$1 ready
    touch "$logs/daemon.log"
    ready=$(grep -c "walt-server-daemon ready" "$logs/daemon.log" || true)
    # The daemon, in the server's network namespace and a mount namespace of its own where
    # DIR stays a peer of the host's (its image mounts under DIR/state reach the host, tftpd,
    # ganesha and the nodes) and every other mount is private (nothing else it mounts leaves
    # it); /sys/class/net there shows the server namespace's interfaces, as under `ip netns
    # exec` (the daemon reads walt-net's MAC there). PATH leads dhcpd's hook to our
    # walt-dhcp-event.
    nsenter --net="/run/netns/$name" unshare --mount --propagation unchanged sh -c '
        dir=$1; shift
        findmnt -rn -o TARGET | while read -r m; do
            case $m in "$dir"|"$dir"/*) ;; *) mount --make-private "$m" 2>/dev/null ;; esac
        done
        sys=$(mktemp -d /tmp/walt-testbed-sysfs.XXXXXX) && mount -t sysfs sysfs "$sys" &&
            mount --bind "$sys/class/net" /sys/class/net && mount --bind "$sys/devices/virtual/net" /sys/devices/virtual/net
        umount "$sys" 2>/dev/null; rmdir "$sys" 2>/dev/null
        exec "$@"' walt-testbed-daemon "$dir" \
        env -u WALT_PERSONALITY PATH="$dir/bin:/usr/sbin:/usr/bin:/sbin:/bin" WALT_LOG_LEVEL=info \
        setsid "$dir/bin/walt-server-daemon" --config "$dir/server.conf" --state-dir "$state" --run-dir "$run" \
        >> "$logs/daemon.log" 2>&1 < /dev/null &
    echo $! > "$run/daemon.pid"
    for _ in $(seq 600); do
        [ "$(grep -c "walt-server-daemon ready" "$logs/daemon.log")" -gt "$ready" ] && break
        kill -0 "$(cat "$run/daemon.pid")" 2>/dev/null || die "the daemon stopped: $(tail -3 "$logs/daemon.log")"
        sleep 0.1
    done
    [ "$(grep -c "walt-server-daemon ready" "$logs/daemon.log")" -gt "$ready" ] || die "the daemon is not ready after 60 s"
}

# The daemon stops (SIGTERM, or SIGKILL with --kill: a crash, whose VMs and mounts stay
# behind) and starts again on the same state.
restart_daemon() {
    local pid
    pid=$(cat "$run/daemon.pid" 2>/dev/null || true)
    if [ "${1:-}" = --kill ]; then
        [ -z "$pid" ] || kill -KILL "$pid" 2>/dev/null || true
    else
        [ -z "$pid" ] || kill "$pid" 2>/dev/null || true
    fi
    for _ in $(seq 300); do [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    start_daemon "$(ns)"
}

up() {
    local walt="" net=10.213.0.1/24 access=no images=$images_default imageless="" cache="" vnode_image=no
    while [ $# -gt 0 ]; do
        case $1 in
            --walt) walt=$2; shift 2 ;;
            --net) net=$2; shift 2 ;;
            --host-access) access=yes; shift ;;
            --images) images=yes; shift ;;
            --no-images) images=no; shift ;;
            --imageless-nodes) imageless=$2; shift 2 ;;
            --image-cache) cache=$2; shift 2 ;;
            --vnode-image) vnode_image=yes; shift ;;
            *) die "unknown option $1" ;;
        esac
    done
    if [ "$images" = auto ]; then
        if command -v podman > /dev/null && command -v runc > /dev/null; then images=yes; else images=no; fi
    fi
    case $images in yes|no) ;; *) die "WALT_TESTBED_IMAGES must be yes, no or auto, not $images" ;; esac
    if [ -z "$imageless" ]; then
        if [ $images = yes ]; then imageless=retry; else imageless=host-root; fi
    fi
    case $imageless in retry|host-root) ;; *) die "--imageless-nodes takes retry or host-root, not $imageless" ;; esac
    [ -n "$walt" ] || walt=$(command -v walt) || die "--walt BIN is needed (no walt on PATH)"
    [ "$(id -u)" -eq 0 ] || die "must run as root (network namespaces)"
    [ ! -f "$dir/namespace" ] || die "$dir already holds a testbed (testbed.sh down $dir first)"
    local name
    name="wtb-$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    mkdir -p "$state" "$run/named" "$logs" "$dir/bin" "$dir/nfs/recovery"
    chmod 755 "$dir" "$state"
    printf 'images=%s\nimageless_nodes=%s\n' "$images" "$imageless" > "$dir/testbed.conf"
    # DIR is a shared mount: what the daemon mounts in it (images/<id>/fs) reaches the host
    # and every namespace made later, whose copies are slaves (tftpd, ganesha, the nodes).
    if ! mountpoint -q "$dir"; then
        mount --bind "$dir" "$dir"
        echo yes > "$dir/shared-mount"
    fi
    mount --make-shared "$dir"
    for personality in walt walt-server-daemon walt-dhcp-event walt-net-config walt-server-lldpd; do
        ln -sfn "$(readlink -f "$walt")" "$dir/bin/$personality"
    done
    local images_conf=""
    if [ $images = yes ]; then
        # The default image of simulated nodes, built once into the cache, and the daemon's
        # podman store (podman here needs runc and lowered ulimits: docs/install.md).
        if [ -z "$cache" ]; then
            if [ -d "$(dirname "$self")/../../.build" ]; then
                cache=$(readlink -f "$(dirname "$self")/../../.build")/testbed-cache
            else
                cache=$dir/cache
            fi
        fi
        "$(dirname "$self")/../images/build-sim-image.sh" "$cache/sim-default.tar" >> "$logs/images.log" 2>&1 ||
            die "cannot build the simulated-node image: $(tail -3 "$logs/images.log")"
        mkdir -p "$dir/default-images" "$dir/podman/root" "$dir/podman/run"
        cp "$cache/sim-default.tar" "$dir/default-images/sim-default.tar"
        if [ $vnode_image = yes ]; then
            # The first archive by name that is for a model wins: this one for pc-x86-64.
            "$(dirname "$self")/../images/build-vnode-image.sh" "$cache/vnode-default.tar" >> "$logs/images.log" 2>&1 ||
                die "cannot build the virtual-node image: $(tail -3 "$logs/images.log")"
            cp "$cache/vnode-default.tar" "$dir/default-images/pc-x86-64-default.tar"
        fi
        cp "$(dirname "$self")/../images/containers.conf" "$dir/containers.conf"
        images_conf="images:
    podman-root: $dir/podman/root
    podman-runroot: $dir/podman/run
    containers-conf: $dir/containers.conf
    default-images-dir: $dir/default-images"
    fi
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
$images_conf
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
    start_lldp
    start_daemon "$name"
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
    echo "testbed up: namespace $name, walt-net $net, state $state, images $images (imageless nodes: $imageless)"
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
    # (slave: the image mounts the daemon makes later show in ganesha's namespace too.)
    ip netns exec "$(ns)" setsid unshare --mount --propagation slave sh -c "
        mount -t tmpfs tmpfs /run && mkdir -p /run/ganesha
        rpcbind -f -w &
        for i in \$(seq 50); do [ -S /run/rpcbind.sock ] && break; sleep 0.1; done
        exec ganesha.nfsd -F -L $logs/ganesha.log -f $dir/nfs/ganesha.conf -p $run/ganesha.pid.main -N NIV_EVENT
    " >> "$logs/ganesha.out" 2>&1 < /dev/null &
    echo $! > "$run/ganesha.pid"
}

node() {
    local name=${1:?node name} model=${2:?node model} mac='' switch='' port='' lldp=yes
    shift 2
    while [ $# -gt 0 ]; do
        case $1 in
            --switch) switch=$2; shift 2 ;;
            --port) port=$2; shift 2 ;;
            --no-lldp) lldp=no; shift ;;
            -*) die "unknown option $1" ;;
            *) mac=$1; shift ;;
        esac
    done
    [ -n "$mac" ] || mac=$(printf '02:57:41:%02x:%02x:%02x' $((RANDOM % 256)) $((RANDOM % 256)) $((RANDOM % 256)))
    local nodens board sw=''
    nodens="$(ns)-$name"
    board=$dir/nodes/$name
    [ ! -f "$board/config" ] || die "node $name exists (testbed.sh start-node $dir $name powers it on)"
    if [ -n "$switch" ]; then
        sw=$dir/switches/$switch
        [ -f "$sw/port-count" ] || die "no switch $switch (testbed.sh switch $dir $switch)"
        if [ -z "$port" ]; then
            for ((p = 2; p < $(cat "$sw/uplink"); p++)); do
                [ -e "$sw/ports/$p" ] || { port=$p; break; }
            done
            [ -n "$port" ] || die "switch $switch has no free port"
        fi
        [[ $port =~ ^[0-9]+$ ]] && [ "$port" -ge 2 ] && [ "$port" -lt "$(cat "$sw/uplink")" ] ||
            die "switch $switch has node ports 2 to $(($(cat "$sw/uplink") - 1)), not $port"
        [ ! -e "$sw/ports/$port" ] || die "port $port of switch $switch is taken by $(cat "$sw/ports/$port")"
    elif [ -n "$port" ]; then
        die "--port needs --switch"
    fi
    ip netns add "$nodens"
    echo "$nodens" >> "$dir/node-namespaces"
    ip -n "$nodens" link set lo up
    if [ -n "$sw" ]; then
        # The cable of the switch's port, out of the spare namespace into the node.
        ip -n "$(ns)-sw-$switch-spare" link set "cable$port" netns "$nodens"
        ip -n "$nodens" link set "cable$port" name eth0
        echo "$name" > "$sw/ports/$port"
    else
        ip link add "wn-$name" netns "$(ns)" type veth peer name eth0 netns "$nodens"
        ip -n "$(ns)" link set "wn-$name" master walt-net up
    fi
    # The node's boot brings eth0 up, as a board's firmware does.
    ip -n "$nodens" link set eth0 address "$mac"
    # What start-node needs to boot the same board again.
    mkdir -p "$board/persist"
    printf 'model=%s\nmac=%s\n' "$model" "$mac" > "$board/config"
    [ -z "$sw" ] || printf 'switch=%s\nport=%s\n' "$switch" "$port" >> "$board/config"
    printf 'lldp=%s\n' "$lldp" >> "$board/config"
    # The node's DHCP hook writes nodes/NAME/ip; DIR/NAME.ip is where tests read it.
    ln -sfn "nodes/$name/ip" "$dir/$name.ip"
    power_on "$name" --wait
}

# A simulated PoE switch on walt-net (sim-switch.sh).
switch() {
    local name=${1:?switch name} ports=7
    shift
    while [ $# -gt 0 ]; do
        case $1 in
            --ports) ports=$2; shift 2 ;;
            *) die "unknown option $1" ;;
        esac
    done
    command -v snmpd > /dev/null && command -v lldpd > /dev/null || die "a simulated switch needs snmpd and lldpd"
    "$(dirname "$self")/sim-switch.sh" "$self" "$dir" "$(ns)" "$name" "$ports"
}

# The server's LLDP agent, as walt-server-snmpd and walt-server-lldpd run it (services.md
# §5): snmpd on the walt-net address (community private: what the daemon's rescan queries)
# with walt-server-lldpd's lldpd as its AgentX subagent. Started before --host-access's
# link exists, and told to leave host0 alone, so no LLDP frame reaches the host.
start_lldp() {
    command -v snmpd > /dev/null && command -v lldpd > /dev/null || return 0
    mkdir -p "$run/snmpd" "$run/lldpd" "$state/services/snmpd/persist"
    printf 'agentaddress udp:%s:161\nrocommunity private\nmaster agentx\nagentXSocket %s\n' \
        "$(server_ip)" "$run/snmpd/agentx-master.socket" > "$state/services/snmpd/snmpd.conf"
    in_ns env SNMP_PERSISTENT_DIR="$state/services/snmpd/persist" snmpd -LF 0-4 "$logs/snmpd.log" -I -smux \
        -C -c "$state/services/snmpd/snmpd.conf" -p "$run/snmpd/snmpd.pid"
    for _ in $(seq 50); do [ -S "$run/snmpd/agentx-master.socket" ] && break; sleep 0.1; done
    in_ns env RUNTIME_DIRECTORY="$run/lldpd" SNMPD_AGENTX_SOCKET="$run/snmpd/agentx-master.socket" \
        PIDFILE="$run/lldpd/lldpd.pid" "$dir/bin/walt-server-lldpd" --config "$dir/server.conf" >> "$logs/lldpd.log" 2>&1
    for _ in $(seq 50); do [ -S "$run/lldpd/lldpd.socket" ] && break; sleep 0.1; done
    in_ns lldpcli -u "$run/lldpd/lldpd.socket" configure system interface pattern '*,!host0' > /dev/null
    # Every 5 s instead of 30: a switch plugged later learns where the server is in seconds.
    in_ns lldpcli -u "$run/lldpd/lldpd.socket" configure lldp tx-interval 5 > /dev/null
    in_ns lldpcli -u "$run/lldpd/lldpd.socket" configure system hostname walt-server > /dev/null
    # lldpd starts paused until its own lldpcli run resumes it; configuring it at once, as
    # here, can race with that run and leave it paused (seen): resume it explicitly.
    in_ns lldpcli -u "$run/lldpd/lldpd.socket" resume > /dev/null
    # Ready once lldpd answers through snmpd (lldpLocChassisId), as the daemon reads it.
    local _
    for _ in $(seq 50); do
        in_ns env SNMP_PERSISTENT_DIR="$state/services/snmpd/persist" snmpget -v2c -c private -Oqv -t 1 -r 0 \
            "$(server_ip)" 1.0.8802.1.1.2.1.3.2.0 2>/dev/null | grep -vq "No Such" && return 0
        sleep 0.2
    done
    echo "testbed: the server's lldpd does not answer through snmpd (see $logs/lldpd.log)" >&2
}

# The host pid of node $1's init (PID 1 of its pid namespace), if it runs: the one process
# of the node's network namespace whose NSpid is "<host pid> 1".
init_pid() {
    local pid
    for pid in $(ip netns pids "$(ns)-$1" 2>/dev/null); do
        if grep -qE '^NSpid:[[:space:]]+[0-9]+[[:space:]]+1$' "/proc/$pid/status" 2>/dev/null; then
            echo "$pid"
            return 0
        fi
    done
}

# Starts node $1's init in its network namespace, in namespaces of its own (pid: it is
# PID 1 and takes every node process with it; uts: its hostname; mount: its own root).
# With --wait, returns once DHCP gave it an address (at most 25 s: udhcpc tries 10 s).
power_on() {
    local name=$1 wait=$2 board=$dir/nodes/$1 model mac
    model=$(sed -n 's/^model=//p' "$board/config")
    mac=$(sed -n 's/^mac=//p' "$board/config")
    rm -f "$board/ip"
    # A clean environment: nothing of the caller's (HOME, a user's PATH) leaks into the node.
    # Its mount namespace is a slave of the host's: the images the daemon mounts in DIR/state
    # later show in the node's /sim/server.
    ip netns exec "$(ns)-$name" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin TERM=dumb setsid \
        unshare --pid --fork --kill-child --mount-proc --uts --mount --propagation slave \
        busybox sh "$(dirname "$self")/sim-node-init.sh" "$name" "$model" "$board" "$state" \
        "$(setting imageless_nodes)" \
        >> "$logs/$name.log" 2>&1 < /dev/null &
    echo $! > "$run/node-$name.pid"
    [ "$wait" = --wait ] || { echo "node $name ($mac): powered on in namespace $(ns)-$name"; return 0; }
    for _ in $(seq 250); do
        [ -s "$board/ip" ] && break
        kill -0 "$(cat "$run/node-$name.pid")" 2>/dev/null || die "node $name stopped: $(tail -3 "$logs/$name.log")"
        sleep 0.1
    done
    if [ ! -s "$board/ip" ]; then
        power_off "$name"
        die "node $name got no DHCP lease (see $logs/$name.log)"
    fi
    echo "node $name ($mac): $(cat "$board/ip") in namespace $(ns)-$name"
}

# Power loss: SIGKILL to the init kills its whole pid namespace (from outside, the init of
# a pid namespace gets no other signal it does not handle). Then anything else still in the
# node's network namespace (an `ip netns exec` there) goes too, and the cable goes dark.
power_off() {
    local name=$1 nodens pid pids
    nodens="$(ns)-$name"
    pid=$(init_pid "$name")
    [ -z "$pid" ] || kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 50); do
        [ -z "$(ip netns pids "$nodens" 2>/dev/null)" ] && break
        sleep 0.1
    done
    pids=$(ip netns pids "$nodens" 2>/dev/null || true)
    [ -z "$pids" ] || kill -KILL $pids 2>/dev/null || true
    rm -f "$run/node-$name.pid" "$dir/nodes/$name/ip"
    ip -n "$nodens" addr flush dev eth0 2>/dev/null || true
    ip -n "$nodens" link set eth0 down 2>/dev/null || true
}

kill_node() {
    local name=${1:?node name}
    [ -f "$dir/nodes/$name/config" ] || die "no node $name in $dir"
    power_off "$name"
}

start_node() {
    local name=${1:?node name} wait=--wait
    [ "${2:-}" != --no-wait ] || wait=--no-wait
    [ -f "$dir/nodes/$name/config" ] || die "no node $name in $dir (testbed.sh node $dir $name MODEL first)"
    [ -z "$(init_pid "$name")" ] || die "node $name is already on"
    power_on "$name" "$wait"
}

exec_in() {
    local target="" pid
    if [ "${1:-}" != "--" ]; then target=${1:-}; shift; fi
    [ "${1:-}" = "--" ] && shift
    if [ -n "$target" ]; then
        pid=$(init_pid "$target")
        [ -n "$pid" ] || die "node $target is not running (testbed.sh start-node $dir $target)"
        # All of the init's namespaces: network, pid, uts, mount (the node's root), ipc; and
        # the image's root when the node runs one (sim-node.sh mounts it on /sim/image).
        if [ "$(cat "/proc/$pid/root/run/walt/root" 2>/dev/null)" = image ]; then
            exec nsenter -t "$pid" -a /sim/bin/busybox chroot /sim/image "$@"
        fi
        exec nsenter -t "$pid" -a "$@"
    fi
    exec ip netns exec "$(ns)" "$@"
}

down() {
    [ -f "$dir/namespace" ] || { unmount_all; return 0; }
    local name
    name=$(cat "$dir/namespace")
    # Nodes first: their inits only die of SIGKILL, and take their pid namespaces along.
    for config in "$dir"/nodes/*/config; do
        [ -f "$config" ] || continue
        power_off "$(basename "$(dirname "$config")")"
    done
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
    unmount_all
    # The host end of --host-access goes with the namespace; make sure.
    [ ! -f "$dir/host-interface" ] || ip link del "$(cat "$dir/host-interface")" 2>/dev/null || true
    # The boards (their configuration, /persist, boot file) and their address links.
    for config in "$dir"/nodes/*/config; do
        [ -f "$config" ] || continue
        rm -f "$dir/$(basename "$(dirname "$config")").ip"
    done
    rm -rf "$dir/nodes" "$dir/switches"
    rm -f "$dir/namespace" "$dir/node-namespaces" "$dir/host-interface" "$run"/*.pid* "$dir/testbed.conf"
}

# Once every process is gone: the images the daemon mounted (podman's mounts, their binds
# in DIR/state/images), anything else still mounted under DIR, and DIR's shared bind.
unmount_all() {
    local m
    if [ -d "$dir/podman/root" ]; then
        podman_store image unmount --all > /dev/null 2>&1 || true
    fi
    for m in "$state"/images/*/fs; do
        if mountpoint -q "$m" 2>/dev/null; then umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; fi
    done
    { findmnt -rn -o TARGET | grep -F "$dir/" || true; } | sort -r | while read -r m; do
        case $m in "$dir"/*) umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true ;; esac
    done
    # podman's run root says what it mounted: nothing is, now.
    rm -rf "$dir/podman/run"
    if [ -f "$dir/shared-mount" ]; then
        umount "$dir" 2>/dev/null || umount -l "$dir" 2>/dev/null || true
        rm -f "$dir/shared-mount"
    fi
}

case $cmd in
    up) up "$@" ;;
    node) node "$@" ;;
    switch) switch "$@" ;;
    kill-node) kill_node "$@" ;;
    start-node) start_node "$@" ;;
    exec) exec_in "$@" ;;
    down) down ;;
    restart-daemon) restart_daemon "$@" ;;
    restart-dhcpd) restart_dhcpd ;;
    reload-named) reload_named ;;
    reload-nfs) reload_nfs ;;
    *) usage ;;
esac
