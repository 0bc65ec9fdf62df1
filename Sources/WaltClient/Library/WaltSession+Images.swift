import WaltCommon

/// Typed calls for images and for booting them (upstream's `api.images` and
/// `node.boot(...)`/`release()`), with the RPC arguments `walt image ...` and
/// `walt node boot` send.
extension WaltSession {
    /// The tables `walt image show [--all] [--refresh]` prints.
    public func imageTable(all: Bool = false, refresh: Bool = false) throws(WaltAPIError) -> String {
        try showImages(all: all, namesOnly: false, refresh: refresh)
    }

    /// The names of the images of the user's working set (`walt image show --names-only`).
    public func imageNames(refresh: Bool = false) throws(WaltAPIError) -> [String] {
        try showImages(all: false, namesOnly: true, refresh: refresh).split(separator: "\n").map(String.init)
    }

    private func showImages(all: Bool, namesOnly: Bool, refresh: Bool) throws(WaltAPIError) -> String {
        let result = try call("show_images", kwargs: [
            ("username", .str(username)), ("show_all", .bool(all)), ("names_only", .bool(namesOnly)), ("refresh", .bool(refresh)),
        ], allowNone: true)
        return result.stringValue ?? ""
    }

    /// Clones `link` (`hub:user/image[:tag]`, `walt:user/image`, ...) into the working set;
    /// returns the name it got. A refusal throws with the server's message.
    @discardableResult
    public func cloneImage(_ link: String, force: Bool = false, as name: String? = nil) throws(WaltAPIError) -> String {
        let result = try call("clone_image", [.str(link)],
                              kwargs: [("force", .bool(force)), ("image_name", name.map(PyValue.str) ?? .none)])
        guard result["status"]?.stringValue == "OK", let cloned = result["image_name"]?.stringValue else {
            throw WaltAPIError("could not clone \(link)", details: ["method: clone_image"])
        }
        return cloned
    }

    public func removeImage(_ name: String) throws(WaltAPIError) {
        try call("remove_image", [.str(name)])
    }

    public func renameImage(_ name: String, to newName: String) throws(WaltAPIError) {
        try call("rename_image", [.str(name), .str(newName)])
    }

    public func duplicateImage(_ name: String, as newName: String) throws(WaltAPIError) {
        try call("duplicate_image", [.str(name), .str(newName)])
    }

    /// Makes the nodes of `nodeSet` boot `image` (a name of the working set, or `default`)
    /// and reboots them, as upstream's `node.boot(image)`. Ownership is the caller's
    /// business here, as upstream's API checks it from its own cache, not on the server.
    public func boot(_ nodeSet: String, image: String) throws(WaltAPIError) {
        try setImageAndReboot(nodeSet, image: image, cause: "image change")
    }

    /// Gives nodes back: their default image, then a reboot (upstream's `node.release()`).
    public func release(_ nodeSet: String) throws(WaltAPIError) {
        try setImageAndReboot(nodeSet, image: "default", cause: "release")
    }

    private func setImageAndReboot(_ nodeSet: String, image: String, cause: String) throws(WaltAPIError) {
        try call("set_image", [.str(nodeSet), .str(image)])
        try call("reboot_nodes", [.str(nodeSet)], kwargs: [("cause", .str(cause))], allowNone: true)
    }
}
