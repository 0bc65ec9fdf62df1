#!/usr/bin/env bash
# `make demo` / `make demo-stop`: a WalT server with its real services and three simulated
# nodes, on a testbed (Scripts/testbed/testbed.sh) whose state lives in .demo/, reachable
# from the host at 10.213.255.2 (a point-to-point link into the server's namespace). The
# server has an image store (podman): the nodes boot the simulated-node default image,
# built offline by Scripts/images/build-sim-image.sh.
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
    "$testbed" node "$demo" rpi3 rpi-3-b-plus
    "$testbed" node "$demo" pc1 pc-x86-64
    "$testbed" node "$demo" rpi4 rpi-4-b
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

WalT demo running: a server (daemon, PostgreSQL, dhcpd, tftpd, NFS, DNS, podman) and 3
simulated nodes in network namespaces, booting the default image. $config_note
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
