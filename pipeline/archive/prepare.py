"""The work on one file before its commit, and that work for several files of a batch at once.

Preparing a file happens in its own folder inside the process's scratch folder and takes no lock: copy it in
hashing it on the way, refuse a known duplicate, extract the text (pypdf in a limited child, OCR), inspect the
signatures (pyHanko in a limited child), resolve the metadata, write the page texts and check the text (the
caller's ``check_text``: the comparison with the approved draft, a later stage, :mod:`pipeline.compare`). What comes out is a :class:`Prepared`: the record to commit, or the file's fate
decided already (a duplicate, a rejection). The commit (:meth:`pipeline.archive.store.Archive.ingest`) stays
serial, under the archive lock and in the batch's order, so that ids are given in the order of the input
whatever the number of workers.

:func:`prepared_in_order` runs the preparations on ``jobs`` threads: the heavy parts run in child processes
(the parsers, pdftoppm, tesseract) or in C with the GIL released (hashing, writing), so threads suffice and
share the archive's state (the known hashes, the scratch folder) without pickling. With ``jobs`` 1 each file
is prepared just before its commit, as a batch always was.
"""
from __future__ import annotations

import collections
import concurrent.futures
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..errors import PdfRejected
from ..fsutil import checkpoint
from ..pdf.signatures import inspect_signatures
from ..pdf.text import ExtractLimits, extract
from ..sessions.fields import safe_name
from ..workspace import Workspace
from .eventlog import DRAFT_COMPARISON
from .intake import Outcome, copy_in, write_text
from .layout import ORIGINAL
from .metadata import Given, resolve_metadata
from .record import DocumentRecord

AHEAD = 2   # files prepared ahead of the commit, per worker: the next ones are ready when a commit ends


@dataclass
class TextCheck:
    """What a check of the extracted text adds to the record: the comparison's summary for the sidecar,
    warnings, and the (outcome, detail) of a ``draft comparison`` event when it compared."""

    comparison: dict | None = None
    warnings: list[str] = field(default_factory=list)
    event: tuple[str, str] | None = None
    verdict: str | None = None                   # the comparison in one line, for the ingest's report


# check_text(ws, pages, page_sources, values, sources) -> TextCheck: ``values`` and ``sources`` are the
# resolved metadata and where each value came from
CheckText = Callable[[Workspace, list, list, dict, dict], TextCheck]


def no_text_check(ws: Workspace, pages: list, page_sources: list, values: dict, sources: dict) -> TextCheck:
    return TextCheck()


@dataclass
class Prepared:
    """One file ready to commit (``record``), or whose fate is decided before the commit (``outcome``:
    a duplicate of an archived document, a rejection)."""

    source: Path
    work: Path
    record: DocumentRecord | None = None
    text_hashes: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    outcome: Outcome | None = None
    verdict: str | None = None          # TextCheck.verdict


def prepare_file(ws: Workspace, limits: ExtractLimits, source: Path, layers: list[tuple[Given, str]], work: Path,
                 duplicate_of: Callable[[str], str | None], check_text: CheckText = no_text_check,
                 on_ocr: Callable[[str, int, int], None] | None = None, name: str | None = None) -> Prepared:
    """Every step of ingesting ``source`` that comes before the commit, in the new folder ``work``. Raise
    PdfRejected or ToolMissingError for a file to reject, OSError when the scratch folder cannot be written.
    ``on_ocr(file name, pages done, pages to OCR)`` follows the OCR of its scanned pages. ``name``: the file's
    name to record when it is not ``source``'s own (a browser's upload, staged under a generated name)."""
    filename = safe_name(name or source.name)
    password = next((given.password for given, _ in layers if given.password), None)
    work.mkdir()
    original = work / ORIGINAL
    sha256, size = copy_in(source, original, limits.max_bytes)
    checkpoint("copied")
    duplicate = duplicate_of(sha256)
    if duplicate:
        # a duplicate is said with the path given (the batch's line), or the uploaded name
        return Prepared(source, work, outcome=Outcome(safe_name(name) if name else safe_name(source), "duplicate",
                                                      doc_id=duplicate,
                                                      details={"sha256": sha256}))
    copy = searchable_beside(work)
    content = _extract(original, password, limits,
                       (lambda done, total: on_ocr(filename, done, total)) if on_ocr else None, copy)
    signatures = _signatures(original, ws, password, limits) if content.signature_fields else []
    checkpoint("extracted")
    resolved = resolve_metadata(layers, content, ws, filename)
    values = resolved.values
    text_hashes = write_text(work, content.pages)
    check = check_text(ws, content.pages, content.page_sources, values, resolved.sources)
    record = DocumentRecord(
        doc_id="", session=values["session"], type=values["type"], title=values["title"], sha256=sha256,
        size=size, filename=filename, reference=values.get("reference"),
        parties=values.get("parties", []), sectors=values.get("sectors", []),
        signed_on=values.get("signed_on"), place=values.get("place"), languages=values.get("languages", []),
        confidentiality=values["confidentiality"], pages=content.page_count,
        text_source=content.text_source, page_sources=content.page_sources, signatures=signatures,
        pdf_metadata=content.pdf_metadata, metadata_sources=resolved.sources, encrypted=content.encrypted,
        warnings=content.warnings + check.warnings, draft_comparison=check.comparison,
        bilingual=values.get("bilingual", {}))
    notes = list(resolved.notes) + ([(DRAFT_COMPARISON, check.event[1], check.event[0])] if check.event else [])
    return Prepared(source, work, record, text_hashes, notes, verdict=check.verdict)


def searchable_beside(work: Path) -> Path:
    """Where the preparation in ``work`` leaves OCRmyPDF's searchable copy: beside the folder, not in it (the
    folder becomes the document's folder at the commit, and the copy is derived data, kept outside the archive
    once the file is archived)."""
    return work.parent / f"{work.name}.searchable.pdf"


def _extract(original: Path, password: str | None, limits: ExtractLimits, progress=None, searchable_to=None):
    try:
        return extract(original, password, limits, progress, searchable_to)
    except PdfRejected as err:
        raise PdfRejected(err.args[0], **err.params) from None


def _signatures(original: Path, ws: Workspace, password: str | None, limits: ExtractLimits) -> list[dict]:
    try:
        return inspect_signatures(original, ws.trust_roots, password, limits)
    except PdfRejected as err:
        raise PdfRejected(f"signature validation: {err.reason}") from None


def prepared_in_order(prepare: Callable, items: Iterable, jobs: int) -> Iterator:
    """``prepare(item)`` for every item, yielded in the items' order, ``jobs`` items being prepared at a time
    (and at most ``AHEAD`` per worker waiting for the caller). An exception raised by ``prepare`` is raised
    here at that item's turn, after the items before it were yielded. Closing the generator (the caller
    stopped) cancels what has not started and waits for what has."""
    items = iter(items)
    if jobs <= 1:
        for item in items:
            yield prepare(item)
        return
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="ingest")
    try:
        pending = collections.deque(pool.submit(prepare, item) for item in itertools.islice(items, AHEAD * jobs))
        while pending:
            result = pending.popleft().result()
            pending.extend(pool.submit(prepare, item) for item in itertools.islice(items, 1))
            yield result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
