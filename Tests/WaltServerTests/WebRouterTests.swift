#if canImport(Glibc)
import Glibc
#endif
import Logging
import Synchronization
import Testing
import WaltCommon
@testable import WaltServer

/// The web service's routes over an in-memory backend: pages, the three v1 listings with
/// their exact JSON, error formats, methods, and `/boot` (paths checked against a real
/// directory tree).
struct WebRouterTests {
    final class MemoryBackend: WebBackend {
        let devices: [DeviceInfo]
        let imageRows: [ImageTable.Row]
        let logRows: [LogRepository.Row]
        let files: [String: OpenFile]
        let calls = Mutex<[String]>([])
        let logQueries = Mutex<[LogQuery]>([])

        init(devices: [DeviceInfo] = [], images: [ImageTable.Row] = [], logs: [LogRepository.Row] = [],
             files: [String: OpenFile] = [:]) {
            self.devices = devices
            imageRows = images
            logRows = logs
            self.files = files
        }

        func nodes() async throws -> [DeviceInfo] { devices }

        func images(refresh: Bool) async throws -> [ImageTable.Row] {
            calls.withLock { $0.append("images refresh=\(refresh)") }
            return imageRows
        }

        func logs(_ query: LogQuery) async throws -> [LogRepository.Row] {
            logQueries.withLock { $0.append(query) }
            return logRows
        }

        func bootFile(nodeIP: String, path: String) async throws -> OpenFile? {
            calls.withLock { $0.append("boot \(nodeIP) \(path)") }
            return files[nodeIP + " " + path]
        }
    }

    static func node(_ name: String, mac: String, virtual: Bool = false, booted: Bool = false, netsetup: Int = 0,
                     conf: [(key: PyValue, value: PyValue)] = [], inWaltNet: Bool = true) -> DeviceInfo {
        DeviceInfo(mac: mac, ip: inWaltNet ? "192.168.183.\(name.count + 10)" : nil, name: name, type: "node",
                   virtual: virtual, conf: conf, image: "waltplatform/pc-x86-64-default:latest", model: "pc-x86-64",
                   booted: booted, gateway: "", netmask: "255.255.255.0", netsetup: netsetup, inWaltNet: inWaltNet)
    }

    static func router(_ backend: MemoryBackend, now: Double = 1_700_000_000) -> WebRouter {
        WebRouter(backend: backend, logger: Logger(label: "test"), now: { now })
    }

    static func get(_ router: WebRouter, _ target: String, method: String = "GET",
                    headers: [(name: String, value: String)] = [], peer: String? = "192.168.183.77") async -> WebResponse {
        await router.respond(to: WebRequest(method: method, target: target, headers: headers, peerIP: peer,
                                            localHost: "192.168.183.1"))
    }

    static func contentType(_ response: WebResponse) -> String? {
        response.headers.first { $0.name == "Content-Type" }?.value
    }

    @Test func testPages_welcomeAndAPI() async {
        let router = Self.router(MemoryBackend())
        for path in ["/", "/index.html"] {
            let page = await Self.get(router, path)
            #expect(page.status == 200 && Self.contentType(page) == "text/html; charset=UTF-8")
            #expect(page.bodyText?.contains("<h2>WalT server HTTP service</h2>") == true)
            #expect(page.bodyText?.contains("href=\"/doc\"") == true && page.bodyText?.contains("href=\"/api\"") == true)
            #expect(page.bodyText?.contains("<b>/boot</b>") == true)
        }
        for path in ["/api", "/api/index.html"] {
            let page = await Self.get(router, path)
            #expect(page.status == 200)
            for entry in ["/api/v1/nodes", "/api/v1/images", "/api/v1/logs"] {
                #expect(page.bodyText?.contains(entry) == true, "\(entry)")
            }
        }
        let head = await Self.get(router, "/", method: "HEAD")
        let get = await Self.get(router, "/")
        #expect(head.status == 200 && head.contentLength == get.contentLength)
    }

    @Test func testRouting_unknownPathsAndMethods() async {
        let router = Self.router(MemoryBackend())
        #expect(WebRouter.route("/api/v1/nodes") == .nodes)
        #expect(WebRouter.route("/boot/a/b.img") == .boot(path: "a/b.img"))
        #expect(WebRouter.route("/boot/") == nil && WebRouter.route("/api/") == nil && WebRouter.route("/doc") == nil)
        let missing = await Self.get(router, "/nowhere?x=1", headers: [("Prefer", "errors=text-only")])
        #expect(missing.status == 404 && missing.bodyText == "Not found: '/nowhere'\n")
        let encoded = await Self.get(router, "/a%20b", headers: [("prefer", "errors=text-only")])
        #expect(encoded.bodyText == "Not found: '/a b'\n")
        let post = await Self.get(router, "/api/v1/nodes", method: "POST", headers: [("Prefer", "errors=json")])
        #expect(post.status == 405 && post.bodyText == #"{"error": "Method not allowed.", "status_code": 405}"#)
        #expect(post.headers.contains { $0.name == "Allow" })
    }

    @Test func testErrorFormats_preferHeaderOrBottlePage() async {
        let router = Self.router(MemoryBackend())
        let target = "/api/v1/nodes?bad=1"
        let text = await Self.get(router, target, headers: [("Prefer", "errors=text-only")])
        #expect(text.status == 400 && Self.contentType(text) == "text/plain")
        #expect(text.bodyText == "'bad' is not a valid filtering field.\n")
        let json = await Self.get(router, target, headers: [("Prefer", "errors=json")])
        #expect(Self.contentType(json) == "application/json")
        #expect(json.bodyText == #"{"error": "'bad' is not a valid filtering field.", "status_code": 400}"#)
        for headers in [[], [("Prefer", "errors=xml")], [("Prefer", "return=minimal")]] as [[(name: String, value: String)]] {
            let html = await Self.get(router, target, headers: headers + [("Host", "server:80")])
            #expect(html.status == 400 && Self.contentType(html) == "text/html; charset=UTF-8")
            let body = html.bodyText ?? ""
            #expect(body.contains("<title>Error: 400 Bad Request</title>"), "\(body)")
            #expect(body.contains("<h1>Error: 400 Bad Request</h1>"))
            #expect(body.contains("<tt>&#039;http://server:80/api/v1/nodes?bad=1&#039;</tt>"), "\(body)")
            #expect(body.contains("<pre>&#039;bad&#039; is not a valid filtering field.</pre>"), "\(body)")
        }
    }

    @Test func testNodes_exactJSONWithConfigAndFilters() async {
        let backend = MemoryBackend(devices: [
            Self.node("n1", mac: "52:54:00:00:00:01", booted: true, netsetup: 1,
                      conf: [(.str("netsetup"), .int(PyInt(1))), (.str("boot.timeout"), .int(PyInt(300))), (.str("x"), .none)]),
            Self.node("vn2", mac: "52:54:00:00:00:02", virtual: true, conf: [(.str("ram"), .str("1G"))]),
            Self.node("n3", mac: "52:54:00:00:00:03", inWaltNet: false),
        ])
        let router = Self.router(backend)
        let all = await Self.get(router, "/api/v1/nodes")
        #expect(all.status == 200 && Self.contentType(all) == "application/json")
        let n1 = #"{"name": "n1", "model": "pc-x86-64", "virtual": false, "image": "waltplatform/pc-x86-64-default:latest", "booted": true, "ip": "192.168.183.12", "mac": "52:54:00:00:00:01", "config": {"netsetup": "NAT", "expose": "none", "boot.retries": 9, "boot.timeout": 300, "kexec.allow": true, "mount.persist": true, "x": null}}"#
        let vn2 = #"{"name": "vn2", "model": "pc-x86-64", "virtual": true, "image": "waltplatform/pc-x86-64-default:latest", "booted": false, "ip": "192.168.183.13", "mac": "52:54:00:00:00:02", "config": {"netsetup": "LAN", "expose": "none", "boot.retries": 9, "boot.timeout": 180, "kexec.allow": true, "mount.persist": true, "ram": "1G", "cpu.cores": 4, "disks": "none", "boot.delay": "random", "networks": "walt-net"}}"#
        // Outside walt-net: no netsetup default, but upstream still spells it out (last).
        let n3 = #"{"name": "n3", "model": "pc-x86-64", "virtual": false, "image": "waltplatform/pc-x86-64-default:latest", "booted": false, "ip": null, "mac": "52:54:00:00:00:03", "config": {"boot.retries": 9, "boot.timeout": 180, "kexec.allow": true, "mount.persist": true, "netsetup": "LAN"}}"#
        #expect(all.bodyText == #"{"num_nodes": 3, "nodes": ["# + [n1, vn2, n3].joined(separator: ", ") + "]}")
        let booted = await Self.get(router, "/api/v1/nodes?booted=true")
        #expect(booted.bodyText == #"{"num_nodes": 1, "nodes": ["# + n1 + "]}")
        let virtual = await Self.get(router, "/api/v1/nodes?virtual=false&mac=52:54:00:00:00:03")
        #expect(virtual.bodyText == #"{"num_nodes": 1, "nodes": ["# + n3 + "]}")
        let none = await Self.get(router, "/api/v1/nodes?name=nope")
        #expect(none.bodyText == #"{"num_nodes": 0, "nodes": []}"#)
        let config = await Self.get(router, "/api/v1/nodes?config=x", headers: [("Prefer", "errors=text-only")])
        #expect(config.status == 400 && config.bodyText == "'config' is not a valid filtering field.\n")
    }

    @Test func testImages_exactJSONRefreshAndFilters() async throws {
        let created = 1_700_000_000
        let metadata = ImageMetadata(id: String(repeating: "ab", count: 32), labels: ["walt.node.models": "rpi-3-b,pc-x86-64"],
                                     created: created)
        let backend = MemoryBackend(images: [
            ImageTable.Row(image: ImageName(user: "alice", name: "exp"), inUse: true, metadata: metadata),
            ImageTable.Row(image: ImageName(user: "bob", name: "x:v2"), inUse: false, metadata: metadata),
        ])
        let router = Self.router(backend)
        let createdText = try #require(LocalTime.dateTime(Double(created)).map(LocalTime.text))
        #expect(createdText.count == 19)
        let alice = #"{"fullname": "alice/exp:latest", "user": "alice", "id": ""# + metadata.id
            + #"", "in_use": true, "created": ""# + createdText + #"", "compatibility": ["rpi-3-b", "pc-x86-64"]}"#
        let all = await Self.get(router, "/api/v1/images")
        #expect(all.bodyText?.hasPrefix(#"{"num_images": 2, "images": ["# + alice + ", ") == true, "\(all.bodyText ?? "")")
        let inUse = await Self.get(router, "/api/v1/images?in_use=true&refresh=true")
        #expect(inUse.bodyText == #"{"num_images": 1, "images": ["# + alice + "]}")
        let bob = await Self.get(router, "/api/v1/images?user=bob&in_use=")
        #expect(bob.bodyText?.contains(#""fullname": "bob/x:v2""#) == true && bob.bodyText?.contains("\"num_images\": 1") == true)
        #expect(backend.calls.withLock { $0 } == ["images refresh=false", "images refresh=true", "images refresh=false"])
        let emptyRefresh = await Self.get(router, "/api/v1/images?refresh=", headers: [("Prefer", "errors=text-only")])
        #expect(emptyRefresh.status == 400 && emptyRefresh.bodyText == "cannot interpret '' as a 'bool'.\n")
        let name = await Self.get(router, "/api/v1/images?name=exp", headers: [("Prefer", "errors=text-only")])
        #expect(name.bodyText == "'name' is not a valid filtering field.\n")
    }

    @Test func testLogs_queryReachesTheStoreAndTimestampsFollowTheUnit() async throws {
        let backend = MemoryBackend(logs: [
            LogRepository.Row(timestamp: 1_600_000_000.25, line: "node n1 is booted", issuer: "walt-server", stream: "platform.nodes"),
            LogRepository.Row(timestamp: 1_600_000_001.5, line: "é\"", issuer: "n1", stream: "s"),
        ])
        let router = Self.router(backend)
        let seconds = await Self.get(router, "/api/v1/logs?from=1599999999&to=1600000002")
        #expect(seconds.bodyText == #"{"num_logs": 2, "logs": [{"timestamp": 1600000000.25, "line": "node n1 is booted", "issuer": "walt-server", "stream": "platform.nodes"}, {"timestamp": 1600000001.5, "line": "\u00e9\"", "issuer": "n1", "stream": "s"}]}"#)
        let ms = await Self.get(router, "/api/v1/logs?from=1599999999000&to=1600000002000&ts_unit=ms&issuer=n1&stream=s.*")
        #expect(ms.bodyText?.hasPrefix(#"{"num_logs": 2, "logs": [{"timestamp": 1600000000250.0, "#) == true, "\(ms.bodyText ?? "")")
        let queries = backend.logQueries.withLock { $0 }
        #expect(queries.count == 2)
        #expect(queries.last?.issuers == ["n1"] && queries.last?.streamsRegexp == "^s.*$")
        #expect(queries.last?.timestampsFormat == .floatMilliseconds)
        let future = await Self.get(router, "/api/v1/logs?from=1600000000&to=1800000000", headers: [("Prefer", "errors=text-only")])
        #expect(future.status == 400 && future.bodyText?.hasPrefix("Query parameter 'ts_to' is invalid, it refers to a date in the future.\n") == true)
        let nan = await Self.get(router, "/api/v1/logs?from=NaN&to=NaN")
        #expect(nan.bodyText == #"{"num_logs": 0, "logs": []}"#)
        #expect(backend.logQueries.withLock { $0.count } == 2)
    }

    @Test func testBoot_nodeIPParameterOrPeerAddress() async throws {
        let directory = try TemporaryTree()
        defer { directory.remove() }
        try directory.write("file.bin", "boot bytes")
        let file = try #require(OpenFile.openRegular(directory.path + "/file.bin"))
        let backend = MemoryBackend(files: ["192.168.183.77 start.ipxe": file])
        let router = Self.router(backend)
        let served = await Self.get(router, "/boot/start.ipxe")
        #expect(served.status == 200 && served.contentLength == 10)
        let other = await Self.get(router, "/boot/pxe/start.ipxe?node_ip=192.168.183.9", headers: [("Prefer", "errors=text-only")])
        #expect(other.status == 404 && other.bodyText == "No such file.\n")
        #expect(backend.calls.withLock { $0 } == ["boot 192.168.183.77 start.ipxe", "boot 192.168.183.9 pxe/start.ipxe"])
        file.close()
    }

    @Test func testBootFiles_stayInsideTheNodeBootDirectoryOrImage() throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        let mac = "52:54:00:00:00:01"
        try tree.mkdir("images/id1/fs/boot/pc")
        try tree.mkdir("images/id1/fs/lib")
        try tree.mkdir("nodes/\(mac)")
        try tree.write("images/id1/fs/boot/pc/start.ipxe", "#!ipxe\n")
        try tree.write("images/id1/fs/lib/kernel", "kernel")
        try tree.write("secret", "secret")
        try tree.symlink("../../images/id1/fs", "nodes/\(mac)/fs")
        try tree.symlink("../../images/id1/fs/boot/pc", "nodes/\(mac)/tftp")
        try tree.symlink(mac, "nodes/192.168.183.5")
        try tree.symlink("../../lib/kernel", "images/id1/fs/boot/pc/kernel")
        try tree.symlink(tree.path + "/secret", "images/id1/fs/boot/pc/absolute")
        try tree.symlink("../../../../../secret", "images/id1/fs/boot/pc/escape")
        let files = BootFiles(nodesDirectory: tree.path + "/nodes")
        let real = try #require(BootFiles.realPath(tree.path))
        #expect(files.resolve(nodeIP: "192.168.183.5", path: "start.ipxe") == real + "/images/id1/fs/boot/pc/start.ipxe")
        #expect(files.resolve(nodeIP: "192.168.183.5", path: "/start.ipxe") != nil)
        #expect(files.resolve(nodeIP: "192.168.183.5", path: "kernel") == real + "/images/id1/fs/lib/kernel")
        #expect(files.resolve(nodeIP: "192.168.183.5", path: "absolute") == nil)
        #expect(files.resolve(nodeIP: "192.168.183.5", path: "escape") == nil)
        #expect(files.resolve(nodeIP: "192.168.183.5", path: "../../../../secret") == nil)
        #expect(files.resolve(nodeIP: "192.168.183.5", path: "a/../start.ipxe") == nil)
        #expect(files.resolve(nodeIP: "192.168.183.5", path: "missing") == nil)
        #expect(files.resolve(nodeIP: "192.168.183.6", path: "start.ipxe") == nil)
        #expect(files.resolve(nodeIP: "../192.168.183.5", path: "start.ipxe") == nil)
        #expect(files.resolve(nodeIP: mac, path: "start.ipxe") == nil)
        // A directory is not a file.
        #expect(files.resolve(nodeIP: "192.168.183.5", path: ".") != nil)
        #expect(files.open(nodeIP: "192.168.183.5", path: ".") == nil)
        let opened = try #require(files.open(nodeIP: "192.168.183.5", path: "start.ipxe"))
        #expect(opened.size == 7)
        opened.close()
    }
}

/// A scratch directory for file-system tests.
struct TemporaryTree {
    let path: String

    init() throws {
        var template = Array("/tmp/walt-web-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw Failure() }
        path = String(cString: made)
    }

    struct Failure: Error {}

    func mkdir(_ relative: String) throws {
        var current = path
        for part in relative.split(separator: "/") {
            current += "/" + part
            if Glibc.mkdir(current, 0o755) != 0 && errno != EEXIST { throw Failure() }
        }
    }

    func write(_ relative: String, _ text: String) throws {
        guard let file = fopen(path + "/" + relative, "w") else { throw Failure() }
        fputs(text, file)
        fclose(file)
    }

    func symlink(_ target: String, _ relative: String) throws {
        guard Glibc.symlink(target, path + "/" + relative) == 0 else { throw Failure() }
    }

    func remove() {
        _ = try? Subprocess(executable: "/bin/rm", arguments: ["-rf", path]).run()
    }
}
