extension SNMPClient {
    /// Every varbind under `root` (not `root` itself), in the agent's order: GetBulk with
    /// v2c, GetNext with v1. Ends at the first OID outside the subtree, at endOfMibView,
    /// or at v1's noSuchName. An agent that answers an OID not after the previous one
    /// (a loop) throws `nonIncreasing`; more than `walkLimit` varbinds throw
    /// `tooManyVarBinds`. A v2c agent's tooBig halves max-repetitions and asks again.
    func walk(_ root: SNMPObjectID) throws(SNMPError) -> [SNMPVarBind] {
        let socket = try SNMPSocket(host: host, port: port)
        var results: [SNMPVarBind] = []
        var current = root
        var repetitions = max(1, maxRepetitions)
        while true {
            let response: SNMPPDU
            switch version {
            case .v1:
                let request = SNMPPDU(kind: .getNextRequest, requestID: Self.newRequestID(),
                                      varBinds: [SNMPVarBind(oid: current)])
                response = try exchange(request, over: socket)
                if response.errorStatus == 2 { return results }  // noSuchName: past the last object
            case .v2c:
                let request = SNMPPDU.getBulk(requestID: Self.newRequestID(), maxRepetitions: repetitions,
                                              oids: [current])
                response = try exchange(request, over: socket)
                if response.errorStatus == 1, repetitions > 1 {  // tooBig
                    repetitions /= 2
                    continue
                }
            }
            try Self.check(response)
            guard !response.varBinds.isEmpty else { return results }
            for varBind in response.varBinds {
                guard varBind.value != .endOfMibView,
                      varBind.oid.components.count > root.components.count,
                      root.isPrefix(of: varBind.oid) else { return results }
                guard varBind.oid > current else { throw .nonIncreasing(previous: current, next: varBind.oid) }
                guard results.count < walkLimit else { throw .tooManyVarBinds(limit: walkLimit) }
                results.append(varBind)
                current = varBind.oid
            }
        }
    }
}
