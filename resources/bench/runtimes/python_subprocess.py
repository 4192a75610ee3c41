#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# spawnlab's runtimes series: what Python pays to spawn a program with
# subprocess.run, timed inside the interpreter while it holds a resident
# ballast of a given size, to set beside spawnlab's own strategies.
# Usage: python_subprocess.py TARGET RUNS WARMUP SIZE_MB [SIZE_MB ...]
import gc
import os
import platform
import re
import subprocess
import sys
import time

PAGE = 4096


def say(line):
    # The reader streams the output, so every line goes out at once.
    print(line, flush=True)


def whole(text, name, minimum):
    if not re.fullmatch(r"[0-9]+", text) or int(text) < minimum:
        say(f"error {name} must be a whole number >= {minimum}, not {text!r}")
        sys.exit(2)
    return int(text)


def vmrss_kb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


# The worker that started this driver: once it is gone (killed, or the GUI
# with it), nobody reads the samples and the ballast should go too.
PARENT = os.getppid()


def spawn(target):
    """Round trip in ns, or None if the spawn failed."""
    if os.getppid() != PARENT:
        sys.exit(1)
    start = time.perf_counter_ns()
    try:
        # DEVNULL for all three; everything else (close_fds=True) as users get it.
        done = subprocess.run([target], stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    elapsed = time.perf_counter_ns() - start
    return elapsed if done.returncode == 0 else None


def main(argv):
    if len(argv) < 5:
        say("error expected TARGET RUNS WARMUP SIZE_MB [SIZE_MB ...]")
        return 2
    target = argv[1]
    if not os.path.isabs(target):
        say(f"error TARGET must be an absolute path, not {target!r}")
        return 2
    runs = whole(argv[2], "RUNS", 1)
    warmup = whole(argv[3], "WARMUP", 0)
    sizes = [whole(s, "SIZE_MB", 0) for s in argv[4:]]

    say(f"runtime python subprocess.run {platform.python_version()}")
    for size_mb in sizes:
        n = size_mb << 20
        try:
            ballast = bytearray(n)
            # One non-zero byte per page, written by C rather than a Python
            # loop, so the pages are really resident and 1 GiB takes a moment.
            ballast[::PAGE] = b"\x01" * len(range(0, n, PAGE))
        except (MemoryError, OverflowError):
            say(f"error cannot allocate a ballast of {size_mb} MiB")
            return 1
        rss = vmrss_kb()
        for _ in range(warmup):
            spawn(target)
        samples = [spawn(target) for _ in range(runs)]
        ok = [s for s in samples if s is not None]
        if not ok:
            say(f"error every spawn of {target} failed at {size_mb} MiB")
            return 1
        say(f"cell {size_mb} {rss} {runs - len(ok)} "
            + " ".join(f"{s / 1000:.3f}" for s in ok))
        # Hand the ballast back before the next size so each VmRSS is its own.
        del ballast
        gc.collect()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
