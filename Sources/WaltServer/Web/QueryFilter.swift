/// Upstream's `filter_items_with_query_params`: every query parameter must name a field of
/// the listing (else 400 `'<field>' is not a valid filtering field.`); an empty value filters
/// nothing; any other value is cast to the field's type (`QueryCast`) and keeps the items
/// whose field equals it exactly. Parameters are applied in the order they came.
enum QueryFilter {
    static func apply(_ items: [JSONValue], fields: [String: QueryCast.Kind],
                      query: QueryString) -> Result<[JSONValue], WebError> {
        var items = items
        for (name, text) in query.pairs {
            guard let kind = fields[name] else {
                return .failure(.badRequest("'\(name)' is not a valid filtering field."))
            }
            if text.isEmpty { continue }
            switch QueryCast.convert(text, as: kind) {
            case .failure(let error): return .failure(error)
            case .success(let wanted): items = items.filter { matches($0[name], wanted) }
            }
        }
        return .success(items)
    }

    /// Python's `==` between the item's field and the cast value: a missing value (None)
    /// equals nothing here; a bool field compares to a bool, a str field to a str.
    static func matches(_ field: JSONValue?, _ wanted: QueryCast.Value) -> Bool {
        switch (field, wanted) {
        case (.string(let text)?, .str(let expected)): text.unicodeScalars.elementsEqual(expected.unicodeScalars)
        case (.bool(let flag)?, .bool(let expected)): flag == expected
        case (.bool(let flag)?, .float(let expected)): (flag ? 1 : 0) == expected
        case (.number(let text)?, .float(let expected)): Double(text) == expected
        case (.number(let text)?, .bool(let expected)): Double(text) == (expected ? 1 : 0)
        default: false
        }
    }
}
