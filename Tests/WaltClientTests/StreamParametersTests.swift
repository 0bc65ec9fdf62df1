#if canImport(Glibc)
import Glibc
#endif
import Testing
import WaltCommon

@testable import WaltClient

/// The dicts the client sends on port 12347, built as upstream builds them.
@Suite struct StreamParametersTests {
    @Test func testNodeCommand_ttyAndPipeModes() throws {
        let request = PromptRequest.nodeCommand(ip: "192.168.1.5", arguments: ["echo", "it's", "hi"], sshTTY: false)
        #expect(request.request == .nodeCommand)
        #expect(request.parameterDict(terminal: nil, term: "xterm") == .dict([
            ("node_ip", "192.168.1.5"), ("cmdargs", .tuple(["echo", "it's", "hi"])), ("ssh_tty", false), ("tty_mode", false),
        ]))
        let window = winsize(ws_row: 24, ws_col: 80, ws_xpixel: 0, ws_ypixel: 0)
        let shell = PromptRequest.nodeCommand(ip: "192.168.1.5", arguments: [], sshTTY: true)
        let tty = shell.parameterDict(terminal: window, term: "xterm")
        #expect(tty == .dict([
            ("node_ip", "192.168.1.5"), ("cmdargs", .tuple([])), ("ssh_tty", true),
            ("win_size", .array(PyArray([24, 80, 0, 0]))), ("env", .strDict(["TERM": "xterm"])), ("tty_mode", true),
        ]))
        // win_size travels as array._array_reconstructor(array, 'h', 4, <struct winsize>), as captured from upstream.
        let bytes = PickleEncoder.encode(tty)
        let reconstructorArguments: [UInt8] = [0x4b, 0x04, 0x43, 0x08, 0x18, 0x00, 0x50, 0x00, 0x00, 0x00, 0x00, 0x00]
        #expect(bytes.indices.contains { bytes[$0...].starts(with: reconstructorArguments) })
        #expect(try PickleDecoder.decode(bytes) == tty)
        // No TERM in the environment: no env key.
        #expect(shell.parameterDict(terminal: window, term: nil)["env"] == nil)
    }

    @Test func testPingAndDeviceShell() {
        #expect(PromptRequest.devicePing(ip: "10.0.0.2").parameterDict(terminal: nil, term: nil)
            == .dict([("device_ip", "10.0.0.2"), ("tty_mode", false)]))
        #expect(PromptRequest.deviceShell(ip: "10.0.0.3", user: "admin").parameterDict(terminal: nil, term: nil)
            == .dict([("device_ip", "10.0.0.3"), ("user", "admin"), ("tty_mode", false)]))
    }

    @Test func testEvents_asUpstreamPickles() throws {
        let typed = PickleEncoder.encode(PtyEvent.inputData(Array("ls\r".utf8)).value)
        #expect(try PickleDecoder.decode(typed) == .dict([("evt", "input_data"), ("data", .bytes([0x6c, 0x73, 0x0d]))]))
        let resized = PickleEncoder.encode(PtyEvent.windowResize(lines: 40, columns: 120).value)
        #expect(try PickleDecoder.decode(resized) == .dict([("evt", "window_resize"), ("lines", 40), ("columns", 120)]))
    }

    @Test func testCopyParameters_leadWithThePaths() {
        let validation: [(key: PyValue, value: PyValue)] = [
            ("status", "OK"), ("node_ownership", "owned"), ("node_name", "n1"), ("client_operand_index", 0),
            ("src_path", "f"), ("dst_dir", "/root"), ("dst_name", "f"), ("node_ip", "10.0.0.5"),
        ]
        #expect(NodeCopy.streamParameters(validation) == .dict([
            ("dst_dir", "/root"), ("dst_name", "f"), ("src_path", "f"), ("status", "OK"), ("node_ownership", "owned"),
            ("node_name", "n1"), ("node_ip", "10.0.0.5"),
        ]))
    }

    @Test func testExposeStatusLine_andOSErrorText() {
        #expect(TCPExposer.stripped(Array(" OK\r\n".utf8)) == "OK")
        #expect(TCPExposer.stripped([]) == "")
        #expect(OSErrorText.describe(98) == "[Errno 98] Address already in use")
        #expect(OSErrorText.describe(2, path: "it's") == "[Errno 2] No such file or directory: \"it's\"")
        #expect(TCPExposer.describeListenError(0, port: 70000) == "bind(): port must be 0-65535.")
    }
}
