import Testing

@testable import WaltServer

/// The pure rules of `shell_autocomplete`, as upstream's autocomplete.py applies them.
@Suite struct ShellCompletionTests {
    @Test func testSet_completesTheLastItem() {
        #expect(ShellCompletion.completeSet(["n1", "n2", "my-nodes"], partial: "n") == ["n1", "n2"])
        #expect(ShellCompletion.completeSet(["n1", "n2", "my-nodes"], partial: "n1,m") == ["n1,my-nodes", "n1,my-nodes,"])
        #expect(ShellCompletion.completeSet(["n1"], partial: "x") == [])
    }

    @Test func testHistoryRange() {
        #expect(ShellCompletion.historyRange(partial: "", checkpoints: ["cp"]) == ["full", "none", "-<relative-time>:", ":", "cp:"])
        #expect(ShellCompletion.historyRange(partial: "cp:", checkpoints: ["cp"]) == ["cp:-<relative-time>", "cp:", "cp:cp"])
        #expect(ShellCompletion.historyRange(partial: "-5", checkpoints: ["cp"]) == [])
        #expect(ShellCompletion.historyRange(partial: "cp:-1", checkpoints: ["cp"]) == [])
    }

    @Test func testFinish_filtersAndKeepsBashFromAddingASpace() {
        #expect(ShellCompletion.finish(type: "NODE", partial: "n", possible: ["n1", "n2", "x"]) == "n1 n2")
        #expect(ShellCompletion.finish(type: "NODE_CONFIG_PARAM", partial: "net", possible: ["netsetup="]) == "netsetup=a netsetup=b")
        #expect(ShellCompletion.finish(type: "NODE_CONFIG_PARAM", partial: "netsetup=", possible: ["netsetup="]) == "")
        #expect(ShellCompletion.finish(type: "IMAGE", partial: "im", possible: ["img", "img:latest"]) == "img")
        #expect(ShellCompletion.finish(type: "IMAGE_CP_SRC", partial: "img:", possible: ["img:latest:"]) == "")
    }

    @Test func testImageNames_addLatestToUntagged() {
        #expect(ShellCompletion.imageNames(["a", "b:v1"]) == ["a", "b:v1", "a:latest"])
    }
}
