#!/usr/bin/env python3
"""Client benchmark (issue #6): `walt --help`, `walt node --help` and `walt node show` (a
round trip to a local daemon listing 20 nodes), our `walt` beside the official Python
client 10.0 in the same run. Prints min/median/max in ms and the ratio. The daemon is a
development one (no server.conf) on its own embedded PostgreSQL, bound to 127.0.0.97; it is
stopped and its state removed at the end, also on failure. A benchmark: asserts nothing."""
import argparse
import os
import statistics

from devdaemon import DevDaemon
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--walt", required=True)
    parser.add_argument("--python-walt", required=True)
    args = parser.parse_args()
    walt, python = os.path.abspath(args.walt), os.path.abspath(args.python_walt)
    if not os.access(python, os.X_OK):
        print(f"client benchmark skipped: no Python client at {python} (make python-client)")
        return
    with DevDaemon(walt, ADDRESS) as daemon:
        env = daemon.client_env()
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


if __name__ == "__main__":
    main()
