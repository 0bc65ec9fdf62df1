#!/usr/bin/env python3
"""Startup benchmark of each personality of the walt binary, beside a static Swift
hello-world (the floor) and, when `make bench-setup` made its venv, the official Python
client 10.0. Prints min/median/max in ms and the ratios. A benchmark, not a test: it
asserts nothing."""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

from spawning import spawn

HERE = os.path.dirname(os.path.abspath(__file__))


def build_floor(outdir):
    exe = os.path.join(outdir, "hello-static")
    subprocess.run(["swiftc", "-O", "-static-stdlib", os.path.join(HERE, "floor", "hello.swift"),
                    "-o", exe], check=True)
    return exe


def time_runs(argv, env, runs, warmup=3):
    """Wall time of fork+exec+wait, stdout/stderr to /dev/null, via posix_spawn."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        samples = [spawn(argv, env, devnull) for _ in range(warmup + runs)]
    finally:
        os.close(devnull)
    return samples[warmup:]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--walt", required=True, help="release walt binary")
    parser.add_argument("--python-walt", help="walt of the Python client 10.0 venv")
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    if args.runs < 30:
        sys.exit("at least 30 runs")

    tmp = tempfile.mkdtemp(prefix="walt-bench-")
    try:
        floor = build_floor(tmp)
        links = {}
        for name in ["walt", "walt-server-daemon", "walt-dhcp-event", "walt-server-lldpd", "walt-net-config"]:
            links[name] = os.path.join(tmp, name)
            os.symlink(os.path.abspath(args.walt), links[name])
        env = {k: v for k, v in os.environ.items() if k != "WALT_PERSONALITY"}
        env["LC_ALL"] = "C"
        cases = [
            ("floor: static hello-world", [floor]),
            ("walt --help", [links["walt"], "--help"]),
            ("walt node --help", [links["walt"], "node", "--help"]),
            ("walt-dhcp-event --help", [links["walt-dhcp-event"], "--help"]),
            ("walt-server-daemon --help", [links["walt-server-daemon"], "--help"]),
            ("walt-net-config --help", [links["walt-net-config"], "--help"]),
            ("walt-server-lldpd --help", [links["walt-server-lldpd"], "--help"]),
        ]
        python_walt = args.python_walt if args.python_walt and os.path.exists(args.python_walt) else None
        if python_walt:
            # The Python client reads ~/.walt/config even for --help: give it one of its own.
            home = os.path.join(tmp, "home")
            os.makedirs(os.path.join(home, ".walt"))
            with open(os.path.join(home, ".walt", "config"), "w") as f:
                f.write("walt:\n    server: 127.0.0.1\n    username: bench\n")
            py_env = dict(env, HOME=home)
            cases.append(("python client 10.0: walt --help", [os.path.abspath(python_walt), "--help"], py_env))

        results = {}
        print(f"startup, {args.runs} runs each after 3 warm-ups (ms, includes ~1 ms of spawn+wait)")
        print(f"{'case':<36} {'min':>8} {'median':>8} {'max':>8}")
        for case in cases:
            label, argv = case[0], case[1]
            case_env = case[2] if len(case) > 2 else env
            samples = time_runs(argv, case_env, args.runs)
            results[label] = statistics.median(samples)
            print(f"{label:<36} {min(samples):8.2f} {statistics.median(samples):8.2f} {max(samples):8.2f}")

        base = results["floor: static hello-world"]
        print()
        print(f"{'ratio to floor (median)':<36} {'x floor':>8} {'+ms':>8}")
        for label, median in results.items():
            if label.startswith("floor") or label.startswith("python"):
                continue
            print(f"{label:<36} {median / base:8.2f} {median - base:8.2f}")
        if python_walt:
            ours = results["walt --help"]
            py = results["python client 10.0: walt --help"]
            print(f"\npython client / ours (walt --help): {py / ours:.1f}x")
        else:
            print("\n(python client not measured: run `make bench-setup` first)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
