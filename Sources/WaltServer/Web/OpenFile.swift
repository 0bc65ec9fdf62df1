#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOPosix

/// A regular file opened for a response body: sent in chunks read on NIO's thread pool, so
/// a large kernel or initrd never blocks an event loop or the cooperative pool, then closed.
final class OpenFile: Sendable {
    let descriptor: Int32
    let size: Int
    static let chunkSize = 64 * 1024

    init(descriptor: Int32, size: Int) {
        self.descriptor = descriptor
        self.size = size
    }

    /// Opens `path` if it is a regular file (blocking: call it off the event loops).
    static func openRegular(_ path: String) -> OpenFile? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            Glibc.close(fd)
            return nil
        }
        return OpenFile(descriptor: fd, size: Int(info.st_size))
    }

    /// The bytes at `offset` (at most `chunkSize`); empty at the end of the file.
    func chunk(at offset: Int) async throws -> ByteBuffer {
        let descriptor = descriptor
        let bytes = try await NIOThreadPool.singleton.runIfActive { () -> [UInt8] in
            var buffer = [UInt8](repeating: 0, count: Self.chunkSize)
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, Self.chunkSize, off_t(offset)) }
            guard count >= 0 else { throw IOError(errnoCode: errno, reason: "pread") }
            return Array(buffer.prefix(count))
        }
        return ByteBuffer(bytes: bytes)
    }

    func close() {
        Glibc.close(descriptor)
    }
}
