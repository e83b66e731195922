#!/usr/bin/python3
"""Zero-config `plugfest analyze` against `tshark -r FILE -q` on one generated capture.

Writes a 100 MHz 4T4R capture (about 1 GiB unless --mib says otherwise) into a temporary
folder with plugfest_analyze_bench --write-capture, then runs each program --runs times
as its own process and prints the medians: CPU seconds (user + system), wall seconds,
GB per CPU second and peak resident memory. The folder is removed at the end.

    harness/analyze/bench/run_analyze_bench.py BUILD_DIR [--mib N] [--runs N]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def measure(argv):
    """Runs argv to completion; returns (cpu seconds, wall seconds, peak RSS MiB, status)."""
    start = time.monotonic()
    with open(os.devnull, "wb") as null:
        child = subprocess.Popen(argv, stdout=null, stderr=null)
        _, status, usage = os.wait4(child.pid, 0)
    wall = time.monotonic() - start
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024.0, status


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build", help="the build folder (holds harness/plugfest)")
    parser.add_argument("--mib", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    plugfest = os.path.join(args.build, "harness", "plugfest")
    writer = os.path.join(args.build, "harness", "analyze", "bench", "plugfest_analyze_bench")
    tshark = shutil.which("tshark")
    folder = tempfile.mkdtemp(prefix="plugfest-analyze-bench-")
    try:
        capture = os.path.join(folder, "cell.pcap")
        subprocess.run([writer, "--write-capture", capture, str(args.mib)], check=True)
        size = os.path.getsize(capture)
        print(f"capture: {size / 2**20:.0f} MiB, 273 PRBs x 4 antennas, DL + UL + PRACH")
        programs = {"plugfest analyze (no config)":
                    [plugfest, "analyze", capture, "--out", os.path.join(folder, "results")]}
        if tshark:
            programs["tshark -r FILE -q"] = [tshark, "-r", capture, "-q"]
        for name, argv in programs.items():
            runs = [measure(argv) for _ in range(args.runs)]
            cpu = statistics.median(r[0] for r in runs)
            wall = statistics.median(r[1] for r in runs)
            rss = statistics.median(r[2] for r in runs)
            statuses = sorted({r[3] >> 8 for r in runs})
            print(f"{name}: median of {args.runs}: {cpu:.2f} CPU s, {wall:.2f} s wall, "
                  f"{size / 1e9 / cpu:.2f} GB per CPU second, peak RSS {rss:.1f} MiB, "
                  f"exit status {statuses}")
        if not tshark:
            print("tshark: not installed, not measured")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
