import WaltCommon

/// The fixed list of methods each API accepts (design.md §6): a name outside it is refused,
/// never looked up dynamically.
enum APIRegistry {
    static func method(_ api: RPCAPIName, _ name: String) -> APIMethod? {
        switch api {
        case .csapi: return ClientAPI.methods[name]
        case .ssapi, .vsapi: return ServerToolsAPI.methods[name]
        case .nsapi: return NodeAPI.methods[name]
        }
    }
}
