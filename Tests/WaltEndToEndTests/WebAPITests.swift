import Foundation
import Testing

/// The daemon's HTTP service (upstream's walt-server-httpd) on port 80 of a real daemon with
/// its image store: the pages, `/api/v1/nodes|images|logs` against the Python scripting
/// API's view of the same nodes and images, every filter, upstream's 400 messages, the
/// `Prefer` error formats, 404s, HEAD, keep-alive, and `/boot` serving a node's boot files
/// (from the requester's address or `node_ip`) while refusing `..`.
/// Walt-net is a loopback /24 here, so the test can speak from the nodes' own addresses.
@Suite(.serialized, .enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/podman"),
                             "binds port 80 and runs podman: needs root"))
struct WebAPITests {
    static let model = "sim-x86"

    struct Node {
        let ip: String
        let mac: String
        var name: String { "node-" + mac.split(separator: ":").suffix(3).joined() }
    }

    /// The Python scripting API 10.0's view of the nodes and of alice's images, as JSON.
    static let scriptingView = """
        import json, sys
        from walt.client import api
        nodes = []
        for n in api.nodes.get_nodes():
            config = {k: getattr(n.config, k) for k in n.config.__buffered_get_info__()}
            nodes.append(dict(name=n.name, model=n.model, virtual=n.virtual, image=n.image.fullname,
                              booted=n.booted, ip=n.ip, mac=n.mac, config=config))
        images = [dict(fullname=i.fullname, id=i.id, in_use=i.in_use, created=i.created,
                       compatibility=list(i.compatibility)) for i in api.images.get_images()]
        with open(sys.argv[1], "w") as f:
            json.dump(dict(nodes=nodes, images=images), f)
        """

    static func canonical(_ value: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    static func eventually(_ seconds: Double = 60, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(200_000)
        }
        return try condition()
    }

    static func items(_ response: HTTPProbe.Response, _ name: String) -> [[String: Any]] {
        (response.json?[name] as? [[String: Any]]) ?? []
    }

    static func names(_ response: HTTPProbe.Response, _ key: String = "name") -> [String] {
        items(response, "nodes").compactMap { $0[key] as? String }
    }

    @Test func testWebAPI_againstTheDaemonsState() throws {
        let fixtures = try ImageStoreTests.Fixtures()
        defer { fixtures.remove() }
        _ = try fixtures.archive("sim", models: Self.model, variant: "default")
        let subnet = "127.\(Int.random(in: 20...99)).\(Int.random(in: 1...250))"
        let conf = """
            network:
                walt-net:
                    ip: \(subnet).1/24
            images:
                podman-root: \(fixtures.directory.path)/daemon-root
                podman-runroot: \(fixtures.directory.path)/daemon-run
                containers-conf: \(fixtures.directory.path)/containers.conf
                default-images-dir: \(fixtures.archives.path)

            """
        let daemon = try DaemonHarness(serverConf: conf)
        defer { daemon.stop() }
        let http = HTTPProbe(host: daemon.address)
        #expect(http.waitUntilListening(), "\(daemon.log)")
        let state = daemon.stateDirectory.path

        // Two nodes of a new model: the default image is imported and mounted for both.
        let n1 = Node(ip: "\(subnet).11", mac: "02:57:42:00:00:11")
        let n2 = Node(ip: "\(subnet).12", mac: "02:57:42:00:00:12")
        let t0 = Date().timeIntervalSince1970
        for node in [n1, n2] {
            let event = try daemon.dhcpEvent(["commit", "walt.node.\(Self.model)", "", node.ip, node.mac, "", "0", "unknown"])
            #expect(event.status == 0, "\(event.stderr)")
        }
        for node in [n1, n2] {
            #expect(Self.eventually { FileManager.default.fileExists(atPath: "\(state)/nodes/\(node.mac)/fs/etc/variant") },
                    "\(daemon.log)")
        }
        // n1 is booted (its bootup connection stays open) and logs two lines; n2 is reconfigured.
        let notifier = try LoopbackPeer(from: n1.ip, to: daemon.address, port: 12347)
        defer { notifier.close() }
        notifier.send("REQ_NOTIFY_BOOTUP_STATUS\n")
        #expect(notifier.receive(atMost: 3) == Array("OK\n".utf8))
        notifier.send("\n")
        let logger = try LoopbackPeer(from: n1.ip, to: daemon.address, port: 12347)
        logger.send("0\nweb-test\nNO_TIMESTAMPS\nalpha\nbeta é\nCLOSE\n")
        #expect(logger.readsEOF())
        logger.close()
        let alice = try PythonClient(server: daemon.address, username: "alice", in: daemon.stateDirectory)
        let configured = try ImageStoreTests.pythonCall(
            alice, "server.set_device_config('\(n2.name)', ['netsetup=NAT', 'boot.timeout=300'])")
        #expect(configured.status == 0, "\(configured.stderr)")
        #expect(try Self.eventually(10) {
            Self.names(try http.request("/api/v1/nodes?booted=true")) == [n1.name]
        }, "\(daemon.log)")
        usleep(500_000)
        let t1 = Date().timeIntervalSince1970

        // The scripting API's view (it also clones the default image into alice's set).
        let viewFile = daemon.stateDirectory.appendingPathComponent("view.json")
        let python = URL(fileURLWithPath: alice.executable).deletingLastPathComponent().appendingPathComponent("python").path
        let viewRun = try WaltBinary.run(["-c", Self.scriptingView, viewFile.path], executable: python,
                                         environment: ["HOME": alice.home.path], timeout: 60)
        #expect(viewRun.status == 0, "\(viewRun.stdout)\(viewRun.stderr)")
        let view = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: viewFile)) as? [String: Any])
        let viewNodes = try #require(view["nodes"] as? [[String: Any]])
        let viewImages = try #require(view["images"] as? [[String: Any]])

        try checkPages(http)
        try checkNodes(http, n1: n1, n2: n2, view: viewNodes)
        try checkImages(http, view: viewImages)
        try checkLogs(http, n1: n1, t0: t0, t1: t1)
        try checkErrors(http)
        try checkBoot(daemon, http, n1: n1)
    }

    func checkPages(_ http: HTTPProbe) throws {
        for path in ["/", "/index.html"] {
            let page = try http.request(path)
            #expect(page.status == 200 && page.header("Content-Type") == "text/html; charset=UTF-8")
            #expect(page.text.contains("<h2>WalT server HTTP service</h2>"), "\(page.text)")
            #expect(page.text.contains("href=\"/doc\"") && page.text.contains("href=\"/api\"") && page.text.contains("/boot"))
        }
        let head = try http.request("/", method: "HEAD")
        let get = try http.request("/")
        #expect(head.status == 200 && head.body.isEmpty && head.header("Content-Length") == String(get.body.count))
        let api = try http.request("/api")
        #expect(api.status == 200 && ["/api/v1/nodes", "/api/v1/images", "/api/v1/logs"].allSatisfy(api.text.contains))
        #expect(try http.request("/api/index.html").text == api.text)
        // Two requests on one kept-alive connection.
        let pair = try http.requests(["/api", "/api/v1/nodes?virtual=true"])
        #expect(pair.map(\.status) == [200, 200] && pair[1].text == #"{"num_nodes": 0, "nodes": []}"#)
    }

    func checkNodes(_ http: HTTPProbe, n1: Node, n2: Node, view: [[String: Any]]) throws {
        let all = try http.request("/api/v1/nodes")
        #expect(all.status == 200 && all.header("Content-Type") == "application/json")
        let nodes = Self.items(all, "nodes")
        #expect(all.json?["num_nodes"] as? Int == nodes.count && nodes.count == 2, "\(all.text)")
        #expect(Set(all.json?.keys.map { $0 } ?? []) == ["num_nodes", "nodes"])
        // The bytes are json.dumps's: ", " and ": " separators, keys in upstream's order.
        #expect(all.text.hasPrefix(#"{"num_nodes": 2, "nodes": [{"name": ""# + n1.name + #"", "model": "sim-x86", "virtual": false, "#),
                "\(all.text)")
        for node in nodes {
            #expect(Set(node.keys) == ["name", "model", "virtual", "image", "booted", "ip", "mac", "config"], "\(node)")
        }
        // Field for field what the scripting API sees (config included, netsetup as NAT/LAN;
        // the scripting API spells `boot.timeout` as the attribute `boot_timeout`).
        let asAttributes = nodes.map { node -> [String: Any] in
            var node = node
            let config = node["config"] as? [String: Any] ?? [:]
            node["config"] = Dictionary(uniqueKeysWithValues: config.map { ($0.key.replacingOccurrences(of: ".", with: "_"), $0.value) })
            return node
        }
        #expect(asAttributes.map(Self.canonical) == view.sorted { "\($0["name"]!)" < "\($1["name"]!)" }.map(Self.canonical),
                "http: \(all.text)\nscripting API: \(view)")
        let byName = Dictionary(uniqueKeysWithValues: nodes.map { ($0["name"] as? String ?? "", $0) })
        let config1 = byName[n1.name]?["config"] as? [String: Any]
        let config2 = byName[n2.name]?["config"] as? [String: Any]
        #expect(config1?["netsetup"] as? String == "LAN" && config2?["netsetup"] as? String == "NAT")
        #expect(config1?["boot.timeout"] as? Int == 180 && config2?["boot.timeout"] as? Int == 300)
        #expect(byName[n1.name]?["image"] as? String == "waltplatform/\(Self.model)-default:latest")
        #expect(byName[n1.name]?["ip"] as? String == n1.ip && byName[n1.name]?["booted"] as? Bool == true)

        // Boolean filters split the set; ?mac= gives exactly one node; empty values filter nothing.
        for field in ["booted", "virtual"] {
            let yes = Self.names(try http.request("/api/v1/nodes?\(field)=true"))
            let no = Self.names(try http.request("/api/v1/nodes?\(field)=false"))
            #expect(Set(yes).union(no) == Set(byName.keys) && yes.count + no.count == 2, "\(field): \(yes) \(no)")
        }
        #expect(Self.names(try http.request("/api/v1/nodes?booted=true")) == [n1.name])
        #expect(Self.names(try http.request("/api/v1/nodes?booted=0")) == [n2.name])
        #expect(Self.names(try http.request("/api/v1/nodes?virtual=true")).isEmpty)
        let byMAC = try http.request("/api/v1/nodes?mac=\(n2.mac)")
        #expect(byMAC.json?["num_nodes"] as? Int == 1 && Self.names(byMAC) == [n2.name])
        #expect(Self.names(try http.request("/api/v1/nodes?ip=\(n1.ip)&model=\(Self.model)")) == [n1.name])
        #expect(Self.names(try http.request("/api/v1/nodes?name=\(n2.name)&image=waltplatform/\(Self.model)-default:latest"))
            == [n2.name])
        #expect(Self.names(try http.request("/api/v1/nodes?mac=&booted=")).count == 2)
        #expect(Self.names(try http.request("/api/v1/nodes?name=nope")).isEmpty)

        let unknown = try http.request("/api/v1/nodes?foo=1", headers: ["Prefer": "errors=text-only"])
        #expect(unknown.status == 400 && unknown.text == "'foo' is not a valid filtering field.\n")
        let config = try http.request("/api/v1/nodes?config=x", headers: ["Prefer": "errors=text-only"])
        #expect(config.status == 400 && config.text == "'config' is not a valid filtering field.\n")
        let badBool = try http.request("/api/v1/nodes?booted=maybe", headers: ["Prefer": "errors=text-only"])
        #expect(badBool.status == 400 && badBool.text == "cannot interpret 'maybe' as a 'bool'.\n")
    }

    func checkImages(_ http: HTTPProbe, view: [[String: Any]]) throws {
        let all = try http.request("/api/v1/images")
        #expect(all.status == 200 && all.header("Content-Type") == "application/json")
        let images = Self.items(all, "images")
        #expect(all.json?["num_images"] as? Int == images.count && !images.isEmpty, "\(all.text)")
        for image in images {
            #expect(Set(image.keys) == ["fullname", "user", "id", "in_use", "created", "compatibility"], "\(image)")
            #expect((image["id"] as? String)?.count == 64)
            #expect((image["created"] as? String)?.count == 19)
            #expect(image["user"] as? String == (image["fullname"] as? String)?.split(separator: "/").first.map(String.init))
        }
        let byName = Dictionary(uniqueKeysWithValues: images.map { ($0["fullname"] as? String ?? "", $0) })
        let defaultImage = byName["waltplatform/\(Self.model)-default:latest"]
        #expect(defaultImage?["in_use"] as? Bool == true && defaultImage?["compatibility"] as? [String] == [Self.model])
        // alice's images as the scripting API sees them (its clone of the default image).
        #expect(!view.isEmpty)
        for seen in view {
            guard let name = seen["fullname"] as? String, var served = byName[name] else {
                Issue.record("image \(seen) missing from \(all.text)")
                continue
            }
            served["user"] = nil
            #expect(Self.canonical(served) == Self.canonical(seen))
        }
        let inUse = try http.request("/api/v1/images?in_use=true").json?["num_images"] as? Int
        let notInUse = try http.request("/api/v1/images?in_use=false").json?["num_images"] as? Int
        #expect((inUse ?? 0) + (notInUse ?? 0) == images.count && inUse == 1, "\(String(describing: inUse))")
        let one = try http.request("/api/v1/images?fullname=waltplatform/\(Self.model)-default:latest&user=waltplatform")
        #expect(Self.items(one, "images").count == 1)
        let id = defaultImage?["id"] as? String ?? ""
        #expect(Self.items(try http.request("/api/v1/images?id=\(id)"), "images").count >= 1)
        let refreshed = try http.request("/api/v1/images?refresh=true")
        #expect(refreshed.status == 200 && refreshed.json?["num_images"] as? Int == images.count, "\(refreshed.text)")
        let name = try http.request("/api/v1/images?name=x", headers: ["Prefer": "errors=text-only"])
        #expect(name.status == 400 && name.text == "'name' is not a valid filtering field.\n")
        let refresh = try http.request("/api/v1/images?refresh=", headers: ["Prefer": "errors=text-only"])
        #expect(refresh.status == 400 && refresh.text == "cannot interpret '' as a 'bool'.\n")
    }

    func checkLogs(_ http: HTTPProbe, n1: Node, t0: Double, t1: Double) throws {
        let window = try http.request("/api/v1/logs?from=\(t0)&to=\(t1)")
        #expect(window.status == 200 && window.header("Content-Type") == "application/json")
        let logs = Self.items(window, "logs")
        #expect(window.json?["num_logs"] as? Int == logs.count, "\(window.text)")
        for log in logs { #expect(Set(log.keys) == ["timestamp", "line", "issuer", "stream"], "\(log)") }
        let timestamps = logs.compactMap { $0["timestamp"] as? Double }
        #expect(timestamps.count == logs.count && timestamps == timestamps.sorted())
        #expect(timestamps.allSatisfy { $0 > t0 && $0 < t1 })
        let booted = logs.filter { $0["line"] as? String == "node \(n1.name) is booted" }
        #expect(booted.count == 1, "\(window.text)")
        #expect(booted.first?["issuer"] as? String == "walt-server" && booted.first?["stream"] as? String == "platform.nodes")
        // (Both lines came in one read, so they share a timestamp: their order is PostgreSQL's.)
        let own = logs.filter { $0["issuer"] as? String == n1.name }.map { "\($0["stream"]!) \($0["line"]!)" }
        #expect(own.sorted() == ["web-test alpha", "web-test beta é"], "\(window.text)")
        #expect(window.text.contains(#""line": "beta \u00e9""#))

        // Issuer and stream filters, the stream anchored but a regex (unescaped, as upstream).
        let byIssuer = Self.items(try http.request("/api/v1/logs?from=\(t0)&to=\(t1)&issuer=\(n1.name)"), "logs")
        #expect(byIssuer.map { $0["line"] as? String ?? "" }.sorted() == ["alpha", "beta é"])
        let byStream = Self.items(try http.request("/api/v1/logs?from=\(t0)&to=\(t1)&stream=web.test"), "logs")
        #expect(byStream.count == 2)
        #expect(Self.items(try http.request("/api/v1/logs?from=\(t0)&to=\(t1)&stream=web"), "logs").isEmpty)
        // An issuer is a bound parameter, never SQL.
        let injection = "x')%20OR%20('1'='1"
        let injected = try http.request("/api/v1/logs?from=\(t0)&to=\(t1)&issuer=\(injection)")
        #expect(injected.status == 200 && injected.text == #"{"num_logs": 0, "logs": []}"#, "\(injected.text)")
        // Bounds are exclusive: a window ending at the boot line's own timestamp leaves it out.
        if let bootTime = booted.first?["timestamp"] as? Double {
            let before = Self.items(try http.request("/api/v1/logs?from=\(t0)&to=\(bootTime)&stream=platform.nodes"), "logs")
            #expect(!before.contains { $0["line"] as? String == "node \(n1.name) is booted" })
        }

        // Milliseconds: the same lines, timestamps in ms (the ms variant of upstream's test).
        let ms = try http.request("/api/v1/logs?from=\(t0 * 1000)&to=\(t1 * 1000)&ts_unit=ms&issuer=walt-server&stream=platform.nodes")
        let msLogs = Self.items(ms, "logs")
        #expect(!msLogs.isEmpty && msLogs.allSatisfy { $0["issuer"] as? String == "walt-server" && $0["stream"] as? String == "platform.nodes" })
        #expect(msLogs.compactMap { $0["timestamp"] as? Double }.allSatisfy { $0 > t0 * 1000 && $0 < t1 * 1000 }, "\(ms.text)")
        let msBoot = msLogs.first { $0["line"] as? String == "node \(n1.name) is booted" }?["timestamp"] as? Double
        let sBoot = booted.first?["timestamp"] as? Double
        #expect(msBoot != nil && sBoot != nil && abs((msBoot ?? 0) - (sBoot ?? 0) * 1000) < 1)

        // Upstream's 400s.
        let text = ["Prefer": "errors=text-only"]
        let now = Date().timeIntervalSince1970
        #expect(try http.request("/api/v1/logs?from=\(t0)", headers: text).text == "Query parameters 'from' and 'to' are required.\n")
        #expect(try http.request("/api/v1/logs", headers: text).status == 400)
        #expect(try http.request("/api/v1/logs?from=\(t0)&to=\(t1)&ts_unit=h", headers: text).text
            == "Query parameter 'ts_unit' should be 's' (seconds) or 'ms' (milliseconds)\n")
        #expect(try http.request("/api/v1/logs?from=1000&to=\(t1)", headers: text).text
            == "Query parameter 'ts_from' is invalid (earlier than WALT project startup date!)\n")
        let future = try http.request("/api/v1/logs?from=\(t0)&to=\(now + 3600)", headers: text)
        #expect(future.status == 400 && future.text.hasPrefix("Query parameter 'ts_to' is invalid, it refers to a date in the future.\n"))
        // Seconds given as milliseconds land in the future.
        let unit = try http.request("/api/v1/logs?from=\(t0 * 1000)&to=\(t1 * 1000)", headers: text)
        #expect(unit.status == 400 && unit.text.hasPrefix("Query parameter 'ts_from' is invalid, it refers to a date in the future."))
        #expect(try http.request("/api/v1/logs?from=abc&to=\(t1)", headers: text).text == "cannot interpret 'abc' as a 'float'.\n")
    }

    func checkErrors(_ http: HTTPProbe) throws {
        let json = try http.request("/api/v1/logs?from=1", headers: ["Prefer": "errors=json"])
        #expect(json.status == 400 && json.header("Content-Type") == "application/json")
        #expect(json.text == #"{"error": "Query parameters 'from' and 'to' are required.", "status_code": 400}"#)
        let html = try http.request("/api/v1/logs?from=1")
        #expect(html.status == 400 && html.header("Content-Type") == "text/html; charset=UTF-8")
        #expect(html.text.contains("<h1>Error: 400 Bad Request</h1>") && html.text.contains("<pre>Query parameters &#039;from&#039;"),
                "\(html.text)")
        let missing = try http.request("/nowhere", headers: ["Prefer": "errors=text-only"])
        #expect(missing.status == 404 && missing.text == "Not found: '/nowhere'\n")
        let trailing = try http.request("/api/v1/nodes/")
        #expect(trailing.status == 404 && trailing.text.contains("<h1>Error: 404 Not Found</h1>"))
        let post = try http.request("/api/v1/nodes", method: "POST", headers: ["Prefer": "errors=text-only", "Content-Length": "0"])
        #expect(post.status == 405 && post.text == "Method not allowed.\n")
        let head = try http.request("/api/v1/nodes?foo=1", method: "HEAD")
        #expect(head.status == 400 && head.body.isEmpty)
    }

    func checkBoot(_ daemon: DaemonHarness, _ http: HTTPProbe, n1: Node) throws {
        let byParameter = try http.request("/boot/start.ipxe?node_ip=\(n1.ip)")
        #expect(byParameter.status == 200 && byParameter.text == "#!ipxe\n" && byParameter.header("Content-Length") == "7",
                "\(byParameter.status) \(byParameter.text)")
        let head = try http.request("/boot/start.ipxe?node_ip=\(n1.ip)", method: "HEAD")
        #expect(head.status == 200 && head.body.isEmpty && head.header("Content-Length") == "7")
        // Without node_ip: the requester's own boot directory.
        var fromNode = http
        fromNode.source = n1.ip
        #expect(try fromNode.request("/boot/start.ipxe").text == "#!ipxe\n")
        let text = ["Prefer": "errors=text-only"]
        let fromElsewhere = try http.request("/boot/start.ipxe", headers: text)
        #expect(fromElsewhere.status == 404 && fromElsewhere.text == "No such file.\n")
        let missing = try fromNode.request("/boot/nothing-here", headers: text)
        #expect(missing.status == 404 && missing.text == "No such file.\n")
        // `..` is refused even where it would reach a file of the image (etc/variant exists).
        let imageFile = "\(daemon.stateDirectory.path)/nodes/\(n1.mac)/tftp/../../etc/variant"
        #expect(FileManager.default.fileExists(atPath: imageFile))
        for target in ["/boot/../../etc/variant", "/boot/%2e%2e/%2e%2e/etc/variant", "/boot/a/../start.ipxe",
                       "/boot/../../../../../../etc/passwd", "/boot/start.ipxe?node_ip=../\(n1.ip)"] {
            let refused = try fromNode.request(target, headers: text)
            #expect(refused.status == 404 && !refused.text.contains("default") && !refused.text.contains("root:"),
                    "\(target): \(refused.status) \(refused.text)")
        }
    }

    /// A port that cannot be bound: one log line, and the daemon serves everything else.
    @Test func testBusyPort_daemonRunsWithoutTheHTTPService() throws {
        let blocker = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(blocker) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = INADDR_ANY
        var bound = false
        var port: UInt16 = 0
        for _ in 0..<20 where !bound {
            port = UInt16.random(in: 20_000...40_000)
            address.sin_port = port.bigEndian
            bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(blocker, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            } && listen(blocker, 1) == 0
        }
        try #require(bound)
        let daemon = try DaemonHarness(environment: ["WALT_HTTPD_PORT": String(port)])
        defer { daemon.stop() }
        #expect(Self.eventually(10) { daemon.log.contains("HTTP service (web API, /boot) not started") }, "\(daemon.log)")
        let alice = try PythonClient(server: daemon.address, username: "alice", in: daemon.stateDirectory)
        let shown = try alice.run(["device", "show"])
        #expect(shown.status == 0 && shown.stdout.contains("walt-server"), "\(shown.stderr)")
        usleep(300_000)
        #expect(daemon.exitStatus == nil)
    }
}
