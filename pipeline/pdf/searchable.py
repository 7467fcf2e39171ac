"""OCR through OCRmyPDF: the text of a scan's pages and its searchable PDF/A copy, in one run.

OCRmyPDF (PyPI ``ocrmypdf``) runs tesseract (ita+rus, as the older path in :mod:`pipeline.pdf.text` does) on
the pages without a usable text layer and grafts the recognised words as an invisible layer on a PDF/A-2b copy
of the file, which Paperless-ngx keeps as its "archive version" too. Here that copy is derived data: it is
kept beside the original, outside the write-once archive, in ``index/searchable/<SHA-256 of the original>.pdf``
(as the page images are in index/previews/): it never replaces the original, ``archive verify`` never looks at
it, an export never carries it, and deleting it loses nothing: :func:`make_searchable_copy` makes it again
from the archived original.

OCRmyPDF runs in a child of :mod:`pipeline.pdf.sandbox` (a memory limit, a wall-clock limit of
``ocr_seconds_per_page`` per page, on ``limits.ocr_workers`` threads, each tesseract single-threaded:
``OMP_THREAD_LIMIT=1``), and the pages it reads are reported to the caller one by one. It needs Ghostscript
(Debian ``ghostscript``) for PDF/A; when ``ocrmypdf`` or ``gs`` is missing, :func:`missing` says which, and
:func:`pipeline.pdf.text.extract` uses the older path (pdftoppm and tesseract per page) without a copy. An
encrypted PDF also takes the older path: OCRmyPDF refuses encrypted files.
"""
from __future__ import annotations

import importlib.util
import logging
import math
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Callable

from ..errors import PdfRejected
from ..workspace import Workspace
from .reader import ExtractLimits
from .sandbox import ChildLimits, run_limited

FOLDER = "searchable"             # below the workspace's index/
PACKAGES = "the PyPI package ocrmypdf and the Debian package ghostscript"
SKIPPED_RUN = re.compile(r"^\[OCR skipped on page\(s\) (\d+)(?:-(\d+))?\]$")   # the sidecar's pages not read
STARTUP_SECONDS = 60.0            # OCRmyPDF's own work around the pages: checks, PDF/A, the sidecar


def missing() -> str | None:
    """Why OCRmyPDF cannot run here (a sentence naming what to install), or None when it can."""
    absent = [name for name, found in (("ocrmypdf", importlib.util.find_spec("ocrmypdf") is not None),
                                       ("Ghostscript (gs)", shutil.which("gs") is not None),
                                       ("tesseract", shutil.which("tesseract") is not None)) if not found]
    if not absent:
        return None
    return (f"OCR through OCRmyPDF needs {' and '.join(absent)} (install {PACKAGES}); the scans are read by "
            f"tesseract page by page, without a searchable PDF/A copy")


def copy_path(ws: Workspace, sha256: str) -> Path:
    """Where the searchable copy of the original with this SHA-256 is kept (it may not exist)."""
    return ws.index / FOLDER / f"{sha256}.pdf"


def ocr_with_ocrmypdf(path: Path, indexes: list[int], redo_text: bool, limits: ExtractLimits, target: Path,
                      progress: Callable[[int, int], None] | None = None) -> dict[int, str]:
    """OCR the pages at ``indexes`` (0-based) of ``path`` with OCRmyPDF, writing the searchable PDF/A copy to
    ``target``; {index: text}. ``redo_text``: some of those pages have a (weak) text layer, which OCRmyPDF
    must replace rather than refuse. Raise PdfRejected when OCRmyPDF fails or takes too long (the caller falls
    back on the older path)."""
    seconds = STARTUP_SECONDS + limits.ocr_seconds_per_page * math.ceil(len(indexes) / max(1, limits.ocr_workers))
    child_limits = ChildLimits(seconds=seconds, memory_bytes=limits.memory_bytes * 2)
    reporter = (lambda message: progress(*message)) if progress else None
    pages = run_limited(_ocr_in_child, (str(path), [index + 1 for index in indexes], redo_text, limits,
                                        str(target)), child_limits, "OCR (OCRmyPDF)", path, reporter)
    return {index: pages.get(index + 1, "") for index in indexes}


def _ocr_in_child(path: str, numbers: list[int], redo_text: bool, limits: ExtractLimits, target: str) -> dict:
    """Runs in the sandbox's child: OCRmyPDF on the pages ``numbers`` (1-based); {number: text}."""
    import ocrmypdf

    # tesseract's OpenMP threads measured 5 times slower on 2 shared cores; parallelism comes from pages
    os.environ["OMP_THREAD_LIMIT"] = "1"
    logging.getLogger("ocrmypdf").setLevel(logging.CRITICAL)      # failures come back as exceptions
    with tempfile.TemporaryDirectory(prefix="taskforce-ocrmypdf-") as folder:
        sidecar = Path(folder) / "text.txt"
        output = Path(folder) / "searchable.pdf"
        try:
            ocrmypdf.ocr(path, output, language=limits.ocr_languages.split("+"), sidecar=sidecar,
                         pages=",".join(map(str, numbers)), output_type="pdfa", jobs=max(1, limits.ocr_workers),
                         use_threads=True, force_ocr=redo_text, optimize=0, progress_bar=True,
                         # read at least at ocr_dpi, as the older path renders: at a 200 dpi scan's own
                         # resolution tesseract misread the footers' reference codes (TF1 as TFI), and the
                         # comparison with the draft found a paragraph more
                         oversample=limits.ocr_dpi,
                         tesseract_timeout=limits.ocr_seconds_per_page,
                         plugins=[f"{__package__}.ocrmypdf_progress"])
        except ocrmypdf.exceptions.ExitCodeException as err:
            said = " ".join(str(err).split())
            raise PdfRejected(f"OCRmyPDF failed: {type(err).__name__}: {said[:200]}") from None
        texts = sidecar_pages(sidecar.read_text(encoding="utf-8", errors="replace"))
        shutil.move(output, target)
    return {number: texts.get(number, "") for number in numbers}


def sidecar_pages(text: str) -> dict[int, str]:
    """{page number: text} of OCRmyPDF's sidecar: pages separated by form feeds, a run of pages it did not
    read written as one "[OCR skipped on page(s) 2-5]"."""
    pages, number = {}, 1
    for chunk in text.split("\f"):
        skipped = SKIPPED_RUN.match(chunk.strip())
        if skipped:
            number = int(skipped[2] or skipped[1]) + 1
            continue
        pages[number] = chunk.strip()
        number += 1
    return pages

