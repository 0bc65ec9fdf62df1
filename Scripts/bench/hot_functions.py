#!/usr/bin/env python3
"""Writes the list of functions that the release linker places first (`make hot-functions`):
every function of the binary that common client commands and the DHCP hook run, found by
running each under valgrind's callgrind against a development daemon (devdaemon.py).

Placing them together means a command faults in fewer pages of code (docs/operations.md,
"Start-up"). The names are mangled symbols; a name the code no longer has is ignored by the
linker, so a stale list only costs speed. Sends traffic only to a loopback address."""
import argparse
import glob
import os
import shutil
import subprocess
import tempfile

from devdaemon import DevDaemon

ADDRESS = "127.0.0.96"
# Most common first: a user's `walt node show`, then the other everyday commands, help
# pages and the error paths users hit.
CLIENT_COMMANDS = [
    ["node", "show"], ["node", "show", "--all"], ["node", "show", "--names-only"], ["--help"],
    ["node", "--help"], ["device", "show"], ["log", "show", "--history", "-5m:"], ["image", "show"],
    ["help", "list"], ["node", "reboot", "--help"], ["device", "--help"], ["image", "--help"],
    ["log", "--help"], ["advanced", "--help"], ["node", "bogus"], ["node", "show", "--bad"],
    ["node", "ping", "no-such-node"],
]


def functions_of(output, binary):
    """Function names in a callgrind output file that belong to `binary`, in file order."""
    names, obj = [], None
    with open(output, errors="replace") as f:
        for line in f:
            if line.startswith("ob="):
                obj = line[3:].strip()
            elif line.startswith("fn=") and obj == binary:
                # callgrind marks recursion levels (`name'2`) and names code it has no
                # symbol for by address or as "(below main)": only symbols go in the list.
                name = line[3:].strip().split("'")[0]
                if name and not name.startswith(("0x", "(")) and " " not in name:
                    names.append(name)
    return names


def own_symbols(build_dir):
    """Symbols defined by the objects SwiftPM compiled (ours and our dependencies'). The
    compiler gives each of their functions a section of its own, so the linker can place
    them one by one; the toolchain's archives (the standard library is one object) only
    move as whole blocks."""
    objects = sorted(glob.glob(os.path.join(build_dir, "*.build", "**", "*.o"), recursive=True))
    if not objects:
        raise SystemExit(f"no object files under {build_dir}: build the release first")
    listing = subprocess.run(["nm", "--defined-only", "-j", *objects], check=True, capture_output=True, text=True)
    return {line.strip() for line in listing.stdout.splitlines() if line.strip() and not line.endswith(":")}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--walt", required=True)
    parser.add_argument("--output", required=True)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("hot-functions needs valgrind (apt-get install valgrind)")
    work = tempfile.mkdtemp(prefix="walt-hot-functions-")
    try:
        # valgrind reads symbols, not the DWARF of a Swift release binary (it gives up on it).
        binary = os.path.join(work, "walt")
        subprocess.run(["strip", "--strip-debug", "-o", binary, os.path.abspath(args.walt)], check=True)
        runs = []
        with DevDaemon(binary, ADDRESS, nodes=5) as daemon:
            def traced(argv, env):
                out = os.path.join(work, f"callgrind.{len(runs)}")
                subprocess.run(["valgrind", "--tool=callgrind", "--demangle=no", "--compress-strings=no",
                                "--compress-pos=no", f"--callgrind-out-file={out}", *argv],
                               env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
                runs.append(out)
            for words in CLIENT_COMMANDS:
                traced([binary, *words], daemon.client_env(WALT_PERSONALITY="walt"))
            traced(daemon.register_argv(7), daemon.tool_env())
        ordered = {}
        for output in runs:
            for name in functions_of(output, binary):
                ordered.setdefault(name, None)
        if len(ordered) < 100 or len(glob.glob(os.path.join(work, "callgrind.*"))) != len(runs):
            raise SystemExit(f"only {len(ordered)} functions traced: is valgrind working?")
        # Our functions first, in the order traced: a block of the toolchain's listed before
        # them would be placed before them, whole, and spread them out.
        own = own_symbols(os.path.dirname(os.path.abspath(args.walt)))
        names = [name for name in ordered if name in own] + [name for name in ordered if name not in own]
        with open(args.output, "w") as f:
            f.write("".join(name + "\n" for name in names))
        print(f"{args.output}: {len(ordered)} functions from {len(runs)} runs")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
