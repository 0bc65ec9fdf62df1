import CLibpq

extension PGConnection {
    /// Bulk insertion through `COPY <table> (<columns>) FROM STDIN` in text format: the
    /// fast path for log batches (one round trip, no parameter limit). `statement` is the
    /// COPY statement itself and may not contain bound values; each row is one text value
    /// per column, `nil` for NULL. Returns the number of rows the server stored.
    ///
    /// A NUL byte in a value aborts the whole COPY (nothing is stored) with `invalidValue`.
    @discardableResult
    public func copyIn(_ statement: SQL, rows: some Sequence<[String?]>) throws(StoreError) -> Int {
        let (text, binds) = statement.rendered
        guard binds.isEmpty else {
            throw StoreError(kind: .misuse, message: "a COPY statement cannot take parameters", query: text)
        }
        guard let start = pq.execParams(handle, text, 0, nil, nil, nil, nil, 0) else {
            throw connectionError(query: text)
        }
        let startStatus = pq.resultStatus(start)
        guard startStatus == PGRES_COPY_IN else {
            defer { pq.clear(start) }
            if startStatus == PGRES_COMMAND_OK || startStatus == PGRES_TUPLES_OK {
                throw StoreError(kind: .misuse, message: "not a COPY ... FROM STDIN statement", query: text)
            }
            throw serverError(start, query: text)
        }
        pq.clear(start)

        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 16)
        var failure: StoreError?
        rowLoop: for row in rows {
            for (index, value) in row.enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: "\t")) }
                if !Self.appendCopyField(value, to: &buffer) {
                    failure = StoreError(
                        kind: .invalidValue,
                        message: "a COPY value contains a NUL byte, which PostgreSQL text cannot store; "
                            + "no row of this batch was stored",
                        query: text)
                    break rowLoop
                }
            }
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count >= 1 << 16 {
                guard send(buffer) else { break rowLoop }
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if failure == nil, !buffer.isEmpty { _ = send(buffer) }
        _ = pq.putCopyEnd(handle, failure == nil ? nil : "aborted by walt: NUL byte in a value")
        return try finishCopy(query: text, failure: failure)
    }

    private func send(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                pq.putCopyData(handle, $0.baseAddress, Int32($0.count)) == 1
            }
        }
    }

    /// Collects the final result(s) of the COPY; the first error wins.
    private func finishCopy(query: String, failure: StoreError?) throws(StoreError) -> Int {
        var error = failure
        var stored = 0
        while let result = pq.getResult(handle) {
            defer { pq.clear(result) }
            if pq.resultStatus(result) == PGRES_COMMAND_OK {
                stored = PGResult(copying: result, pq: pq).affectedRows
            } else if error == nil {
                error = serverError(result, query: query)
            }
        }
        if error == nil, !isConnected { error = connectionError(query: query) }
        if let error { throw error }
        return stored
    }

    /// COPY text format: backslash escapes for the delimiter, line breaks and backslash;
    /// `\N` for NULL. Returns false on a NUL byte.
    static func appendCopyField(_ value: String?, to buffer: inout [UInt8]) -> Bool {
        guard let value else {
            buffer.append(UInt8(ascii: "\\"))
            buffer.append(UInt8(ascii: "N"))
            return true
        }
        for byte in value.utf8 {
            switch byte {
            case 0: return false
            case UInt8(ascii: "\\"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            default: buffer.append(byte)
            }
        }
        return true
    }
}
