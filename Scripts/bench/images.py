#!/usr/bin/env python3
"""Image benchmark on a testbed with an image store (Scripts/testbed/testbed.sh up --images,
its own namespaces): for the simulated-node (busybox) image, the time of
  * clone: `walt image clone docker-archive:<archive> <name>` (podman load + tag),
  * shell commit: `walt image shell <name>`, one command, exit, saved under a new name,
  * cp commit: `walt image cp <file> <name>:/etc/` (a container, a tar, a commit),
  * deploy: `walt node boot <node> <name>` then `walt node wait <node>` (mount, exports,
    TFTP tree, soft reboot, the node booted on the image).
Each is repeated a few times; min/median/max are printed. Traffic stays inside the
testbed's namespaces; bounded in count and time; the testbed is removed at the end, also on
failure. A benchmark: it prints figures, asserts nothing."""
import argparse
import os
import pty
import select
import statistics
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TESTBED = os.path.join(HERE, "..", "testbed", "testbed.sh")
TIMEOUT = 300
RUNS = 3


def testbed(*args, check=True):
    return subprocess.run(["bash", TESTBED, *args], check=check, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=TIMEOUT)


class Bench:
    def __init__(self, directory, walt):
        self.ns = open(os.path.join(directory, "namespace")).read().strip()
        self.walt = walt
        self.home = os.path.join(directory, "home")
        os.makedirs(os.path.join(self.home, ".walt"))
        with open(os.path.join(self.home, ".walt", "config"), "w") as f:
            f.write("walt:\n    server: 127.0.0.1\n    username: bench\n")

    def argv(self, *args):
        return ["ip", "netns", "exec", self.ns, "env", f"HOME={self.home}", self.walt, *args]

    def run(self, *args, stdin=None):
        result = subprocess.run(self.argv(*args), input=stdin, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, timeout=TIMEOUT)
        if result.returncode != 0:
            raise RuntimeError(f"walt {' '.join(args)}: {result.stdout.strip()[-300:]}")
        return result.stdout

    def shell_session(self, image, new_name):
        """`walt image shell` on a pty: one command, exit, then the new name."""
        pid, fd = pty.fork()
        if pid == 0:
            os.execvp(self.argv()[0], self.argv("image", "shell", image))
        script = [(b"# ", b"touch /etc/bench-shell; exit\r"), (b"New image name: ", new_name.encode() + b"\r")]
        seen = b""
        deadline = time.monotonic() + 60
        try:
            while time.monotonic() < deadline:
                ready, _, _ = select.select([fd], [], [], 1)
                if not ready:
                    continue
                try:
                    chunk = os.read(fd, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                seen += chunk
                if script and script[0][0] in seen:
                    seen = b""
                    os.write(fd, script.pop(0)[1])
        finally:
            _, status = os.waitpid(pid, 0)
            os.close(fd)
        if script or os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"image shell did not finish its script: {seen[-300:]!r}")


def timed(action, runs=RUNS):
    samples = []
    for i in range(runs):
        start = time.monotonic()
        action(i)
        samples.append(time.monotonic() - start)
    return samples


def line(label, samples):
    print(f"  {label:<37} min {min(samples):6.2f}s  median {statistics.median(samples):6.2f}s  "
          f"max {max(samples):6.2f}s  ({len(samples)} runs)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--walt", required=True)
    args = parser.parse_args()
    walt = os.path.abspath(args.walt)
    directory = tempfile.mkdtemp(prefix="walt-bench-images-")
    try:
        # The simulated node is a Raspberry Pi: pc-x86-64 is the virtual nodes' image here.
        testbed("up", directory, "--walt", walt, "--net", "10.215.0.1/24", "--images", "--vnode-image")
        testbed("node", directory, "b1", "rpi-3-b-plus", "02:57:43:00:00:01")
        bench = Bench(directory, walt)
        node = "b1-000001"
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline and " yes" not in bench.run("node", "show", "--all"):
            time.sleep(0.5)
        archive = os.path.join(directory, "default-images", "sim-default.tar")
        marker = os.path.join(directory, "marker")
        with open(marker, "w") as f:
            f.write("bench\n")
        print("images: the busybox simulated-node image on a testbed (podman, runc)")
        line("clone (docker-archive)", timed(lambda i: bench.run("image", "clone", f"docker-archive:{archive}", f"c{i}")))
        line("shell, one command, commit", timed(lambda i: bench.shell_session("c0", f"s{i}")))
        line("cp into the image, commit", timed(lambda i: bench.run("image", "cp", marker, f"c{i}:/etc/")))
        line("deploy: node boot + node wait",
             timed(lambda i: (bench.run("node", "boot", node, f"c{i}"), bench.run("node", "wait", node))))

        def vnode(i):
            bench.run("node", "create", "vb1")
            try:
                bench.run("node", "wait", "vb1")
            finally:
                bench.run("node", "remove", "vb1")
        if os.access("/usr/bin/qemu-system-x86_64", os.X_OK):
            line("virtual node: create to booted (TCG)", timed(vnode, runs=1))
        else:
            print("  virtual node: skipped (no qemu-system-x86_64)")
    finally:
        testbed("down", directory, check=False)
        subprocess.run(["rm", "-rf", directory])


if __name__ == "__main__":
    main()
