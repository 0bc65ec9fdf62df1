#!/bin/sh
# The boot sequence of a simulated node, run by its init (sim-node-init.sh) at every boot,
# with busybox and the host's dropbear, in the order of a WalT node (services.md §8.2-8.3):
#   1. DHCP (udhcpc, vendor class walt.node.MODEL; sim-udhcpc.sh configures eth0),
#   2. the boot file start.ipxe over TFTP (from the lease's next-server: the image's
#      boot/MODEL/start.ipxe once the server deployed an image to the node),
#   3. the root: the image the server deployed, nodes/<our mac>/fs in its state directory
#      (/sim/server), mounted on /sim/image as a copy-on-write overlay whose changes live in
#      RAM (cleared at every reboot), with /proc, /dev, /sys and /persist in it. Without an
#      image (no boot file, or no fs with a /bin/sh), IMAGELESS=retry does what a board
#      without its boot files does: DHCP and TFTP again every 5 s, and nothing else (no
#      services, no bootup notification); IMAGELESS=host-root boots on the init's root (the
#      host's programs), as simulated nodes did before images,
#   4. the SSH server (dropbear with the server's host key; root authorizes the server's
#      key). dropbear (a dynamic program of the host) runs on the init's root; with an
#      image, its forced command (sim-session.sh) runs every session in the image's root,
#      then lldpd (LLDP on eth0, as WalT images run it; when the host has lldpd),
#   5. the node net service on TCP 12346 (sim-net-service.sh: REBOOT, BLINK, PING...),
#   6. the bootup notification (REQ_NOTIFY_BOOTUP_STATUS, an empty line every 20 s) once
#      sshd accepts connections, and a log stream (REQ_NEW_INCOMING_LOGS, stream sim-node).
# It then holds the notification connection; losing it (the server went away) reboots the
# node, as walt-notify-bootup does. /run/walt/root says where sessions run: image or host.
#   sim-node.sh NAME MODEL [IMAGELESS]
set -u
name=$1 model=$2 imageless=${3:-retry}
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

mac=$(cat /sys/class/net/eth0/address)
image_fs=/sim/server/nodes/$mac/fs

# 1. DHCP, until a lease comes (a board's firmware retries too).
dhcp() {
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
}

# 2. What the bootloader does: the TFTP map sends this to nodes/<our ip>/tftp/start.ipxe.
tftp_boot_file() {
    rm -f /sim/host/start.ipxe
    if busybox tftp -g -r start.ipxe -l /sim/host/start.ipxe "$server" 2>/dev/null; then
        say "boot file start.ipxe: $(head -n 1 /sim/host/start.ipxe)"
    else
        say "boot file start.ipxe: not served"
        return 1
    fi
}

# 3. The image's root, as walt-init makes it: the image read-only below, RAM above.
image_deployed() {
    [ -e "$image_fs/bin/sh" ] || [ -L "$image_fs/bin/sh" ]
}
mount_image() {
    local lower
    lower=$(readlink -f "$image_fs") || return 1
    mkdir -p /sim/rw/image/upper /sim/rw/image/work
    busybox mount -t overlay -o "lowerdir=$lower,upperdir=/sim/rw/image/upper,workdir=/sim/rw/image/work" \
        "image-$name" /sim/image || { say "cannot mount the image's root ($lower)"; return 1; }
    mkdir -p /sim/image/proc /sim/image/dev /sim/image/sys /sim/image/persist /sim/image/tmp \
        /sim/image/root /sim/image/run /sim/image/etc
    busybox mount -t proc proc /sim/image/proc && busybox mount -o rbind /dev /sim/image/dev &&
        busybox mount -o rbind /sys /sim/image/sys && busybox mount -o bind /persist /sim/image/persist ||
        { say "cannot mount /proc, /dev, /sys, /persist in the image's root"; busybox umount -l /sim/image; return 1; }
    chmod 1777 /sim/image/tmp
    echo "$name" > /sim/image/etc/hostname
    say "root: image ${lower#/sim/server/}, $(sed -n 's/^PRETTY_NAME=//p' /sim/image/etc/os-release 2>/dev/null | tr -d '"')"
}

# What WalT images do with what their lldpd hears (walt-report-lldp-neighbor): once a
# neighbour shows (at most 120 s), tell the server its chassis MAC and the label of its port,
# over NSAPI as busybox walt-rpc does, so the server learns where the node is plugged.
report_lldp_neighbour() {
    local i=0 out='' chassis='' port=''
    while [ $i -lt 120 ]; do
        out=$(lldpcli -u /run/lldpd.socket -f keyvalue show neighbors 2>/dev/null)
        chassis=$(echo "$out" | sed -n 's/^lldp\.eth0\.chassis\.mac=//p' | head -n 1)
        port=$(echo "$out" | sed -n 's/^lldp\.eth0\.port\.\(mac\|ifname\|local\)=//p' | head -n 1)
        [ -n "$chassis" ] && [ -n "$port" ] && break
        sleep 1
        i=$((i + 1))
    done
    [ -n "$chassis" ] && [ -n "$port" ] || return 0
    printf "REQ_API_SESSION\nNSAPI\n('API_CALL', 'report_lldp_neighbor', ('%s', '%s'), {})\n('CLOSE')\n" \
        "$chassis" "$port" | busybox nc -w 5 "$server" 12345 > /dev/null 2>&1
    say "lldp: reported neighbour $chassis, port $port"
}

ip link set eth0 up
dhcp
root=''
while :; do
    if tftp_boot_file && image_deployed && mount_image; then
        root=image
        break
    fi
    if [ "$imageless" = host-root ]; then
        root=host
        say "root: the host's programs (no image deployed; testbed option --imageless-nodes host-root)"
        break
    fi
    say "no image deployed (nodes/$mac/fs): boot files missing, trying DHCP and TFTP again in 5 s"
    sleep 5
    dhcp
done
echo "$root" > /run/walt/root

# 4. SSH: the host key and the authorized key are the daemon's (WalT puts them in images).
ssh=no
if [ -r "$key" ] && [ -r "$authorized" ]; then
    mkdir -p /root/.ssh
    chmod 700 /root/.ssh
    cp "$authorized" /root/.ssh/authorized_keys
    chmod 600 /root/.ssh/authorized_keys
    # dropbear refuses a locked account ("!" password) even with a key; the node's /etc is
    # its own (an overlay), so unlocking root here leaves the host's alone.
    if grep -q '^root:!' /etc/shadow 2>/dev/null; then sed -i 's/^root:[^:]*:/root:*:/' /etc/shadow; fi
    # -s: keys only, no passwords; -F -E: stays in the foreground, logs into the node's log;
    # -c: with an image, every session (command or shell) enters the image's root.
    if [ "$root" = image ]; then
        dropbear -F -E -s -p 22 -r "$key" -P /run/dropbear.pid -c /sim/bin/sim-session.sh &
    else
        dropbear -F -E -s -p 22 -r "$key" -P /run/dropbear.pid &
    fi
    if wait_listening 0016; then
        ssh=yes
        say "ssh: dropbear on port 22"
    else
        say "ssh unavailable: dropbear is not listening"
    fi
else
    say "ssh unavailable: the server has no keys/dropbear_ecdsa_host_key or ssh/id_rsa.pub yet"
fi

# LLDP, as WalT's images run lldpd: the node's switch learns which of its ports the node is
# plugged on (the host's lldpd, with a control socket of the node's own).
if command -v lldpd > /dev/null && ! grep -q '^lldp=no$' /sim/host/config 2>/dev/null; then
    lldpd -d -I eth0 -u /run/lldpd.socket -p /run/lldpd.pid > /run/lldpd.log 2>&1 &
    # Every 5 s rather than 30: a frame lost at boot is sent again soon.
    i=0
    while [ ! -S /run/lldpd.socket ] && [ $i -lt 30 ]; do sleep 0.1; i=$((i + 1)); done
    lldpcli -u /run/lldpd.socket configure lldp tx-interval 5 > /dev/null 2>&1
    lldpcli -u /run/lldpd.socket resume > /dev/null 2>&1   # lldpd starts paused
    say "lldp: lldpd on eth0"
    report_lldp_neighbour &
fi

# 5. The node net service: busybox nc runs the handler for each connection.
busybox nc -ll -p 12346 -e busybox sh /sim/bin/sim-net-service.sh &
if wait_listening 303A; then say "net service on port 12346"; else say "net service not listening"; fi

# 6. Bootup notification (sim-notify-bootup.sh): a node on an image marks its
# /run/uptime-ready once it is sent; losing the server reboots the node.
ready=''
[ "$root" != image ] || ready=/sim/image/run/uptime-ready
busybox sh /sim/bin/sim-notify-bootup.sh "$server" "$name" $ready &

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
