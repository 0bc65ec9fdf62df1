#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOCore
import WaltCommon

/// The port-12347 requests on image sessions: the shell (3) and the tar transfers (6, 7)
/// run podman on the session's container under `SessionProcess`/`SessionRelay`, as node
/// sessions run ssh; builds from a client directory (16) are `ImageBuilder`'s.
///
/// The client names the image and the container, so both must be those of a session this
/// daemon opened (`ImageTasks`): no image or container of the client's choosing is run.
struct ImageStreamHandler {
    let daemon: DaemonState
    let peer: TCPListener.Peer

    func run(_ request: StreamRequest, parameters: PyValue, source: inout ByteSource, initial: [UInt8]) async throws {
        guard let images = daemon.images else {
            try await refuse(request, "Sorry, images are not available: this daemon runs without a server.conf.")
            return
        }
        if request == .tarForImageBuild {
            try await ImageBuildStream(images: images, peer: peer).run(parameters: parameters, source: &source, initial: initial)
            return
        }
        let container = parameters["container_name"]?.stringValue ?? ""
        guard let image = images.tasks.image(ofContainer: container),
              parameters["image_fullname"]?.stringValue == image.fullname else {
            try await refuse(request, "No open image session has this container.")
            return
        }
        let podman = images.registry.podman
        let reference = image.podmanReference
        let terminal = parameters["tty_mode"]?.boolValue == true ? SessionStreamHandler.windowSize(parameters["win_size"]) : nil
        var arguments: [String]
        var advanced = false
        switch request {
        case .dockerPrompt:
            let explored: ImageSessionCommand.Exploration
            do {
                explored = .init(output: try await podman.run(
                    ImageSessionCommand.throwaway(reference, script: ImageSessionCommand.exploreScript)))
            } catch {
                try await refuse(request, "Sorry, could not start a container on image \(image.name): \(error)")
                return
            }
            let newline = terminal == nil ? "\n" : "\r\n"
            advanced = explored.advanced
            if advanced {
                do {
                    try await podman.run(ImageSessionCommand.startInit(image: reference, container: container, explored: explored))
                } catch {
                    try await refuse(request, "Sorry, could not start the OS of image \(image.name): \(error)")
                    return
                }
                try await peer.outbound.write(ByteBuffer(string: ImageSessionCommand.advancedModeNote(newline)))
                arguments = ImageSessionCommand.execShell(container: container, shell: explored.shell, terminal: terminal != nil)
            } else {
                try await peer.outbound.write(ByteBuffer(string: ImageSessionCommand.simpleModeNote(newline)))
                arguments = ImageSessionCommand.shell(image: reference, container: container, explored: explored,
                                                      terminal: terminal != nil)
            }
        case .tarFromImage:
            arguments = ImageSessionCommand.tarFromImage(image: reference, container: container,
                                                         path: try text(parameters["src_path"]), name: try text(parameters["dst_name"]))
        case .tarToImage:
            arguments = ImageSessionCommand.tarToImage(image: reference, container: container,
                                                       directory: try text(parameters["dst_dir"]))
        default:
            try await refuse(request, "\(request.name) is not an image session.")
            return
        }
        let command = podman.command(arguments)
        let term = terminal == nil ? nil : (parameters["env"]?["TERM"]?.stringValue ?? "xterm")
        let process: SessionProcess
        do {
            process = try SessionProcess.start([command.executable] + command.arguments, terminal: terminal, term: term,
                                               environment: command.environment)
        } catch {
            peer.logger.error("\(request.name): \(error)")
            try await peer.outbound.write(ByteBuffer(string: "Server error: \(error)\n"))
            return
        }
        peer.logger.debug("\(request.name) session", metadata: ["pid": "\(process.pid)", "container": "\(container)"])
        try await SessionRelay(peer: peer, logger: peer.logger).run(process, source: &source, initial: initial)
        if advanced {
            _ = try? await podman.run(ImageSessionCommand.shutdownInit(container: container))
        }
    }

    private func refuse(_ request: StreamRequest, _ reason: String) async throws {
        peer.logger.warning("\(request.name) refused: \(reason)")
        try await peer.outbound.write(ByteBuffer(string: reason + "\n"))
    }

    private func text(_ value: PyValue?) throws -> String {
        guard let text = value?.stringValue, !text.isEmpty else {
            throw SessionRefusal(reason: "Invalid or missing parameter.")
        }
        return text
    }
}
