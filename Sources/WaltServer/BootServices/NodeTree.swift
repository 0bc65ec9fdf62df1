import WaltCommon

/// The per-node tree under `<state>/nodes` that TFTP and NFS serve (services.md §8.1):
/// a directory per node MAC with `fs`, `tftp` and `persist` links, aliases by IP, name and
/// dashed MAC, and `probing` links for every free address so that a new Raspberry Pi (whose
/// ROM uses an offered address without completing DHCP) still finds boot files.
///
/// The tree is described as a set of directives (`DIR <mac>`, `SYMLINK <target> <path>`);
/// `NodeTreeWriter` applies the difference from the last applied set.
public enum NodeTree {
    /// `imageID` gives the store id of a mounted image (nil: not mounted, the node gets
    /// `tftp-static`, whose files make it retry). `cleanup` is the daemon going down:
    /// every node is pointed at `tftp-static` so that boards keep rebooting until it is back.
    public static func directives(devices: [NetworkDevice], server: IPv4Network,
                                  imageID: (String) -> String?, cleanup: Bool = false) -> Set<String> {
        var set: Set<String> = []
        for node in devices where node.type == "node" {
            let mac = node.mac
            set.insert("DIR \(mac)")
            set.insert("SYMLINK \(mac) \(dashed(mac))")
            set.insert("SYMLINK \(mac) \(node.ip)")
            set.insert("SYMLINK \(mac) \(node.name)")
            let id = node.image.flatMap(imageID)
            if let id { set.insert("SYMLINK ../../images/\(id)/fs \(mac)/fs") }
            if let id, let model = node.model, !cleanup {
                set.insert("SYMLINK ../../images/\(id)/fs/boot/\(model) \(mac)/tftp")
            } else {
                set.insert("SYMLINK ../../tftp-static \(mac)/tftp")
            }
            if node.persist, let owner = node.imageOwner {
                set.insert("SYMLINK persist_dirs/\(owner) \(mac)/persist")
            } else {
                set.insert("SYMLINK forbidden_dir \(mac)/persist")
            }
        }
        let taken = Set(devices.compactMap { IPv4Network.parseAddress($0.ip) })
        for range in DHCPDConfigFile.freeRanges(server: server, taken: taken) {
            for address in range { set.insert("SYMLINK probing \(IPv4Network.format(address))") }
        }
        // A Raspberry Pi first seen with an OS on its SD card was registered as unknown;
        // booted later without the card, it must find boot files too.
        for device in devices where device.type == "unknown" && isRaspberryPi(device.mac) {
            for alias in [device.ip, device.mac, dashed(device.mac), device.name] {
                set.insert("SYMLINK probing \(alias)")
            }
        }
        return set
    }

    /// Persistent directories of nodes, which the NFS server exports read-write.
    public static func persistPaths(devices: [NetworkDevice], nodesDirectory: String) -> [String] {
        devices.filter { $0.type == "node" }.compactMap { node in
            node.imageOwner.map { "\(nodesDirectory)/\(node.mac)/persist_dirs/\($0)" }
        }
    }

    static let raspberryPiOUIs = ["28:cd:c1", "b8:27:eb", "d8:3a:dd", "dc:a6:32", "e4:5f:01", "2c:cf:67", "88:a2:9e"]

    static func isRaspberryPi(_ mac: String) -> Bool {
        raspberryPiOUIs.contains { mac.hasPrefix($0 + ":") }
    }

    static func dashed(_ mac: String) -> String {
        String(mac.map { $0 == ":" ? "-" : $0 })
    }
}
