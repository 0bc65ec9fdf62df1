import Testing

@testable import WaltServer

/// The boot watchdog's rules (server.md §4.2), on a fake clock.
@Suite struct BootWatchdogStateTests {
    typealias Node = BootWatchdogState.Node

    @Test func testTimeoutReached_spendsARetryAndWaitsAWholeTimeoutAgain() {
        var state = BootWatchdogState()
        let nodes = [Node(mac: "m1", name: "n1", timeout: 60, retries: 2)]
        #expect(state.due(nodes, booted: [], now: 0).isEmpty)  // first seen: booting from now
        #expect(state.nextDeadline(nodes, booted: []) == 60)
        #expect(state.due(nodes, booted: [], now: 59.9).isEmpty)
        let first = state.due(nodes, booted: [], now: 60)
        #expect(first == [.init(mac: "m1", name: "n1", retriesLeft: 1)])
        #expect(first[0].logLine == "n1: boot timeout reached, trying hard-reboot (1 retries left).")
        #expect(state.due(nodes, booted: [], now: 119).isEmpty)
        let last = state.due(nodes, booted: [], now: 120)
        #expect(last.map(\.logLine) == ["n1: boot timeout reached, trying hard-reboot (last try)."])
        // No retries left: the node is no longer watched.
        #expect(state.due(nodes, booted: [], now: 1000).isEmpty)
        #expect(state.nextDeadline(nodes, booted: []) == nil)
    }

    @Test func testBootedNodesAndDisabledTimeoutsAreNotWatched() {
        var state = BootWatchdogState()
        let nodes = [Node(mac: "m1", name: "n1", timeout: 60, retries: 9),
                     Node(mac: "m2", name: "n2", timeout: nil, retries: 9)]
        _ = state.due(nodes, booted: ["m1"], now: 0)
        #expect(state.due(nodes, booted: ["m1"], now: 500).isEmpty)
        #expect(state.nextDeadline(nodes, booted: ["m1"]) == nil)
    }

    @Test func testGoingDownOrARebootRestartsTheClockAndTheRetries() {
        var state = BootWatchdogState()
        let nodes = [Node(mac: "m1", name: "n1", timeout: 60, retries: 1)]
        _ = state.due(nodes, booted: [], now: 0)
        #expect(state.due(nodes, booted: [], now: 60).count == 1)  // last try spent
        state.nodeDown("m1", now: 100)
        #expect(state.due(nodes, booted: [], now: 159).isEmpty)
        #expect(state.due(nodes, booted: [], now: 160).count == 1)
        state.rebootRequested(["m1"], now: 200)
        #expect(state.nextDeadline(nodes, booted: []) == 260)
    }

    @Test func testLoweredRetriesApplyAtOnce() {
        var state = BootWatchdogState()
        _ = state.due([Node(mac: "m1", name: "n1", timeout: 60, retries: 9)], booted: [], now: 0)
        let fewer = [Node(mac: "m1", name: "n1", timeout: 60, retries: 0)]
        #expect(state.due(fewer, booted: [], now: 60).isEmpty)
    }
}
