/// WalT's fixed TCP ports. Clients cannot configure them (only the server host), so the
/// daemon always listens on these; tests isolate daemons by loopback address instead.
public enum WaltPorts {
    /// RPC sessions (CSAPI, NSAPI, SSAPI, VSAPI): request id 10 only.
    public static let rpc = 12345
    /// Node service on each node (REBOOT, BLINK).
    public static let node = 12346
    /// Streams: logs, shells, transfers, bootup notifications (request ids 0-16).
    public static let streams = 12347
}
