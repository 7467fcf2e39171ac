"""The benchmark suite: every stage beside the baseline a user would otherwise pick, in one run.

    .venv/bin/python -m bench [--docs 1000 --docs 10000] [--queries 200] [--demo] [--out bench/RESULTS.md] [--smoke]

Runs bench_drafting (a session pack, beside bare docxtpl), bench_hostile (the slowest of the hostile queries the
fuzz tests send), bench_archive (ingest pages/s beside pdftotext, OCR
s/page, peak memory), and bench_search once per --docs (rebuild beside SQLite FTS5, query p50/p95 with and
without facets, whole processes, peak memory), and with ``--demo`` bench_demo (a whole `taskforce demo`, seconds
per stage), each in its own process, and writes one Markdown file: the
machine, a summary table (figure, baseline, ratio), then each benchmark's own report. ``--smoke`` runs tiny
sizes (for the test suite). Never part of the timed tests: the machines are shared, read the ratios.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

SUMMARY = re.compile(r"^<!-- summary (\{.*\}) -->$", re.MULTILINE)
# What follows this line in RESULTS.md is written by hand (the reading of the numbers) and kept by a new run.
KEPT = "<!-- written by hand below: bench/run.py keeps it -->"
LIBRARIES = ("whoosh-reloaded", "pypdf", "pyHanko", "docxtpl", "python-docx", "click", "Babel")


def machine() -> list[str]:
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    import sqlite3

    return [f"| cores | {os.cpu_count()} (shared with other jobs) |", f"| memory | {memory} |",
            f"| system | {platform.system()} {platform.release()} |",
            f"| Python | {platform.python_implementation()} {platform.python_version()} |",
            f"| SQLite | {sqlite3.sqlite_version} |", f"| libraries | {', '.join(versions)} |"]


def run_module(module: str, arguments: list[str]) -> tuple[str, float]:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", f"bench.{module}", *arguments], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parent.parent)
    if result.returncode != 0:
        raise SystemExit(f"bench.{module} failed (exit status {result.returncode}):\n{result.stderr[-2000:]}")
    return result.stdout, time.perf_counter() - started


def summary_table(reports: list[str]) -> list[str]:
    lines = ["| figure | taskforce | baseline | baseline's figure | ratio (taskforce / baseline) |",
             "| --- | ---: | --- | ---: | ---: |"]
    for report in reports:
        for match in SUMMARY.finditer(report):
            row = json.loads(match.group(1))
            value = f"{row['value']:.3g} {row['unit']}"
            base = f"{row['baseline_value']:.3g} {row['unit']}" if row["baseline_value"] is not None else ""
            ratio = f"{row['value'] / row['baseline_value']:.2f}" if row["baseline_value"] else ""
            lines.append(f"| {row['figure']} | {value} | {row['baseline'] or ''} | {base} | {ratio} |")
    return lines


def demote(report: str) -> str:
    """A benchmark's own report inside RESULTS.md: its headings one level down, its summary comments out."""
    report = SUMMARY.sub("", report)
    return re.sub(r"^(#+) ", lambda m: "#" + m.group(1) + " ", report, flags=re.MULTILINE).strip()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, action="append", help="documents in the search benchmark (repeatable)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "RESULTS.md")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, to check that the suite runs")
    parser.add_argument("--demo", action="store_true", help="also time a whole `taskforce demo` (a few minutes)")
    args = parser.parse_args(argv)
    sizes = args.docs or ([40] if args.smoke else [1000])
    plan = [("bench_drafting", ["--agreements", "2", "--pdf", "0"] if args.smoke else []),
            ("bench_archive", ["--files", "2", "--pages", "2", "--ocr-pages", "0", "--rounds", "1"]
             if args.smoke else ["--files", "20", "--pages", "8", "--ocr-pages", "2", "--rounds", "2"])]
    if args.demo:
        plan.append(("bench_demo", ["--sessions", "1", "--agreements", "1", "--scans", "0"] if args.smoke else []))
    plan.append(("bench_hostile", ["--rounds", "1" if args.smoke else "3"]))
    plan += [("bench_search", ["--docs", str(n), "--queries", str(10 if args.smoke else args.queries),
                               "--size", "3000" if args.smoke else "10000"]) for n in sizes]
    reports, timings = [], []
    for module, arguments in plan:
        print(f"running bench.{module} {' '.join(arguments)}…", file=sys.stderr, flush=True)
        report, seconds = run_module(module, arguments)
        reports.append(report)
        timings.append(f"bench.{module} {' '.join(arguments)}: {seconds:.0f} s")
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = ["# Benchmark results", "",
             f"Written by `python -m bench {' '.join(argv if argv is not None else sys.argv[1:])}` on {now}: one run, "
             f"on a shared machine, so read the ratios (measured side by side in the same run) rather than the "
             f"absolute figures.", "", "| machine | |", "| --- | --- |", *machine(), "", "## Summary", "",
             *summary_table(reports), "", *(demote(report) + "\n" for report in reports), "## Run", "",
             *(f"- {line}" for line in timings), ""]
    kept = ""
    if args.out.is_file():
        previous = args.out.read_text(encoding="utf-8")
        if KEPT in previous:
            kept = previous[previous.index(KEPT):]
    args.out.write_text("\n".join(lines) + ("\n" + kept if kept else ""), encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
