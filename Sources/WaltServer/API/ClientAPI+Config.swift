import WaltCommon
import WaltStore

/// CSAPI methods of `walt device config` / `walt node config`, the scripting API's
/// `node.config`, and the address lookups of `walt device ping` / `walt node ping`
/// (server.md §3.1, §4.8).
extension ClientAPI {
    static let configMethods: [String: APIMethod] = [
        "set_device_config": APIMethod(["device_set", "conf_args"]) { context, args in
            try await DeviceSettingsService(context).set(try args.optionalString("device_set"),
                                                         arguments: try textItems(args, "conf_args"))
            // issue #7: regenerate dhcpd.conf (upstream does it after every set_device_config).
            return .none
        },
        "get_device_config": APIMethod(["device_set"]) { context, args in
            let sets = DeviceSets(daemon: context.daemon, requester: context.requester)
            guard let devices = try await sets.parse(try args.optionalString("device_set")) else { return .none }
            try await context.requester.stdout(DeviceSettingsText.render(DeviceSettingsText.entries(devices)))
            return .none
        },
        "get_device_config_data": APIMethod(["device_set"]) { context, args in
            let sets = DeviceSets(daemon: context.daemon, requester: context.requester)
            guard let devices = try await sets.parse(try args.optionalString("device_set")) else {
                // Upstream hands the reported failure (None) to a converter that raises.
                return exceptionResult("TypeError", "object of type 'NoneType' has no len()")
            }
            return DeviceSettingsText.data(DeviceSettingsText.entries(devices))
        },
        "get_device_ip": APIMethod(["device_name"]) { context, args in
            let name = try args.string("device_name")
            let sets = DeviceSets(daemon: context.daemon, requester: context.requester)
            guard let device = try await sets.device(named: name) else { return .none }
            return try await addressOrNotice(device, name: name, context)
        },
        "get_node_ip": APIMethod(["node_name"]) { context, args in
            let name = try args.string("node_name")
            let sets = DeviceSets(daemon: context.daemon, requester: context.requester)
            guard let device = try await sets.node(named: name) else { return .none }
            // Upstream raises an AttributeError here (its node manager lacks the notice); we
            // give the device notice instead.
            return try await addressOrNotice(device, name: name, context)
        },
    ]

    private static func addressOrNotice(_ device: DeviceInfo, name: String, _ context: APIContext) async throws -> PyValue {
        guard let ip = device.ip else {
            try await context.requester.stderr("Sorry, IP address of \(name) in unknown.\n")
            return .none
        }
        return .str(ip)
    }

    /// A tuple or list of str, as the clients send `conf_args`.
    static func textItems(_ args: CallArguments, _ name: String) throws -> [String] {
        let items = args[name].sequenceItems ?? []
        let texts = items.compactMap(\.stringValue)
        guard args[name].sequenceItems != nil, texts.count == items.count else {
            throw CallArguments.Mismatch(
                message: "\(args.method)(): argument '\(name)' must be a sequence of str, not \(args[name].typeName)")
        }
        return texts
    }
}

/// `set_device_config` against the store: resolve the set, check, apply, report.
struct DeviceSettingsService {
    let context: APIContext

    init(_ context: APIContext) {
        self.context = context
    }

    func set(_ deviceSet: String?, arguments: [String]) async throws {
        let requester = context.requester
        guard let request = DeviceSettingsRequest(arguments: arguments) else {
            try await requester.stderr(DeviceSettingsRequest.usage)
            return
        }
        let sets = DeviceSets(daemon: context.daemon, requester: requester)
        guard let devices = try await sets.parse(deviceSet) else { return }
        if let refusal = request.refusal(for: devices) {
            try await requester.stderr(refusal)
            return
        }
        let change = DeviceSettingsChange(request)
        // issue #8: netsetup changes insert/delete the iptables WALT rule of each device whose
        // state changes (the NAT rules of services.md §4.4).
        // issue #8: vnode VM settings (gateway, cpu_cores, ram, disks, networks, boot_delay) go to
        // running VMs as `CONF` lines; boot.retries/boot.timeout update the boot watchdog;
        // expose starts/stops the port forwarding.
        let repository = DeviceRepository(store: context.daemon.store)
        if change.convertsToSwitches {
            for device in devices {
                guard let (registration, ip) = try await repository.identifyAsSwitch(mac: device.mac) else { continue }
                if case .identified(let name, _, _, let renamedFrom?) = registration {
                    try await requester.stdout("Renaming \(renamedFrom) to \(name) for clarity.\n")
                }
                for line in registration.platformLines(mac: device.mac, ip: ip) {
                    await context.daemon.platformLog.log("devices", line)
                }
            }
            context.daemon.logStreams.invalidate()
        }
        try await repository.mergeConf(macs: devices.map(\.mac), change.conf)
        if change.updatesBootFiles || change.convertsToSwitches { context.daemon.devicesChanged() }
        try await requester.stdout(change.doneMessage(for: devices))
    }
}
