import WaltCommon

/// Typed calls: nodes, devices, logs.
extension WaltSession {
    /// All nodes (`get_nodes_info("all-nodes")`).
    public func nodes() throws(WaltAPIError) -> [WaltNode] {
        try nodes("all-nodes")
    }

    /// The nodes of a set (`my-nodes`, `free-nodes`, names, comma lists).
    public func nodes(_ nodeSet: String) throws(WaltAPIError) -> [WaltNode] {
        let result = try call("get_nodes_info", [.str(nodeSet)])
        return (result.sequenceItems ?? []).compactMap(WaltNode.init)
    }

    /// The tables `walt node show` prints.
    public func nodeTable(all: Bool = false) throws(WaltAPIError) -> String {
        try call("show_nodes", [.str(username), .bool(all), false]).stringValue ?? ""
    }

    /// One device by name (`get_device_info`).
    public func device(_ name: String) throws(WaltAPIError) -> WaltDevice {
        let result = try call("get_device_info", [.str(name)])
        guard let device = WaltDevice(result) else { throw WaltAPIError("unexpected device info for \(name)") }
        return device
    }

    /// The table `walt device show` prints.
    public func deviceTable() throws(WaltAPIError) -> String {
        try call("device_show").stringValue ?? ""
    }

    /// The server's clock (Unix seconds).
    public func serverTime() throws(WaltAPIError) -> Double {
        try call("get_time").floatValue ?? 0
    }

    /// Records a checkpoint now, or at `time` (Unix seconds).
    public func addCheckpoint(_ name: String, at time: Double? = nil) throws(WaltAPIError) {
        try call("add_checkpoint", [.str(name), time.map(PyValue.float) ?? .none], allowNone: true)
    }

    public func removeCheckpoint(_ name: String) throws(WaltAPIError) {
        try call("remove_checkpoint", [.str(name)], allowNone: true)
    }

    /// When checkpoint `name` was recorded.
    public func checkpointTime(_ name: String) throws(WaltAPIError) -> Double {
        guard let time = try call("get_checkpoint_time", [.str(name)]).floatValue else {
            throw WaltAPIError("no time for checkpoint \(name)")
        }
        return time
    }
}
