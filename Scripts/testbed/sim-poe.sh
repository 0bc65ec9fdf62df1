#!/usr/bin/env bash
# The PoE controller of a simulated switch: an snmpd `pass_persist` program (snmpd.conf(5))
# answering the POWER-ETHERNET-MIB (RFC 3621) port table, as a PoE switch's agent does.
# Turning a port's power off powers the node plugged there off (testbed.sh kill-node), on
# powers it on (testbed.sh start-node), so `walt node reboot --hard` really cycles a node.
#   sim-poe.sh TESTBED_SH DIR SWITCH_DIR
# SWITCH_DIR (DIR/switches/NAME) holds port-count (N: ports 2..N+1 by interface index, the
# uplink being the last), ports/<ifindex> (the node plugged there) and poe/<ifindex> ("off"
# while a port's power is off; no file: on). PoE port (1, k) is the k-th port by interface
# index, the order a switch's agent lists them in (the server matches IF-MIB and PoE ports
# that way).
#
# Served, for group 1 and k = 1..N (sorted as SNMP orders them):
#   .1.3.6.1.2.1.105.1.1.1.3.1.k  pethPsePortAdminEnable      1 true, 2 false (writable)
#   .1.3.6.1.2.1.105.1.1.1.6.1.k  pethPsePortDetectionStatus  1 disabled, 2 searching,
#                                                              3 deliveringPower
set -u
testbed=$1 dir=$2 sw=$3
table=.1.3.6.1.2.1.105.1.1.1
count=$(cat "$sw/port-count")

# The node plugged on PoE port $1, if any.
node_at() { cat "$sw/ports/$(($1 + 1))" 2>/dev/null; }
powered_on() { [ ! -f "$sw/poe/$(($1 + 1))" ]; }
# A node is powered while its init runs (testbed.sh keeps its pid file meanwhile).
node_running() { [ -f "$dir/run/node-$1.pid" ] && kill -0 "$(cat "$dir/run/node-$1.pid")" 2>/dev/null; }

value_of() {  # column port
    local node
    case $1 in
        3) if powered_on "$2"; then echo 1; else echo 2; fi ;;
        6) node=$(node_at "$2")
           if ! powered_on "$2"; then echo 1
           elif [ -n "$node" ] && node_running "$node"; then echo 3
           else echo 2; fi ;;
    esac
}

# Every served OID, in SNMP order, as "column port".
entries() {
    local column k
    for column in 3 6; do
        for ((k = 1; k <= count; k++)); do echo "$column $k"; done
    done
}

# True if OID $1 (dotted, leading dot) sorts strictly before OID $2.
oid_before() {
    local -a a b
    IFS=. read -ra a <<< "${1#.}"
    IFS=. read -ra b <<< "${2#.}"
    local i n=${#a[@]}
    [ ${#b[@]} -lt "$n" ] && n=${#b[@]}
    for ((i = 0; i < n; i++)); do
        [ "${a[i]}" -lt "${b[i]}" ] && return 0
        [ "${a[i]}" -gt "${b[i]}" ] && return 1
    done
    [ ${#a[@]} -lt ${#b[@]} ]
}

answer() { printf '%s\ninteger\n%s\n' "$table.$1.1.$2" "$(value_of "$1" "$2")"; }

get() {
    local column port
    while read -r column port; do
        if [ "$1" = "$table.$column.1.$port" ]; then answer "$column" "$port"; return; fi
    done < <(entries)
    echo NONE
}

getnext() {
    local column port
    while read -r column port; do
        if oid_before "$1" "$table.$column.1.$port"; then answer "$column" "$port"; return; fi
    done < <(entries)
    echo NONE
}

# Powers the node on PoE port $2 off or on ($1), in the background (the agent answers at
# once, as a switch does), one change at a time per node.
switch_node() {
    local node
    node=$(node_at "$2")
    [ -n "$node" ] || return 0
    if [ "$1" = off ]; then
        setsid flock "$sw/lock-$node" "$testbed" kill-node "$dir" "$node" >> "$sw/poe.log" 2>&1 < /dev/null &
    else
        setsid flock "$sw/lock-$node" sh -c '"$1" start-node "$2" "$3" --no-wait 2>&1 | grep -v "already on"' \
            start "$testbed" "$dir" "$node" >> "$sw/poe.log" 2>&1 < /dev/null &
    fi
}

set_value() {
    local column port oid=$1 type=${2%% *} value=${2#* }
    case $oid in
        "$table".3.1.*) port=${oid##*.} ;;
        "$table".*) echo not-writable; return ;;
        *) echo NONE; return ;;
    esac
    [[ $port =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le "$count" ] || { echo no-creation; return; }
    [ "$type" = integer ] || { echo wrong-type; return; }
    case $value in
        1) if ! powered_on "$port"; then rm -f "$sw/poe/$((port + 1))"; switch_node on "$port"; fi ;;
        2) if powered_on "$port"; then echo off > "$sw/poe/$((port + 1))"; switch_node off "$port"; fi ;;
        *) echo wrong-value; return ;;
    esac
    echo "$(date +%T) PoE port $port ($(node_at "$port")): $([ "$value" = 1 ] && echo on || echo off)" >> "$sw/poe.log"
    echo DONE
}

mkdir -p "$sw/poe"
while read -r command; do
    case $command in
        PING) echo PONG ;;
        get) read -r oid; get "$oid" ;;
        getnext) read -r oid; getnext "$oid" ;;
        set) read -r oid; read -r typed; set_value "$oid" "$typed" ;;
        '') exit 0 ;;
        *) echo NONE ;;
    esac
done
