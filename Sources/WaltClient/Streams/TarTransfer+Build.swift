#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// `walt image build --from-dir` (upstream's `run_transfer_for_image_build`): the directory
/// goes as the root of the archive (`arcname=""`), no progress line; the server runs the
/// build while it reads and answers with pickles (`walt-annotate-cmd --mode pickle4`):
/// `("stdout", bytes)`, `("stderr", bytes)`, then `("retcode", n)`.
extension TarTransfer {
    enum BuildOutcome: Equatable {
        /// The build said `retcode` 0 (or closed without a retcode, as upstream counts it).
        case succeeded
        /// A non-zero retcode, or a local error (printed).
        case failed
        case interrupted
    }

    /// What the server's pickles say, as they come.
    final class BuildReplies {
        private var decoder = PickleDecoder()
        private var pendingOutput = UTF8Carry()
        private var pendingError = UTF8Carry()
        private(set) var succeeded = true
        let writeOutput: (String) -> Void
        let writeError: (String) -> Void

        init(writeOutput: @escaping (String) -> Void, writeError: @escaping (String) -> Void) {
            self.writeOutput = writeOutput
            self.writeError = writeError
        }

        /// False once something that is not a pickle came (upstream's reader stops there).
        func feed(_ bytes: [UInt8]) -> Bool {
            decoder.feed(bytes)
            while true {
                do {
                    guard let message = try decoder.next() else { return true }
                    handle(message)
                } catch {
                    return false
                }
            }
        }

        private func handle(_ message: PyValue) {
            let items = message.sequenceItems ?? []
            guard items.count == 2, let tag = items[0].stringValue else { return }
            switch tag {
            case "stdout": print(items[1], carry: &pendingOutput, to: writeOutput)
            case "stderr": print(items[1], carry: &pendingError, to: writeError)
            case "retcode": if items[1] != .int(PyInt(0)) { succeeded = false }
            default: break
            }
        }

        /// Upstream's `print_stdout`: bytes as they are, a str with a newline.
        private func print(_ value: PyValue, carry: inout UTF8Carry, to write: (String) -> Void) {
            if let bytes = value.bytesValue {
                let text = carry.decode(bytes)
                if !text.isEmpty { write(text) }
            } else {
                write(ServerCommands.pythonStr(value) + "\n")
            }
        }
    }

    /// Sends `directory` for the build and reports how it went.
    func sendForBuild(directory: String, writeError: @escaping (String) -> Void) throws(ClientError) -> BuildOutcome {
        let connection = try open()
        let signals = SignalPipe([SIGINT])
        defer { signals.restore() }
        let replies = BuildReplies(writeOutput: writeOutput, writeError: writeError)
        let sending = Sending(connection: connection, signals: signals, progress: nil, received: replies.feed)
        do {
            var writer = TarWriter(sink: sending.send)
            try writer.add(directory, as: "")
            try writer.finish()
            connection.shutdownWrite()
            try sending.drain()
        } catch {
            if sending.interrupted { return .interrupted }
            writeOutput(error.description + "\n")
            return .failed
        }
        return replies.succeeded ? .succeeded : .failed
    }
}

/// Bytes printed as text in chunks: a UTF-8 sequence cut between two chunks waits for its end.
struct UTF8Carry {
    private var held: [UInt8] = []

    mutating func decode(_ bytes: [UInt8]) -> String {
        let all = held + bytes
        var cut = all.count
        // Step back over continuation bytes to the last lead byte; hold it if incomplete.
        var index = all.count - 1
        while index >= 0 && index >= all.count - 4 && all[index] & 0xC0 == 0x80 { index -= 1 }
        if index >= 0 && all[index] >= 0xC0 {
            let needed = all[index] >= 0xF0 ? 4 : all[index] >= 0xE0 ? 3 : 2
            if all.count - index < needed { cut = index }
        }
        held = Array(all[cut...])
        return String(decoding: all[..<cut], as: UTF8.self)
    }
}
