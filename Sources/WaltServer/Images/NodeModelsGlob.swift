/// Upstream's `autoglob` (`format_node_models_list`): a short description of a list of
/// node models, `rpi-[3-b|4-b],pc-x86-64`, shown in the compatibility column.
///
/// Ported as upstream wrote it, a graph with one state per distinct character whose
/// single-exit states are merged, because users compare this column with a WalT 10.0
/// server's: insertion orders matter and are kept (ordered arrays, not dictionaries).
enum NodeModelsGlob {
    static func format(_ models: [String]) -> String {
        if models.count == 1 { return models[0] }
        let graph = Graph(words: models)
        graph.simplify()
        return graph.start.glob(graph, nil)
    }

    final class State {
        var name: String
        /// transition number → target, in insertion order.
        var routes: [(transition: Int, target: State)] = []
        var referenceCount = 0

        init(_ name: String) { self.name = name }

        var isUsed: Bool { referenceCount > 0 || name == Graph.startName }

        func target(_ transition: Int) -> State? { routes.first { $0.transition == transition }?.target }

        func simplify(_ graph: Graph) -> Bool {
            guard name != Graph.startName, let first = routes.first?.target, first !== self,
                  routes.allSatisfy({ $0.target === first }), first.name != Graph.endName else { return false }
            for index in routes.indices {
                let transition = routes[index].transition
                guard let next = graph.nextTransitions[transition], let hop = first.target(next) else { continue }
                routes[index].target = hop
                first.routes.removeAll { $0.transition == next }
                first.referenceCount -= 1
                if let afterNext = graph.nextTransitions[next] {
                    graph.nextTransitions[transition] = afterNext
                    graph.nextTransitions[next] = nil
                } else {
                    graph.nextTransitions[transition] = nil
                }
            }
            name += first.name
            return true
        }

        func glob(_ graph: Graph, _ current: [Int?]?) -> String {
            if name == Graph.endName { return "" }
            var selected: [(target: State, transitions: [Int])] = []
            for (transition, target) in routes where current.map({ $0.contains(transition) }) ?? true {
                if let index = selected.firstIndex(where: { $0.target === target }) {
                    selected[index].transitions.append(transition)
                } else {
                    selected.append((target, [transition]))
                }
            }
            let globs = selected.map { $0.target.glob(graph, $0.transitions.map { graph.nextTransitions[$0] }) }
            if name == Graph.startName { return globs.joined(separator: ",") }
            let optional = globs.count == 2 && globs.contains("")
            let choices = optional ? globs.filter { !$0.isEmpty } : globs
            let option1 = name + "[" + choices.joined(separator: "|") + "]"
            let option2 = globs.map { name + $0 }.joined(separator: ",")
            let (length1, length2) = (option1.unicodeScalars.count, option2.unicodeScalars.count)
            if length1 != length2 { return length1 < length2 ? option1 : option2 }
            return optional ? option1 : option2
        }
    }

    final class Graph {
        static let startName = "__START__"
        static let endName = "__END__"
        var states: [(key: String, state: State)] = []
        var nextTransitions: [Int: Int] = [:]
        let start: State

        init(words: [String]) {
            start = State(Self.startName)
            states.append((Self.startName, start))
            var previous = start
            var transition = 0
            for word in words {
                for stateName in [Self.startName] + word.map(String.init) + [Self.endName] {
                    let state: State
                    if let existing = states.first(where: { $0.key == stateName })?.state {
                        state = existing
                    } else {
                        state = State(stateName)
                        states.append((stateName, state))
                    }
                    if stateName != Self.startName {
                        previous.routes.append((transition, state))
                        nextTransitions[transition - 1] = transition
                        state.referenceCount += 1
                    }
                    previous = state
                    transition += 1
                }
            }
        }

        func simplify() {
            var changed = true
            while changed {
                changed = false
                for (key, state) in states {
                    if !state.isUsed {
                        states.removeAll { $0.key == key }
                        changed = true
                    }
                    if state.simplify(self) { changed = true }
                }
            }
        }
    }
}
