"""Benchmark of `taskforce demo`: wall seconds of each stage of a whole demo build, in a fresh folder.

    .venv/bin/python -m bench.bench_demo [--sessions 25] [--agreements 6] [--scans 2] [--jobs N]

The stages are timed between the demo's own progress reports (the `progress` and `say` hooks the command line
draws its bars with). There is no baseline program for a whole demo: compare runs in the same conditions, and
read the stages' shares. The machine is shared: one run.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import tempfile
import time
from pathlib import Path

from bench import summary
from pipeline.demo.build import DemoOptions, build_demo
from pipeline.workspace import Workspace


def timed_demo(home: Path, options: DemoOptions) -> tuple[list[tuple[str, float]], float, dict]:
    """[(stage, seconds)], the total seconds and the demo's result."""
    marks: list[tuple[str, float]] = []
    started = time.perf_counter()

    def progress(label, items):
        marks.append((label, time.perf_counter()))
        return list(items)

    def say(text):
        label = text.split(" ", 3)[0]      # "Ingesting 175 signed originals…" -> "Ingesting"
        if text.startswith("Updating"):
            label = "Index update"
        elif text.startswith("Two originals"):
            label = "Two originals for the comparison with drafts"
        marks.append((label, time.perf_counter()))

    result = build_demo(Workspace(home), options, progress, say)
    ended = time.perf_counter()
    stages, previous_label, previous = [], "Sessions and setup", started
    for label, moment in marks + [("", ended)]:
        if stages and stages[-1][0] == previous_label:   # a stage announced, then its progress bar
            stages[-1] = (previous_label, stages[-1][1] + moment - previous)
        else:
            stages.append((previous_label, moment - previous))
        previous_label, previous = label, moment
    stages[-1] = ("Index update and example searches" if stages[-1][0] == "Index update" else stages[-1][0],
                  stages[-1][1])
    return stages, ended - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=25)
    parser.add_argument("--agreements", type=int, default=6)
    parser.add_argument("--scans", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=None, help="files ingested at once, LibreOffice processes "
                        "(default: the usable CPUs)")
    args = parser.parse_args()
    options = DemoOptions(sessions=args.sessions, agreements=args.agreements, scans=args.scans)
    if args.jobs is not None:
        options.jobs = args.jobs
    with tempfile.TemporaryDirectory() as tmp:
        stages, total, result = timed_demo(Path(tmp) / "demo-workspace", options)
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print("# Demo benchmark\n")
    print(f"{now}, CPython {platform.python_version()}, {os.cpu_count()} CPUs (shared), one run, load average "
          f"{' '.join(f'{value:.1f}' for value in os.getloadavg())} at the end\n")
    print(f"## `taskforce demo --sessions {args.sessions} --agreements {args.agreements} --scans {args.scans}`: "
          f"{result['drafts']} documents ({result['signed']} signed, {result['scans']} scanned)\n")
    print("| stage | seconds | share |")
    print("| --- | ---: | ---: |")
    for label, seconds in stages:
        print(f"| {label} | {seconds:.1f} | {100 * seconds / total:.0f} % |")
    print(f"| **whole demo** | **{total:.1f}** | |")
    summary(f"`taskforce demo`, {result['drafts']} documents (wall)", total, "s", better="lower")


if __name__ == "__main__":
    main()
