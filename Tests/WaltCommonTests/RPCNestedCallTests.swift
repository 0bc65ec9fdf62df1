import Testing
@testable import WaltCommon

/// The client end of port 12345 making a call while it answers a callback, as upstream's
/// client does for `registry_login` inside `prompt_missing_registry_credentials`: the
/// nested call's callbacks and RESULT come first, then the callback is answered, then
/// the outer call ends.
@Suite struct RPCNestedCallTests {
    static func pickle(_ value: PyValue) -> [UInt8] { PickleEncoder.encode(value) }
    static func apiCall(_ path: String, _ args: [PyValue]) -> [UInt8] {
        pickle(.tuple(["API_CALL", .str(path), .tuple(args), [:]]))
    }

    static func connected() -> RPCClientStateMachine {
        var client = RPCClientStateMachine()
        _ = client.start()
        _ = client.received(ascii("10.0\n"))
        return client
    }

    @Test func callInsideACallback() throws {
        var client = Self.connected()
        _ = try client.call("publish_image", args: ["hub", "img"])
        #expect(client.received(Self.apiCall("prompt_missing_registry_credentials", ["hub"]))
            == [.callback(path: "prompt_missing_registry_credentials", args: ["hub"], kwargs: [])])
        #expect(try client.call("registry_login", args: ["hub"]) == Self.apiCall("registry_login", ["hub"]))
        #expect(client.state == .waitingForResult)
        // The nested call's own callback, then its RESULT and, in the same read, the next
        // callback of the outer call: that one waits until the first callback is answered.
        #expect(client.received(Self.apiCall("get_registry_encrypted_credentials", ["hub", 5]))
            == [.callback(path: "get_registry_encrypted_credentials", args: ["hub", 5], kwargs: [])])
        _ = try client.callbackResult(.none)
        let later = Self.apiCall("get_registry_username", ["hub"])
        #expect(client.received(Self.pickle(.tuple(["RESULT", true])) + later) == [.result(true)])
        #expect(client.state == .answeringCallback)
        #expect(try client.callbackResult(.none) == Self.pickle(.tuple(["RESULT", .none])))
        #expect(client.received([]) == [.callback(path: "get_registry_username", args: ["hub"], kwargs: [])])
        _ = try client.callbackResult("bob")
        #expect(client.received(Self.pickle(.tuple(["RESULT", .tuple([true, "docker.io/bob/img"])])))
            == [.result(.tuple([true, "docker.io/bob/img"]))])
        #expect(client.state == .ready)
    }

    @Test func callsAreRefusedWhileWaiting() throws {
        var client = Self.connected()
        _ = try client.call("a")
        #expect(throws: RPCProtocolError.self) { try client.call("b") }
        _ = client.received(Self.apiCall("stdout.write", ["x"]))
        _ = try client.call("nested")
        #expect(throws: RPCProtocolError.self) { try client.call("b") }
        #expect(throws: RPCProtocolError.self) { try client.callbackResult(.none) }
    }
}
