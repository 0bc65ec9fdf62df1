import WaltCommon
import WaltStore

/// `show_images` and `get_images_tabular_data` (upstream images/show.py, tabular.py).
extension ImageStore {
    /// WalT images with their in-use flag, by fullname; only `username`'s when given.
    func rows(username: String?) async throws -> [ImageTable.Row] {
        let filter: SQL = username.map { "WHERE split_part(i.fullname, '/', 1) = \($0)" } ?? ""
        let result = try await store.query("""
            SELECT i.fullname, count(n.mac) > 0 AS in_use FROM images i
            LEFT JOIN nodes n ON i.fullname = n.image \(filter)
            GROUP BY i.fullname ORDER BY i.fullname
            """, idempotent: true)
        return result.rows.compactMap { row in
            guard let image = row["fullname"].flatMap(ImageName.init(fullname:)), contains(image),
                  let metadata = registry.metadata(image) else { return nil }
            return ImageTable.Row(image: image, inUse: row["in_use"] == "t", metadata: metadata)
        }
    }

    /// The requester's rows; a user without images first gets the default images cloned.
    func userRows(_ requester: any Requester, username: String, refresh: Bool) async throws -> [ImageTable.Row] {
        try await exclusive {
            if refresh { try await rescan() }
            var rows = try await self.rows(username: username)
            if rows.isEmpty {
                let (_, updated, _) = try await clonesOfDefaultImages(requester, username: username, nodes: try await allNodes())
                if updated { rows = try await self.rows(username: username) }
            }
            return rows
        }
    }

    /// `walt image show --refresh`: podman reread, the table resynchronised.
    func rescan() async throws {
        try await registry.scan()
        try await resyncDatabase()
    }

    func show(_ requester: any Requester, username: String, showAll: Bool, namesOnly: Bool,
              refresh: Bool) async throws -> String {
        if namesOnly {
            return try await userRows(requester, username: username, refresh: refresh)
                .map(\.image.name).joined(separator: "\n")
        }
        let rows = try await exclusive {
            if refresh { try await rescan() }
            var rows = try await self.rows(username: nil)
            if !rows.contains(where: { $0.image.user == username }) {
                let (_, updated, _) = try await clonesOfDefaultImages(requester, username: username, nodes: try await allNodes())
                if updated { rows = try await self.rows(username: nil) }
            }
            return rows
        }
        let (user, other, defaults) = ImageTable.subsets(rows, username: username)
        return ImageTable.render(user: user, other: other, defaults: defaults, showAll: showAll)
    }

    /// `get_images_tabular_data`: one tuple of the asked fields per image of `username`.
    func tabularData(_ requester: any Requester, username: String, refresh: Bool,
                     fields: [String]) async throws -> [PyValue] {
        try await userRows(requester, username: username, refresh: refresh).map { row in
            .tuple(fields.map { ImageTable.value(row, $0) })
        }
    }
}
