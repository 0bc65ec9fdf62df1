#!/usr/bin/env bash
# A simulated PoE switch on a testbed's walt-net, built by `testbed.sh switch`:
#   sim-switch.sh TESTBED_SH DIR SERVER_NAMESPACE NAME PORTS
# - namespace <server ns>-sw-NAME: a bridge (br0) whose ports are veths with interface
#   indexes 2..PORTS+1 (the switch's port numbers, as its agent reports them: index 1 is the
#   loopback) for nodes, and PORTS+2 for the uplink, whose cable goes to walt-net in the
#   server's namespace. The cables of free ports wait in namespace <...>-sw-NAME-spare
#   (unplugged), until `testbed.sh node --switch NAME` plugs a node there.
# - the bridge gets its address by DHCP from the WalT server, as a real switch does, and the
#   bridge's MAC is its LLDP chassis id (lldpd announces its lowest-index port's MAC).
# - snmpd on that address: read community "public", write community "private"; IF-MIB with
#   the ports at 1 Gb/s (the speeds of PoE ports); lldpd as an AgentX subagent (LLDP-MIB: the
#   neighbours on each port); PoE through sim-poe.sh (POWER-ETHERNET-MIB, pass_persist); the
#   bridge's forwarding table through sim-bridge.py (Q-BRIDGE-MIB, pass_persist).
# Everything it starts runs in the switch's namespace; testbed.sh down removes it.
set -euo pipefail
testbed=$1 dir=$2 server_ns=$3 name=$4 ports=$5
here=$(dirname "$(readlink -f "$0")")
die() { echo "testbed: switch $name: $*" >&2; exit 1; }
[[ $name =~ ^[a-z0-9][a-z0-9-]{0,9}$ ]] || die "a switch name is 1 to 10 lowercase letters, digits or dashes"
[[ $ports =~ ^[0-9]+$ ]] && [ "$ports" -ge 1 ] && [ "$ports" -le 40 ] || die "--ports takes 1 to 40, not $ports"
sw=$dir/switches/$name
[ ! -e "$sw" ] || die "exists"
swns=$server_ns-sw-$name
spare=$swns-spare
uplink=$((ports + 2))
mkdir -p "$sw/ports" "$sw/poe" "$sw/snmp/persist"
# PoE ports: the node ports and the uplink (sim-poe.sh).
echo $((ports + 1)) > "$sw/port-count"
echo "$uplink" > "$sw/uplink"
base=$(printf '02:57:53:%02x:%02x' $((RANDOM % 256)) $((RANDOM % 256)))
echo "$base:02" > "$sw/mac"

ip netns add "$swns"
echo "$swns" >> "$dir/node-namespaces"
ip netns add "$spare"
echo "$spare" >> "$dir/node-namespaces"
ip -n "$swns" link set lo up
ip -n "$swns" link add br0 index $((uplink + 1)) address "$base:02" type bridge
for ((p = 2; p <= uplink; p++)); do
    ip -n "$swns" link add "port$p" index "$p" address "$(printf '%s:%02x' "$base" "$p")" \
        type veth peer name "cable$p" index $((100 + p))
    ip -n "$swns" link set "port$p" master br0 up
    ip -n "$swns" link set "cable$p" netns "$spare"
done
ip -n "$swns" link set br0 up
# The uplink's cable, plugged on walt-net.
ip -n "$spare" link set "cable$uplink" netns "$server_ns"
ip -n "$server_ns" link set "cable$uplink" name "wsw-$name"
ip -n "$server_ns" link set "wsw-$name" master walt-net up

# DHCP on the bridge: udhcpc's hook configures br0 and writes the address.
cat > "$sw/udhcpc.sh" <<EOF
#!/bin/sh
case \$1 in
    deconfig) ip addr flush dev "\$interface"; rm -f "$sw/ip" ;;
    bound|renew) ip addr flush dev "\$interface"; ip addr add "\$ip/\${mask:-24}" dev "\$interface"
                 echo "\$ip" > "$sw/ip" ;;
esac
exit 0
EOF
chmod 755 "$sw/udhcpc.sh"
ip netns exec "$swns" setsid busybox udhcpc -i br0 -f -t 20 -T 1 -x "hostname:$name" -s "$sw/udhcpc.sh" \
    >> "$sw/udhcpc.log" 2>&1 < /dev/null &
for _ in $(seq 250); do [ -s "$sw/ip" ] && break; sleep 0.1; done
[ -s "$sw/ip" ] || die "got no DHCP lease (see $sw/udhcpc.log)"
address=$(cat "$sw/ip")

{
    echo "agentaddress udp:$address:161"
    echo "rocommunity public"
    echo "rwcommunity private"
    echo "sysName $name"
    echo "sysDescr WalT simulated PoE switch"
    echo "master agentx"
    echo "agentXSocket $sw/snmp/agentx.sock"
    # What a switch's agent says of its interfaces: ports are 1 Gb/s ethernet, the bridge a
    # bridge (snmpd sees veths as 10 Gb/s and the loopback as 10 Mb/s).
    echo "interface lo 24 0"
    echo "interface br0 209 0"
    for ((p = 2; p <= uplink; p++)); do echo "interface port$p 6 1000000000"; done
    echo "pass_persist .1.3.6.1.2.1.105 $here/sim-poe.sh $testbed $dir $sw"
    echo "pass_persist .1.3.6.1.2.1.17 /usr/bin/python3 $here/sim-bridge.py $base:02"
} > "$sw/snmp/snmpd.conf"
ip netns exec "$swns" env SNMP_PERSISTENT_DIR="$sw/snmp/persist" \
    snmpd -LF 0-4 "$sw/snmp/snmpd.log" -I -smux -C -c "$sw/snmp/snmpd.conf" -p "$sw/snmp/snmpd.pid"
for _ in $(seq 50); do [ -S "$sw/snmp/agentx.sock" ] && break; sleep 0.1; done
# In a UTS namespace named after the switch: lldpd announces its host name from the start.
ip netns exec "$swns" unshare --uts sh -c 'hostname "$0" && exec "$@"' "$name" \
    lldpd -x -X "$sw/snmp/agentx.sock" -u "$sw/lldpd.socket" -I 'port*' -p "$sw/lldpd.pid" >> "$sw/lldpd.log" 2>&1
for _ in $(seq 50); do [ -S "$sw/lldpd.socket" ] && break; sleep 0.1; done
ip netns exec "$swns" lldpcli -u "$sw/lldpd.socket" configure lldp tx-interval 5 > /dev/null
# lldpd starts paused until its own lldpcli run resumes it; configuring it at once can race
# with that run and leave it paused: resume it explicitly.
ip netns exec "$swns" lldpcli -u "$sw/lldpd.socket" resume > /dev/null
# The agent answers once its interface table shows the configured speeds (it applies them
# when it reloads the table, within a few seconds).
speed=''
for _ in $(seq 100); do
    speed=$(ip netns exec "$swns" env SNMP_PERSISTENT_DIR="$sw/snmp/persist" \
        snmpget -v2c -c public -Oqv -t 1 -r 0 "$address" 1.3.6.1.2.1.2.2.1.5.2 2>/dev/null || true)
    [ "$speed" = 1000000000 ] && break
    sleep 0.2
done
[ "$speed" = 1000000000 ] || die "snmpd does not answer as configured (see $sw/snmp/snmpd.log)"
# And lldpd through it (lldpLocChassisId).
for _ in $(seq 50); do
    ip netns exec "$swns" env SNMP_PERSISTENT_DIR="$sw/snmp/persist" snmpget -v2c -c public -Oqv -t 1 -r 0 \
        "$address" 1.0.8802.1.1.2.1.3.2.0 2>/dev/null | grep -vq "No Such" && break
    sleep 0.2
done
echo "switch $name ($base:02): $address in namespace $swns, node ports 2-$((ports + 1)), uplink port $uplink"
