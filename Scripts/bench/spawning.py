"""Timing one run of a command the way the benchmarks do, shared by startup.py and client.py."""
import os
import time


def spawn(argv, env, devnull):
    """Wall time in ms of one run: posix_spawn (the lightest start Python has), output to
    `devnull` (an open fd), wait. A non-zero exit is an error."""
    actions = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
    start = time.perf_counter_ns()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=actions)
    _, status = os.waitpid(pid, 0)
    elapsed = (time.perf_counter_ns() - start) / 1e6
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {os.waitstatus_to_exitcode(status)}")
    return elapsed
