/// The body of a pax extended header: `"<length> <keyword>=<value>\n"` records, where the
/// length counts the whole record, its own digits included.
enum TarPaxRecords {
    static func encode(_ records: [(keyword: String, value: String)]) -> [UInt8] {
        var body: [UInt8] = []
        for (keyword, value) in records {
            let fixed = keyword.utf8.count + value.utf8.count + 3   // " ", "=", "\n"
            var length = fixed
            while true {
                let candidate = fixed + String(length).utf8.count
                if candidate == length { break }
                length = candidate
            }
            body += Array("\(length) \(keyword)=\(value)\n".utf8)
        }
        return body
    }

    static func decode(_ body: [UInt8]) throws(TarError) -> [(keyword: String, value: String)] {
        var records: [(keyword: String, value: String)] = []
        var index = 0
        while index < body.count, body[index] != 0 {
            guard let space = body[index...].firstIndex(of: 0x20),
                  let length = Int(String(decoding: body[index..<space], as: UTF8.self)), length > space - index,
                  index + length <= body.count, body[index + length - 1] == 0x0a,
                  let equals = body[(space + 1)..<(index + length)].firstIndex(of: UInt8(ascii: "="))
            else {
                throw TarError("invalid header")
            }
            records.append((String(decoding: body[(space + 1)..<equals], as: UTF8.self),
                            String(decoding: body[(equals + 1)..<(index + length - 1)], as: UTF8.self)))
            index += length
        }
        return records
    }
}
