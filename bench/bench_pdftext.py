"""Benchmark of PDF text extraction, side by side with poppler's pdftotext on the same files in the same run,
plus OCR seconds per page and signature inspection per file.

    .venv/bin/python bench/bench_pdftext.py [--files 20] [--pages 10] [--ocr-pages 3]

Prints a Markdown report (copy it into bench/RESULTS-pdf.md). Keep the sizes small: the machine is shared.
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

from pipeline import pdfmake
from pipeline.pdftext import ExtractLimits, extract, read_text_layer
from pipeline.signatures import inspect_signatures

PARAGRAPH_IT = ("Le parti convengono di promuovere lo scambio di esperienze, missioni imprenditoriali e progetti "
                "comuni nel settore delle macchine agricole, della lavorazione del legno e della plastica. ")
PARAGRAPH_RU = ("Стороны договорились содействовать обмену опытом, деловым миссиям и совместным проектам в области "
                "сельскохозяйственной техники, деревообработки и переработки пластмасс. ")


def page_text(number: int) -> str:
    paragraph = PARAGRAPH_IT if number % 2 else PARAGRAPH_RU
    return f"Pagina {number} / Страница {number}\n\n" + "\n\n".join([paragraph * 3] * 6)


def make_text_pdfs(folder: Path, files: int, pages: int) -> list[Path]:
    made = []
    for index in range(files):
        made.append(pdfmake.text_to_pdf(folder / f"text-{index:03d}.pdf",
                                        [page_text(number) for number in range(1, pages + 1)],
                                        footer=f"TF25-AGR-{index:03d}", title=f"Accordo {index}"))
    return made


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--ocr-pages", type=int, default=3)
    parser.add_argument("--signed", type=int, default=5)
    options = parser.parse_args()
    pdftotext = shutil.which("pdftotext")
    with tempfile.TemporaryDirectory(prefix="bench-pdftext-") as scratch:
        folder = Path(scratch)
        files = make_text_pdfs(folder, options.files, options.pages)
        total_pages = options.files * options.pages
        megabytes = sum(path.stat().st_size for path in files) / 1024 / 1024
        extract(files[0])  # start the fork server outside the measurement

        rows = []
        seconds = timed(lambda: [extract(path) for path in files])
        rows.append(("taskforce `extract` (checks + pypdf in a limited child)", seconds))
        seconds = timed(lambda: [read_text_layer(str(path), None, ExtractLimits()) for path in files])
        rows.append(("pypdf alone, in-process (no child, no checks)", seconds))
        if pdftotext:
            seconds = timed(lambda: [subprocess.run([pdftotext, "-enc", "UTF-8", str(path), "-"], check=True,
                                                    capture_output=True) for path in files])
            rows.append(("poppler `pdftotext` (one process per file)", seconds))

        print(f"# PDF text extraction benchmark\n")
        print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.python_implementation()} "
              f"{platform.python_version()}, {os.cpu_count()} CPUs (shared), Linux {platform.release()}\n")
        print(f"## Text layer: {options.files} files × {options.pages} pages = {total_pages} pages "
              f"({megabytes:.1f} MiB, Italian and Russian text, ~2,400 characters a page)\n")
        print("| extractor | seconds | pages/s | ms/file |")
        print("| --- | ---: | ---: | ---: |")
        for name, seconds in rows:
            print(f"| {name} | {seconds:.2f} | {total_pages / seconds:.0f} | {1000 * seconds / options.files:.0f} |")

        if shutil.which("tesseract") and shutil.which("pdftoppm") and options.ocr_pages:
            source = pdfmake.text_to_pdf(folder / "scan-source.pdf",
                                         [page_text(number)[:1400] for number in range(1, options.ocr_pages + 1)],
                                         font_size=12)
            scan = pdfmake.scan_pdf(source, folder / "scan.pdf", dpi=200)
            print(f"\n## OCR: {options.ocr_pages} image-only pages (scanned at 200 dpi, rendered at 300 dpi gray, "
                  f"tesseract ita+rus, OMP_THREAD_LIMIT=1)\n")
            print("| OCR workers | seconds | seconds/page |")
            print("| ---: | ---: | ---: |")
            for workers in (1, 2):
                limits = ExtractLimits(ocr_workers=workers)
                content = None

                def run():
                    nonlocal content
                    content = extract(scan, limits=limits)
                seconds = timed(run)
                assert content.page_sources == ["ocr"] * options.ocr_pages, content.page_sources
                print(f"| {workers} | {seconds:.1f} | {seconds / options.ocr_pages:.2f} |")

        if options.signed:
            key, cert = pdfmake.make_demo_signer(folder)
            signed = pdfmake.sign_pdf(files[0], folder / "signed.pdf", key, cert)
            unsigned_seconds = timed(lambda: [inspect_signatures(files[0], None) for _ in range(options.signed)])
            signed_seconds = timed(lambda: [inspect_signatures(signed, None) for _ in range(options.signed)])
            print(f"\n## Signature inspection ({options.signed} calls each)\n")
            print("| file | ms/file |")
            print("| --- | ---: |")
            print(f"| unsigned (pypdf only) | {1000 * unsigned_seconds / options.signed:.0f} |")
            print(f"| signed (pyHanko imported and validating) | {1000 * signed_seconds / options.signed:.0f} |")


if __name__ == "__main__":
    main()
