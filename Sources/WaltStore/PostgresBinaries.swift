#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The PostgreSQL server programs (initdb, pg_ctl, postgres) of the newest version
/// installed the Debian way, under `/usr/lib/postgresql/<major>/bin`.
public struct PostgresBinaries: Sendable, Equatable {
    public let directory: String
    /// Major version, e.g. 15; compared with a cluster's `PG_VERSION`.
    public let majorVersion: Int

    public var initdb: String { directory + "/initdb" }
    public var pgCtl: String { directory + "/pg_ctl" }

    public init(directory: String, majorVersion: Int) {
        self.directory = directory
        self.majorVersion = majorVersion
    }

    /// Finds the highest version under `root`.
    public static func find(root: String = "/usr/lib/postgresql") throws(StoreError) -> PostgresBinaries {
        var versions: [Int] = []
        if let dir = opendir(root) {
            defer { closedir(dir) }
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                if let version = Int(name), access("\(root)/\(name)/bin/initdb", X_OK) == 0 {
                    versions.append(version)
                }
            }
        }
        guard let newest = versions.max() else {
            throw StoreError(
                kind: .cluster,
                message: "initdb not found under \(root)/*/bin: apt-get install postgresql")
        }
        return PostgresBinaries(directory: "\(root)/\(newest)/bin", majorVersion: newest)
    }
}
