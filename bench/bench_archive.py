"""Benchmark of archive ingest: text PDFs in pages per second side by side with poppler's pdftotext on the
same files in the same run, a signed PDF, and OCR seconds per page of a scan.

    .venv/bin/python -m bench.bench_archive [--files 10] [--pages 10] [--ocr-pages 2] [--rounds 2]

Each round ingests into a fresh workspace (so nothing is a duplicate); the best round counts, since the
machine is shared. Prints a Markdown report (copy it into bench/RESULTS-archive.md).
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench import peak_rss_mib, summary
from pipeline.demo import pdfmake


def main() -> None:
    from bench.bench_pdftext import make_text_pdfs, page_count
    from pipeline.archive.batch import plan_batch
    from pipeline.archive.metadata import Given
    from pipeline.archive.store import Archive
    from pipeline.compare.draftcheck import check_text
    from pipeline.pdf.sandbox import usable_cpus
    from pipeline.workspace import Workspace, init_workspace

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10)
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--ocr-pages", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    options = parser.parse_args()
    pdftotext = shutil.which("pdftotext")
    with tempfile.TemporaryDirectory(prefix="bench-archive-") as scratch:
        folder = Path(scratch)
        sources = folder / "in"
        sources.mkdir()
        files = make_text_pdfs(sources, options.files, options.pages)
        total_pages = sum(page_count(path) for path in files)
        megabytes = sum(path.stat().st_size for path in files) / 1024 / 1024

        def ingest_all(name: str, paths, given=Given(session=25, type="agreement"), jobs: int = 1
                       ) -> tuple[float, list]:
            home = folder / name
            init_workspace(home)
            with Archive(Workspace.at(home), check_text=check_text) as store:   # as 'taskforce ingest' does
                items, _ = plan_batch(paths, given)
                start = time.perf_counter()
                outcomes = store.ingest(items, jobs=jobs)
                seconds = time.perf_counter() - start
            assert all(outcome.outcome == "archived" for outcome in outcomes), [o.reason for o in outcomes]
            return seconds, outcomes

        ingest_all("warm-up", files[:1])  # start the fork server outside the measurement
        best = {"ingest": float("inf"), "parallel": float("inf"), "pdftotext": float("inf")}
        jobs = usable_cpus()
        for round_number in range(options.rounds):   # one file at a time and --jobs N interleaved
            best["ingest"] = min(best["ingest"], ingest_all(f"round-{round_number}", files)[0])
            best["parallel"] = min(best["parallel"], ingest_all(f"round-{round_number}-jobs", files, jobs=jobs)[0])
            if pdftotext:
                start = time.perf_counter()
                for path in files:
                    subprocess.run([pdftotext, "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True)
                best["pdftotext"] = min(best["pdftotext"], time.perf_counter() - start)

        print("# Archive ingest benchmark\n")
        print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.python_implementation()} "
              f"{platform.python_version()}, {os.cpu_count()} CPUs (shared), Linux {platform.release()}\n")
        print(f"## Text PDFs: {options.files} files, {total_pages} pages ({megabytes:.1f} MiB of the benchmark "
              f"corpus's Italian and Russian text; best of {options.rounds} rounds)\n")
        print("| what | seconds | pages/s | ms/file |")
        print("| --- | ---: | ---: | ---: |")
        rows = [("`taskforce ingest` (copy + SHA-256, checks, pypdf text in a limited child, metadata, "
                 "text files, locked commit with fsyncs, events), `--jobs 1`", best["ingest"]),
                (f"the same, `--jobs {jobs}` (the default here: files prepared at once, commits in order)",
                 best["parallel"])]
        if pdftotext:
            rows.append(("poppler `pdftotext` on the same files (one process per file, text only)",
                         best["pdftotext"]))
        for name, seconds in rows:
            print(f"| {name} | {seconds:.2f} | {total_pages / seconds:.0f} | {1000 * seconds / options.files:.0f} |")
        summary("ingest of text PDFs", total_pages / best["ingest"], "pages/s",
                "pdftotext" if pdftotext else None, total_pages / best["pdftotext"] if pdftotext else None)

        key, cert = pdfmake.make_demo_signer(folder)
        signed = pdfmake.sign_pdf(files[0], folder / "signed.pdf", key, cert)
        seconds, _ = ingest_all("signed", [signed])
        print(f"\n## One signed PDF ({page_count(signed)} pages, pyHanko validation in its own child)\n")
        print(f"| ingest seconds |\n| ---: |\n| {seconds:.2f} |")

        if shutil.which("tesseract") and shutil.which("pdftoppm") and options.ocr_pages:
            from bench import corpus

            _, texts = next(corpus.generate(1, seed=8, size=(options.ocr_pages + 1) * 2 * corpus.PAGE_SIZE))
            chosen = [texts[index][:1400] for index in range(options.ocr_pages)]
            source = pdfmake.text_to_pdf(folder / "scan-source.pdf", chosen, font_size=12)
            scan = pdfmake.scan_pdf(source, folder / "scan.pdf", dpi=200)
            seconds, outcomes = ingest_all("ocr", [scan], Given(session=25, type="protocol"))
            assert outcomes[0].details["text_source"] == "ocr"
            print(f"\n## OCR: a scan of {options.ocr_pages} image-only pages (200 dpi scan, rendered at 300 dpi "
                  f"gray, tesseract ita+rus, OMP_THREAD_LIMIT=1, 2 pages at a time)\n")
            print("| ingest seconds | seconds/page |")
            print("| ---: | ---: |")
            print(f"| {seconds:.1f} | {seconds / options.ocr_pages:.2f} |")
            summary("OCR of a scanned page (ingest)", seconds / options.ocr_pages, "s/page", better="lower")
        if shutil.which("soffice") or shutil.which("libreoffice"):
            comparison_cost(folder, 1000 * best["ingest"] / total_pages)
        own, children = peak_rss_mib()
        print(f"\nPeak resident memory: benchmark process {own:.0f} MiB, largest extraction child {children:.0f} MiB")
        summary("peak memory of ingest (largest process)", max(own, children), "MiB", better="lower")


def comparison_cost(folder: Path, ingest_ms_per_page: float, rounds: int = 20) -> None:
    """Milliseconds per page of comparing a signed text with its approved draft (what ingest adds for a PDF
    whose reference the drafts register knows): the example agreement and the sample Protocol, rendered
    final and converted by LibreOffice, compared ``rounds`` times each (the draft read each time, as at ingest)."""
    from pipeline.compare.comparison import compare_signed
    from pipeline.drafting import EXAMPLE_DATA, render_agreement, render_protocol
    from pipeline.pdf.text import extract
    from pipeline.workspace import Workspace, init_workspace

    home = folder / "comparison"
    init_workspace(home, with_sample=True)
    ws = Workspace.at(home)
    entries = [render_agreement(ws, 25, EXAMPLE_DATA, final=True, pdf=True), render_protocol(ws, 25, final=True, pdf=True)]
    texts = [extract(home / entry["pdf"]) for entry in entries]
    pages = sum(len(content.pages) for content in texts) * rounds
    start = time.perf_counter()
    for _ in range(rounds):
        for content in texts:
            assert compare_signed(ws, content.pages, content.page_sources).identical
    per_page = 1000 * (time.perf_counter() - start) / pages
    print(f"\n## Comparison with the approved draft ({len(entries)} LibreOffice PDFs, {pages // rounds} pages, "
          f"{rounds} rounds; the .docx and the register read each time)\n")
    print("| what | ms/page |")
    print("| --- | ---: |")
    print(f"| compare the signed text with its final draft (`pipeline/compare/comparison.py`) | {per_page:.1f} |")
    print(f"| `taskforce ingest` of a text PDF, for scale (above) | {ingest_ms_per_page:.1f} |")
    summary("comparison with the approved draft", per_page, "ms/page", better="lower")


if __name__ == "__main__":
    main()
