/// `show_nodes`: the node tables `walt node show` prints, with upstream's sections, columns,
/// sort order and messages.
public enum NodeShow {
    /// One node as the show query returns it.
    public struct Row: Sendable, Equatable {
        public var name: String
        public var model: String
        /// The part of the image name before '/': a username, or `waltplatform` for free nodes.
        public var imageOwner: String
        /// The part after '/', e.g. `pc-x86-64-default:latest`.
        public var imageName: String
        public var virtual: Bool
        public var mac: String
        public var ip: String?
        /// 0 = LAN, 1 = NAT.
        public var netsetup: Int
        public var powersave: Bool

        public init(name: String, model: String, imageOwner: String, imageName: String, virtual: Bool,
                    mac: String, ip: String?, netsetup: Int, powersave: Bool) {
            self.name = name
            self.model = model
            self.imageOwner = imageOwner
            self.imageName = imageName
            self.virtual = virtual
            self.mac = mac
            self.ip = ip
            self.netsetup = netsetup
            self.powersave = powersave
        }
    }

    static let freeOwner = "waltplatform"
    static let usingNoNodes = "You currently do not own any nodes."
    static let rerunWithAll = "Re-run with --all to see all available nodes."
    static let tip = "Type `walt help show node-ownership` for help."
    static let titleFree = "The following nodes are currently free:"
    static let titleUser = "You currently own the following nodes:"
    static let titleOther = "The following nodes currently belong to other users:"
    static let noNodes = "No nodes detected!"
    static let noOtherNodes = "No other nodes were detected (apart from the ones listed above)."

    /// - Parameters:
    ///   - rows: nodes sorted by image owner, then name (the query's order).
    ///   - booted: MACs of nodes that notified their bootup.
    public static func render(rows: [Row], username: String, showAll: Bool, namesOnly: Bool,
                              booted: Set<String>) -> String {
        let mine = rows.filter { $0.imageOwner == username }
        let free = rows.filter { $0.imageOwner == freeOwner }
        let others = rows.filter { $0.imageOwner != username && $0.imageOwner != freeOwner }
        if namesOnly {
            return (showAll ? rows : mine).map(\.name).joined(separator: "\n")
        }
        var text = ""
        var footnotes: [String] = []
        if mine.isEmpty && !showAll {
            footnotes += [usingNoNodes, rerunWithAll]
        } else if rows.isEmpty {
            footnotes.append(noNodes)
        } else {
            if !mine.isEmpty {
                if !showAll { footnotes.append(rerunWithAll) }
                text += section(titleUser, mine, ["name", "type", "model", "image", "ip", "netsetup", "booted"], booted)
            }
            if showAll {
                if free.isEmpty && others.isEmpty { footnotes.append(noOtherNodes) }
                if !free.isEmpty {
                    text += section(titleFree, free, ["name", "type", "model", "ip", "netsetup", "booted"], booted)
                }
                if !others.isEmpty {
                    text += section(titleOther, others,
                                    ["name", "type", "model", "image_owner", "clonable_image_link", "ip", "netsetup", "booted"],
                                    booted)
                }
            }
        }
        footnotes.append(tip)
        return text + footnotes.joined(separator: "\n")
    }

    private static func section(_ title: String, _ rows: [Row], _ columns: [String], _ booted: Set<String>) -> String {
        let cells = rows.map { row in columns.map { cell(row, $0, booted) } }
        return Columnate.paragraph(title: title, content: Columnate.table(header: columns, rows: cells))
    }

    private static func cell(_ row: Row, _ column: String, _ booted: Set<String>) -> String? {
        switch column {
        case "name": return row.name
        case "type": return row.virtual ? (row.mac.hasPrefix("52:54:00") ? "virtual" : "vpn") : "physical"
        case "model": return row.model
        case "image": return row.imageName.replacingAll(":latest", with: "")
        case "image_owner": return row.imageOwner
        case "clonable_image_link": return "walt:\(row.imageOwner)/\(row.imageName.replacingAll(":latest", with: ""))"
        case "ip": return row.ip
        case "netsetup": return row.netsetup == 1 ? "NAT" : row.netsetup == 0 ? "LAN" : ""
        case "booted": return booted.contains(row.mac) ? "yes" : row.powersave ? "no (powersave)" : "NO"
        default: return nil
        }
    }
}
