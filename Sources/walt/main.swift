// The multi-call entry: pick the personality from argv[0] (or WALT_PERSONALITY), run it,
// exit with its code. Nothing else belongs here; each personality lives in its library.
#if canImport(Glibc)
import Glibc
#endif
import WaltClient
import WaltCommon
import WaltServer
import WaltTools

func entry(for personality: Personality) -> any PersonalityEntry.Type {
    switch personality {
    case .client: ClientEntry.self
    case .serverDaemon: DaemonEntry.self
    case .dhcpEvent: DHCPEventEntry.self
    case .serverLLDPD: LLDPDEntry.self
    case .netConfig: NetConfigEntry.self
    case .autocompleteHelper: AutocompleteHelperEntry.self
    }
}

/// argv read directly: `CommandLine.arguments` builds its array in precompiled generic code
/// that looks its element type up by name on first use, a cost paid on every start.
let arguments = (0..<Int(CommandLine.argc)).map { CommandLine.unsafeArgv[$0].map { String(cString: $0) } ?? "" }
let override = getenv(Personality.overrideVariable).map { String(cString: $0) }
switch Personality.resolve(argv0: arguments.first ?? "", override: override) {
case .success(let personality):
    exit(entry(for: personality).main(Array(arguments.dropFirst())))
case .failure(let error):
    StandardStream.error.write("\(error)\n")
    exit(1)
}
