// WaltStore: PostgreSQL access for the daemon through libpq, loaded with dlopen on first
// use so that no other personality maps libpq. SQL is built only through `SQL`, which
// binds every interpolated value as a `$n` parameter. Each connection lives on its own
// thread (`PostgresStore`); `EmbeddedCluster` runs a private cluster when none is configured.
import CLibpq

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The libpq functions WaltStore uses, resolved once with `dlopen`/`dlsym`.
///
/// The `CLibpq` module gives us the types and constants only (no `link "pq"`), so the
/// client and the small tools never map libpq and its dependencies. The table is built
/// on first use (a Swift `static let`, hence thread-safe) and a missing library becomes a
/// thrown `StoreError`, never a crash.
struct Libpq: @unchecked Sendable {
    // @unchecked: every field is an immutable C function pointer into a library that is
    // never unloaded.
    typealias Conn = OpaquePointer
    typealias Res = OpaquePointer
    typealias CString = UnsafeMutablePointer<CChar>

    let connectdbParams: @convention(c) (
        UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<UnsafePointer<CChar>?>?, Int32
    ) -> Conn?
    let status: @convention(c) (Conn?) -> ConnStatusType
    let transactionStatus: @convention(c) (Conn?) -> PGTransactionStatusType
    let errorMessage: @convention(c) (Conn?) -> CString?
    let finish: @convention(c) (Conn?) -> Void
    let serverVersion: @convention(c) (Conn?) -> Int32
    let socket: @convention(c) (Conn?) -> Int32
    let consumeInput: @convention(c) (Conn?) -> Int32
    let notifies: @convention(c) (Conn?) -> UnsafeMutablePointer<PGnotify>?
    let freemem: @convention(c) (UnsafeMutableRawPointer?) -> Void
    let execParams: @convention(c) (
        Conn?, UnsafePointer<CChar>?, Int32, UnsafePointer<Oid>?,
        UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?, Int32
    ) -> Res?
    let prepare: @convention(c) (Conn?, UnsafePointer<CChar>?, UnsafePointer<CChar>?, Int32, UnsafePointer<Oid>?) -> Res?
    let execPrepared: @convention(c) (
        Conn?, UnsafePointer<CChar>?, Int32,
        UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?, Int32
    ) -> Res?
    let getResult: @convention(c) (Conn?) -> Res?
    let putCopyData: @convention(c) (Conn?, UnsafePointer<CChar>?, Int32) -> Int32
    let putCopyEnd: @convention(c) (Conn?, UnsafePointer<CChar>?) -> Int32
    let resultStatus: @convention(c) (Res?) -> ExecStatusType
    let resultErrorField: @convention(c) (Res?, Int32) -> CString?
    let resultErrorMessage: @convention(c) (Res?) -> CString?
    let ntuples: @convention(c) (Res?) -> Int32
    let nfields: @convention(c) (Res?) -> Int32
    let fname: @convention(c) (Res?, Int32) -> CString?
    let getvalue: @convention(c) (Res?, Int32, Int32) -> CString?
    let getisnull: @convention(c) (Res?, Int32, Int32) -> Int32
    let getlength: @convention(c) (Res?, Int32, Int32) -> Int32
    let cmdTuples: @convention(c) (Res?) -> CString?
    let clear: @convention(c) (Res?) -> Void
    let libVersion: @convention(c) () -> Int32
    let setNoticeProcessor: @convention(c) (
        Conn?, PQnoticeProcessor?, UnsafeMutableRawPointer?
    ) -> PQnoticeProcessor?

    /// The soname we load: the runtime package (`libpq5`), not the `-dev` symlink.
    static let soname = "libpq.so.5"

    /// Loaded on first access, exactly once, whatever the number of threads asking.
    private static let loaded: Result<Libpq, StoreError> = Result { () throws(StoreError) in try Libpq.load() }

    /// The function table, or the reason libpq could not be loaded.
    static func shared() throws(StoreError) -> Libpq {
        try loaded.get()
    }

    private static func load() throws(StoreError) -> Libpq {
        guard let handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL) else {
            let detail = dlerror().map { String(cString: $0) } ?? "dlopen failed"
            throw StoreError(
                kind: .libraryMissing,
                message: "\(soname) not found: install libpq5 (\(detail))")
        }
        let resolver = Resolver(handle: handle)
        let table = Libpq(
            connectdbParams: try resolver.symbol("PQconnectdbParams"),
            status: try resolver.symbol("PQstatus"),
            transactionStatus: try resolver.symbol("PQtransactionStatus"),
            errorMessage: try resolver.symbol("PQerrorMessage"),
            finish: try resolver.symbol("PQfinish"),
            serverVersion: try resolver.symbol("PQserverVersion"),
            socket: try resolver.symbol("PQsocket"),
            consumeInput: try resolver.symbol("PQconsumeInput"),
            notifies: try resolver.symbol("PQnotifies"),
            freemem: try resolver.symbol("PQfreemem"),
            execParams: try resolver.symbol("PQexecParams"),
            prepare: try resolver.symbol("PQprepare"),
            execPrepared: try resolver.symbol("PQexecPrepared"),
            getResult: try resolver.symbol("PQgetResult"),
            putCopyData: try resolver.symbol("PQputCopyData"),
            putCopyEnd: try resolver.symbol("PQputCopyEnd"),
            resultStatus: try resolver.symbol("PQresultStatus"),
            resultErrorField: try resolver.symbol("PQresultErrorField"),
            resultErrorMessage: try resolver.symbol("PQresultErrorMessage"),
            ntuples: try resolver.symbol("PQntuples"),
            nfields: try resolver.symbol("PQnfields"),
            fname: try resolver.symbol("PQfname"),
            getvalue: try resolver.symbol("PQgetvalue"),
            getisnull: try resolver.symbol("PQgetisnull"),
            getlength: try resolver.symbol("PQgetlength"),
            cmdTuples: try resolver.symbol("PQcmdTuples"),
            clear: try resolver.symbol("PQclear"),
            libVersion: try resolver.symbol("PQlibVersion"),
            setNoticeProcessor: try resolver.symbol("PQsetNoticeProcessor"))
        return table
    }
}

/// Resolves symbols by name; a missing one means a libpq too old for us, said clearly.
private struct Resolver {
    let handle: UnsafeMutableRawPointer

    func symbol<F>(_ name: String) throws(StoreError) -> F {
        guard let pointer = dlsym(handle, name) else {
            throw StoreError(
                kind: .libraryMissing,
                message: "\(Libpq.soname) has no \(name): install libpq5 from PostgreSQL 10 or later")
        }
        return unsafeBitCast(pointer, to: F.self)
    }
}
