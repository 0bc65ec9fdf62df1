#!/bin/sh
# udhcpc hook of a simulated node (busybox-static ships no default script). Configures eth0
# from the lease, with a default route only when the lease carries a router (the server
# gives one to nodes with netsetup=NAT, none with LAN, so a change of netsetup shows at the
# next boot), and writes the lease for the boot sequence (/run/walt/lease) and the address
# for testbed.sh (/sim/host/ip = DIR/nodes/NAME/ip on the host).
lease=/run/walt/lease
case $1 in
    deconfig)
        ip addr flush dev "$interface"
        ip route del default 2>/dev/null
        rm -f "$lease" /sim/host/ip
        ip link set "$interface" up ;;
    bound|renew)
        ip addr flush dev "$interface"
        ip addr add "$ip/${mask:-24}" dev "$interface"
        if [ -n "${router:-}" ]; then
            ip route replace default via "${router%% *}" dev "$interface"
        else
            ip route del default 2>/dev/null
        fi
        printf "ip='%s'\nmask='%s'\nrouter='%s'\nsiaddr='%s'\nserverid='%s'\n" \
            "$ip" "${mask:-24}" "${router%% *}" "${siaddr:-}" "${serverid:-}" > "$lease"
        echo "$ip" > /sim/host/ip ;;
esac
exit 0
