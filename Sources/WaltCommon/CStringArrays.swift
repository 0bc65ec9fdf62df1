#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Calls `body` with a C array of C strings (`nil` entries stay NULL) that lives for the
/// duration of the call. Each string is `strdup`'ed and freed afterwards: nested
/// `withCString` closures do not scale to thousands of parameters.
public func withCStringArray<R>(
    _ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) throws -> R
) rethrows -> R {
    let copies: [UnsafeMutablePointer<CChar>?] = strings.map { $0.flatMap { strdup($0) } }
    defer { copies.forEach { free($0) } }
    let pointers = copies.map { $0.map { UnsafePointer($0) } }
    return try pointers.withUnsafeBufferPointer { try body($0.baseAddress) }
}

/// Two NULL-terminated C string arrays, as `PQconnectdbParams` wants keywords and values.
public func withCStringArrays<R>(
    _ first: [String], _ second: [String],
    _ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<UnsafePointer<CChar>?>?) throws -> R
) rethrows -> R {
    try withCStringArray(first.map { Optional($0) } + [nil]) { firstArray in
        try withCStringArray(second.map { Optional($0) } + [nil]) { secondArray in
            try body(firstArray, secondArray)
        }
    }
}
