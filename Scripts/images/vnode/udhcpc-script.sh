#!/bin/sh
# udhcpc hook of the virtual-node initramfs: configures eth0 from the lease (a default route
# only when the server gives one, i.e. netsetup=NAT) and writes it to /run/lease, which
# becomes the image's /etc/walt/boot.env.
case $1 in
    deconfig)
        ip addr flush dev "$interface"
        ip link set "$interface" up ;;
    bound|renew)
        ip addr flush dev "$interface"
        ip addr add "$ip/${mask:-24}" dev "$interface"
        [ -z "${router:-}" ] || ip route replace default via "${router%% *}" dev "$interface"
        server=${siaddr:-}
        case $server in ''|0.0.0.0) server=${serverid:-} ;; esac
        mkdir -p /run
        printf "ip='%s'\nmask='%s'\nrouter='%s'\nserver='%s'\nhostname='%s'\n" \
            "$ip" "${mask:-24}" "${router%% *}" "$server" "${hostname:-}" > /run/lease ;;
esac
exit 0
