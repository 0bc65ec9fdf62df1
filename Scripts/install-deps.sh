#!/usr/bin/env bash
# Debian packages the build, the tests and the embedded default need. Idempotent: apt-get
# only installs what is missing. Swift itself comes with the machine (/opt/swift).
set -euo pipefail
# The boot path tests run the real services in network namespaces: isc-dhcp-server (with
# busybox udhcpc as the node), tftpd-hpa and tftp-hpa, NFS-Ganesha with rpcbind and libnfs
# (the kernel here has no NFS server or client), bind9. Simulated nodes run dropbear as their
# SSH server; the daemon makes the node keys (ssh-keygen, dropbearconvert) and reaches nodes
# with ssh (openssh-client), pings them (iputils-ping) and sets the netsetup=NAT rules
# (iptables); the shell tests drive a pty with expect. Images: podman with runc (crun fails
# on this kind of hybrid cgroup host), buildah and skopeo, and what rootful podman runs with
# (uidmap, netavark, aardvark-dns, catatonit, fuse-overlayfs); Scripts/images/build-sim-image.sh
# builds the simulated nodes' image from busybox-static with them, offline. Virtual nodes:
# QEMU (qemu-system-x86) with the iPXE ROMs of its network cards (ipxe-qemu);
# Scripts/images/build-vnode-image.sh unpacks a Debian kernel package with dpkg-deb.
# Topology: the server's LLDP agent (snmpd with lldpd as AgentX subagent), simulated
# switches (the same, plus PoE), SNMP client tools (snmp) to check them; the SNMP client's
# tests (SNMPAgentTests) run a real snmpd and compare their walks with snmpwalk's.
packages=(libpq-dev libpq5 pkg-config postgresql python3 python3-venv iproute2 util-linux
          isc-dhcp-server busybox-static tftpd-hpa tftp-hpa nfs-ganesha nfs-ganesha-vfs rpcbind
          libnfs-utils bind9 bind9-utils dropbear-bin openssh-client iputils-ping iptables expect
          podman buildah skopeo runc uidmap netavark aardvark-dns catatonit fuse-overlayfs
          qemu-system-x86 ipxe-qemu snmpd snmp lldpd)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    # Debian starts the daemons it installs (lldpd, snmpd, dhcpd, ...) on the host's own
    # interfaces; the tests run them in network namespaces only, so none starts here.
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    fi
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
