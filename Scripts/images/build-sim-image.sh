#!/usr/bin/env bash
# Builds, offline, the default OS image of simulated nodes: a busybox-static root with its
# applet links, a root account (shell /bin/sh), /etc/os-release naming it, /root, /tmp,
# /persist, the node's /bin/blink (Scripts/testbed/sim-blink.sh) and boot/<model>/start.ipxe
# for each model, labelled as WalT images are (walt.node.models, walt.image.preferred-name),
# saved as a docker-archive that the daemon imports (server.conf images.default-images-dir).
#   build-sim-image.sh OUT.tar [MODELS]     MODELS: a comma list (default: the models below)
# Nothing is pulled: podman imports the root tarball into a throwaway store (--root and
# --runroot in a temporary directory, vfs driver: no mounts), then saves it. Skipped when OUT
# exists, is newer than this script, busybox and sim-blink.sh, and has the same models.
# Environment: BUSYBOX (default /bin/busybox, must be static), PODMAN (default podman).
set -euo pipefail

default_models=pc-x86-64,rpi-3-b-plus,rpi-4-b,rpi-b-plus,rpi-2-b,rpi-3-b,qemu-arm-32
out=${1:?usage: build-sim-image.sh OUT.tar [MODELS]}
models=${2:-$default_models}
busybox=${BUSYBOX:-/bin/busybox}
podman=${PODMAN:-podman}
self=$(readlink -f "$0")
mkdir -p "$(dirname "$out")"
out=$(readlink -f "$out")
blink=$(dirname "$self")/../testbed/sim-blink.sh
name=localhost/walt-sim/sim-default:latest

die() { echo "build-sim-image: $*" >&2; exit 1; }
case $models in ''|*[!a-z0-9,-]*|,*|*,|*,,*) die "bad model list '$models'" ;; esac
[ -x "$busybox" ] || die "no busybox at $busybox (apt-get install busybox-static)"
# A dynamic ELF names its loader in its program headers (PT_INTERP, in the first bytes).
if head -c 4096 "$busybox" | grep -qa '/ld-linux'; then die "$busybox is not static (install busybox-static)"; fi

# The cache: the labels of the archive's configuration tell its models.
if [ -s "$out" ] && [ "$out" -nt "$self" ] && [ "$out" -nt "$busybox" ] && [ "$out" -nt "$blink" ] &&
    tar -xOf "$out" --wildcards --no-anchored '*.json' 2>/dev/null | grep -q "\"walt.node.models\":\"$models\""; then
    echo "build-sim-image: $out is up to date"
    exit 0
fi

tmp=$(mktemp -d /tmp/walt-sim-image.XXXXXX)
P=("$podman" --root "$tmp/store" --runroot "$tmp/run" --tmpdir "$tmp/tmp" --storage-driver vfs)
cleanup() {
    # vfs mounts nothing; whatever podman mounted anyway goes before the directory.
    { findmnt -rn -o TARGET | grep "^$tmp/" | sort -r | while read -r m; do umount -l "$m" || true; done; } 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp/tmp"
export CONTAINERS_CONF="$(dirname "$self")/containers.conf"

root=$tmp/rootfs
mkdir -p "$root"
cd "$root"
mkdir -p bin sbin usr/bin usr/sbin etc root tmp persist proc sys dev run var/log mnt boot
chmod 700 root
chmod 1777 tmp
cp "$busybox" bin/busybox
chmod 755 bin/busybox
# Applet links, relative so that they resolve inside the image wherever it is mounted.
"$busybox" --list-full | while read -r applet; do
    [ "$applet" != bin/busybox ] || continue
    [ -e "$applet" ] || [ -L "$applet" ] && continue
    case $applet in
        */*/*) ln -s ../../bin/busybox "$applet" ;;
        bin/*) ln -s busybox "$applet" ;;
        *) ln -s ../bin/busybox "$applet" ;;
    esac
done
[ -L bin/sh ] || ln -s busybox bin/sh
install -m 755 "$blink" bin/blink
printf 'root:x:0:0:root:/root:/bin/sh\n' > etc/passwd
printf 'root:x:0:\n' > etc/group
printf 'root:*:19000:0:99999:7:::\n' > etc/shadow
chmod 640 etc/shadow
printf '/bin/sh\n' > etc/shells
echo walt-sim > etc/hostname
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' > etc/hosts
version=$("$busybox" | sed -n '1s/^BusyBox \(v[^ ]*\).*/\1/p')
cat > etc/os-release <<EOF
NAME="WalT simulated node"
ID=walt-sim
VERSION_ID=1
PRETTY_NAME="WalT simulated-node image (busybox $version)"
HOME_URL="https://walt.univ-grenoble-alpes.fr"
EOF
IFS=, read -r -a model_list <<< "$models"
for model in "${model_list[@]}"; do
    mkdir -p "boot/$model"
    cat > "boot/$model/start.ipxe" <<EOF
#!ipxe
# WalT simulated-node image, model $model. A simulated node fetches this file and then
# runs on the image's root; a real board would load a kernel here.
echo WalT simulated-node image ($model)
EOF
done
tar --numeric-owner --owner=0 --group=0 -cf "$tmp/rootfs.tar" .
cd /

"${P[@]}" import -q \
    --change "LABEL walt.node.models=$models" \
    --change "LABEL walt.image.preferred-name=sim-default" \
    --change 'CMD ["/bin/sh"]' \
    "$tmp/rootfs.tar" "$name" > /dev/null
# Written aside, then renamed: concurrent builds (testbeds started together) never see half
# an archive.
"${P[@]}" save -q --format docker-archive -o "$tmp/out.tar" "$name"
cp "$tmp/out.tar" "$out.$$.tmp"
mv -f "$out.$$.tmp" "$out"
echo "build-sim-image: $out ($name, models $models)"
