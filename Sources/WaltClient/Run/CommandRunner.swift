/// Carries out a parsed command: locally when its spec says so (or, for a server command,
/// when upstream answers it without a link), otherwise through the context's server link. Errors become one line on stderr and their exit status.
public struct CommandRunner {
    public let context: ClientContext

    public init(context: ClientContext) {
        self.context = context
    }

    public func run(_ invocation: Invocation) -> Int32 {
        do {
            switch invocation.command.execution {
            case .local:
                return try LocalCommands.run(invocation, context: context)
            case .server:
                if let status = AdvancedActions.withoutServer(invocation, context: context) { return status }
                return try context.serverLink().perform(invocation, context: context)
            }
        } catch {
            context.writeError(error.line)
            return error.status
        }
    }
}
