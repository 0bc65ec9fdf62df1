import WaltCommon

/// The text of dhcpd.conf for walt-net, with upstream's semantics (services.md §3): PXE,
/// Raspberry Pi and iPXE branches, free ranges, the `on commit` hook that registers new
/// devices, and fixed host entries grouped by netsetup (NAT gets the server as router).
public enum DHCPDConfigFile {
    /// Raspberry Pi Foundation OUIs as dhcpd's `binary-to-ascii` prints them: without the
    /// zero padding (`e4:5f:1`), or the comparison would never match.
    static let raspberryPiOUIs = ["28:cd:c1", "b8:27:eb", "d8:3a:dd", "dc:a6:32", "e4:5f:1", "2c:cf:67", "88:a2:9e"]

    public static func render(server: IPv4Network, devices: [NetworkDevice]) -> String {
        let hosts = devices.filter { $0.type != "server" }
        let taken = Set(hosts.compactMap { IPv4Network.parseAddress($0.ip) })
        let ranges = freeRanges(server: server, taken: taken).map {
            "    range \(IPv4Network.format($0.lowerBound)) \(IPv4Network.format($0.upperBound));"
        }
        let entries = hostEntries(hosts)
        func group(_ netsetup: Int, _ type: String) -> String {
            entries.filter { $0.netsetup == netsetup && $0.type == type }.map(\.text).joined(separator: "\n")
        }
        let ip = server.host
        return header(serverIP: ip, broadcast: IPv4Network.format(server.broadcastAddress))
            + """

            # walt unregistered devices
            subnet \(IPv4Network.format(server.networkAddress)) netmask \(server.netmask) {
                # declare ranges of unallocated addresses
            \(ranges.joined(separator: "\n"))

                # check if the ip is already used
                ping-check = 1;

                # no need to recheck often if you are now registered
                min-lease-time 6000000;
                max-lease-time 6000000;
                default-lease-time 6000000;

            \(onCommit)
            }

            # walt registered devices
            # -----------------------

            # devices with netsetup = "NAT"

            group {
                option routers \(ip);

                # switches

            \(group(1, "switch"))

                # nodes

            \(group(1, "node"))

                # unknown devices

            \(group(1, "unknown"))
            }

            # devices with netsetup = "LAN"

            group {
                # switches

            \(group(0, "switch"))

                # nodes

            \(group(0, "node"))

                # unknown devices

            \(group(0, "unknown"))
            }

            """
    }

    /// Maximal runs of addresses that are neither the server's, nor a device's, nor the
    /// network or broadcast address.
    static func freeRanges(server: IPv4Network, taken: Set<UInt32>) -> [ClosedRange<UInt32>] {
        guard server.prefixLength <= 30 else { return [] }
        var ranges: [ClosedRange<UInt32>] = []
        var start: UInt32?
        let first = server.networkAddress + 1, last = server.broadcastAddress - 1
        for address in first...last {
            let free = address != server.address && !taken.contains(address)
            if free, start == nil { start = address }
            if !free, let begin = start {
                ranges.append(begin...(address - 1))
                start = nil
            }
        }
        if let begin = start { ranges.append(begin...last) }
        return ranges
    }

    struct HostEntry {
        var netsetup: Int
        var type: String
        var text: String
    }

    /// One entry per device; a VPN node has two: `<name>-vpnboot` on its own MAC, always
    /// NAT (the Raspberry Pi 5 HTTP boot needs a router), and `<name>-vpn` on its VPN MAC.
    static func hostEntries(_ devices: [NetworkDevice]) -> [HostEntry] {
        var rows: [(mac: String, label: String, device: NetworkDevice, netsetup: Int)] = []
        for device in devices {
            if let vpnMAC = device.vpnMAC {
                rows.append((device.mac, device.name + "-vpnboot", device, 1))
                rows.append((vpnMAC, device.name + "-vpn", device, device.netsetup))
            } else {
                rows.append((device.mac, device.name, device, device.netsetup))
            }
        }
        return rows.sorted { $0.mac < $1.mac }.map { row in
            HostEntry(netsetup: row.netsetup, type: row.device.type, text: """
                    host \(row.label) {
                        hardware ethernet \(row.mac);
                        fixed-address \(row.device.ip);
                        option host-name "\(row.device.name)";
                        set dev_type = "\(row.device.type)";
                    }

                """)
        }
    }

    private static func header(serverIP: String, broadcast: String) -> String {
        let raspberryPiFilter = raspberryPiOUIs.map {
            "(binary-to-ascii(16,8,\":\",substring(hardware, 1, 3)) = \"\($0)\")"
        }.joined(separator: " or\n")
        return """

            #
            # DO NOT EDIT THIS FILE
            #
            # It is automatically generated by the walt system
            # and updated when needed.
            #
            # Debugging note: to log DHCP and TFTP requests, use:
            # $ tcpdump -i walt-net -B 20 -vvv -- \\
            #      '(' udp port 67 or udp port 68 or udp port 69 ')' and less 512
            # Condition "less 512" keeps TFTP requests and drops most TFTP data.
            #

            option client-architecture code 93 = unsigned integer 16;

            # global parameters
            authoritative; # allow sending DHCP NAKs
            next-server \(serverIP);
            option tftp-server-name "\(serverIP)";
            option ntp-servers \(serverIP);
            option broadcast-address \(broadcast);
            option domain-name "walt";
            option domain-search "walt";
            option domain-name-servers \(serverIP);

            # Option 43 (vendor-encapsulated-options), PXE sub-options: the Raspberry Pi
            # boot ROM needs the "Raspberry Pi Boot" menu entry.
            option space PXE;
            option PXE.discovery-control code 6 = unsigned integer 8;
            option PXE.boot-server code 8 = { unsigned integer 16,
                                              unsigned integer 8,
                                              ip-address };
            option PXE.boot-menu code 9 = { unsigned integer 16,
                                            unsigned integer 8,
                                            text};
            option PXE.menu-prompt code 10 = { unsigned integer 8,
                                               text };

            # vendor and user class identifiers, empty if absent
            if exists vendor-class-identifier {
                set vci = option vendor-class-identifier;
            } else {
                set vci = "";
            }

            if exists user-class {
                set uci = option user-class;
            } else {
                set uci = "";
            }

            # the forms of PXE booting
            if (vci = "PXEClient:Arch:00000:UNDI:002001") {
                if (substring(uci, 0, 9) = "walt.node") {
                    # iPXE running the walt boot script: the script names its own
                    # TFTP file, so no filename here.
                }
                elsif (\(raspberryPiFilter)) {
                    # Raspberry Pi boot ROM (network boot without an SD card)
                    option vendor-class-identifier "PXEClient";
                    vendor-option-space PXE;
                    option PXE.boot-menu 0 17 "Raspberry Pi Boot";
                }
                elsif option client-architecture = 00:00 {
                    # x86 BIOS PXE: chain-load walt's iPXE
                    filename "pxe/walt-x86-undionly.kpxe";
                }
            }

            """
    }

    /// Runs `walt-dhcp-event` for devices not registered yet (or still of unknown type),
    /// with the MAC bytes zero-padded (`binary-to-ascii` alone would print `9` for `09`).
    private static let onCommit: String = {
        let macBytes = (1...6).map {
            "            suffix(concat(\"0\", binary-to-ascii(16, 8, \"\", substring(hardware,\($0),1))),2)"
        }.joined(separator: ", \":\",\n")
        return """
                # when a new address is leased, let walt register the device
                on commit {
                    if known {  # the device has a host entry
                        set is_known = "1";     # execute() takes strings
                        # dev_type was set by the host entry
                    }
                    else {
                        set is_known = "0";
                        set dev_type = "unknown";
                    }
                    # only devices whose type is not known yet
                    if (dev_type = "unknown") {
                        set ip_string = binary-to-ascii(10, 8, ".", leased-address);
                        set mac_address_string = concat (
            \(macBytes)
                        );
                        set client_name = pick-first-value(
                            option host-name, config-option host-name, client-name, "");
                        execute("walt-dhcp-event", "commit", vci, uci, ip_string,
                            mac_address_string, client_name, is_known, dev_type);
                    }
                }
            """
    }()
}
