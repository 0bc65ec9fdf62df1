#!/usr/bin/env python3
"""Pickle-4 codec figures: our WaltCommon codec (walt-wire-bench) and CPython's C pickle on
the same bytes (1,000-node get_nodes_info result, 100,000 log records). Best of N, in ms.
A benchmark: it asserts nothing."""
import io
import os
import pickle
import subprocess
import sys
import tempfile
import time


def best(rounds, body):
    result = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        body()
        result = min(result, time.perf_counter() - start)
    return result * 1000


def main():
    bench = sys.argv[1]
    with tempfile.TemporaryDirectory(prefix="walt-wire-") as tmp:
        out = subprocess.run([bench, tmp], check=True, capture_output=True, text=True).stdout.split()
        swift = dict(zip(out[1::2], out[2::2]))
        out = out[out.index("swift", 1) + 1:]
        swift.update(dict(zip(out[0::2], out[1::2])))
        nodes_bytes = open(os.path.join(tmp, "nodes.pickle"), "rb").read()
        log_bytes = open(os.path.join(tmp, "logs.pickles"), "rb").read()
    nodes = pickle.loads(nodes_bytes)
    records = []
    stream = io.BytesIO(log_bytes)
    while stream.tell() < len(log_bytes):
        records.append(pickle.load(stream))

    def load_logs():
        s = io.BytesIO(log_bytes)
        for _ in range(len(records)):
            pickle.load(s)

    py = {
        "nodes_encode_ms": best(5, lambda: pickle.dumps(nodes, protocol=4)),
        "nodes_decode_ms": best(5, lambda: pickle.loads(nodes_bytes)),
        "logs_encode_ms": best(3, lambda: [pickle.dumps(r, protocol=4) for r in records]),
        "logs_decode_ms": best(3, load_logs),
    }
    print(f"pickle-4 codec, best of 3-5 runs (ms); {len(nodes)} nodes = {len(nodes_bytes)} B, "
          f"{len(records)} log records = {len(log_bytes)} B")
    print(f"{'case':<32} {'walt-swift':>11} {'CPython':>9} {'swift/py':>9}")
    for key, label in [("nodes_encode_ms", "get_nodes_info(1000) encode"),
                       ("nodes_decode_ms", "get_nodes_info(1000) decode"),
                       ("logs_encode_ms", "100,000 log records encode"),
                       ("logs_decode_ms", "100,000 log records decode")]:
        ours = float(swift[key])
        print(f"{label:<32} {ours:11.1f} {py[key]:9.1f} {ours / py[key]:9.2f}")


if __name__ == "__main__":
    main()
