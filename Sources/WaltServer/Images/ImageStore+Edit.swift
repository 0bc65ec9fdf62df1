import WaltCommon

/// `walt image rename/duplicate/remove` and `walt advanced fix-image-owner`, with
/// upstream's checks and messages (main/images/{rename,duplicate,remove,fixowner}.py).
extension ImageStore {
    func rename(_ requester: any Requester, _ imageName: String, to newName: String) async throws -> Bool {
        if let problem = ImageName.validationError(newName) {
            try await requester.stderr(problem)
            return false
        }
        return try await exclusive {
            guard let image = try await userUnusedImage(requester, imageName),
                  try await userImage(requester, newName, expected: false) == nil else { return false }
            try await move(image, to: ImageName(user: image.user, name: newName))
            return true
        }
    }

    func duplicate(_ requester: any Requester, _ imageName: String, to newName: String) async throws -> Bool {
        if let problem = ImageName.validationError(newName) {
            try await requester.stderr(problem)
            return false
        }
        return try await exclusive {
            guard let image = try await userImage(requester, imageName),
                  try await userImage(requester, newName, expected: false) == nil else { return false }
            let copy = ImageName(user: image.user, name: newName)
            try await registry.tag(image, as: copy)
            try await register(copy)
            return true
        }
    }

    func remove(_ requester: any Requester, _ imageName: String) async throws -> Bool {
        try await exclusive {
            guard let image = try await userUnusedImage(requester, imageName) else { return false }
            try await registry.untag(image)
            try await store.query("DELETE FROM images WHERE fullname = \(image.fullname)")
            return true
        }
    }

    /// Renames an unused image in podman and in the `images` table.
    func move(_ image: ImageName, to newName: ImageName) async throws {
        try await registry.tag(image, as: newName)
        try await registry.untag(image)
        try await store.query("UPDATE images SET fullname = \(newName.fullname) WHERE fullname = \(image.fullname)")
    }

    /// Upstream `fix_owner`: the images of `otherUser` become the requester's, unless one
    /// is in use or would overwrite one of theirs.
    func fixOwner(_ requester: any Requester, otherUser: String) async throws {
        guard let username = try await requester.username(), !username.isEmpty else { return }
        if username == otherUser {
            try await requester.stderr("Invalid username. According to your walt.conf file, you are '\(otherUser)'!\n")
            return
        }
        try await exclusive {
            var inUse: [String] = []
            var candidates: [ImageName] = []
            for image in registry.waltImages where image.user == otherUser {
                if try await nodesUsing(image) > 0 { inUse.append(image.name) } else { candidates.append(image) }
            }
            if !inUse.isEmpty {
                try await requester.stderr("Cannot proceed because some images of \(otherUser) are in use:\n\(inUse.joined(separator: ", "))\n")
                return
            }
            var problematic: [String] = []
            for image in candidates where try await userImage(requester, image.name, expected: nil) != nil {
                problematic.append(image.name)
            }
            if !problematic.isEmpty {
                try await requester.stderr("""
                    Cannot proceed because the following images of \(otherUser) would overwrite
                    those with the same name in your working set:
                    \(problematic.joined(separator: ", "))

                    """)
                return
            }
            if candidates.isEmpty {
                try await requester.stderr("""
                    Connot find any images belonging to a user with name '\(otherUser)'.
                    Make sure you typed it correctly.

                    """)
                return
            }
            for image in candidates {
                try await move(image, to: ImageName(user: username, name: image.name))
                try await requester.stdout("Image \(image.name) now belongs to you.\n")
            }
        }
    }
}
