#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import WaltCommon

/// Who runs the embedded cluster's programs, and who connects to it.
///
/// PostgreSQL refuses to run as root, so a root daemon runs initdb, pg_ctl and postgres
/// as the `postgres` user (created by Debian's postgresql package) through `runuser`;
/// anyone else runs them as themselves. Either way the database superuser is named after
/// the daemon's own user (`root`, as upstream's `WALT_DBUSER`), and local connections use
/// peer authentication: the kernel vouches for the connecting user, no password needed.
struct ClusterAccount: Sendable {
    /// The OS user that owns the data directory and runs postgres.
    let serverUser: String
    let uid: uid_t
    let gid: gid_t
    /// Set when we are root and must switch to `serverUser`.
    let runuser: String?
    /// The database superuser: the name of the user running the daemon.
    let superuser: String

    static func current() throws(StoreError) -> ClusterAccount {
        guard let me = getpwuid(geteuid()) else {
            throw StoreError(
                kind: .cluster,
                message: "user id \(geteuid()) has no name in /etc/passwd; the embedded cluster needs one")
        }
        let myName = String(cString: me.pointee.pw_name)
        guard geteuid() == 0 else {
            return ClusterAccount(
                serverUser: myName, uid: geteuid(), gid: getegid(), runuser: nil, superuser: myName)
        }
        guard let postgres = getpwnam("postgres") else {
            throw StoreError(
                kind: .cluster,
                message: "user postgres not found (PostgreSQL refuses to run as root): apt-get install postgresql")
        }
        guard let runuser = Subprocess.firstExecutable(among: ["/usr/sbin/runuser", "/sbin/runuser"]) else {
            throw StoreError(kind: .cluster, message: "runuser not found: apt-get install util-linux")
        }
        return ClusterAccount(
            serverUser: "postgres", uid: postgres.pointee.pw_uid, gid: postgres.pointee.pw_gid,
            runuser: runuser, superuser: myName)
    }

    /// A command line running `executable` as the server user.
    func command(_ executable: String, _ arguments: [String], in directory: String) -> Subprocess {
        guard let runuser else {
            return Subprocess(executable: executable, arguments: arguments, workingDirectory: directory)
        }
        return Subprocess(
            executable: runuser, arguments: ["-u", serverUser, "--", executable] + arguments,
            workingDirectory: directory)
    }

    /// Gives a directory we created to the server user (a no-op when that is us).
    func own(_ path: String) throws(StoreError) {
        if runuser != nil { try FileSystem.chown(path, uid: uid, gid: gid) }
    }

    /// The server user must be able to walk down to the state directory: a `mktemp -d`
    /// parent (mode 0700, owned by root) would make initdb fail with a vague message.
    func checkReachable(_ path: String) throws(StoreError) {
        guard runuser != nil else { return }
        var prefix = ""
        for component in path.split(separator: "/") {
            prefix += "/" + component
            var info = stat()
            guard stat(prefix, &info) == 0 else { return }
            let reachable = info.st_uid == uid
                ? info.st_mode & S_IXUSR != 0
                : info.st_gid == gid ? info.st_mode & S_IXGRP != 0 : info.st_mode & S_IXOTH != 0
            if !reachable {
                throw StoreError(
                    kind: .cluster,
                    message: "user \(serverUser) cannot enter \(prefix), so it cannot run the embedded "
                        + "cluster below it: chmod o+x \(prefix) or choose another state directory")
            }
        }
    }
}
