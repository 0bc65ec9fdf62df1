#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// A tar stream with a node (upstream's `run_transfer`): id, `READY`, the pickled
/// parameters, then either our tar of a local path (the client is the source; the stream is
/// half-closed at its end and server text is printed until the server closes) or the
/// server's tar unpacked locally. Progress shows meanwhile; Ctrl-C stops it.
struct TarTransfer {
    enum Outcome: Equatable {
        case completed
        /// A file-system or connection error, printed (upstream's `print(e)`).
        case failed
        /// The stream was not a tar archive; its text, or the tar error, was printed.
        case damaged
        case interrupted
    }

    let endpoint: StreamConnection.Endpoint
    let request: StreamRequest
    let parameters: PyValue
    let writeOutput: (String) -> Void

    /// What is shared with the tar writer's sink while it sends: the connection, Ctrl-C,
    /// the progress line (none for image builds) and what to do with the server's bytes.
    final class Sending {
        let connection: StreamConnection
        let signals: SignalPipe
        let progress: TransferProgress?
        /// Takes the server's bytes; false when it sent something that ends the exchange.
        let received: ([UInt8]) -> Bool
        var serverEnded = false
        var interrupted = false

        init(connection: StreamConnection, signals: SignalPipe, progress: TransferProgress?,
             received: @escaping ([UInt8]) -> Bool) {
            self.connection = connection
            self.signals = signals
            self.progress = progress
            self.received = received
        }

        /// Sends `bytes`, handling what the server says meanwhile; stops on Ctrl-C.
        func send(_ bytes: [UInt8]) throws(TarError) {
            var rest = bytes[...]
            while !rest.isEmpty {
                guard try wait(writing: true) else { continue }
                switch connection.sendSome(rest) {
                case .sent(let count): rest = rest.dropFirst(count)
                case .failed(let code): throw .system(code)
                }
            }
        }

        /// Reads what the server says until it closes.
        func drain() throws(TarError) {
            while !serverEnded { _ = try wait(writing: false) }
        }

        /// One poll round (0.2 s at most): hands server bytes over, ticks the progress; true
        /// when the socket can take bytes.
        private func wait(writing: Bool) throws(TarError) -> Bool {
            var fds = [
                pollfd(fd: connection.fd, events: (serverEnded ? 0 : Int16(POLLIN)) | (writing ? Int16(POLLOUT) : 0), revents: 0),
                pollfd(fd: signals.readEnd, events: Int16(POLLIN), revents: 0),
            ]
            _ = poll(&fds, nfds_t(fds.count), 200)
            progress?.tick()
            if fds[1].revents != 0, !signals.take().isEmpty {
                interrupted = true
                throw TarError("interrupted")
            }
            if !serverEnded && fds[0].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                if let bytes = connection.receive(maximum: 4096) {
                    serverEnded = !received(bytes)
                } else {
                    serverEnded = true
                }
            }
            return writing && fds[0].revents & Int16(POLLOUT | POLLERR | POLLHUP) != 0
        }
    }

    /// Sends `sourcePath` as one member named `name`.
    func send(sourcePath: String, name: String) throws(ClientError) -> Outcome {
        let connection = try open()
        let progress = TransferProgress(write: writeOutput)
        let signals = SignalPipe([SIGINT])
        defer { signals.restore() }
        let sending = Sending(connection: connection, signals: signals, progress: progress) { text in
            progress.message(String(decoding: text, as: UTF8.self))
            return true
        }
        progress.start()
        do {
            var writer = TarWriter(sink: sending.send)
            try writer.add(sourcePath, as: name)
            try writer.finish()
            connection.shutdownWrite()
            try sending.drain()
        } catch {
            if sending.interrupted { return .interrupted }
            progress.done()
            writeOutput(error.description + "\n")
            return .failed
        }
        progress.done()
        return .completed
    }

    /// Unpacks the server's tar stream under `directory`.
    func receive(into directory: String) throws(ClientError) -> Outcome {
        let connection = try open()
        let progress = TransferProgress(write: writeOutput)
        let signals = SignalPipe([SIGINT])
        defer { signals.restore() }
        var reader = TarReader()
        var extractor = TarExtractor(directory: directory)
        var received: [UInt8] = []
        progress.start()
        var outcome = Outcome.completed
        do {
            while !reader.isDone {
                var fds = [
                    pollfd(fd: connection.fd, events: Int16(POLLIN), revents: 0),
                    pollfd(fd: signals.readEnd, events: Int16(POLLIN), revents: 0),
                ]
                if !connection.hasPendingBytes { _ = poll(&fds, nfds_t(fds.count), 200) }
                progress.tick()
                if fds[1].revents != 0, !signals.take().isEmpty {
                    try? extractor.finishArchive()
                    return .interrupted
                }
                guard connection.hasPendingBytes || fds[0].revents != 0 else { continue }
                guard let chunk = connection.receive() else { break }
                if !reader.sawHeader && received.count < 4096 { received += chunk }
                let events: [TarReader.Event]
                do {
                    events = try reader.feed(chunk)
                } catch {
                    try? extractor.finishArchive()
                    outcome = .damaged
                    progress.done()
                    writeOutput(reader.sawHeader ? "tarfile.ReadError: \(error)\n" : Self.serverText(received))
                    return outcome
                }
                for event in events { try extractor.handle(event) }
            }
            do {
                try reader.finish()
            } catch {
                try? extractor.finishArchive()
                progress.done()
                writeOutput(reader.sawHeader ? "tarfile.ReadError: \(error)\n" : Self.serverText(received))
                return .damaged
            }
            try extractor.finishArchive()
        } catch {
            try? extractor.finishArchive()
            progress.done()
            writeOutput(error.description + "\n")
            return .failed
        }
        progress.done()
        return outcome
    }

    /// Text the server sent instead of an archive (its explanation), or tarfile's message.
    static func serverText(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        guard !text.isEmpty else { return "tarfile.ReadError: empty file\n" }
        return text.hasSuffix("\n") ? text : text + "\n"
    }

    func open() throws(ClientError) -> StreamConnection {
        let connection = try StreamConnection(endpoint, request: request)
        _ = connection.readLine()
        connection.sendPickle(parameters)
        return connection
    }
}
