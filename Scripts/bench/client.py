#!/usr/bin/env python3
"""Client benchmark (issue #6): `walt --help`, `walt node --help` and `walt node show` (a
round trip to a local daemon listing 20 nodes), our `walt` beside the official Python
client 10.0 in the same run. Prints min/median/max in ms and the ratio. The daemon is a
development one (no server.conf) on its own embedded PostgreSQL, bound to 127.0.0.97; it is
stopped and its state removed at the end, also on failure. A benchmark: asserts nothing."""
import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time

from spawning import spawn

ADDRESS = "127.0.0.97"
RUNS = 45
PY_RUNS = 15


def interleaved(mine, theirs, env_mine, env_theirs, rounds=None, warmup=2):
    """Runs both commands in alternation (one Python run, then RUNS // PY_RUNS of ours), so
    that a machine getting slower or faster meanwhile (a shared VM) weighs on both sides
    alike; returns both lists of samples."""
    rounds = rounds or PY_RUNS
    devnull = os.open(os.devnull, os.O_WRONLY)
    ours, python = [], []
    try:
        for i in range(warmup + rounds):
            sample_py = spawn(theirs, env_theirs, devnull)
            samples = [spawn(mine, env_mine, devnull) for _ in range(RUNS // PY_RUNS)]
            if i >= warmup:
                python.append(sample_py)
                ours.extend(samples)
    finally:
        os.close(devnull)
    return ours, python


def start_daemon(walt, state):
    env = dict(os.environ, WALT_PERSONALITY="walt-server-daemon")
    log = open(os.path.join(state, "daemon.log"), "w")
    process = subprocess.Popen([walt, "--state-dir", os.path.join(state, "daemon"), "--bind", ADDRESS],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if "walt-server-daemon ready" in open(os.path.join(state, "daemon.log")).read():
            return process
        if process.poll() is not None:
            break
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("the daemon did not start: " + open(os.path.join(state, "daemon.log")).read()[-500:])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--walt", required=True)
    parser.add_argument("--python-walt", required=True)
    args = parser.parse_args()
    walt, python = os.path.abspath(args.walt), os.path.abspath(args.python_walt)
    if not os.access(python, os.X_OK):
        print(f"client benchmark skipped: no Python client at {python} (make python-client)")
        return
    state = tempfile.mkdtemp(prefix="walt-bench-client-")
    os.chmod(state, 0o755)  # the embedded cluster runs as postgres below it
    daemon = None
    try:
        daemon = start_daemon(walt, state)
        tool_env = dict(os.environ, WALT_PERSONALITY="walt-dhcp-event", WALT_SERVER_DAEMON_HOST=ADDRESS)
        for i in range(20):
            subprocess.run([walt, "commit", "walt.node.rpi-3-b", "", f"192.168.152.{10 + i}",
                            f"b8:27:eb:00:01:{i:02x}", "", "0", "unknown"], env=tool_env, check=True,
                           stdout=subprocess.DEVNULL)
        home = os.path.join(state, "home")
        os.makedirs(os.path.join(home, ".walt"))
        with open(os.path.join(home, ".walt", "config"), "w") as f:
            f.write(f"walt:\n    server: {ADDRESS}\n    username: bench\n")
        env = {"HOME": home, "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"}
        ours_env = dict(env, WALT_PERSONALITY="walt")
        print(f"client: ours vs the Python client 10.0 ({RUNS} and {PY_RUNS} runs, interleaved; ms)")
        devnull = os.open(os.devnull, os.O_WRONLY)
        floor = [spawn(["/bin/true"], env, devnull) for _ in range(30)]
        os.close(devnull)
        print(f"  (starting /bin/true from this harness: median {statistics.median(floor):.1f} ms, in every figure)")
        print(f"  {'command':<22} {'ours min/med/max':>24} {'python min/med/max':>26} {'ratio':>7}")
        for words in (["--help"], ["node", "--help"], ["node", "show", "--all"]):
            mine, theirs = interleaved([walt, *words], [python, *words], ours_env, env)
            ratio = statistics.median(theirs) / statistics.median(mine)
            print(f"  walt {' '.join(words):<17} {min(mine):7.1f} {statistics.median(mine):7.1f} {max(mine):7.1f}"
                  f"   {min(theirs):7.1f} {statistics.median(theirs):7.1f} {max(theirs):7.1f} {ratio:6.0f}x")
    finally:
        if daemon is not None:
            daemon.terminate()
            try:
                daemon.wait(timeout=30)
            except subprocess.TimeoutExpired:
                daemon.kill()
        shutil.rmtree(state, ignore_errors=True)


if __name__ == "__main__":
    main()
