// Wire codec benchmark (`make bench`): pickle-4 encode/decode of a 1,000-node
// get_nodes_info result and of 100,000 log records. Writes the encoded bytes to the
// directory given as argument so Scripts/bench/wire.py can time CPython on the same data.
#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

func seconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

func node(_ i: Int) -> PyValue {
    let mac = "52:54:00:\(i / 65536 % 256):\(i / 256 % 256):\(i % 256)"
    return .strDict([
        "mac": .str(mac), "ip": .str("192.168.\(152 + i / 256).\(i % 256)"), "name": .str("node-\(i)"),
        "type": "node", "virtual": .bool(i % 3 == 0), "conf": .strDict(["netsetup": 0]),
        "image": .str("waltplatform/rpi-3-b-default:latest"), "model": "rpi-3-b", "booted": .bool(i % 2 == 0),
        "gateway": "", "netmask": "255.255.252.0", "netsetup": 0, "in_walt_net": true,
    ])
}

func logRecord(_ i: Int) -> PyValue {
    let stamp = (try? PyDateTime(year: 2026, month: 11, day: 23, hour: 10, minute: i / 60_000 % 60,
                                 second: i / 1000 % 60, microsecond: i % 1000 * 1000)).map(PyValue.datetime) ?? .none
    return .strDict(["timestamp": stamp, "line": .str("experiment step \(i): value=\(i * 7 % 1013)"),
                     "issuer": .str("node-\(i % 50)"), "stream": "walt.experiment"])
}

/// Best of `rounds` timings of `body`, in seconds.
func best(_ rounds: Int, _ body: () throws -> Void) rethrows -> Double {
    var result = Double.infinity
    for _ in 0..<rounds {
        let start = seconds()
        try body()
        result = min(result, seconds() - start)
    }
    return result
}

func write(_ bytes: [UInt8], to path: String) {
    guard let file = fopen(path, "wb") else { return }
    _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    fclose(file)
}

let outDir = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "/tmp"
let nodes = PyValue.tuple((0..<1000).map(node))
let records = (0..<100_000).map(logRecord)

var nodeBytes: [UInt8] = []
let nodesEncode = best(5) { nodeBytes = PickleEncoder.encode(nodes) }
var decodedNodes = PyValue.none
let nodesDecode = try best(5) { decodedNodes = try PickleDecoder.decode(nodeBytes) }
var logBytes: [UInt8] = []
let logsEncode = best(3) {
    logBytes.removeAll(keepingCapacity: true)
    for record in records { logBytes += PickleEncoder.encode(record) }
}
var decodedCount = 0
let logsDecode = try best(3) {
    var decoder = PickleDecoder()
    decoder.feed(logBytes)
    decodedCount = 0
    while try decoder.next() != nil { decodedCount += 1 }
}
guard decodedNodes == nodes, decodedCount == records.count else {
    StandardStream.error.write("walt-wire-bench: round trip mismatch\n")
    exit(1)
}
write(nodeBytes, to: outDir + "/nodes.pickle")
write(logBytes, to: outDir + "/logs.pickles")
func ms(_ s: Double) -> String {
    let tenths = Int((s * 10_000).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}
print("swift nodes_encode_ms \(ms(nodesEncode)) nodes_decode_ms \(ms(nodesDecode)) nodes_bytes \(nodeBytes.count)")
print("swift logs_encode_ms \(ms(logsEncode)) logs_decode_ms \(ms(logsDecode)) logs_bytes \(logBytes.count)")
