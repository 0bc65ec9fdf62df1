#!/usr/bin/env python3
"""Boot benchmark on a testbed (Scripts/testbed/testbed.sh, its own namespaces): for 1, 10
and 50 simulated nodes started at once, the time from their power-on to the daemon showing
every one booted (DHCP through dhcpd and our hook, TFTP, ssh server, node service, bootup
notification), then the daemon's memory with all of them booted.

Traffic stays inside the testbed's namespaces. Bounded in count and time; the testbed is
removed at the end, also on failure. A benchmark: it prints figures, asserts nothing."""
import argparse
import os
import subprocess
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TESTBED = os.path.join(HERE, "..", "testbed", "testbed.sh")
TIMEOUT = 300


def testbed(*args, check=True):
    return subprocess.run(["bash", TESTBED, *args], check=check, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=TIMEOUT)


def booted_count(ns, walt, home):
    out = subprocess.run(["ip", "netns", "exec", ns, "env", f"HOME={home}", walt, "node", "show", "--all"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, timeout=30).stdout
    # Table rows: name, model, image, ip, booted (yes/NO), ...
    return sum(1 for line in out.splitlines()[2:] if " yes " in f" {line} ")


def daemon_rss_kib(directory):
    pid = open(os.path.join(directory, "run", "daemon.pid")).read().strip()
    total = 0
    # The daemon and its embedded PostgreSQL are both the server's memory.
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            total = int(line.split()[1])
    return total


def run(walt, count, net):
    directory = tempfile.mkdtemp(prefix="walt-bench-boot-")
    try:
        testbed("up", directory, "--walt", walt, "--net", net)
        ns = open(os.path.join(directory, "namespace")).read().strip()
        home = os.path.join(directory, "home")
        os.makedirs(os.path.join(home, ".walt"))
        with open(os.path.join(home, ".walt", "config"), "w") as f:
            f.write("walt:\n    server: 127.0.0.1\n    username: bench\n")
        start = time.monotonic()
        failures = []

        def power_on(i):
            result = testbed("node", directory, f"b{i}", "pc-x86-64", f"02:57:42:00:{i // 256:02x}:{i % 256:02x}",
                             check=False)
            if result.returncode != 0:
                failures.append(result.stdout.strip().splitlines()[-1:])

        threads = [threading.Thread(target=power_on, args=(i,)) for i in range(count)]
        for t in threads:
            t.start()
        booted = 0
        while time.monotonic() - start < TIMEOUT:
            booted = booted_count(ns, walt, home)
            if booted >= count:
                break
            time.sleep(0.5)
        elapsed = time.monotonic() - start
        for t in threads:
            t.join(timeout=TIMEOUT)
        rss = daemon_rss_kib(directory)
        return elapsed, booted, rss, failures
    finally:
        testbed("down", directory, check=False)
        subprocess.run(["rm", "-rf", directory])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--walt", required=True)
    parser.add_argument("--counts", default="1,10,50")
    args = parser.parse_args()
    walt = os.path.abspath(args.walt)
    print("boot of simulated nodes (power-on to booted, as the daemon sees it)")
    print(f"{'nodes':>6} {'booted':>7} {'time':>9} {'per node':>9} {'daemon RSS':>11}")
    for count in [int(c) for c in args.counts.split(",")]:
        elapsed, booted, rss, failures = run(walt, count, "10.214.0.1/24")
        print(f"{count:>6} {booted:>7} {elapsed:>8.1f}s {elapsed / max(booted, 1):>8.2f}s {rss / 1024:>9.1f} MiB")
        for failure in failures[:3]:
            print(f"       failed to start: {failure}")


if __name__ == "__main__":
    main()
