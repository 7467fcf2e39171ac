"""Hostile queries (unbalanced quotes and brackets, 100,000 characters, 500 nested brackets, ...) through the
whole `taskforce search` command: the seconds each takes, the slowest first. The tests check that each
answers with results or a clear error (tests/test_fuzz.py); how long that takes is measured here, not
asserted in a timed test (a loaded machine made a 10-second limit flaky).

    .venv/bin/python -m bench.bench_hostile [--rounds 3]
"""
from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

HOSTILE_QUERIES = ['"lettera', "(lettera OR", "lettera)", "x" * 2001, "a" * 100_000, "lettera " * 400,
                   "(" * 500 + "lettera", "nofield:x", "title:x signed_on:2012", "session:abc",
                   "year:[a TO b]", '"' * 101, "*", "lettera~9", "lettera^x"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    from click.testing import CliRunner

    from pipeline.cli import cli
    from pipeline.demo.pdfmake import text_to_pdf
    from pipeline.workspace import init_workspace

    with tempfile.TemporaryDirectory() as root:
        home = Path(root) / "ws"
        init_workspace(home, with_sample=True)
        sources = [str(text_to_pdf(Path(root) / f"lettera-{n}.pdf", [f"Lettera di intenti numero {n}.\n\nRoma, "
                                                                      f"3 aprile 2012"], title=f"Lettera {n}"))
                   for n in range(3)]
        result = CliRunner().invoke(cli, ["--home", str(home), "ingest", *sources, "--session", "25", "--type",
                                          "letter"])
        assert result.exit_code == 0, result.output
        timings = []
        for query in HOSTILE_QUERIES:
            seconds = []
            for _ in range(args.rounds):
                started = time.perf_counter()
                CliRunner().invoke(cli, ["--home", str(home), "search", query])
                seconds.append(time.perf_counter() - started)
            timings.append((statistics.median(seconds), max(seconds), query))
    slowest = max(timings)
    print("# Hostile queries through `taskforce search` (in process)\n")
    print("<!-- summary " + json.dumps({"figure": "slowest hostile query, whole search command (median)",
                                        "value": slowest[0], "unit": "s", "baseline": None,
                                        "baseline_value": None}) + " -->\n")
    print(f"Median and slowest of {args.rounds} rounds per query, slowest first.\n")
    print("| query | median s | max s |\n| --- | ---: | ---: |")
    for median, worst, query in sorted(timings, reverse=True):
        shown = query if len(query) <= 30 else f"{query[:20]}… ({len(query)} characters)"
        print(f"| `{shown}` | {median:.3f} | {worst:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
