#!/bin/sh
# PID 1 of the virtual-node image's initramfs (boot/pc-x86-64/initrd), after iPXE loaded the
# kernel and this initrd over TFTP. As WalT's walt-init on a virtual node, it takes the root
# from the VM's virtio-9p share `walt_image` (the daemon passes the node's image mount,
# nodes/<mac>/fs, to QEMU: upstream's vnodes do the same), read-only below a RAM overlay,
# so the node's changes are gone at the next boot. The share `walt_node` holds what
# upstream injects into mounted images (the SSH host key, the server's authorized key).
# Then DHCP (vendor class walt.node.pc-x86-64), and switch_root to the image's
# /bin/walt-vnode-init with /etc/walt/boot.env (name, address, server).
# Physical PCs would mount the root over NFS here; this image does not (see docs/vnodes.md).
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
say() { echo "walt-initramfs: $*"; }
rescue() {
    say "$*: starting a rescue shell"
    exec setsid cttyhack sh
}

for module in e1000 virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci \
        9pnet 9pnet_virtio netfs fscache 9p overlay; do
    insmod "/lib/modules/$module.ko" 2>/dev/null || say "cannot load module $module"
done

ip link set lo up
ip link set eth0 up || rescue "no network interface"
tries=0
until udhcpc -i eth0 -f -q -n -t 5 -T 2 -V walt.node.pc-x86-64 -s /bin/udhcpc-script; do
    tries=$((tries + 1))
    [ $tries -lt 10 ] || rescue "no DHCP lease"
    say "no DHCP lease, trying again"
done
. /run/lease
say "DHCP: $ip/$mask, name ${hostname:-none}, server $server"

mkdir -p /lower /rw /newroot /node
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144 walt_image /lower ||
    rescue "no root file system (virtio-9p share walt_image)"
mount -t tmpfs -o mode=755 root-rw /rw
mkdir -p /rw/upper /rw/work
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work root /newroot ||
    rescue "cannot mount the overlay root"
[ -x /newroot/bin/walt-vnode-init ] || rescue "the image has no /bin/walt-vnode-init"
mkdir -p /newroot/etc/walt
if mount -t 9p -o trans=virtio,version=9p2000.L,ro walt_node /node 2>/dev/null; then
    cp /node/* /newroot/etc/walt/ 2>/dev/null
    umount /node
else
    say "no walt_node share: no SSH keys"
fi
cat /run/lease > /newroot/etc/walt/boot.env
say "root: $(sed -n 's/^PRETTY_NAME=//p' /newroot/etc/os-release | tr -d '"')"
umount /proc /sys
mount --move /dev /newroot/dev 2>/dev/null || umount /dev
exec switch_root /newroot /bin/walt-vnode-init
