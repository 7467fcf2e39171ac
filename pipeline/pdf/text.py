"""Text, metadata and languages of an untrusted PDF, with OCR for pages that have no usable text layer.

Every file is checked before anything trusts it: ``%PDF-`` near the start, ``%%EOF`` near the end, size and
page limits, and pypdf must open it (the empty user password is tried, then the one given). A file that
fails raises :class:`PdfRejected` with the reason.

pypdf runs in a child process with a wall-clock, memory and CPU limit (:mod:`pipeline.sandbox`): a hostile
PDF can make a parser loop or eat memory, and the caller must reject it rather than wait.

A page whose text layer has fewer than ``min_chars`` characters, or a share of letters below
``min_letter_share`` (garbage from a broken font encoding), and that draws an image (a scan), is rendered
with poppler's ``pdftoppm`` and read with ``tesseract``; pages are spread over ``ocr_workers`` concurrent
runs, each tesseract single-threaded, and the whole process runs at most one per usable CPU (``OCR_SLOTS``),
however many files are extracted at once. OCR is on by default (``ExtractLimits.ocr``); it needs the programs only when some page
needs it, and then their absence is a :class:`ToolMissingError` naming the Debian packages. With
``ocr=False`` such pages keep whatever text layer they have.
"""
from __future__ import annotations

import concurrent.futures
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from ..errors import PdfRejected, ToolMissingError
from .pagesize import oversize_warning, oversized
from .reader import ExtractLimits, check_bytes, find_signature_fields, open_pdf, rejecting_unreadable
from . import searchable
from .sandbox import ChildLimits, run_limited, usable_cpus

__all__ = ["ExtractLimits", "OcrFailed", "PdfContent", "check_bytes", "combined_source", "detect_languages",
           "extract", "is_weak_text", "may_hold_image", "ocr_page", "ocr_pages", "read_text_layer"]

OCR_PACKAGES = "poppler-utils, tesseract-ocr, tesseract-ocr-ita, tesseract-ocr-rus"
# OCR runs (pdftoppm then tesseract) of this process at a time, whatever number of files are being extracted at
# once: a batch prepared by several workers, each with its pool of ``ocr_workers`` pages, must not start more
# recognisers than there are CPUs (each is single-threaded, see ocr_page)
OCR_SLOTS = threading.BoundedSemaphore(usable_cpus())


@dataclass
class PdfContent:
    """What :func:`extract` found. ``pages[i]`` is the text of page i+1, ``page_sources[i]`` how it was
    obtained: "text" (text layer), "ocr" or "none" (no text at all)."""

    pages: list[str]
    page_sources: list[str]
    text_source: str  # "text" | "ocr" | "mixed" | "none"
    page_count: int
    pdf_metadata: dict
    encrypted: bool
    languages: list[str]
    signature_fields: list[dict] = field(default_factory=list)  # [{"field", "kind"}]: worth inspecting
    warnings: list[str] = field(default_factory=list)
    searchable: bool = False     # OCRmyPDF's searchable PDF/A copy was written where extract was asked to

    @property
    def text(self) -> str:
        return "\n\f".join(self.pages)

    def as_dict(self) -> dict:
        return asdict(self)


# progress(pages done, pages to OCR): called as OCR starts (0 done) and after each page, e.g. for a progress line
OcrProgress = Callable[[int, int], None]


def extract(path, password: str | None = None, limits: ExtractLimits = ExtractLimits(),
            progress: OcrProgress | None = None, searchable_to: Path | None = None) -> PdfContent:
    """Check ``path`` and return its text per page, metadata and languages; raise :class:`PdfRejected`
    when it is not an acceptable PDF, :class:`ToolMissingError` when a page needs OCR and the programs
    are missing. When OCRmyPDF read the scanned pages, its searchable PDF/A copy is written to
    ``searchable_to`` (when given) and ``PdfContent.searchable`` is True."""
    path = Path(path)
    check_bytes(path, limits)
    layer = _read_text_layer_limited(path, password, limits)
    pages = layer["pages"]
    sources = ["text" if text.strip() else "none" for text in pages]
    warnings = list(layer["warnings"])
    weak = [index for index, text in enumerate(pages)
            if is_weak_text(text, limits) and (layer["has_image"][index] or limits.ocr_pages_without_images)]
    searchable_made = False
    if weak and limits.ocr:
        if limits.ocr_engine == "ocrmypdf" and not layer["encrypted"]:
            searchable_made = _ocr_through_ocrmypdf(path, weak, pages, sources, warnings, limits, progress,
                                                    searchable_to)
        if not searchable_made:
            ocr_pages(path, weak, pages, sources, warnings, layer["password_used"], limits, progress)
    return PdfContent(
        pages=pages,
        page_sources=sources,
        text_source=combined_source(sources),
        page_count=layer["page_count"],
        pdf_metadata=layer["metadata"],
        encrypted=layer["encrypted"],
        languages=detect_languages("\n".join(pages)),
        signature_fields=layer["signature_fields"],
        warnings=warnings,
        searchable=searchable_made and searchable_to is not None,
    )


def is_weak_text(text: str, limits: ExtractLimits) -> bool:
    """True when a page's text layer is too short or mostly non-letters, so OCR should read it."""
    visible = [char for char in text if not char.isspace()]
    if len(visible) < limits.min_chars:
        return True
    letters = sum(1 for char in visible if char.isalpha())
    return letters / len(visible) < limits.min_letter_share


def combined_source(sources: list[str]) -> str:
    kinds = {source for source in sources if source != "none"}
    if not kinds:
        return "none"
    return kinds.pop() if len(kinds) == 1 else "mixed"


def detect_languages(text: str, min_letters: int = 20, min_share: float = 0.2) -> list[str]:
    """["it"], ["ru"], ["it", "ru"] or []: a script counts when it has at least ``min_letters`` letters
    and ``min_share`` of all letters. The archive holds only Italian and Russian documents, so Latin
    letters stand for Italian and Cyrillic for Russian."""
    latin = cyrillic = 0
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "")
            if name.startswith("LATIN"):
                latin += 1
            elif name.startswith("CYRILLIC"):
                cyrillic += 1
    total = latin + cyrillic
    found = []
    for code, count in (("it", latin), ("ru", cyrillic)):
        if count >= min_letters and count / total >= min_share:
            found.append(code)
    return found


# --- the text layer, in a child process -----------------------------------------------------------------

def _read_text_layer_limited(path: Path, password: str | None, limits: ExtractLimits) -> dict:
    child_limits = ChildLimits(seconds=limits.seconds_per_file, memory_bytes=limits.memory_bytes)
    return run_limited(read_text_layer, (str(path), password, limits), child_limits, "text extraction", path)


def read_text_layer(path: str, password: str | None, limits: ExtractLimits) -> dict:
    """Open the PDF with pypdf and return its pages' text and metadata (runs in the child process)."""
    with rejecting_unreadable():
        reader, password_used = open_pdf(path, password)
        page_count = len(reader.pages)
        signature_fields = find_signature_fields(reader)
    if page_count == 0:
        raise PdfRejected("the PDF has no pages")
    if page_count > limits.max_pages:
        raise PdfRejected(f"too many pages: {page_count}, the limit is {limits.max_pages}")
    pages, has_image, warnings = [], [], []
    for number, page in enumerate(reader.pages, start=1):
        try:
            pages.append(page.extract_text() or "")
        except MemoryError:
            raise
        except Exception as err:  # one bad content stream must not lose the other pages
            pages.append("")
            warnings.append(f"page {number}: text layer unreadable ({type(err).__name__}: {err})")
        # only weak pages can go to OCR, so only they are looked at
        has_image.append(is_weak_text(pages[-1], limits) and may_hold_image(page))
        size = page_size(page)
        if size and oversized(*size):
            warnings.append(oversize_warning(number, *size))
    return {"pages": pages, "has_image": has_image, "page_count": page_count, "encrypted": reader.is_encrypted,
            "password_used": password_used, "metadata": _metadata(reader), "warnings": warnings,
            "signature_fields": signature_fields}


def page_size(page) -> tuple[float, float] | None:
    """The page's size in points as shown (its media box times its user unit), or None when unreadable."""
    try:
        unit = float(page.get("/UserUnit", 1) or 1)
        box = page.mediabox
        return abs(float(box.width)) * unit, abs(float(box.height)) * unit
    except Exception:  # noqa: BLE001 - a hostile page's box may be anything; the size is only for a warning
        return None


INLINE_IMAGE = re.compile(rb"(?:^|\s)BI\s")


def may_hold_image(page) -> bool:
    """True when the page draws an XObject (an image, or a form that may hold one) or an inline image,
    or when that cannot be told: then OCR decides."""
    try:
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else {}
        xobjects = resources.get("/XObject")
        if xobjects is not None and len(xobjects.get_object()) > 0:
            return True
        contents = page.get_contents()
        return contents is not None and INLINE_IMAGE.search(contents.get_data()) is not None
    except MemoryError:
        raise
    except Exception:
        return True


METADATA_FIELDS = {"title": "/Title", "author": "/Author", "subject": "/Subject", "keywords": "/Keywords",
                   "creator": "/Creator", "producer": "/Producer"}


def _metadata(reader) -> dict:
    """The document information dictionary as plain JSON: strings, dates as ISO 8601, absent keys left out."""
    try:
        info = reader.metadata
    except Exception:  # a broken /Info must not reject an otherwise readable file
        return {}
    if info is None:
        return {}
    found = {}
    for name, key in METADATA_FIELDS.items():
        value = info.get(key)
        if value is not None:
            text = " ".join(str(value).split())    # the no-break spaces that keep a keyword whole, line breaks
            if text:
                found[name] = text
    for name, attribute in (("creation_date", "creation_date"), ("modification_date", "modification_date")):
        try:
            value = getattr(info, attribute)
        except Exception:  # a date pypdf cannot parse is dropped, not fatal
            value = None
        if value is not None:
            found[name] = value.isoformat()
    return found


# --- OCR ------------------------------------------------------------------------------------------------

def ocr_fallback_reason() -> str | None:
    """Why the scans are read by the older path (tesseract page by page) rather than OCRmyPDF: None when
    OCRmyPDF can run; said once by the command that ingests."""
    return searchable.missing()


def _ocr_through_ocrmypdf(path: Path, indexes: list[int], pages: list[str], sources: list[str],
                          warnings: list[str], limits: ExtractLimits, progress: OcrProgress | None,
                          target: Path | None) -> bool:
    """OCR the pages at ``indexes`` with OCRmyPDF (in place, as :func:`ocr_pages` does), its copy written to
    ``target`` (or dropped). False when OCRmyPDF is not installed or failed: the caller takes the older path."""
    if searchable.missing():
        return False
    with tempfile.TemporaryDirectory(prefix="taskforce-searchable-") as folder:
        output = target or Path(folder) / "searchable.pdf"
        try:
            texts = searchable.ocr_with_ocrmypdf(path, indexes, any(pages[index].strip() for index in indexes),
                                                 limits, output, progress)
        except PdfRejected as err:
            Path(output).unlink(missing_ok=True)
            warnings.append(f"{err.reason}; the scanned pages were read by tesseract alone")
            return False
    for index, text in texts.items():
        if _letters(text) > _letters(pages[index]):
            pages[index] = text
            sources[index] = "ocr"
    return True


def require_ocr_tools() -> tuple[str, str]:
    pdftoppm, tesseract = shutil.which("pdftoppm"), shutil.which("tesseract")
    missing = [name for name, found in (("pdftoppm", pdftoppm), ("tesseract", tesseract)) if found is None]
    if missing:
        raise ToolMissingError(f"OCR needs {' and '.join(missing)}: install the Debian packages {OCR_PACKAGES}")
    return pdftoppm, tesseract


def ocr_pages(path: Path, indexes: list[int], pages: list[str], sources: list[str], warnings: list[str],
              password: str | None, limits: ExtractLimits, progress: OcrProgress | None = None) -> None:
    """OCR the pages at ``indexes`` (0-based) in place, ``limits.ocr_workers`` at a time. OCR text replaces
    the text layer when it has more letters; a page whose OCR fails or times out keeps its text layer and
    gets a warning."""
    tools = require_ocr_tools()
    failures = {}
    progress = progress or (lambda done, total: None)
    progress(0, len(indexes))
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, limits.ocr_workers)) as pool:
        futures = {pool.submit(ocr_page, path, index + 1, password, limits, tools): index for index in indexes}
        for done, future in enumerate(concurrent.futures.as_completed(futures), start=1):
            progress(done, len(indexes))
            index = futures[future]
            try:
                text = future.result()
            except OcrFailed as err:
                failures[index] = f"page {index + 1}: {err}"
                continue
            if _letters(text) > _letters(pages[index]):
                pages[index] = text
                sources[index] = "ocr"
    warnings.extend(failures[index] for index in sorted(failures))


class OcrFailed(Exception):
    """One page could not be OCRed; the caller records it as a warning."""


def ocr_page(path: Path, number: int, password: str | None, limits: ExtractLimits,
             tools: tuple[str, str] | None = None) -> str:
    """Render page ``number`` (1-based) in gray at ``limits.ocr_dpi`` and return tesseract's text; both
    steps together get ``limits.ocr_seconds_per_page``."""
    pdftoppm, tesseract = tools or require_ocr_tools()
    with OCR_SLOTS:
        return _ocr_page(path, number, password, limits, pdftoppm, tesseract)


def _ocr_page(path: Path, number: int, password: str | None, limits: ExtractLimits, pdftoppm: str,
              tesseract: str) -> str:
    deadline = time.monotonic() + limits.ocr_seconds_per_page
    with tempfile.TemporaryDirectory(prefix="taskforce-ocr-") as folder:
        prefix = Path(folder) / "page"
        render = [pdftoppm, "-r", str(limits.ocr_dpi), "-gray", "-png", "-f", str(number), "-l", str(number),
                  "-singlefile"]
        if password is not None:
            render += ["-upw", password]
        _run_tool(render + [str(path), str(prefix)], deadline, limits)
        image = prefix.with_suffix(".png")
        # tesseract's OpenMP threads measured 5 times slower on 2 shared cores; parallelism comes from pages
        environment = dict(os.environ, OMP_THREAD_LIMIT="1")
        result = _run_tool([tesseract, str(image), "stdout", "-l", limits.ocr_languages], deadline, limits,
                           env=environment)
    return result.stdout.decode("utf-8", errors="replace").strip()


def _run_tool(command: list[str], deadline: float, limits: ExtractLimits, env=None) -> subprocess.CompletedProcess:
    try:
        result = subprocess.run(command, capture_output=True, timeout=max(0.0, deadline - time.monotonic()),
                                env=env)
    except subprocess.TimeoutExpired:
        raise OcrFailed(f"OCR took longer than {limits.ocr_seconds_per_page:g} s; page left without OCR") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", errors="replace").strip().splitlines()
        detail = message[-1] if message else f"exit status {result.returncode}"
        raise OcrFailed(f"{Path(command[0]).name} failed: {detail}")
    return result


def _letters(text: str) -> int:
    return sum(1 for char in text if char.isalpha())
