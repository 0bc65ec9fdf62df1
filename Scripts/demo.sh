#!/usr/bin/env bash
# `make demo` / `make demo-stop`: a WalT server with its real services and three simulated
# nodes, on a testbed (Scripts/testbed/testbed.sh) whose state lives in .demo/, reachable
# from the host at 10.213.255.2 (a point-to-point link into the server's namespace). The
# server has an image store (podman): the nodes boot the simulated-node default image,
# built offline by Scripts/images/build-sim-image.sh. Two nodes are plugged on a simulated
# PoE switch (Scripts/testbed/sim-switch.sh), configured as an admin would, so `walt device
# tree` shows them and `walt node reboot --hard` power-cycles them.
#   demo.sh up WALT_BINARY | down
set -euo pipefail
cd "$(dirname "$0")/.."
demo=$PWD/.demo
testbed=Scripts/testbed/testbed.sh
server=10.213.255.2

# The invoking user (make demo runs as root through sudo): their ~/.walt/config.
user=${SUDO_USER:-$(id -un)}
home=$(getent passwd "$user" | cut -d: -f6)
config=$home/.walt/config

up() {
    local walt=${1:?walt binary}
    [ "$(id -u)" -eq 0 ] || { echo "make demo needs root (network namespaces): sudo make demo" >&2; exit 1; }
    if [ -f "$demo/namespace" ]; then
        echo "A demo is already running (make demo-stop first)." >&2
        exit 1
    fi
    rm -rf "$demo"
    mkdir -p "$demo"
    "$testbed" up "$demo" --walt "$walt" --host-access --images
    local plug=()
    if command -v snmpd > /dev/null && command -v lldpd > /dev/null; then
        "$testbed" switch "$demo" sw --ports 6
        plug=(--switch sw)
    fi
    "$testbed" node "$demo" rpi3 rpi-3-b-plus "${plug[@]}"
    "$testbed" node "$demo" pc1 pc-x86-64
    "$testbed" node "$demo" rpi4 rpi-4-b "${plug[@]}"
    # The nodes as the server names them (<hostname>-<end of the MAC>), once booted.
    mkdir -p "$demo/home-demo/.walt"
    printf 'walt:\n    server: 127.0.0.1\n    username: %s\n' "$user" > "$demo/home-demo/.walt/config"
    local show="" i
    for i in $(seq 60); do
        show=$("$testbed" exec "$demo" -- env HOME="$demo/home-demo" "$demo/bin/walt" node show --all 2>/dev/null || true)
        [ "$(grep -c ' yes *$' <<<"$show")" -ge 3 ] && break
        sleep 1
    done
    first=$(grep -o '^pc1-[0-9a-f]*' <<<"$show" | head -n 1)
    local rpi='' tree=''
    rpi=$(grep -o '^rpi3-[0-9a-f]*' <<<"$show" | head -n 1)
    if [ ${#plug[@]} -gt 0 ]; then
        # The admin's part: tell WalT the switch is one it may explore and power-cycle
        # nodes through, then scan (the switch hears its nodes' LLDP within seconds).
        local walt_demo=("$testbed" exec "$demo" -- env HOME="$demo/home-demo" "$demo/bin/walt")
        local sw_name
        sw_name=$("${walt_demo[@]}" device show 2>/dev/null | grep -o '^sw-[0-9a-f]*' | head -n 1 || true)
        if [ -n "$sw_name" ]; then
            "${walt_demo[@]}" device config "$sw_name" type=switch lldp.explore=true snmp.version=2 \
                snmp.community=private poe.reboots=true > /dev/null
            for i in $(seq 15); do
                "${walt_demo[@]}" device rescan > /dev/null 2>&1 || true
                tree=$("${walt_demo[@]}" device tree 2>/dev/null || true)
                [ "$(grep -c '─[0-9]*: rpi' <<<"$tree")" -ge 2 ] && break
                sleep 2
            done
        fi
    fi
    if [ ! -e "$config" ]; then
        install -d -m 700 -o "$user" "$home/.walt"
        printf 'walt:\n    server: %s\n    username: %s\n' "$server" "$user" > "$config"
        chown "$user" "$config"
        chmod 600 "$config"
        echo "$config" > "$demo/wrote-config"
        config_note="Wrote $config (server $server, username $user); make demo-stop removes it."
    else
        config_note="Your $config is kept: set 'server: $server' in it to use the demo."
    fi
    cat <<MSG

WalT demo running: a server (daemon, PostgreSQL, dhcpd, tftpd, NFS, DNS, podman, LLDP
agent) and 3 simulated nodes in network namespaces, booting the default image, two of them
behind a simulated PoE switch. $config_note
$(sed -e 's/\x1b\[[0-9;]*m//g' -e 's/^/    /' <<<"$show")

The walt command: $walt (or: make install). Try:

    walt node show --all
    walt log show --realtime --nodes all-nodes     (^C to stop, in another terminal)
    walt node acquire ${first:-<node>}                   (it reboots on your copy of its image)
    walt node run ${first:-<node>} -- uname -a
    walt node shell ${first:-<node>}
    walt image show
    walt image shell sim-default                   (change the image, save it: nodes reboot on it)
    walt device show
    walt device tree                               (rpi3 and rpi4 are on switch sw's ports)
    walt node reboot --hard ${rpi:-<node>}               (PoE off for 2 s, then on: it boots again)
    python client 10.0: .venv-walt-client/bin/walt node show --all

Logs: $demo/logs.  Stop and remove everything: sudo make demo-stop
MSG
}

down() {
    if [ -f "$demo/wrote-config" ]; then
        rm -f "$(cat "$demo/wrote-config")"
    fi
    [ ! -d "$demo" ] || "$testbed" down "$demo"
    rm -rf "$demo"
    echo "demo stopped; namespaces, links, processes and files removed"
}

case ${1:-} in
    up) up "${2:-}" ;;
    down) down ;;
    *) echo "usage: demo.sh up WALT_BINARY | down" >&2; exit 2 ;;
esac
