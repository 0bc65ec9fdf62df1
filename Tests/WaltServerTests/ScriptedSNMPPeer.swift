import Foundation
import Synchronization
@testable import WaltServer

/// A UDP peer on a random loopback address that answers each request of the client under
/// test as its script says: nothing (a lost datagram), garbage, answers to other requests,
/// answers sent from another port, agent loops. For what a real snmpd will not do; the
/// real one is `SNMPAgent`. `stop()` in a `defer`.
final class ScriptedSNMPPeer: Sendable {
    enum Reply: Sendable {
        case datagram([UInt8])
        /// Sent from another socket on the same address, as a spoofer or a confused agent would.
        case fromOtherPort([UInt8])
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Called with the request's position (0 first) and the request; its replies are sent
    /// back in order.
    typealias Script = @Sendable (_ index: Int, _ request: SNMPMessage) -> [Reply]

    let address: String
    let port: UInt16
    private let fd: Int32
    private let received = Mutex<[SNMPMessage]>([])
    private let stopping = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    init(script: @escaping Script) throws {
        address = "127.\(Int.random(in: 1...254)).\(Int.random(in: 0...255)).\(Int.random(in: 1...254))"
        (fd, port) = try Self.bind(address)
        var wait = timeval(tv_sec: 0, tv_usec: 50_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        Thread.detachNewThread { [self] in serve(script) }
    }

    /// The requests received so far, in order.
    var requests: [SNMPMessage] { received.withLock { $0 } }

    func client(_ version: SNMPVersion, timeout: Double = 0.3, retries: Int = 2) -> SNMPClient {
        SNMPClient(host: address, port: port, version: version, community: "public", timeout: timeout, retries: retries)
    }

    func stop() {
        guard !stopping.exchange(true, ordering: .relaxed) else { return }
        finished.wait()
        close(fd)
    }

    private func serve(_ script: Script) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var index = 0
        while !stopping.load(ordering: .relaxed) {
            var from = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let count = withUnsafeMutablePointer(to: &from) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, &buffer, buffer.count, 0, $0, &length) }
            }
            guard count > 0, let request = try? SNMPMessage(decoding: Array(buffer[..<count])) else { continue }
            received.withLock { $0.append(request) }
            for reply in script(index, request) {
                switch reply {
                case .datagram(let bytes): Self.send(bytes, from: fd, to: from)
                case .fromOtherPort(let bytes):
                    guard let other = try? Self.bind(address) else { continue }
                    Self.send(bytes, from: other.fd, to: from)
                    close(other.fd)
                }
            }
            index += 1
        }
        finished.signal()
    }

    /// The Response a well-behaved agent would send to `request`, with what the test wants
    /// changed.
    static func response(to request: SNMPMessage, requestID: Int32? = nil, errorStatus: Int = 0, errorIndex: Int = 0,
                         varBinds: [SNMPVarBind]) -> Reply {
        let pdu = SNMPPDU(kind: .response, requestID: requestID ?? request.pdu.requestID, errorStatus: errorStatus,
                          errorIndex: errorIndex, varBinds: varBinds)
        return .datagram(try! SNMPMessage(version: request.version, community: request.community, pdu: pdu).encoded())
    }

    private static func send(_ bytes: [UInt8], from fd: Int32, to address: sockaddr_in) {
        var target = address
        _ = withUnsafePointer(to: &target) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(fd, bytes, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }

    private static func bind(_ address: String) throws -> (fd: Int32, port: UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, address, &sin.sin_addr)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &sin) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw Failure(description: "bind \(address): errno \(errno)")
        }
        return (fd, UInt16(bigEndian: sin.sin_port))
    }
}
