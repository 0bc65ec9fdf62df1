#!/usr/bin/env bash
# Builds, offline once its kernel is cached, the default image of virtual nodes (model
# pc-x86-64) as a docker-archive the daemon imports: a busybox-static root with dropbear
# (the host's, with its libraries), the node services (vnode/walt-vnode-init.sh, the net
# service of the simulated nodes), a root account (password root on the console, keys only
# over SSH), and the boot files iPXE loads over TFTP: boot/pc-x86-64/start.ipxe, kernel
# (Debian's linux-image-*-amd64, unpacked, nothing installed) and initrd (busybox-static,
# the e1000/virtio-9p/overlay modules, vnode/initramfs-init.sh).
#   build-vnode-image.sh OUT.tar [busybox|debian]
# debian: the root is Debian bookworm instead (debootstrap --variant=minbase with
# dropbear-bin, iproute2 and busybox-static, whose applets in /opt/walt/bin run the node
# services); its packages are downloaded once into the directory of OUT (debootstrap
# --make-tarball), and later builds are offline too. ~230 MB unpacked.
# The kernel package is fetched once with `apt-get download` into the directory of OUT
# (KERNEL_PACKAGE, default: what linux-image-amd64 depends on; a cached one is reused
# without asking apt). Skipped when OUT exists and is newer than this script, busybox,
# dropbear and the files of vnode/ and ../testbed/sim-net-service.sh.
# Environment: BUSYBOX (default /bin/busybox, static), PODMAN (default podman).
set -euo pipefail

out=${1:?usage: build-vnode-image.sh OUT.tar [busybox|debian]}
flavour=${2:-busybox}
busybox=${BUSYBOX:-/bin/busybox}
podman=${PODMAN:-podman}
dropbear=/usr/sbin/dropbear
self=$(readlink -f "$0")
here=$(dirname "$self")
mkdir -p "$(dirname "$out")"
out=$(readlink -f "$out")
cache=$(dirname "$out")
netservice=$here/../testbed/sim-net-service.sh
notifier=$here/../testbed/sim-notify-bootup.sh
case $flavour in
    busybox) name=localhost/walt-sim/vnode-default:latest preferred=pc-x86-64-default ;;
    debian) name=localhost/walt-sim/vnode-debian:latest preferred=pc-x86-64-debian ;;
    *) echo "build-vnode-image: the flavour is busybox or debian, not $flavour" >&2; exit 2 ;;
esac
model=pc-x86-64

die() { echo "build-vnode-image: $*" >&2; exit 1; }
[ -x "$busybox" ] || die "no busybox at $busybox (apt-get install busybox-static)"
if head -c 4096 "$busybox" | grep -qa '/ld-linux'; then die "$busybox is not static (install busybox-static)"; fi
[ -x "$dropbear" ] || die "no $dropbear (apt-get install dropbear-bin)"

up_to_date() {
    [ -s "$out" ] || return 1
    local f
    for f in "$self" "$busybox" "$dropbear" "$netservice" "$notifier" "$here"/vnode/*; do
        [ "$out" -nt "$f" ] || return 1
    done
}
if up_to_date; then
    echo "build-vnode-image: $out is up to date"
    exit 0
fi

# The kernel: a cached package, or one download.
deb=$(ls -1 "$cache"/linux-image-*-amd64_*.deb 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$deb" ]; then
    package=${KERNEL_PACKAGE:-$(apt-cache depends linux-image-amd64 2>/dev/null |
        sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -n 1)}
    [ -n "$package" ] || die "no kernel package known (apt-get update, or set KERNEL_PACKAGE)"
    (cd "$cache" && apt-get download "$package" >/dev/null 2>&1) || die "cannot download $package"
    deb=$(ls -1 "$cache"/"$package"_*.deb | tail -n 1)
fi

tmp=$(mktemp -d /tmp/walt-vnode-image.XXXXXX)
P=("$podman" --root "$tmp/store" --runroot "$tmp/run" --tmpdir "$tmp/tmp" --storage-driver vfs)
cleanup() {
    { findmnt -rn -o TARGET | grep "^$tmp/" | sort -r | while read -r m; do umount -l "$m" || true; done; } 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp/tmp"
export CONTAINERS_CONF="$(dirname "$self")/containers.conf"

dpkg-deb -x "$deb" "$tmp/kernel"
vmlinuz=$(ls -1 "$tmp"/kernel/boot/vmlinuz-* | head -n 1)
modules=$(ls -d "$tmp"/kernel/lib/modules/*/kernel | head -n 1)

# Busybox and its applet links, relative so that they resolve wherever the tree is.
install_busybox() {
    local root=$1 applet
    mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin"
    cp "$busybox" "$root/bin/busybox"
    chmod 755 "$root/bin/busybox"
    "$busybox" --list-full | while read -r applet; do
        [ "$applet" != bin/busybox ] || continue
        [ -e "$root/$applet" ] || [ -L "$root/$applet" ] && continue
        case $applet in
            */*/*) ln -s ../../bin/busybox "$root/$applet" ;;
            bin/*) ln -s busybox "$root/$applet" ;;
            *) ln -s ../bin/busybox "$root/$applet" ;;
        esac
    done
    [ -L "$root/bin/sh" ] || ln -s busybox "$root/bin/sh"
}

# The initramfs.
initrd=$tmp/initrd
install_busybox "$initrd"
mkdir -p "$initrd"/{proc,sys,dev,run,lib/modules}
for module in e1000 virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci \
        9pnet 9pnet_virtio netfs fscache 9p overlay; do
    file=$(find "$modules" -name "$module.ko" -o -name "$module.ko.xz" | head -n 1)
    [ -n "$file" ] || die "the kernel package has no module $module"
    case $file in *.xz) xz -dc "$file" > "$initrd/lib/modules/$module.ko" ;; *) cp "$file" "$initrd/lib/modules/" ;; esac
done
install -m 755 "$here/vnode/initramfs-init.sh" "$initrd/init"
install -m 755 "$here/vnode/udhcpc-script.sh" "$initrd/bin/udhcpc-script"

# The image's root: busybox with the host's dropbear, or Debian bookworm.
root=$tmp/rootfs
if [ "$flavour" = busybox ]; then
    install_busybox "$root"
    mkdir -p "$root"/{etc,root,tmp,persist,proc,sys,dev,run,var/log,mnt}
    # dropbear and the libraries it links (ldd: the host's loader lists them).
    cp "$dropbear" "$root/usr/sbin/dropbear"
    ldd "$dropbear" | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) .*/\1/p' | while read -r lib; do
        mkdir -p "$root$(dirname "$lib")"
        cp -L "$lib" "$root$lib"
    done
    if [ -e /lib64/ld-linux-x86-64.so.2 ]; then mkdir -p "$root/lib64"; cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"; fi
    printf 'root:x:0:0:root:/root:/bin/sh\n' > "$root/etc/passwd"
    printf 'root:x:0:\n' > "$root/etc/group"
    printf 'root:*:19000:0:99999:7:::\n' > "$root/etc/shadow"
    printf '/bin/sh\n' > "$root/etc/shells"
    printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$root/etc/hosts"
    version=$("$busybox" | sed -n '1s/^BusyBox \(v[^ ]*\).*/\1/p')
    cat > "$root/etc/os-release" <<EOF
NAME="WalT virtual node"
ID=walt-vnode
VERSION_ID=1
PRETTY_NAME="WalT virtual-node image (busybox $version, Linux $(basename "$(dirname "$modules")"))"
HOME_URL="https://walt.univ-grenoble-alpes.fr"
EOF
    issue="WalT virtual node (busybox)"
else
    command -v debootstrap > /dev/null || die "no debootstrap (apt-get install debootstrap)"
    debs=$cache/debian-bookworm-vnode-debs.tgz
    packages=dropbear-bin,iproute2,busybox-static
    if [ ! -s "$debs" ]; then
        debootstrap --variant=minbase --include=$packages --make-tarball="$cache/.debian-debs.$$.tgz" bookworm "$tmp/debs" \
            http://deb.debian.org/debian > "$tmp/debootstrap.log" 2>&1 || die "debootstrap: $(tail -3 "$tmp/debootstrap.log")"
        mv -f "$cache/.debian-debs.$$.tgz" "$debs"
    fi
    debootstrap --variant=minbase --include=$packages --unpack-tarball="$debs" bookworm "$root" \
        > "$tmp/debootstrap.log" 2>&1 || die "debootstrap: $(tail -3 "$tmp/debootstrap.log")"
    # The node services are busybox scripts: the applets go to /opt/walt/bin, first in
    # their PATH (walt-vnode-init), and Debian's own commands stay as they are.
    mkdir -p "$root/opt/walt/bin"
    chroot "$root" /bin/busybox --install -s /opt/walt/bin
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root/etc/hostname"
    mkdir -p "$root/persist"
    issue="WalT virtual node (Debian bookworm)"
fi
mkdir -p "$root/boot/$model" "$root/bin/_walt_internal_"
chmod 700 "$root/root"
chmod 1777 "$root/tmp"
install -m 755 "$here/vnode/walt-vnode-init.sh" "$root/bin/walt-vnode-init"
install -m 755 "$netservice" "$root/bin/_walt_internal_/walt-net-service-handler"
install -m 755 "$notifier" "$root/bin/_walt_internal_/walt-notify-bootup"
install -m 755 "$here/../testbed/sim-blink.sh" "$root/bin/blink"
# The password is root (openssl passwd -6 -salt waltvnode root), as upstream's images.
password='$6$waltvnode$S98YgUavp0ev0UzjQR..hZoPdC9kYealK80Zoa7Ddx7tcd./kbkLamcQEloiQsVjQmTarzOACz6vFyAdRKOVj.'
sed -i "s|^root:[^:]*:|root:$password:|" "$root/etc/shadow"
chmod 640 "$root/etc/shadow"
printf '%s \\n, login: root, password: root\n\n' "$issue" > "$root/etc/issue"
cp "$vmlinuz" "$root/boot/$model/kernel"
(cd "$initrd" && find . | "$busybox" cpio -o -H newc 2>/dev/null | gzip -1 > "$root/boot/$model/initrd")
# iPXE resolves `kernel` and `initrd` against this script's URL: the TFTP map sends them to
# the image's boot/pc-x86-64/ too.
cat > "$root/boot/$model/start.ipxe" <<'EOF'
#!ipxe
echo WalT virtual-node image: loading the kernel and the initramfs over TFTP
kernel kernel console=ttyS0,115200 quiet panic=10 rdinit=/init
initrd initrd
boot
EOF
(cd "$root" && tar --numeric-owner --owner=0 --group=0 -cf "$tmp/rootfs.tar" .)

"${P[@]}" import -q \
    --change "LABEL walt.node.models=$model" \
    --change "LABEL walt.image.preferred-name=$preferred" \
    --change 'CMD ["/bin/sh"]' \
    "$tmp/rootfs.tar" "$name" > /dev/null
"${P[@]}" save -q --format docker-archive -o "$tmp/out.tar" "$name"
cp "$tmp/out.tar" "$out.$$.tmp"
mv -f "$out.$$.tmp" "$out"
echo "build-vnode-image: $out ($name, $flavour, model $model, kernel $(basename "$deb"))"
