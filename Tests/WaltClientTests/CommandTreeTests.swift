import Testing

@testable import WaltClient

/// The command tree as a whole: WalT 10.0's 6 categories and 54 sub-commands.
@Suite struct CommandTreeTests {
    @Test func testCounts() {
        #expect(Category.allCases.map(\.name) == ["image", "node", "log", "device", "advanced", "help"])
        #expect(Category.allCases.map { $0.commands.count } == [11, 19, 5, 10, 7, 2])
        #expect(Category.allCases.reduce(0) { $0 + $1.commands.count } == 54)
    }

    @Test(arguments: Category.allCases)
    func testNamesAndOrderingsAreUnique(category: Category) {
        let names = category.commands.map(\.name)
        #expect(Set(names).count == names.count)
        let orderings = category.commands.map(\.ordering).filter { $0 != 0 }
        #expect(Set(orderings).count == orderings.count)
    }

    @Test(arguments: Category.allCases)
    func testSwitchesAreConsistent(category: Category) {
        for command in category.commands {
            var seen: Set<String> = ["h", "help"]
            for spec in command.switches {
                for name in spec.names {
                    #expect(seen.insert(name).inserted, "\(command.name): --\(name) declared twice")
                }
                for excluded in spec.excludes {
                    #expect(command.switchNamed(String(excluded.drop { $0 == "-" })) != nil, "\(command.name): \(excluded)")
                }
                if let argument = spec.argument {
                    #expect(argument.metavar == argument.metavar.uppercased())
                }
            }
            // optional positionals come last, as in a Python signature
            let firstOptional = command.positionals.firstIndex { $0.defaultValue != nil } ?? command.positionals.count
            #expect(command.positionals[firstOptional...].allSatisfy { $0.defaultValue != nil })
        }
    }

    @Test func testAliases_matchTheirTargets() {
        let node = Category.node
        #expect(node.command(named: "deploy")?.positionals == node.command(named: "boot")?.positionals)
        let advanced = Category.advanced
        #expect(advanced.command(named: "rescan-hub-account")?.switches == advanced.command(named: "update-hub-meta")?.switches)
    }

    @Test func testLocalCommands() {
        let local = Category.allCases.flatMap { category in
            category.commands.filter { $0.execution == .local }.map { "\(category.name) \($0.name)" }
        }
        #expect(local.sorted() == ["advanced dump-bash-autocomplete", "advanced dump-zsh-autocomplete", "help list", "help show"])
    }
}
