import Testing
import WaltCommon
@testable import WaltServer

/// Image names, labels, the compatibility glob, `walt image show`'s tables and the mount
/// bookkeeping: pure logic, with upstream's outputs as expectations.
struct ImageLogicTests {
    @Test func testNames_fullnameUserNameAndPodmanReference() {
        let image = ImageName(user: "alice", name: "exp")
        #expect(image.fullname == "alice/exp:latest")
        #expect(image.name == "exp")
        #expect(image.podmanReference == "docker.io/alice/exp:latest")
        let tagged = ImageName(user: "alice", name: "exp:v2")
        #expect(tagged.fullname == "alice/exp:v2" && tagged.name == "exp:v2")
        #expect(ImageName(fullname: "waltplatform/rpi-default")?.fullname == "waltplatform/rpi-default:latest")
        #expect(ImageName(fullname: "walt/clone-temp:1234")?.podmanReference == "localhost/walt/clone-temp:1234")
        #expect(ImageName(fullname: "nouser") == nil)
        #expect(ImageName.fromPodman("docker.io/bob/x:latest") == ImageName(user: "bob", name: "x"))
        #expect(ImageName.fromPodman("localhost/walt/tmp:1")?.user == "walt")
        #expect(ImageName.fromPodman("busybox") == nil)
        #expect(ImageName.defaultImage(model: "rpi-3-b").fullname == "waltplatform/rpi-3-b-default:latest")
        #expect(ImageName.defaultImage(model: "rpi-3-b").isDefaultImage)
        // A name with a slash never matches an image, and does not crash.
        #expect(ImageName(user: "alice", name: "a/b").fullname == "alice/a/b:latest")
    }

    @Test(arguments: [
        ("exp", nil), ("exp:v2", nil), ("exp-1:2", nil), ("default", ImageName.reservedMessage),
        ("Exp", ImageName.badNameMessage), ("a:b:c", ImageName.badNameMessage), ("a_b", ImageName.badNameMessage),
        ("a/b", ImageName.badNameMessage), ("", ImageName.badNameMessage),
    ] as [(String, String?)])
    func testValidation_upstreamRules(name: String, error: String?) {
        #expect(ImageName.validationError(name) == error)
    }

    @Test func testFixedName_runsOfOtherCharactersBecomeADash() {
        #expect(ImageName.fixed("My_Image..x:latest") == "my-image-x:latest")
        #expect(ImageName.fixed("ok:v1") == "ok:v1")
    }

    /// Outputs of upstream's autoglob.py for the same lists.
    @Test(arguments: [
        (["rpi-b", "rpi-2-b", "rpi-3-b", "qemu-arm", "pc-x86-64", "pc-x86-32"], "rpi-[b|2-b|3-b],qemu-arm,pc-x86-[64|32]"),
        (["rpi-3-b", "rpi-4-b"], "rpi-[3-b|4-b]"),
        (["sim-x86", "sim-arm"], "sim-[x86|arm]"),
        (["rpi-3-b-plus", "rpi-3-b", "rpi-4-b", "rpi-400"], "rpi-[3-b[-plus]|4-b,400]"),
        (["a", "b"], "a,b"),
        (["pc-x86-64"], "pc-x86-64"),
    ])
    func testNodeModelsGlob_asUpstreamAutoglob(models: [String], expected: String) {
        #expect(NodeModelsGlob.format(models) == expected)
    }

    @Test func testInspectRecord_labelsWithSeparatorsAndEquals() throws {
        let us = Podman.labelSeparator
        let record = "sha256:abc|1700000000|2048000|3|sha256:d1|walt.node.models=rpi-3-b,rpi-4-b\(us)note=a=b|c\(us)"
        let metadata = try #require(ImageMetadata(record: Substring(record)))
        #expect(metadata.id == "abc" && metadata.created == 1_700_000_000 && metadata.sizeKiB == 2000)
        #expect(metadata.layers == 3 && metadata.digest == "sha256:d1" && metadata.editable)
        #expect(metadata.labels == ["walt.node.models": "rpi-3-b,rpi-4-b", "note": "a=b|c"])
        #expect(metadata.nodeModels == ["rpi-3-b", "rpi-4-b"])
        #expect(metadata.nodeModelsDescription == "rpi-[3-b|4-b]")
        #expect(ImageMetadata(record: "abc|x|1|1|d|") == nil)
        let plain = try #require(ImageMetadata(record: "abc|1|1|0||"))
        #expect(plain.nodeModels == nil && plain.nodeModelsDescription == "N/A")
        #expect(Podman.records("WARN[0000] something\nwalt|a|b\nwalt|c\n") == ["a|b", "c"])
    }

    private func row(_ fullname: String, inUse: Bool = false, models: String = "rpi-3-b") -> ImageTable.Row {
        ImageTable.Row(image: ImageName(fullname: fullname)!, inUse: inUse,
                       metadata: ImageMetadata(id: "id-" + fullname, labels: ["walt.node.models": models], created: 0))
    }

    @Test func testShowTable_userSectionAndFootnotes() {
        let rows = [row("alice/exp:latest", inUse: true), row("alice/exp:v2"), row("bob/other:latest"),
                    row("waltplatform/rpi-3-b-default:latest")]
        let (user, other, defaults) = ImageTable.subsets(rows, username: "alice")
        #expect(user.count == 2 && other.count == 1 && defaults.count == 1)
        let created = ImageMetadata(id: "", labels: [:], created: 0).createdText
        let text = ImageTable.render(user: user, other: other, defaults: defaults, showAll: false)
        let width = created.count
        #expect(text == """

            \u{1B}[1mYour working set is made of the following images:
            \u{1B}[0m
            name    in-use  created\(String(repeating: " ", count: width - 7))  compatibility
            ------  ------  \(String(repeating: "-", count: width))  -------------
            exp     True    \(created)  rpi-3-b      
            exp:v2  False   \(created)  rpi-3-b      

            Re-run with --all to see all OS images on this platform.
            """)
        #expect(ImageTable.render(user: [], other: other, defaults: [], showAll: false)
            == "Your working set is empty.\nRe-run with --all to see all OS images on this platform.")
        #expect(ImageTable.render(user: [], other: [], defaults: [], showAll: true) == "No OS images found!")
        let all = ImageTable.render(user: [], other: other, defaults: defaults, showAll: true)
        #expect(all.contains("walt:bob/other") && all.contains("walt:waltplatform/rpi-3-b-default"))
        #expect(all.hasSuffix(ImageTable.tipClone + "\n" + ImageTable.tipSearch))
    }

    @Test func testTabularValues_asTheScriptingAPIGetsThem() {
        let image = row("alice/exp:latest", inUse: true, models: "a,b")
        #expect(ImageTable.value(image, "in_use") == .bool(true))
        #expect(ImageTable.value(image, "compatibility:tuple") == .tuple([.str("a"), .str("b")]))
        #expect(ImageTable.value(image, "compatibility:compact") == .str("a,b"))
        #expect(ImageTable.value(image, "clonable_link") == .str("walt:alice/exp"))
        #expect(ImageTable.value(image, "fullname") == .str("alice/exp:latest"))
    }

    @Test func testMounts_graceThenUnmountAndReuseCancels() {
        var mounts = ImageMounts()
        mounts.grace = 60
        var plan = mounts.plan(needed: ["a", "b"], now: 0)
        #expect(plan.toMount == ["a", "b"] && plan.toUnmount.isEmpty && plan.exported == ["a", "b"])
        mounts.didMount("a")
        mounts.didMount("b")
        // b unused: it stays mounted (and exported) until its deadline.
        plan = mounts.plan(needed: ["a"], now: 10)
        #expect(plan.isEmpty && plan.exported == ["a", "b"])
        #expect(mounts.nextWake == 80)
        plan = mounts.plan(needed: ["a"], now: 50)
        #expect(plan.isEmpty)
        plan = mounts.plan(needed: ["a"], now: 71)
        #expect(plan.toUnmount == ["b"] && plan.exported == ["a"])
        mounts.didUnmount("b")
        #expect(mounts.mounted == ["a"] && mounts.nextWake == nil)
        // Used again before its deadline: the deadline goes.
        _ = mounts.plan(needed: [], now: 100)
        #expect(mounts.nextWake == 170)
        plan = mounts.plan(needed: ["a"], now: 120)
        #expect(plan.isEmpty && mounts.nextWake == nil)
        plan = mounts.planCleanup()
        #expect(plan.toUnmount == ["a"] && plan.exported.isEmpty)
    }
}
