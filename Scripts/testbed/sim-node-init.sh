#!/bin/sh
# PID 1 of a simulated node. testbed.sh starts it in the node's network namespace under
#   unshare --pid --fork --kill-child --mount-proc --uts --mount --propagation slave
# and it plays the board's firmware and walt-init: it gives the node its hostname and a root
# of its own, then runs the boot sequence (sim-node.sh).
#
# The init's root (the node's "firmware" root, where its services run) is a tmpfs: the
# host's /usr, /etc, /var are copy-on-write overlays on it (the node sees the host's
# programs, and nothing it writes reaches the host), /root, /tmp and /run are tmpfs of their
# own (the host's /root is never seen), /persist is the board's directory
# DIR/nodes/NAME/persist (it survives reboots), /dev and /sys are the host's.
# /sim holds the wiring: bin/ (these scripts, a copy of busybox and its applets), host/ (the
# board's directory on the host: ip, start.ipxe), server/ (the server's state directory,
# read-only, with the mounts the daemon makes in it later: the SSH keys, nodes/<mac>/fs ->
# ../../images/<id>/fs), lower/ and rw/ (the overlays' two sides), image/ (the root of the
# image the server deploys to the node, mounted by sim-node.sh at each boot: a copy-on-write
# overlay of nodes/<mac>/fs whose changes live in RAM; user sessions and `testbed.sh exec`
# run there). The mount namespace is a slave of the host's, so the image mounts the daemon
# makes under DIR/state after power-on show in /sim/server.
#
# SIGUSR1 (the net service's REBOOT, or the boot sequence losing the server) is a soft
# reboot: every other process of the node dies, the node's RAM (/root, /tmp, /run, the
# overlays' changes, the image's changes) is cleared and the boot sequence runs again.
# Killing this process is power loss: the kernel kills every process of its pid namespace.
#   busybox sh sim-node-init.sh NAME MODEL BOARD_DIR SERVER_STATE_DIR [IMAGELESS]
# IMAGELESS (retry, the default, or host-root) is what a boot without an image deployed
# does: sim-node.sh tells. (It then execs itself from the node's root as:
# sim-node-init.sh --run NAME MODEL IMAGELESS)
set -u

say() { echo "$(date +%T) $name: $*"; }
# PID 1 exiting is a crash: the node dies with it.
crash() { say "init: $*"; exit 1; }

# Runs with the host's root and tools: builds the node's root on a tmpfs and moves into it.
power_on() {
    local here new b
    here=$(cd "$(dirname "$0")" && pwd)
    [ "$$" = 1 ] || crash "must run as PID 1 of a pid namespace"
    hostname "$name" || crash "no uts namespace"
    # The new root is mounted over /mnt: in this private mount namespace, that hides
    # nothing outside the node.
    new=/mnt
    mount -t tmpfs -o mode=755 "node-$name" "$new" || crash "cannot mount the node's root"
    cd "$new" || crash "no $new"
    mkdir -p dev proc sys run tmp root persist home mnt opt srv media boot \
        sim/bin sim/host sim/server sim/lower sim/rw sim/image sim/old-root
    chmod 700 root
    chmod 1777 tmp
    # What the host has as symlinks (merged /usr) is a symlink here too; directories are
    # overlays (their lower side is a read-only bind of the host's).
    for b in usr etc var bin sbin lib lib32 lib64 libx32; do
        if [ -L "/$b" ]; then
            ln -s "$(readlink "/$b")" "$b"
        elif [ -d "/$b" ]; then
            mkdir -p "$b" "sim/lower/$b"
            mount -o bind,ro "/$b" "sim/lower/$b" || crash "cannot bind /$b"
        fi
    done
    mount --rbind /dev dev && mount --rbind /sys sys && mount -t proc proc proc || crash "cannot mount /dev, /sys, /proc"
    mkdir -p "$board/persist"
    mount --bind "$board" sim/host && mount --bind "$board/persist" persist || crash "cannot bind $board"
    # Recursive, and a slave of the host's: the images the daemon mounts show up here.
    mount --rbind "$server_state" sim/server && mount -o remount,bind,ro sim/server || crash "cannot bind $server_state"
    # busybox-static (this shell) is one static file: the copy works while /usr is remounted.
    cp "$here"/sim-*.sh sim/bin/ && cp "$(readlink -f /proc/$$/exe)" sim/bin/busybox || crash "cannot copy the node's scripts"
    pivot_root . sim/old-root || crash "pivot_root failed"
    cd /
    umount -l /sim/old-root && rmdir /sim/old-root
    exec /sim/bin/busybox sh /sim/bin/sim-node-init.sh --run "$name" "$model" "$imageless"
}

# Unmounts $1 if it is mounted (lazily if something still holds it).
unmount() {
    busybox umount "$1" 2>/dev/null || busybox umount -l "$1" 2>/dev/null || true
}

# The node's RAM as at power-on: fresh tmpfs on /root, /tmp, /run and fresh overlays; the
# image's root (and what is mounted in it) goes, sim-node.sh mounts it again at boot.
fresh_ram() {
    local b
    unmount /sim/image
    for b in /sim/lower/*; do [ -d "$b" ] && unmount "/${b#/sim/lower/}"; done
    for b in /sim/rw /run /tmp /root; do unmount "$b"; done
    busybox mount -t tmpfs -o mode=755 rw /sim/rw
    busybox mount -t tmpfs -o mode=755 run /run
    busybox mount -t tmpfs -o mode=1777 tmp /tmp
    busybox mount -t tmpfs -o mode=700 root /root
    for b in /sim/lower/*; do
        [ -d "$b" ] || continue
        b=${b#/sim/lower/}
        mkdir -p "/sim/rw/$b/upper" "/sim/rw/$b/work"
        # Without overlayfs the node gets the host's directory read-only.
        busybox mount -t overlay -o "lowerdir=/sim/lower/$b,upperdir=/sim/rw/$b/upper,workdir=/sim/rw/$b/work" \
            "overlay-$b" "/$b" 2>/dev/null || busybox mount --bind "/sim/lower/$b" "/$b"
    done
    mkdir -p /run/walt
    echo "$name" > /etc/hostname 2>/dev/null
    # The image's /bin/blink, which the net service's BLINK runs.
    cp /sim/bin/sim-blink.sh /bin/blink 2>/dev/null && chmod 755 /bin/blink || say "no /bin/blink (read-only /usr)"
}

# True while a process other than this one is alive in the node (zombies do not count).
others_alive() {
    local p k v
    for p in /proc/[0-9]*; do
        p=${p#/proc/}
        [ "$p" = 1 ] && continue
        [ -r "/proc/$p/status" ] || continue
        while read -r k v; do
            if [ "$k" = State: ]; then
                case $v in Z*) break ;; *) return 0 ;; esac
            fi
        done < "/proc/$p/status"
    done
    return 1
}

# Every other process of the node dies (kill -1 from PID 1 spares only PID 1); `wait`
# reaps them, orphans included (ash's wait takes any child).
stop_all() {
    local i
    kill -TERM -1 2>/dev/null
    i=0
    while others_alive && [ $i -lt 30 ]; do
        sleep 0.1 & wait $!
        i=$((i + 1))
    done
    kill -KILL -1 2>/dev/null
    while others_alive; do sleep 0.1 & wait $!; done
}

run() {
    local boot=0
    export PATH=/sim/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
    busybox --install -s /sim/bin
    reboot_requested=0
    # PID 1 gets only the signals it handles: USR1 is the soft reboot.
    trap 'reboot_requested=1' USR1
    fresh_ram
    while :; do
        boot=$((boot + 1))
        reboot_requested=0
        say "init: boot $boot"
        busybox sh /sim/bin/sim-node.sh "$name" "$model" "$imageless" < /dev/null &
        # `wait` returns when USR1 arrives, and reaps orphans meanwhile.
        while [ $reboot_requested = 0 ]; do
            sleep 5 & wait $!
        done
        say "init: soft reboot, stopping every process"
        stop_all
        fresh_ram
    done
}

if [ "${1:-}" = --run ]; then
    name=$2 model=$3 imageless=${4:-retry}
    run
else
    name=${1:?NAME} model=${2:?MODEL} board=${3:?BOARD_DIR} server_state=${4:?SERVER_STATE_DIR}
    imageless=${5:-retry}
    case $imageless in retry|host-root) ;; *) crash "IMAGELESS must be retry or host-root, not $imageless" ;; esac
    power_on
fi
