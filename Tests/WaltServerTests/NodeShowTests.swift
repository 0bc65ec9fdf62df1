import Testing
@testable import WaltServer

/// Expected strings were produced by WalT 10.0's own `nodes/show.py` and `np_columnate`
/// (numpy) on the same rows, so these check byte-for-byte parity with upstream.
@Suite struct NodeShowTests {
    struct Case: Sendable {
        var user: String
        var all: Bool
        var namesOnly: Bool
        var booted: Set<String>
        var rows: [NodeShow.Row]
        var expected: String
    }

    static let cases: [Case] = [
        Case(
            user: "alice", all: false, namesOnly: false,
            booted: [],
            rows: [],
            expected: "You currently do not own any nodes.\nRe-run with --all to see all available nodes.\nType `walt help show node-ownership` for help."),
        Case(
            user: "alice", all: true, namesOnly: false,
            booted: [],
            rows: [],
            expected: "No nodes detected!\nType `walt help show node-ownership` for help."),
        Case(
            user: "alice", all: false, namesOnly: false,
            booted: ["b8:27:eb:12:34:56"],
            rows: [
            .init(name: "rpi-a", model: "rpi-3-b", imageOwner: "alice", imageName: "my-img:latest", virtual: false, mac: "b8:27:eb:12:34:56", ip: "192.168.183.7", netsetup: 0, powersave: false),
            .init(name: "vnode-long-name", model: "pc-x86-64", imageOwner: "alice", imageName: "other:v2", virtual: true, mac: "52:54:00:aa:bb:cc", ip: nil, netsetup: 1, powersave: false),
            .init(name: "free1", model: "rpi-4-b", imageOwner: "waltplatform", imageName: "rpi-4-b-default:latest", virtual: false, mac: "dc:a6:32:00:00:01", ip: "192.168.183.9", netsetup: 0, powersave: true),
            ],
            expected: "\n\u{1B}[1mYou currently own the following nodes:\n\u{1B}[0m\nname             type      model      image     ip             netsetup  booted\n---------------  --------  ---------  --------  -------------  --------  ------\nrpi-a            physical  rpi-3-b    my-img    192.168.183.7  LAN       yes   \nvnode-long-name  virtual   pc-x86-64  other:v2                 NAT       NO    \n\nRe-run with --all to see all available nodes.\nType `walt help show node-ownership` for help."),
        Case(
            user: "alice", all: true, namesOnly: false,
            booted: ["b8:27:eb:12:34:56", "dc:a6:32:00:00:02"],
            rows: [
            .init(name: "rpi-a", model: "rpi-3-b", imageOwner: "alice", imageName: "my-img:latest", virtual: false, mac: "b8:27:eb:12:34:56", ip: "192.168.183.7", netsetup: 0, powersave: false),
            .init(name: "bobs", model: "pc-x86-64", imageOwner: "bob", imageName: "exp:latest", virtual: true, mac: "aa:54:00:00:00:02", ip: "192.168.183.10", netsetup: 1, powersave: false),
            .init(name: "bobs2", model: "pc-x86-64", imageOwner: "bob", imageName: "exp:2", virtual: false, mac: "dc:a6:32:00:00:02", ip: "192.168.183.11", netsetup: 0, powersave: false),
            .init(name: "free1", model: "rpi-4-b", imageOwner: "waltplatform", imageName: "rpi-4-b-default:latest", virtual: false, mac: "dc:a6:32:00:00:01", ip: "192.168.183.9", netsetup: 0, powersave: true),
            ],
            expected: "\n\u{1B}[1mYou currently own the following nodes:\n\u{1B}[0m\nname   type      model    image   ip             netsetup  booted\n-----  --------  -------  ------  -------------  --------  ------\nrpi-a  physical  rpi-3-b  my-img  192.168.183.7  LAN       yes   \n\n\n\u{1B}[1mThe following nodes are currently free:\n\u{1B}[0m\nname   type      model    ip             netsetup  booted        \n-----  --------  -------  -------------  --------  --------------\nfree1  physical  rpi-4-b  192.168.183.9  LAN       no (powersave)\n\n\n\u{1B}[1mThe following nodes currently belong to other users:\n\u{1B}[0m\nname   type      model      image-owner  clonable-image  ip              netsetup  booted\n-----  --------  ---------  -----------  --------------  --------------  --------  ------\nbobs   vpn       pc-x86-64  bob          walt:bob/exp    192.168.183.10  NAT       NO    \nbobs2  physical  pc-x86-64  bob          walt:bob/exp:2  192.168.183.11  LAN       yes   \n\nType `walt help show node-ownership` for help."),
        Case(
            user: "bob", all: false, namesOnly: true,
            booted: [],
            rows: [
            .init(name: "aa", model: "m", imageOwner: "bob", imageName: "x:latest", virtual: false, mac: "00:00:00:00:00:02", ip: "10.0.0.2", netsetup: 0, powersave: false),
            .init(name: "zz", model: "m", imageOwner: "bob", imageName: "x:latest", virtual: false, mac: "00:00:00:00:00:01", ip: "10.0.0.1", netsetup: 0, powersave: false),
            .init(name: "cc", model: "m", imageOwner: "carl", imageName: "x:latest", virtual: false, mac: "00:00:00:00:00:03", ip: "10.0.0.3", netsetup: 0, powersave: false),
            ],
            expected: "aa\nzz"),
        Case(
            user: "bob", all: true, namesOnly: true,
            booted: [],
            rows: [
            .init(name: "zz", model: "m", imageOwner: "bob", imageName: "x:latest", virtual: false, mac: "00:00:00:00:00:01", ip: "10.0.0.1", netsetup: 0, powersave: false),
            .init(name: "cc", model: "m", imageOwner: "carl", imageName: "x:latest", virtual: false, mac: "00:00:00:00:00:03", ip: "10.0.0.3", netsetup: 0, powersave: false),
            ],
            expected: "zz\ncc"),
        Case(
            user: "alice", all: true, namesOnly: false,
            booted: [],
            rows: [
            .init(name: "mine", model: "m", imageOwner: "alice", imageName: "x:latest", virtual: false, mac: "00:00:00:00:00:01", ip: "10.0.0.1", netsetup: 0, powersave: false),
            ],
            expected: "\n\u{1B}[1mYou currently own the following nodes:\n\u{1B}[0m\nname  type      model  image  ip        netsetup  booted\n----  --------  -----  -----  --------  --------  ------\nmine  physical  m      x      10.0.0.1  LAN       NO    \n\nNo other nodes were detected (apart from the ones listed above).\nType `walt help show node-ownership` for help."),
    ]

    @Test(arguments: cases)
    func testRender_matchesUpstream(_ c: Case) {
        let text = NodeShow.render(rows: c.rows, username: c.user, showAll: c.all, namesOnly: c.namesOnly, booted: c.booted)
        #expect(text == c.expected)
    }

    /// Widths count Unicode scalars as Python's `len` does (a combining accent is one more),
    /// a missing value counts as "None" for the header cut and prints empty.
    @Test func testColumnate_scalarWidths_noneCells_headerCut() {
        let text = Columnate.table(header: ["name", "clonable_image_link"], rows: [["é", nil], ["a\u{301}b", "x"]])
        #expect(text == "name  clon\n----  ----\né         \na\u{301}b   x   ")
        #expect(Columnate.scalarCount("a\u{301}😀é") == 4)
    }
}
