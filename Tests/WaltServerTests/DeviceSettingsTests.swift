import Testing
import WaltCommon

@testable import WaltServer

/// Device settings without a database: the checks and messages of `set_device_config`,
/// what it stores, and the text and data of `get_device_config(_data)`.
@Suite struct DeviceSettingsTests {
    struct SetCase: Sendable, CustomTestStringConvertible {
        var devices: [DeviceInfo]
        var arguments: [String]
        var stdout: String
        var stderr: String
        /// `json.dumps` of what upstream merges into `devices.conf`; nil when refused.
        var stored: String?

        init(_ devices: [DeviceInfo], _ arguments: [String], stdout: String, stderr: String, stored: String?) {
            (self.devices, self.arguments, self.stdout, self.stderr, self.stored) = (devices, arguments, stdout, stderr, stored)
        }

        var testDescription: String { devices.map(\.name).joined(separator: ",") + " " + arguments.joined(separator: " ") }
    }

    struct GetCase: Sendable, CustomTestStringConvertible {
        var devices: [DeviceInfo]
        var text: String
        /// `json.dumps` of upstream's `get_device_config_data` records.
        var data: String

        init(_ devices: [DeviceInfo], text: String, data: String) {
            (self.devices, self.text, self.data) = (devices, text, data)
        }

        var testDescription: String { devices.map(\.name).joined(separator: ",") }
    }

    static func D(_ name: String, _ type: String, virtual: Bool, inWaltNet: Bool,
                  conf: [(String, PyValue)]) -> DeviceInfo {
        DeviceInfo(mac: "mac-\(name)", ip: "192.168.152.2", name: name, type: type, virtual: virtual,
                   conf: conf.map { (PyValue.str($0.0), $0.1) }, image: nil, model: nil, booted: nil, gateway: "",
                   netmask: nil, netsetup: 0, inWaltNet: inWaltNet)
    }

    /// What `set_device_config` would write and store, the way `DeviceSettingsService` runs it.
    static func run(_ devices: [DeviceInfo], _ arguments: [String]) -> (stdout: String, stderr: String, stored: String?) {
        guard let request = DeviceSettingsRequest(arguments: arguments) else { return ("", DeviceSettingsRequest.usage, nil) }
        if let refusal = request.refusal(for: devices) { return ("", refusal, nil) }
        let change = DeviceSettingsChange(request)
        return (change.doneMessage(for: devices), "", json(.dict(change.conf.map { (.str($0.key), $0.value) })))
    }

    @Test(arguments: setCases) func testSetDeviceConfig_asUpstream(_ c: SetCase) {
        let outcome = Self.run(c.devices, c.arguments)
        #expect(outcome.stderr == c.stderr)
        #expect(outcome.stdout == c.stdout)
        #expect(outcome.stored == c.stored)
    }

    @Test(arguments: getCases) func testGetDeviceConfig_asUpstream(_ c: GetCase) {
        let entries = DeviceSettingsText.entries(c.devices)
        #expect(DeviceSettingsText.render(entries) == c.text)
        #expect(Self.json(DeviceSettingsText.data(entries)) == c.data)
    }

    @Test func testTypeSwitch_isAColumnNotAConfKey() {
        let request = DeviceSettingsRequest(arguments: ["type=switch", "snmp.version=2"])!
        let change = DeviceSettingsChange(request)
        #expect(change.convertsToSwitches)
        #expect(change.conf.map(\.key) == ["snmp.version"])
        #expect(!DeviceSettingsChange(DeviceSettingsRequest(arguments: ["snmp.version=2"])!).convertsToSwitches)
    }

    @Test func testArguments_pythonDictOrder() {
        #expect(DeviceSettingsRequest(arguments: ["a=1", "b"]) == nil)
        let request = DeviceSettingsRequest(arguments: ["a=1", "b=x=y", "a=2", "c="])!
        #expect(request.settings.map(\.name) == ["a", "b", "c"])
        #expect(request.settings.map(\.value) == ["2", "x=y", ""])
    }

    @Test func testMountPersist_asksForBootFiles() {
        #expect(DeviceSettingsChange(DeviceSettingsRequest(arguments: ["mount.persist=false"])!).updatesBootFiles)
        #expect(!DeviceSettingsChange(DeviceSettingsRequest(arguments: ["kexec.allow=false"])!).updatesBootFiles)
    }

    @Test(arguments: [
        ("12", "12"), (" 12\n", "12"), ("+3", "3"), ("-0", "0"), ("1_000", "1000"), ("-7", "-7"),
        ("99999999999999999999999", "99999999999999999999999"),
        ("1__0", nil), ("_1", nil), ("1_", nil), ("12a", nil), ("", nil), ("+", nil), ("1 2", nil), ("0x10", nil),
    ] as [(String, String?)])
    func testPythonInt(_ text: String, _ expected: String?) {
        #expect(SettingValueRules.pythonInt(text)?.description == expected)
    }

    /// Outcomes of upstream's `parse_vnode_disks_value` (nil: accepted).
    @Test(arguments: [
        ("none", nil), ("8G", nil), ("8G,1T", nil), ("8G[template=ext4]", nil), ("08G", nil),
        ("1T[template=hybrid-boot-v],2G[template=fat32]", nil),
        ("8G[foo]", "'foo' is not a valid disk option."), ("8G[]", "'' is not a valid disk option."),
        ("8", "Could not parse disks value '8'."), ("8G,", "Could not parse disks value '8G,'."),
        ("G", "Could not parse disks value 'G'."), ("8g", "Could not parse disks value '8g'."),
        ("8G[template=ext4", "Could not parse disks value '8G[template=ext4'."),
    ] as [(String, String?)])
    func testDisksValue(_ value: String, _ expected: String?) {
        #expect(VnodeSettingValues.disksError(value) == expected)
    }

    @Test func testDisksValue_unknownTemplate() throws {
        // Upstream lists a Python set, in an order that changes from one run to another.
        let error = try #require(VnodeSettingValues.disksError("8G[template=ext5]"))
        #expect(error.hasPrefix("Disk template must be one of: "))
        #expect(Set(error.dropFirst(30).split(separator: " ").map(String.init))
                == ["none", "ext4", "fat32", "hybrid-boot-v", "hybrid-boot-p"])
    }

    /// Outcomes of upstream's `parse_vnode_networks_value` (nil: accepted).
    @Test(arguments: [
        ("walt-net", nil), ("walt-net,ext", nil), ("walt-net[lat=5ms]", nil), ("walt-net[lat=5ms,bw=100Mbps]", nil),
        ("walt-net[LAT=5US,BW=1GBPS]", nil), ("ext[lat=1ms],walt-net", nil), ("a-,walt-net", nil),
        ("walt-net[lat=5s]", "'lat=5s' is not a valid network resource restriction."),
        ("walt-net[]", "'' is not a valid network resource restriction."),
        ("ext", "Mandatory network 'walt-net' is missing from specified networks."),
        ("walt-net,walt-net", "Specifying twice the same network name is not allowed."),
        ("Walt-net", "Could not parse networks value 'Walt-net'."),
        ("walt-net[bw=1kbps],ext", "'bw=1kbps' is not a valid network resource restriction."),
        ("walt-net,", "Could not parse networks value 'walt-net,'."),
        ("walt-net[lat=5ms", "Could not parse networks value 'walt-net[lat=5ms'."),
    ] as [(String, String?)])
    func testNetworksValue(_ value: String, _ expected: String?) {
        #expect(VnodeSettingValues.networksError(value) == expected)
    }

    @Test func testCategories_priorityOrder() {
        #expect(DeviceCategory.ordered == [.devices, .waltNetDevices, .server, .nodes, .unknownDevices, .switches,
                                           .virtualNodes])
    }

    /// `json.dumps` of the values settings hold.
    static func json(_ value: PyValue) -> String {
        switch value {
        case .none: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return number.description
        case .str(let text): return "\"" + text + "\""
        case .dict(let pairs): return "{" + pairs.map { json($0.key) + ": " + json($0.value) }.joined(separator: ", ") + "}"
        case .tuple(let items), .list(let items): return "[" + items.map(json).joined(separator: ", ") + "]"
        default: return "?"
        }
    }
}
