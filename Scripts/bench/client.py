#!/usr/bin/env python3
"""Client benchmark (issue #6): `walt --help`, `walt node --help` and `walt node show` (a
round trip to a local daemon listing 20 nodes), our `walt` beside the official Python
client 10.0 in the same run. Ours twice: the client link (`make install-client`, not
position-independent) and the full one (`make install`, position-independent, the same
objects). Prints min/median/max in ms and each ratio. The daemon is a development one (no
server.conf) on its own embedded PostgreSQL, bound to 127.0.0.97; it is stopped and its
state removed at the end, also on failure. A benchmark: asserts nothing."""
import argparse
import os
import statistics

from devdaemon import DevDaemon
from spawning import spawn

ADDRESS = "127.0.0.97"
RUNS = 45
PY_RUNS = 15


def interleaved(ours, theirs, env_mine, env_theirs, rounds=None, warmup=2):
    """Runs the commands in alternation (one Python run, then RUNS // PY_RUNS of each of
    ours), so that a machine getting slower or faster meanwhile (a shared VM) weighs on every
    side alike; returns the samples of each of ours, then Python's."""
    rounds = rounds or PY_RUNS
    devnull = os.open(os.devnull, os.O_WRONLY)
    mine, python = [[] for _ in ours], []
    try:
        for i in range(warmup + rounds):
            sample_py = spawn(theirs, env_theirs, devnull)
            # Ours in turn first after the Python run (the coldest caches), one round each.
            order = range(len(ours)) if i % 2 == 0 else reversed(range(len(ours)))
            samples = [None] * len(ours)
            for k in order:
                samples[k] = [spawn(ours[k], env_mine, devnull) for _ in range(RUNS // PY_RUNS)]
            if i >= warmup:
                python.append(sample_py)
                for kept, new in zip(mine, samples):
                    kept.extend(new)
    finally:
        os.close(devnull)
    return mine, python


def spread(samples):
    return f"{min(samples):6.1f} {statistics.median(samples):6.1f} {max(samples):6.1f}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--walt", required=True, help="the full (position-independent) link")
    parser.add_argument("--client-walt", required=True, help="the client link (make install-client)")
    parser.add_argument("--python-walt", required=True)
    args = parser.parse_args()
    walt, client, python = (os.path.abspath(p) for p in (args.walt, args.client_walt, args.python_walt))
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
        print(f"  {'':<22} {'client link':>20} {'full link':>20} {'Python client':>20} {'ratio':>14}")
        print(f"  {'command':<22} {'min    med    max':>20} {'min    med    max':>20} {'min    med    max':>20}"
              f" {'client  full':>14}")
        for words in (["--help"], ["node", "--help"], ["node", "show", "--all"]):
            (mine_client, mine_full), theirs = interleaved([[client, *words], [walt, *words]], [python, *words],
                                                           ours_env, env)
            reference = statistics.median(theirs)
            print(f"  walt {' '.join(words):<17} {spread(mine_client):>20} {spread(mine_full):>20} {spread(theirs):>20}"
                  f" {reference / statistics.median(mine_client):5.0f}x {reference / statistics.median(mine_full):5.0f}x")


if __name__ == "__main__":
    main()
