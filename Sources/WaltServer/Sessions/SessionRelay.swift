#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOCore
import NIOPosix
import WaltCommon
import WaltStore

/// Carries a port-12347 session between the client and its `SessionProcess`, as upstream's
/// parallel-process listeners: the program's output goes to the client raw; the client's
/// input reaches the program raw (pipe mode, where the client's half-close is the
/// program's end of input) or as pickled `PtyEvent`s (terminal mode: keystrokes and window
/// resizes). The session ends when the program's output ends and the client hangs up;
/// then the program is stopped if still running, and reaped.
struct SessionRelay {
    /// How long a finished session waits for the client to hang up.
    static let hangUpDelay: TimeAmount = .seconds(15)

    let peer: TCPListener.Peer
    let logger: Logger

    func run(_ process: SessionProcess, source: inout ByteSource, initial: [UInt8]) async throws {
        defer {
            // Stops a program whose client left (ping, a hung ssh); harmless on an exited
            // one, which stays a zombie until reaped just below.
            process.signal(SIGTERM)
            let pid = process.pid
            Task.detached { _ = try? await Subprocess.waitInBackground(for: pid) }
        }
        let channel = try await Self.wrap(process.streams)
        let (outbound, closeAfter, logger) = (peer.outbound, peer.closeAfter, self.logger)
        try await channel.executeThenClose { programOutput, programInput in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        for try await chunk in programOutput { try await outbound.write(chunk) }
                    } catch {
                        // EIO on the terminal once the program is gone, or the client left.
                        logger.debug("session output ended: \(error)")
                    }
                    outbound.finish()
                    closeAfter(Self.hangUpDelay)
                }
                let terminal: Bool
                if case .terminal = process.streams { terminal = true } else { terminal = false }
                do {
                    try await relayInput(process, terminal: terminal, to: programInput, source: &source, initial: initial)
                } catch {
                    logger.debug("session input ended: \(error)")
                }
                if terminal {
                    process.signal(SIGHUP)
                } else {
                    programInput.finish()
                }
                try await group.waitForAll()
            }
        }
    }

    private func relayInput(_ process: SessionProcess, terminal: Bool, to input: NIOAsyncChannelOutboundWriter<ByteBuffer>,
                            source: inout ByteSource, initial: [UInt8]) async throws {
        var decoder = PickleDecoder()
        var chunk: [UInt8]? = initial
        while let bytes = chunk {
            if !bytes.isEmpty {
                if terminal {
                    decoder.feed(bytes)
                    while let value = try decoder.next() {
                        switch try PtyEvent(value) {
                        case .inputData(let data): try await input.write(ByteBuffer(bytes: data))
                        case .windowResize(let lines, let columns): process.resize(lines: lines, columns: columns)
                        }
                    }
                } else {
                    try await input.write(ByteBuffer(bytes: bytes))
                }
            }
            chunk = try await source.next()
        }
    }

    /// The program's streams as one NIO channel: reads are its output, writes its input.
    private static func wrap(_ streams: SessionProcess.Streams) async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        let bootstrap = NIOPipeBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        let initializer: @Sendable (any Channel) -> EventLoopFuture<NIOAsyncChannel<ByteBuffer, ByteBuffer>> = { channel in
            channel.eventLoop.makeCompletedFuture {
                try NIOAsyncChannel(wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
            }
        }
        switch streams {
        case .terminal(let controller):
            return try await bootstrap.takingOwnershipOfDescriptor(inputOutput: controller, channelInitializer: initializer)
        case .pipes(let input, let output):
            return try await bootstrap.takingOwnershipOfDescriptors(input: output, output: input, channelInitializer: initializer)
        }
    }
}
