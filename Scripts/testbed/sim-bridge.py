#!/usr/bin/env python3
"""The forwarding table of a simulated switch, as a managed switch's agent serves it: an
snmpd pass_persist program (snmpd.conf(5)) for BRIDGE-MIB's dot1dBaseBridgeAddress and
Q-BRIDGE-MIB's dot1qTpFdbTable, read from the Linux bridge (`bridge fdb show br br0`) of
the namespace snmpd runs in. Ports are reported by interface index, the switch's port
numbers (sim-switch.sh).
    sim-bridge.py BRIDGE_MAC
Served:
    .1.3.6.1.2.1.17.1.1.0                       dot1dBaseBridgeAddress   the bridge's MAC
    .1.3.6.1.2.1.17.7.1.2.2.1.2.1.<6 bytes>     dot1qTpFdbPort           port of a learned MAC
    .1.3.6.1.2.1.17.7.1.2.2.1.3.1.<6 bytes>     dot1qTpFdbStatus         3 (learned)
"""
import subprocess
import sys

BASE_ADDRESS = (1, 3, 6, 1, 2, 1, 17, 1, 1, 0)
FDB = (1, 3, 6, 1, 2, 1, 17, 7, 1, 2, 2, 1)
LEARNED = 3


def learned():
    """(mac bytes, port) for each address the bridge learned on a port."""
    out = subprocess.run(["bridge", "-o", "fdb", "show", "br", "br0"], capture_output=True, text=True).stdout
    entries = []
    for line in out.splitlines():
        words = line.split()
        if len(words) < 3 or words[1] != "dev" or "permanent" in words or "static" in words:
            continue
        if "master" not in words or not words[2].startswith("port"):
            continue
        try:
            index = int(open(f"/sys/class/net/{words[2]}/ifindex").read())
            mac = tuple(int(byte, 16) for byte in words[0].split(":"))
        except (OSError, ValueError):
            continue
        if len(mac) == 6:
            entries.append((mac, index))
    return entries


def table(bridge_mac):
    """Every served (oid, type, value), in SNMP order."""
    rows = [(BASE_ADDRESS, "octet", " ".join(f"{b:02x}" for b in bridge_mac))]
    for column, pick in ((2, lambda port: port), (3, lambda port: LEARNED)):
        for mac, port in learned():
            rows.append((FDB + (column, 1) + mac, "integer", str(pick(port))))
    return sorted(rows)


def parse(text):
    return tuple(int(part) for part in text.strip().strip(".").split(".") if part)


def main():
    bridge_mac = tuple(int(byte, 16) for byte in sys.argv[1].split(":"))
    for line in sys.stdin:
        command = line.strip()
        if command == "PING":
            answer = "PONG"
        elif command in ("get", "getnext"):
            oid = parse(sys.stdin.readline())
            rows = table(bridge_mac)
            found = [row for row in rows if (row[0] == oid if command == "get" else row[0] > oid)]
            answer = "NONE" if not found else "\n".join(("." + ".".join(map(str, found[0][0])), found[0][1], found[0][2]))
        elif command == "set":
            sys.stdin.readline()
            sys.stdin.readline()
            answer = "not-writable"
        elif command == "":
            return
        else:
            answer = "NONE"
        print(answer, flush=True)


if __name__ == "__main__":
    main()
