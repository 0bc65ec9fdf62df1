import WaltCommon

/// SSAPI (server tools: walt-dhcp-event) and VSAPI (virtual nodes): device registration.
enum ServerToolsAPI {
    static let methods: [String: APIMethod] = [
        "register_device": APIMethod(["vci", "uci", "ip", "mac", "name"]) { context, args in
            let vci = try args.optionalString("vci") ?? ""
            let uci = try args.optionalString("uci") ?? ""
            let ipText = try args.optionalString("ip")
            let name = try args.optionalString("name")
            guard let mac = NetworkAddress.normalizedMAC(try args.string("mac")) else {
                throw CallArguments.Mismatch(message: "register_device(): invalid MAC address \(PythonRepr.repr(try args.string("mac")))")
            }
            if let ipText, !NetworkAddress.isIPv4(ipText) {
                throw CallArguments.Mismatch(message: "register_device(): invalid IPv4 address \(PythonRepr.repr(ipText))")
            }
            let outcome = try await DeviceRepository(store: context.daemon.store)
                .register(vci: vci, uci: uci, ip: ipText, mac: mac, name: name, waltNet: context.daemon.config.waltNetAddress)
            context.daemon.logger.debug("register_device", metadata: ["mac": "\(mac)", "outcome": "\(outcome)"])
            for line in outcome.platformLines(mac: mac, ip: ipText) {
                await context.daemon.platformLog.log("devices", line)
            }
            // As upstream: the RPC returns before dhcpd is restarted (throttled, in the
            // background), so walt-dhcp-event and thus dhcpd are not held up.
            if outcome != .unchanged { context.daemon.devicesChanged() }
            switch outcome {
            case .added(let name, "node", let model?), .identified(let name, "node", let model?, _):
                let daemon = context.daemon
                Task { await daemon.provideDefaultImage(model: model, nodeName: name) }
            default:
                break
            }
            return .none
        },
    ]
}
