#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Which images a session holds (upstream's `image.task_label`: "shell session", "file
/// transfer", "squash process"), and the containers those sessions opened. One task per
/// image at a time, so two sessions never commit over each other; the stream handlers
/// only run podman on containers listed here, so a client cannot name an image or a
/// container of its own choosing.
final class ImageTasks: Sendable {
    private struct State {
        var labels: [String: String] = [:]
        var containers: [String: ImageName] = [:]
    }
    private let state = Mutex(State())

    /// Claims `image` for `label`; nil on success, else the label of the task holding it.
    func claim(_ image: ImageName, label: String) -> String? {
        state.withLock { state in
            if let holder = state.labels[image.fullname] { return holder }
            state.labels[image.fullname] = label
            return nil
        }
    }

    func release(_ image: ImageName) {
        _ = state.withLock { $0.labels.removeValue(forKey: image.fullname) }
    }

    func label(of image: ImageName) -> String? {
        state.withLock { $0.labels[image.fullname] }
    }

    func openContainer(_ name: String, image: ImageName) {
        state.withLock { $0.containers[name] = image }
    }

    func closeContainer(_ name: String) {
        _ = state.withLock { $0.containers.removeValue(forKey: name) }
    }

    /// The image a session's container runs, nil for a name no open session gave.
    func image(ofContainer name: String) -> ImageName? {
        state.withLock { $0.containers[name] }
    }

    /// A random UUID (version 4) in its usual text form, upstream's container names.
    static func randomUUID() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[6] = bytes[6] & 0x0f | 0x40
        bytes[8] = bytes[8] & 0x3f | 0x80
        let hex = bytes.map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
        }
        return [hex[0..<4], hex[4..<6], hex[6..<8], hex[8..<10], hex[10..<16]].map { $0.joined() }.joined(separator: "-")
    }
}
