#!/bin/busybox sh
# PID 1 of a virtual node running the busybox vnode image (after the initramfs's
# switch_root): the node services of a WalT node (services.md §8.3), as busybox scripts:
#   - dropbear on port 22, keys only, with the server's host key; root authorizes the
#     server's key (both from /etc/walt, copied by the initramfs from the walt_node share),
#   - the node net service on TCP 12346 (walt-net-service-handler: REBOOT, BLINK, PING...),
#   - the bootup notification on the server's TCP 12347 (REQ_NOTIFY_BOOTUP_STATUS, an
#     empty line every 20 s) once sshd listens; losing the server reboots the node,
#   - a login prompt on the serial console (the server's `walt node console`).
# It runs with busybox's sh and applets (/opt/walt/bin first in PATH), whatever the image's
# own shell is (dash on Debian has no `read -t`).
# A reboot (REBOOT, SIGUSR1, a lost server) is `reboot -f`: QEMU runs with -no-reboot, so
# the VM ends and the daemon starts it again (upstream's vnode hard-reboot).
# /opt/walt/bin: the busybox applets of images whose own commands differ (Debian).
export PATH=/opt/walt/bin:/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /run /tmp
mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=755 run /run
chmod 1777 /tmp
ip='' server='' hostname=''
. /etc/walt/boot.env
name=${hostname:-vnode}
hostname "$name"
echo "$name" > /etc/hostname
say() { echo "walt-vnode: $*"; }
trap 'say "rebooting"; sync; reboot -f' USR1 TERM

listening() {
    grep -q ":$1 00000000:0000 0A\|:$1 00000000000000000000000000000000:0000 0A" /proc/net/tcp /proc/net/tcp6 2>/dev/null
}
wait_listening() {
    i=0
    while ! listening "$1"; do
        [ $i -lt 50 ] || return 1
        sleep 0.1
        i=$((i + 1))
    done
}

# SSH
if [ -r /etc/walt/dropbear_ecdsa_host_key ] && [ -r /etc/walt/authorized_keys ]; then
    mkdir -p /root/.ssh
    chmod 700 /root/.ssh
    cp /etc/walt/authorized_keys /root/.ssh/authorized_keys
    chmod 600 /root/.ssh/authorized_keys
    dropbear -F -E -s -p 22 -r /etc/walt/dropbear_ecdsa_host_key -P /run/dropbear.pid 2>/dev/null &
    if wait_listening 0016; then say "ssh: dropbear on port 22"; else say "ssh: dropbear is not listening"; fi
else
    say "ssh unavailable: no keys in /etc/walt"
fi

# The node net service.
nc -ll -p 12346 -e sh /bin/_walt_internal_/walt-net-service-handler 2>/dev/null &
wait_listening 303A && say "net service on port 12346"

# The bootup notification, as walt-notify-bootup (the simulated nodes' script).
/bin/busybox sh /bin/_walt_internal_/walt-notify-bootup "$server" "$name" /run/uptime-ready &

say "$name booted ($ip)"
# The serial console: a login prompt, again after each logout.
while :; do
    setsid getty -L 115200 ttyS0 vt100 &
    wait $!
done
