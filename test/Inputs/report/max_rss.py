#!/usr/bin/python3
"""Runs a command and fails when its peak resident memory exceeds a limit.

    max_rss.py LIMIT_MB COMMAND [ARG ...]
Prints "max rss within LIMIT MB" or the measured figure and exits 1.
"""
import resource
import subprocess
import sys


def main(limit_mb, *command):
    proc = subprocess.run(command, stdout=subprocess.DEVNULL)
    if proc.returncode != 0:
        print(f"command failed with status {proc.returncode}")
        return 1
    rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if rss_mb > float(limit_mb):
        print(f"max rss {rss_mb:.0f} MB, over the {limit_mb} MB limit")
        return 1
    print(f"max rss within {limit_mb} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
