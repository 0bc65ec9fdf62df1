#!/bin/sh
# The boot sequence of a simulated node, run by its init (sim-node-init.sh) at every boot,
# with busybox and the host's dropbear, in the order of a WalT node (services.md §8.2-8.3):
#   1. DHCP (udhcpc, vendor class walt.node.MODEL; sim-udhcpc.sh configures eth0),
#   2. the boot file start.ipxe over TFTP (from the lease's next-server),
#   3. the SSH server (dropbear with the server's host key; root authorizes the server's key),
#   4. the node net service on TCP 12346 (sim-net-service.sh: REBOOT, BLINK, PING...),
#   5. the bootup notification (REQ_NOTIFY_BOOTUP_STATUS, an empty line every 20 s) once
#      sshd accepts connections, and a log stream (REQ_NEW_INCOMING_LOGS, stream sim-node).
# It then holds the notification connection; losing it (the server went away) reboots the
# node, as walt-notify-bootup does.
#   sim-node.sh NAME MODEL
set -u
name=$1 model=$2
streams=12347
key=/sim/server/keys/dropbear_ecdsa_host_key
authorized=/sim/server/ssh/id_rsa.pub
say() { echo "$(date +%T) $name: $*"; }

# True once something listens on TCP port $1 (hex) in the node's network namespace.
listening() {
    grep -q ":$1 00000000:0000 0A\|:$1 00000000000000000000000000000000:0000 0A" /proc/net/tcp /proc/net/tcp6 2>/dev/null
}
wait_listening() {
    local i=0
    while ! listening "$1"; do
        [ $i -lt 50 ] || return 1
        sleep 0.1
        i=$((i + 1))
    done
}

# 1. DHCP, until a lease comes (a board's firmware retries too).
ip link set eth0 up
until busybox udhcpc -i eth0 -f -q -n -t 10 -T 1 -V "walt.node.$model" -x "hostname:$name" \
        -s /sim/bin/sim-udhcpc.sh; do
    say "no DHCP lease, trying again in 3 s"
    sleep 3
done
ip='' mask='' router='' siaddr='' serverid=''
. /run/walt/lease
server=$siaddr
case $server in ''|0.0.0.0) server=$serverid ;; esac
say "DHCP: $ip/$mask, server $server, default route ${router:-none}"

# 2. What the bootloader does: the TFTP map sends this to nodes/<our ip>/tftp/start.ipxe.
if busybox tftp -g -r start.ipxe -l /sim/host/start.ipxe "$server" 2>/dev/null; then
    say "boot file start.ipxe: $(head -n 1 /sim/host/start.ipxe)"
else
    say "boot file start.ipxe: not served"
fi

# 3. SSH: the host key and the authorized key are the daemon's (WalT puts them in images).
ssh=no
if [ -r "$key" ] && [ -r "$authorized" ]; then
    mkdir -p /root/.ssh
    chmod 700 /root/.ssh
    cp "$authorized" /root/.ssh/authorized_keys
    chmod 600 /root/.ssh/authorized_keys
    # dropbear refuses a locked account ("!" password) even with a key; the node's /etc is
    # its own (an overlay), so unlocking root here leaves the host's alone.
    if grep -q '^root:!' /etc/shadow 2>/dev/null; then sed -i 's/^root:[^:]*:/root:*:/' /etc/shadow; fi
    # -s: keys only, no passwords; -F -E: stays in the foreground, logs into the node's log.
    dropbear -F -E -s -p 22 -r "$key" -P /run/dropbear.pid &
    if wait_listening 0016; then
        ssh=yes
        say "ssh: dropbear on port 22"
    else
        say "ssh unavailable: dropbear is not listening"
    fi
else
    say "ssh unavailable: the server has no keys/dropbear_ecdsa_host_key or ssh/id_rsa.pub yet"
fi

# 4. The node net service: busybox nc runs the handler for each connection.
busybox nc -ll -p 12346 -e busybox sh /sim/bin/sim-net-service.sh &
if wait_listening 303A; then say "net service on port 12346"; else say "net service not listening"; fi

# 5. Bootup notification, as walt-notify-bootup: the server answers OK within 3 s; its first
# byte after the request marks the node booted, the end of the connection marks it down.
# Prints "connected" once the connection ends after an OK, else "failed".
notify_once() {
    local stop=/run/walt/notify.stop
    rm -f "$stop"
    {
        echo REQ_NOTIFY_BOOTUP_STATUS
        while [ ! -e "$stop" ]; do
            echo
            i=0
            while [ $i -lt 20 ] && [ ! -e "$stop" ]; do sleep 1; i=$((i + 1)); done
        done
    } | {
        busybox nc "$server" $streams
        echo END
    } | {
        result=failed
        if read -t 3 answer && [ "$answer" = OK ]; then
            say "bootup notification sent" >&2
            read -r end
            result=connected
        fi
        touch "$stop"
        echo $result
    }
}
(
    retries=2
    while :; do
        result=$(notify_once)
        if [ "$result" = failed ] && [ $retries -gt 0 ]; then
            retries=$((retries - 1))
            say "bootup notification: no answer, trying again in 5 s"
            sleep 5
            continue
        fi
        say "bootup notification: lost the server ($result), rebooting"
        kill -USR1 1
        exit 0
    done
) &

# A log stream, as walt-log-tee sends it.
started=$(date +%s)
(
    printf 'REQ_NEW_INCOMING_LOGS\nsim-node\nNO_TIMESTAMPS\n'
    echo "$name booted (simulated node)"
    i=0
    while sleep 5; do
        i=$((i + 1))
        echo "$name heartbeat $i, uptime $(( $(date +%s) - started )) s"
    done
) | busybox nc "$server" $streams > /dev/null &
say "log stream sim-node open"
wait
