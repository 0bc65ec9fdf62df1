import Testing
import WaltCommon
@testable import WaltServer

/// The pure parts of image sessions: save-name decisions, the build's FROM rewriting,
/// the shell exploration, podman argument vectors, cp operands and build parameters.
struct ImageSessionLogicTests {
    let base = ImageName(user: "alice", name: "base")

    @Test func testSaveNameStatus_sameNameNeedsConfirm_existingOtherRefused() {
        #expect(ImageStore.saveNameStatus(sessionImage: base, target: base, confirmed: false, targetExists: true) == .nameNeedsConfirm)
        #expect(ImageStore.saveNameStatus(sessionImage: base, target: base, confirmed: true, targetExists: true) == nil)
        let other = ImageName(user: "alice", name: "other")
        #expect(ImageStore.saveNameStatus(sessionImage: base, target: other, confirmed: true, targetExists: true) == .nameNotOK)
        #expect(ImageStore.saveNameStatus(sessionImage: base, target: other, confirmed: false, targetExists: false) == nil)
        #expect(ImageStore.overwriteWarning(nodes: 0) == "An image has the same name in your working set.\nThis operation would overwrite it.\n")
        #expect(ImageStore.overwriteWarning(nodes: 2).hasSuffix("overwrite it (and reboot 2 node(s)).\n"))
        #expect(ImageStore.busyMessage("base", label: "shell session") == "Cannot open image base because a shell session is already running.\n")
    }

    @Test func testDockerfileFrom_addsTheUserWhereMissing() {
        let text = "# comment\nfrom rpi-default AS stage1\nRUN echo a \\\n  b\nFROM --platform=x stage1\nFROM bob/img:1\nFROM scratch\nFROM base:tag\n"
        #expect(DockerfileFrom.qualify(text, user: "alice") == """
            FROM alice/rpi-default AS stage1
            RUN echo a   b
            FROM --platform=x stage1
            FROM bob/img:1
            FROM scratch
            FROM alice/base:tag

            """)
        #expect(DockerfileFrom.qualify("FROM a b\n", user: "alice") == nil)
    }

    @Test func testExploration_andShellArguments() {
        let found = ImageSessionCommand.Exploration(output: "__ADVANCED_SHELL_MODE__\n__SHELL__ /bin/bash\n__ROOT_HOME__\n")
        #expect(found == .init(shell: "/bin/bash", advanced: true, rootHome: true))
        #expect(ImageSessionCommand.Exploration(output: "warning\n__SHELL__ /bin/sh\n") == .init())
        #expect(ImageSessionCommand.shell(image: "docker.io/alice/base:latest", container: "c", explored: found, terminal: true)
                == ["run", "-it", "--log-driver=none", "--entrypoint", "/bin/bash", "-h", "image-shell", "--name", "c",
                    "-w", "/root", "docker.io/alice/base:latest"])
        let send = ImageSessionCommand.tarFromImage(image: "i", container: "c", path: "rel", name: "n")
        #expect(send.prefix(5) == ["run", "--log-driver=none", "-q", "--name", "c"])
        #expect(send.last?.contains("src='/root/rel'; dst='n'") == true && send.last?.hasSuffix("; sync; sync") == true)
        #expect(ImageSessionCommand.tarToImage(image: "i", container: "c", directory: "/etc").last == "cd '/etc' && tar x; sync; sync")
        #expect(ImageSessionCommand.tarToImage(image: "i", container: "c", directory: "/etc").contains("-i"))
    }

    @Test func testConfigChanges_restoreTheImagesOwn() {
        #expect(ImageStore.configChanges(entrypoint: "null", command: "[\"/bin/sh\"]", workingDirectory: "")
                == ["--change", "ENTRYPOINT []", "--change", "CMD [\"/bin/sh\"]", "--change", "WORKDIR /"])
        #expect(ImageStore.configChanges(entrypoint: "[\"/init\"]", command: "null", workingDirectory: "/root")
                == ["--change", "ENTRYPOINT [\"/init\"]", "--change", "CMD []", "--change", "WORKDIR /root"])
    }

    @Test func testCopyOperands_andBuildParameters() {
        #expect(ImageCopyCheck.split("base:tag:/etc/x")! == ("base:tag", "/etc/x"))
        #expect(ImageCopyCheck.split("./local") == nil)
        let good: PyValue = .strDict(["username": .str("alice"), "image_fullname": .str("alice/img:latest")])
        #expect(ImageBuildStream.target(good)?.image == ImageName(user: "alice", name: "img"))
        #expect(ImageBuildStream.target(.strDict(["username": .str("bob"), "image_fullname": .str("alice/img:latest")])) == nil)
        #expect(ImageBuildStream.target(.strDict(["username": .str("alice"), "image_fullname": .str("alice/Bad_Name")])) == nil)
        #expect(ImageTasks.randomUUID().count == 36 && ImageTasks.randomUUID() != ImageTasks.randomUUID())
    }

    @Test func testImageTasks_oneTaskPerImage() {
        let tasks = ImageTasks()
        #expect(tasks.claim(base, label: "shell session") == nil)
        #expect(tasks.claim(base, label: "file transfer") == "shell session")
        tasks.release(base)
        #expect(tasks.claim(base, label: "file transfer") == nil)
        tasks.openContainer("c1", image: base)
        #expect(tasks.image(ofContainer: "c1") == base && tasks.image(ofContainer: "c2") == nil)
    }
}
