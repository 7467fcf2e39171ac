"""Benchmark of rendering a session pack (the Protocol + 30 agreements), with a bare docxtpl render of the
same templates and data in the same run as the baseline, and LibreOffice PDF conversion per document. Both
sides are timed after a warm-up render (imports, dictionaries, the first compilation of each template).

    .venv/bin/python -m bench.bench_drafting [--agreements 30] [--rounds 1] [--pdf 3]

Prints a Markdown report (copy it into bench/RESULTS-drafting.md). The machine is shared: read the ratios;
with --rounds, the medians of rounds that interleave the three measures.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import platform
import random
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import yaml

from bench import summary
from pipeline.demo import corpus
from pipeline import drafting
from pipeline.drafting import contexts
from pipeline.drafting.agreements import parse_agreement
from pipeline.drafting.docx import jinja_environment
from pipeline.sessions.registry import get_session
from pipeline.workspace import SHIPPED_TEMPLATES, Workspace, init_workspace


def make_workspace(folder: Path, agreements: int) -> tuple[Workspace, list[dict]]:
    init_workspace(folder, with_sample=True)
    ws = Workspace.at(folder)
    rng = random.Random(25)
    session = yaml.safe_load((ws.sessions / "session-025.yaml").read_text(encoding="utf-8"))
    data = []
    for index in range(agreements):
        raw = corpus.make_agreement(rng, session, index)
        parsed, findings = parse_agreement(raw, f"agreement {index}")
        assert not findings, findings
        parsed["source"] = f"bench-{index}"
        data.append(parsed)
    return ws, data


def render_pack(ws: Workspace, data: list[dict]) -> list[dict]:
    entries = [drafting.render_agreement(ws, 25, item) for item in data]
    entries.append(drafting.render_protocol(ws, 25))
    return entries


def bare_docxtpl(ws: Workspace, data: list[dict]) -> None:
    """The floor: docxtpl alone renders and saves the same documents in memory (no validation, no register,
    no properties, no files)."""
    from docxtpl import DocxTemplate

    session = get_session(ws, 25)
    for item in data:
        template = DocxTemplate(str(SHIPPED_TEMPLATES / f"{item['kind']}.docx"))
        template.render({**contexts.agreement_context(session, item), "footer": "x"}, jinja_environment())
        template.save(io.BytesIO())
    template = DocxTemplate(str(SHIPPED_TEMPLATES / "protocol.docx"))
    template.render({**contexts.protocol_context(session, contexts.annex_entries(ws, 25)), "footer": "x"},
                    jinja_environment())
    template.save(io.BytesIO())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agreements", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=1, help="rounds of first versions, bare render and second "
                        "versions, one after the other; the medians are reported")
    parser.add_argument("--pdf", type=int, default=3, help="documents to convert with LibreOffice (0: skip)")
    args = parser.parse_args()
    documents = args.agreements + 1
    with tempfile.TemporaryDirectory() as tmp:
        # warm-up of both sides in a throwaway workspace: imports, the Russian dictionary, the first
        # compilation of each template (what every later render of a process is spared)
        warm, warm_data = make_workspace(Path(tmp) / "warm", 2)
        render_pack(warm, warm_data)
        bare_docxtpl(warm, warm_data)
        # each round: a fresh workspace's first versions, the bare render, the second versions, one after
        # the other (on a shared machine the load changes from second to second; the medians are reported)
        packs, bares, seconds_ = [], [], []
        for round_ in range(args.rounds):
            ws, data = make_workspace(Path(tmp) / f"ws{round_}", args.agreements)
            start = time.perf_counter()
            entries = render_pack(ws, data)
            packs.append(time.perf_counter() - start)
            start = time.perf_counter()
            bare_docxtpl(ws, data)
            bares.append(time.perf_counter() - start)
            start = time.perf_counter()
            render_pack(ws, data)          # second versions of every document
            seconds_.append(time.perf_counter() - start)
        pack, bare, second = (statistics.median(times) for times in (packs, bares, seconds_))
        sizes = [(ws.home / e["file"]).stat().st_size for e in entries]
        pdf_times = []
        if args.pdf and shutil.which("soffice"):
            for item in data[: args.pdf]:
                start = time.perf_counter()
                drafting.render_agreement(ws, 25, item, pdf=True)
                pdf_times.append(time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print("# Drafting benchmark\n")
    print(f"{now}, CPython {platform.python_version()}, {os.cpu_count()} CPUs (shared), "
          f"{'one run' if args.rounds == 1 else f'median of {args.rounds} interleaved rounds'}, "
          f"load average {os.getloadavg()[0]:.1f}\n")
    print(f"## Session pack: the Protocol + {args.agreements} agreements/memoranda ({documents} documents, "
          f"{sum(sizes) / documents / 1024:.0f} KiB a .docx; the annex lists {args.agreements})\n")
    print("| what | seconds | documents/s | ms/document | ratio to bare docxtpl |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, seconds in (("taskforce, first versions (render, properties, atomic write, register)", pack),
                           ("taskforce, second versions of the same pack", second),
                           ("bare docxtpl render + save in memory (baseline)", bare)):
        print(f"| {label} | {seconds:.2f} | {documents / seconds:.1f} | {1000 * seconds / documents:.0f} | "
              f"{seconds / bare:.2f} |")
    summary("drafting a session pack", documents / pack, "documents/s", "bare docxtpl render", documents / bare)
    if pdf_times:
        print(f"\n## With `--pdf` (LibreOffice, private profile per run): {len(pdf_times)} agreements\n")
        print("| document | seconds (render + conversion) |")
        print("| ---: | ---: |")
        for n, seconds in enumerate(pdf_times, 1):
            print(f"| {n} | {seconds:.1f} |")
    print(f"\nPeak resident memory of the benchmark process: {peak:.0f} MiB")
    if pdf_times:
        summary("drafting with --pdf (LibreOffice)", sum(pdf_times) / len(pdf_times), "s/document", better="lower")


if __name__ == "__main__":
    main()
