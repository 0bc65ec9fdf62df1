#!/bin/sh
# A simulated node's life after DHCP, with busybox only, as WalT's node-side scripts do it
# (services.md §8.2-8.3): fetch the boot file over TFTP, hold the bootup notification
# connection to the server (REQ_NOTIFY_BOOTUP_STATUS, an empty line every 20 s), and send
# log lines (REQ_NEW_INCOMING_LOGS, server timestamps). Runs in the node's namespace until
# killed; killing it is the node dying.
#   sim-node.sh SERVER_IP NAME WORKDIR
set -u
server=$1 name=$2 work=$3
streams=12347
mkdir -p "$work"
say() { echo "$(date +%T) $name: $*"; }

# What the bootloader does: the TFTP map sends this to nodes/<our ip>/tftp/start.ipxe.
if busybox tftp -g -r start.ipxe -l "$work/start.ipxe" "$server" 2>/dev/null; then
    say "boot file start.ipxe: $(head -n 1 "$work/start.ipxe")"
else
    say "boot file start.ipxe: not served"
fi

# Bootup notification: the first byte after the request marks the node booted; the end of
# the connection marks it down.
( echo REQ_NOTIFY_BOOTUP_STATUS; echo; while sleep 20; do echo; done ) | busybox nc "$server" $streams > /dev/null &
say "bootup notification sent"

# A log stream, as walt-log-tee sends it.
(
    printf 'REQ_NEW_INCOMING_LOGS\nsim-node\nNO_TIMESTAMPS\n'
    echo "$name booted (simulated node)"
    i=0
    while sleep 5; do
        i=$((i + 1))
        echo "$name heartbeat $i, uptime $(cut -d' ' -f1 /proc/uptime) s"
    done
) | busybox nc "$server" $streams > /dev/null &
say "log stream sim-node open"
wait
