"""The archive's use cases, one library call each: what ``taskforce ingest`` and ``taskforce archive
edit|verify|export`` do, and what the demo and any other caller do the same way.

Each call does the whole job: an ingest plans the batch, archives every file and brings the search index up
to date; an edit writes the revision and re-indexes the document. Every change of the archive reaches the
index the same way: the change runs inside :func:`archive_changes`, says which documents it committed, and
the index is updated for them once the change is over, whether it ended well or stopped half-way. The search
index is derived data: when its update fails, the archive entry stands and the report says so
(``index_error``), with the repair to run.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from ..archive.batch import plan_batch
from ..archive.fixity import FixityReport
from ..archive.intake import Outcome
from ..archive.layout import ORIGINAL
from ..archive.metadata import Given, resolve_metadata
from ..archive.proposals import Proposals, propose_metadata
from ..archive.record import DocumentRecord
from ..archive import succession
from ..archive.store import Archive
from ..compare.comparison import Comparison, compare_signed, verdict
from ..compare.draftcheck import check_text
from ..compare.recompare import Recomparison, compare_again
from ..errors import Finding, NotFoundError, PdfRejected, TaskforceError, ToolMissingError
from ..pdf import searchable
from ..pdf.sandbox import usable_cpus
from ..pdf.text import ExtractLimits, extract
from ..sessions.fields import safe_name
from .. import index   # the module, so that a test can replace index.update_documents
from ..sessions.registry import readable_sessions
from ..workspace import Workspace
from .learning import drafts_of

OUTCOMES = ("archived", "duplicate", "rejected")
INDEX_ADVICE = "run 'taskforce index rebuild'"


@dataclass
class IngestReport:
    """What became of every file of a batch, in order, and what the caller should be told."""

    outcomes: list[Outcome] = field(default_factory=list)
    index_error: str | None = None     # the index update failed: the whole message, with the repair
    warnings: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)   # files inside the folders given that are no PDF

    @property
    def summary(self) -> dict[str, int]:
        return {kind: sum(1 for outcome in self.outcomes if outcome.outcome == kind) for kind in OUTCOMES}

    @property
    def rejected(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.outcome == "rejected"]

    @property
    def archived_ids(self) -> list[str]:
        return [outcome.doc_id for outcome in self.outcomes if outcome.outcome == "archived"]

    def as_dict(self) -> dict:
        return {"summary": self.summary, "files": [outcome.as_dict() for outcome in self.outcomes],
                "index_error": self.index_error, "warnings": self.warnings, "skipped": self.skipped}


@dataclass
class EditReport:
    record: DocumentRecord             # the newest revision
    changed: list[str]                 # the fields that changed; empty when nothing did
    index_error: str | None = None

    def as_dict(self) -> dict:
        return {"doc_id": self.record.doc_id, "revision": self.record.revision, "changed": self.changed,
                "index_error": self.index_error}


# on_each(outcome, done, total): called after each file (done counts from 1), e.g. to draw a progress bar
OnEach = Callable[[Outcome, int, int], None]
# on_progress(file name, pages done, pages to OCR): the OCR of a scan, page by page
OnProgress = Callable[[str, int, int], None]


@dataclass
class ArchiveChanges:
    """The documents a change of the archive committed, and what became of the index's update after it."""

    doc_ids: list[str] = field(default_factory=list)
    index_error: str | None = None

    def committed(self, doc_id: str) -> None:
        if doc_id not in self.doc_ids:
            self.doc_ids.append(doc_id)


@contextlib.contextmanager
def archive_changes(ws: Workspace) -> Iterator[ArchiveChanges]:
    """The after-commit hook of every change of the archive: the body commits documents (an ingest, a metadata
    revision, a re-comparison) and names each with ``changes.committed(doc_id)``; afterwards the index is
    brought up to date with them, also when the body stopped on an error (what was committed before it is
    indexed, and the error goes on). ``changes.index_error`` then says whether the index's update failed."""
    changes = ArchiveChanges()
    try:
        yield changes
    finally:
        changes.index_error = update_index(ws, changes.doc_ids)


def ingest(ws: Workspace, paths, options: Given, manifest: Path | None = None, quarantine: Path | None = None,
           limits: ExtractLimits | None = None, on_each: OnEach | None = None,
           jobs: int | None = None, on_progress: OnProgress | None = None, names: dict | None = None) -> IngestReport:
    """Archive the files at ``paths`` (folders walked) and those of the ``manifest`` CSV, with the metadata
    ``options``; copy rejected files into ``quarantine``; then update the search index. ``names`` {path: name}
    records another name than the file's own (the browser's intake stages uploads under generated names). ``jobs`` files are
    prepared at once (default: the usable CPUs); they are committed in the input's order, so the ids are the
    same whatever ``jobs`` is. ``on_progress(file name, pages done, pages to OCR)`` follows each scan's OCR
    (from the threads preparing the files).

    Every file is processed whatever happens to the others. Raise NotFoundError when there is no file at
    all to ingest. When the batch stops on a StorageError (the archive cannot be written), what was archived
    before is indexed, and the error propagates."""
    ws.require()
    skipped: list[Path] = []
    items, early = plan_batch(paths, options, manifest, skipped, names)
    if not items and not early:
        where = ", ".join(str(path) for path in paths) or str(manifest)
        raise NotFoundError(f"no PDF files found in {where}" + (f" ({len(skipped)} other file(s) left out)"
                                                                if skipped else ""))
    report = IngestReport(skipped=[str(path) for path in skipped])
    total = len(early) + len(items)
    known_sessions = {session.number for session in readable_sessions(ws)}

    def done(outcome: Outcome) -> None:
        report.outcomes.append(outcome)
        session = outcome.details.get("session")
        if outcome.outcome == "archived" and session not in known_sessions:
            notice = TaskforceError("ingest.unregistered_session", doc_id=outcome.doc_id, file=outcome.file,
                                    session=session, field="session")
            outcome.notices.append(notice)
            outcome.details.setdefault("warnings", []).append(str(notice))
            report.warnings.append(str(notice))
        if on_each:
            on_each(outcome, len(report.outcomes), total)

    # a batch stopped half-way (the archive cannot be written): what was archived before still gets indexed
    with archive_changes(ws) as changes, Archive(ws.require(), limits or ExtractLimits(), check_text,
                                                   on_progress) as store:
        for path, reason in early:
            done(store.reject_early(path, reason, quarantine))
        store.ingest(items, quarantine, lambda outcome: _committed(changes, outcome) or done(outcome),
                     jobs or usable_cpus())
    report.index_error = changes.index_error
    return report


def _committed(changes: ArchiveChanges, outcome: Outcome) -> None:
    if outcome.outcome == "archived":
        changes.committed(outcome.doc_id)


def list_documents(ws: Workspace, session: int | None = None, doc_type: str | None = None,
                   differs: bool = False) -> tuple[list[DocumentRecord], list[Finding]]:
    """The newest metadata of every archived document (of ``session``, of type ``doc_type``; with
    ``differs``, only those whose signed text differs from their approved draft), and a finding for each
    sidecar that cannot be read."""
    records, problems = Archive(ws.require()).records()
    chosen = [record for record in records
              if (session is None or record.session == session) and (doc_type is None or record.type == doc_type)
              and (not differs or record.draft_comparison and not record.draft_comparison.get("identical"))]
    return chosen, problems


def compare_document(ws: Workspace, doc_id: str, version: int | None = None) -> Comparison:
    """The archived signed text of ``doc_id`` against a version of its draft (the newest final one unless
    ``version``): nothing is written, the original and its sidecar stay as they are."""
    store = Archive(ws.require())
    record = store.record(doc_id)
    if not record.reference:
        raise NotFoundError("compare.no_reference", doc_id=record.doc_id, field="reference")
    return compare_signed(ws, store.page_texts(record.doc_id), record.page_sources, record.reference, version)


def recompare_document(ws: Workspace, doc_id: str) -> Recomparison:
    """Compare the signed text of ``doc_id`` with its draft as the drafts register is now (the newest final
    version, else the newest) and record it: a 'draft comparison' event always, a new metadata revision with
    the new ``draft_comparison`` when the result changed (then the document is re-indexed). What
    ``compare_document`` (``archive diff``) never does: it only reads."""
    with archive_changes(ws) as changes:
        result = compare_again(Archive(ws.require()), doc_id)
        if result.changed:
            changes.committed(result.record.doc_id)
    result.index_error = changes.index_error
    return result


def document_details(ws: Workspace, doc_id: str) -> dict:
    """Every metadata field of ``doc_id`` (newest revision), the path of its original, its revisions and its
    events."""
    store = Archive(ws.require())
    folder = store.folder_of(doc_id)
    data = store.record(doc_id).as_dict()
    data["file"] = str(folder / ORIGINAL)
    data["draft"] = verdict(data.get("draft_comparison"))
    data["revisions"] = store.revisions(folder)
    data["events"] = [{key: event.get(key) for key in ("time", "type", "agent", "outcome", "detail")}
                      for event in store.events(doc_id)]
    return data


def edit_metadata(ws: Workspace, doc_id: str, changes: Given) -> EditReport:
    """Write a new metadata revision of ``doc_id`` with the fields given in ``changes`` and re-index it; the
    PDF and the older revisions stay as they are."""
    with archive_changes(ws) as committed:
        record, changed = Archive(ws.require()).edit(doc_id, changes.metadata_fields())
        if changed:
            committed.committed(record.doc_id)
    return EditReport(record, changed, committed.index_error)


def searchable_copy(ws: Workspace, doc_id: str, limits: ExtractLimits | None = None) -> Path:
    """The searchable PDF/A copy of the scan ``doc_id`` (derived data, index/searchable/), made again from the
    archived original with OCRmyPDF when it is missing. NotFoundError for a document with no page read by OCR
    (it has no copy: its own text layer is searchable); ToolMissingError when OCRmyPDF cannot run here."""
    store = Archive(ws.require())
    record = store.record(doc_id)
    scanned = [index for index, source in enumerate(record.page_sources) if source == "ocr"]
    if not scanned:
        raise NotFoundError(f"{record.doc_id} has no searchable copy: no page of it was read by OCR")
    target = searchable.copy_path(ws, record.sha256)
    if target.is_file():
        return target
    reason = searchable.missing()
    if reason:
        raise ToolMissingError(reason)
    target.parent.mkdir(parents=True, exist_ok=True)
    made = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        searchable.ocr_with_ocrmypdf(store.folder_of(record.doc_id) / ORIGINAL, scanned, True,
                                     limits or ExtractLimits(), made)
        os.replace(made, target)
    finally:
        made.unlink(missing_ok=True)
    return target


def verify(ws: Workspace) -> FixityReport:
    """The fixity check of the whole archive (logged as an event)."""
    return Archive(ws.require()).verify()


def export(ws: Workspace, destination: Path, session: int | None = None) -> dict:
    """Export the documents (of ``session``, or all) as a validated BagIt bag in the new folder
    ``destination``: {"bag", "documents", "files", "doc_ids"}."""
    return Archive(ws.require()).export(Path(destination), session)


def update_index(ws: Workspace, doc_ids: list[str]) -> str | None:
    """Bring the search index up to date with these documents; None, or the message saying that it failed.
    The index is derived data: its failure must not undo or hide the archiving."""
    if not doc_ids:
        return None
    try:
        index.update_documents(ws, doc_ids, drafts_of(ws))      # the term tables learn from the drafts
    except Exception as err:   # any failure of the derived index: the archive entry stands, 'index rebuild' repairs
        reason = getattr(err, "strerror", None) or str(err) or type(err).__name__
        return f"archived, but the search index was not updated ({reason}); {INDEX_ADVICE}"
    return None


# --- withdraw and supersede (issue 24) -----------------------------------------------------------------------

@dataclass
class SuccessionReport:
    """The newest records a withdrawal or a supersession wrote, and what became of the index's update."""

    records: list[DocumentRecord]
    index_error: str | None = None

    def as_dict(self) -> dict:
        return {"documents": [{"doc_id": r.doc_id, "revision": r.revision, "withdrawn": r.withdrawn,
                               "superseded_by": r.superseded_by, "supersedes": r.supersedes} for r in self.records],
                "index_error": self.index_error}


def withdraw(ws: Workspace, doc_id: str, reason: str, actor: str | None = None) -> SuccessionReport:
    """Take ``doc_id`` out of view, saying why: a metadata revision and a withdrawal event (by ``actor``, or
    the OS user), the PDF untouched. Re-indexed: it leaves the public index and the suggestions; staff still
    find it, marked."""
    with archive_changes(ws) as changes:
        record = succession.withdraw(Archive(ws.require()), doc_id, reason, actor)
        changes.committed(record.doc_id)
    return SuccessionReport([record], changes.index_error)


def supersede(ws: Workspace, old_id: str, new_id: str, actor: str | None = None) -> SuccessionReport:
    """Record that ``new_id`` replaces ``old_id``: a revision of each, linking both ways, and a supersession
    event each; the PDFs untouched. Both are re-indexed."""
    with archive_changes(ws) as changes:
        old, new = succession.supersede(Archive(ws.require()), old_id, new_id, actor)
        changes.committed(old.doc_id)
        changes.committed(new.doc_id)
    return SuccessionReport([old, new], changes.index_error)


# --- proposals without archiving (ingest --dry-run) -------------------------------------------------------

@dataclass
class FileProposal:
    """What the ingest would make of one file, without archiving it: the metadata read from its text, what
    it would archive (``values`` and ``sources``) or why it would reject it (``problem``), the archived
    document it duplicates, and those with its reference (which it may supersede)."""

    file: str
    proposals: Proposals | None = None
    values: dict = field(default_factory=dict)
    sources: dict = field(default_factory=dict)
    problem: TaskforceError | None = None
    duplicate_of: str | None = None
    same_reference: list[str] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        return "duplicate" if self.duplicate_of else "rejected" if self.problem else "archivable"

    def as_dict(self) -> dict:
        values = {name: value.isoformat() if hasattr(value, "isoformat") else value
                  for name, value in self.values.items()}
        return {"file": self.file, "outcome": self.outcome, "values": values, "sources": dict(self.sources),
                "proposals": self.proposals.as_dict() if self.proposals else None,
                "reason": str(self.problem.reason if isinstance(self.problem, PdfRejected) else self.problem)
                if self.problem else None,
                "duplicate_of": self.duplicate_of, "same_reference": self.same_reference}


def propose(ws: Workspace, paths, options: Given, manifest: Path | None = None,
            limits: ExtractLimits | None = None) -> list[FileProposal]:
    """Read each file as the ingest would (its text, OCR, its metadata resolved with ``options`` and the
    ``manifest``) and say what it would archive, reject or find a duplicate of; nothing is written."""
    ws.require()
    skipped: list[Path] = []
    items, early = plan_batch(paths, options, manifest, skipped)
    if not items and not early:
        raise NotFoundError(f"no PDF files found in {', '.join(str(path) for path in paths) or manifest}")
    store = Archive(ws.require(), limits or ExtractLimits())
    found = [FileProposal(str(label if path is None else path), problem=PdfRejected(reason))
             for path, label, reason in early]
    for item in items:
        found.append(_propose_file(ws, store, item, limits or ExtractLimits()))
    return found


def _propose_file(ws: Workspace, store: Archive, item, limits: ExtractLimits) -> FileProposal:
    result = FileProposal(safe_name(item.path))
    try:
        with open(item.path, "rb") as source:
            result.duplicate_of = store.duplicate_of(hashlib.file_digest(source, "sha256").hexdigest())
        password = next((given.password for given, _ in item.layers if given.password), None)
        content = extract(item.path, password, limits)
        result.proposals = propose_metadata(ws, content.pages, content.page_sources)
        resolved = resolve_metadata(item.layers, content, ws, safe_name(item.path.name))
        result.values, result.sources = resolved.values, resolved.sources
        result.same_reference = store.archived_with_reference(resolved.values.get("reference"))
    except OSError as err:
        result.problem = PdfRejected(f"cannot read it: {err.strerror or err}")
    except (PdfRejected, ToolMissingError) as err:
        result.problem = err
    return result
