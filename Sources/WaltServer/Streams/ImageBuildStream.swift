#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOCore
import WaltCommon

/// `REQ_TAR_FOR_IMAGE_BUILD` (16): the client sends the tar of its build directory, then
/// half-closes; the build's output comes back as pickled `("stdout", bytes)` and
/// `("stderr", bytes)` tuples and a final `("retcode", n)`, as upstream's
/// `walt-annotate-cmd --mode pickle4` writes them.
///
/// Parameters are those `create_image_build_session` gave: the image must be named under
/// the user the session was opened for, and be a valid WalT name.
struct ImageBuildStream {
    let images: ImageStore
    let peer: TCPListener.Peer

    /// The target of a build stream's parameters, nil when they do not name one properly.
    static func target(_ parameters: PyValue) -> (username: String, image: ImageName)? {
        guard let username = parameters["username"]?.stringValue, !username.isEmpty,
              let fullname = parameters["image_fullname"]?.stringValue,
              let image = ImageName(fullname: fullname), image.user == username,
              ImageName.validationError(image.name) == nil else { return nil }
        return (username, image)
    }

    static func reply(_ tag: String, _ value: PyValue) -> ByteBuffer {
        ByteBuffer(bytes: PickleEncoder.encode(.tuple([.str(tag), value])))
    }

    func run(parameters: PyValue, source: inout ByteSource, initial: [UInt8]) async throws {
        let outbound = peer.outbound
        guard let (username, image) = Self.target(parameters) else {
            try await outbound.write(Self.reply("stderr", .bytes(Array("Invalid build parameters.\n".utf8))))
            try await outbound.write(Self.reply("retcode", .int(2)))
            return
        }
        let work = try ImageBuilder.makeWorkDirectory()
        defer { ImageBuilder.removeWorkDirectory(work) }
        let archive = work + "/context.tar"
        try await receive(into: archive, source: &source, initial: initial)
        let builder = ImageBuilder(images: images, username: username, target: image) { tag, text in
            try await outbound.write(Self.reply(tag, .bytes(Array(text.utf8))))
        }
        let status: Int32
        do {
            status = try await builder.build(from: .tar(archive), workDirectory: work)
        } catch {
            peer.logger.error("image build of \(image.fullname) failed: \(error)")
            try await outbound.write(Self.reply("stderr", .bytes(Array("Server error: \(error)\nSorry, image build FAILED.\n".utf8))))
            try await outbound.write(Self.reply("retcode", .int(1)))
            return
        }
        try await outbound.write(Self.reply("retcode", .int(PyInt(Int(status)))))
        outbound.finish()
        peer.closeAfter(SessionRelay.hangUpDelay)
    }

    /// Writes what the client sends, up to its half-close, to `path`.
    private func receive(into path: String, source: inout ByteSource, initial: [UInt8]) async throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ImageCommandError(message: "cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var chunk = initial
        while true {
            var offset = 0
            while offset < chunk.count {
                let written = chunk.withUnsafeBytes { write(fd, $0.baseAddress! + offset, chunk.count - offset) }
                guard written > 0 else { throw ImageCommandError(message: "cannot write \(path): \(String(cString: strerror(errno)))") }
                offset += written
            }
            guard let next = try await source.next() else { return }
            chunk = next
        }
    }
}
