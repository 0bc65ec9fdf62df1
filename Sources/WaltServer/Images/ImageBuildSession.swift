import WaltCommon

/// A `walt image build` session (upstream images/build.py `ImageBuildSession`): the image
/// it makes, whether that overwrites one of the user's, and the client's request (mode,
/// url, sub-directory or source directory), which the stream parameters repeat.
final class ImageBuildSession: ConnectionSession {
    let target: ImageName
    let username: String
    let overwrite: Bool
    /// The request's other keyword arguments, in the client's order.
    let info: [(key: String, value: PyValue)]

    init(target: ImageName, username: String, overwrite: Bool, info: [(key: String, value: PyValue)]) {
        self.target = target
        self.username = username
        self.overwrite = overwrite
        self.info = info
    }

    /// What `create_image_build_session` returns, before `session_id` (upstream's
    /// `get_parameters()`: image_fullname, image_overwrite, username, then the request).
    var parameters: [(key: PyValue, value: PyValue)] {
        [("image_fullname", .str(target.fullname)), ("image_overwrite", .bool(overwrite)), ("username", .str(username))]
            + info.map { (PyValue.str($0.key), $0.value) }
    }

    func value(_ key: String) -> String? {
        info.first { $0.key == key }?.value.stringValue
    }

    /// Nothing to undo: a build either made its image or left none.
    func cleanup() async {}
}
