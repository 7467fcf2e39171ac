"""The write-once archive of signed PDFs: ingest, read, correct metadata, check fixity, export.

The layout on disk is described in :mod:`pipeline.archive.layout`.

Ingesting one file is a list of small steps (:meth:`Archive.ingest_file`): copy it into the scratch folder
hashing it on the way, refuse a duplicate, extract text and metadata, validate signatures, resolve the
metadata, write the text; then, under the lock, check for a duplicate again, take the next id, write the
sidecar, write the journal, rename the whole folder into place (the commit), append the events, remove the
journal. A crash before the rename leaves only scratch files, which the next run removes; a crash after it
leaves a journal from which the next run appends the missing events (:mod:`pipeline.archive.recovery`).
Either the whole entry exists, with its events, or nothing does.

The steps before the lock are :mod:`pipeline.archive.prepare`'s; a batch runs them for several files at once
(``jobs``) and commits the files one by one in its order.
"""
from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import json
import os
import threading
import uuid
from pathlib import Path

from . import eventlog
from ..errors import (ConflictError, NotFoundError, PdfRejected, StorageError, TaskforceError, ToolMissingError,
                      ValidationError)
from ..fsutil import atomic_write_bytes, checkpoint, fsync_dir, storage_error
from ..locks import held
from ..pdf.text import ExtractLimits
from ..sessions.fields import safe_name
from ..workspace import Workspace
from .bag import export_bag
from .batch import BatchItem
from .eventlog import EventLog, new_event, utc_now
from .fixity import FixityReport, check_archive
from .intake import Outcome, ingest_events
from .layout import (ID_PATTERN, JOURNAL_NAME, LOCK_NAME, ORIGINAL, READ_ONLY, SCRATCH, doc_id_of, remove_tree,
                     sidecar_bytes, sidecar_name)
from .metadata import Given
from .prepare import CheckText, Prepared, no_text_check, prepare_file, prepared_in_order, searchable_beside
from .derived import keep_searchable_copy
from .quarantine import quarantine_file
from .reading import ArchiveReader
from .record import DocumentRecord
from .recovery import clean_scratch, finish_interrupted

LOCK_TIMEOUT = 600.0  # seconds: a fixity check of a large archive holds the lock for minutes


class Archive(ArchiveReader):
    def __init__(self, ws: Workspace, limits: ExtractLimits = ExtractLimits(), check_text: CheckText = no_text_check,
                 on_ocr=None):
        """``check_text``: what ingest checks in a file's text before the commit (the use cases give the
        comparison with the approved draft, :func:`pipeline.compare.draftcheck.check_text`); ``on_ocr(file
        name, pages done, pages to OCR)`` follows the OCR of each file's scanned pages."""
        super().__init__(ws)
        self.limits = limits
        self.check_text = check_text
        self.on_ocr = on_ocr
        self.log = EventLog(self.root)
        self._known: dict[str, str] = {}  # doc_id -> sha256 of its original
        self._known_references: dict[str, str] = {}  # doc_id -> its reference code, for those that have one
        self._known_lock = threading.Lock()
        self._scratch: Path | None = None
        self._scratch_fd: int | None = None

    # --- locking, scratch space and recovery ---

    @contextlib.contextmanager
    def locked(self):
        """Hold the archive lock (at most one process changes the archive at a time) after finishing or
        undoing what a crashed process left."""
        with held(self.root / LOCK_NAME, LOCK_TIMEOUT, "changing or checking the archive"):
            try:
                self.recover()
                yield
            except OSError as err:
                raise storage_error(err, f"the archive {self.root}", "what was being written is discarded or "
                                    "completed by the next command that changes the archive",
                                    action="read or write") from None

    def recover(self) -> list[str]:
        """Finish or undo what a crashed process left (call with the lock held). Returns what was done."""
        return finish_interrupted(self.root, self.log) + clean_scratch(self.root, self._scratch)

    def scratch(self) -> Path:
        """This process's scratch folder inside the archive (same file system, so a rename commits)."""
        if self._scratch is None:
            with self.locked():
                folder = self.root / SCRATCH
                folder.mkdir(exist_ok=True)
                name = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
                fd = os.open(folder / f"{name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                (folder / name).mkdir()
                self._scratch, self._scratch_fd = folder / name, fd
        return self._scratch

    def close(self) -> None:
        if self._scratch is not None:
            remove_tree(self._scratch)
            (self._scratch.parent / (self._scratch.name + ".lock")).unlink(missing_ok=True)
            os.close(self._scratch_fd)
            self._scratch = self._scratch_fd = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- reading (ArchiveReader: document_folders, folder_of, revisions, record, records, page_texts) ---

    def events(self, doc_id: str | None = None) -> list[dict]:
        events = self.log.events()
        if doc_id is None:
            return events
        name = self.folder_of(doc_id).name
        return [event for event in events if event.get("object") == name]

    def _refresh_known(self) -> None:
        """Learn the hashes of documents committed since the last look (by this or another process)."""
        new = [folder for folder in self.document_folders() if folder.name not in self._known]
        if not new:
            return
        logged = None
        for folder in new:
            try:
                record = self.record(folder.name)
                self._known[folder.name] = record.sha256
                if record.reference:
                    self._known_references[folder.name] = record.reference
            except TaskforceError:
                if logged is None:  # a broken sidecar: the log still knows the original's hash
                    logged = {path: digest for event in self.log.events() for path, digest in
                              (event.get("files") or {}).items()}
                digest = logged.get(f"{folder.name}/{ORIGINAL}")
                if digest:
                    self._known[folder.name] = digest

    def duplicate_of(self, sha256: str) -> str | None:
        with self._known_lock:   # the workers preparing a batch ask while the commits add
            self._refresh_known()
            return next((doc_id for doc_id, digest in sorted(self._known.items()) if digest == sha256), None)

    def archived_with_reference(self, reference: str | None) -> list[str]:
        """The documents archived with this reference code (as they were first read by this process)."""
        if not reference:
            return []
        with self._known_lock:
            self._refresh_known()
            return sorted(doc_id for doc_id, known in self._known_references.items() if known == reference)

    # --- ingest ---

    def ingest_file(self, source: Path, layers: list[tuple[Given, str]]) -> Outcome:
        """Archive one file; every problem with the file is an Outcome "rejected", never an exception."""
        return self._finish(self._prepare(source, layers))

    def _prepare(self, source: Path, layers: list[tuple[Given, str]], name: str | None = None) -> Prepared:
        """The steps before the commit (:mod:`pipeline.archive.prepare`); a file to reject comes back with its
        outcome. Safe to run for several files at once: it takes no lock and writes only its own folder."""
        source = Path(source)
        work = self.scratch() / uuid.uuid4().hex
        try:
            return prepare_file(self.ws, self.limits, source, layers, work, self.duplicate_of,
                                self.check_text, self.on_ocr, name)
        except OSError as err:   # the archive cannot be written (reading the source is a rejection)
            remove_tree(work)
            raise self._not_stored(err, source) from None
        except (PdfRejected, ToolMissingError) as err:
            remove_tree(work)
            reason = err.reason if isinstance(err, PdfRejected) else err.message
            return Prepared(source, work, outcome=Outcome(safe_name(name or source), "rejected", reason=reason,
                                                          problem=err))

    def _finish(self, prepared: Prepared) -> Outcome:
        """Commit a prepared file, or log its rejection; then remove what is left of its scratch folder."""
        copy = searchable_beside(prepared.work)
        try:
            if prepared.outcome is None:
                outcome = self._commit(prepared.source, prepared.work, prepared.record, prepared.text_hashes,
                                       prepared.notes, prepared.verdict)
                if outcome.outcome == "archived" and copy.exists():
                    keep_searchable_copy(self.ws, copy, prepared.record.sha256)
                return outcome
            if prepared.outcome.outcome == "rejected":
                self._log_rejection(prepared.source, prepared.outcome.reason)
            return prepared.outcome
        except OSError as err:   # the lock file cannot be opened: nothing of this file was stored
            raise self._not_stored(err, prepared.source) from None
        finally:
            remove_tree(prepared.work)
            copy.unlink(missing_ok=True)

    def _not_stored(self, err: OSError, source: Path) -> StorageError:
        return storage_error(err, f"the archive {self.root} while ingesting {source}", "nothing of this file was "
                             "stored; free some space or fix the permissions and run the ingest again")

    def _commit(self, source: Path, work: Path, record: DocumentRecord, text_hashes: dict,
                notes: list[tuple[str, str]] = (), verdict: str | None = None) -> Outcome:
        with self.locked():
            checkpoint("locked")
            duplicate = self.duplicate_of(record.sha256)
            if duplicate:  # another process archived the same file meanwhile
                return Outcome(safe_name(source), "duplicate", doc_id=duplicate, details={"sha256": record.sha256})
            doc_id = self._next_id()
            record.doc_id, record.ingested_at = doc_id, utc_now()
            same_reference = self.archived_with_reference(record.reference)
            if same_reference:   # a different file (not a duplicate): another copy, or a wrong reference
                record.warnings = [*record.warnings, (
                    f"the reference {record.reference} is already archived as {', '.join(same_reference)}, from "
                    f"another file; if {doc_id} replaces it (a corrected or re-signed copy), mark it so with "
                    f"'taskforce archive supersede {same_reference[-1]} {doc_id}'; if {doc_id} is not the same "
                    f"document, correct its reference with 'taskforce archive edit {doc_id} --ref REF'")]
            data = sidecar_bytes(record)
            sidecar = sidecar_name(record.revision)
            try:
                atomic_write_bytes(work / sidecar, data, mode=READ_ONLY)
                os.chmod(work / ORIGINAL, READ_ONLY)
                fsync_dir(work)
                checkpoint("sidecar-written")
                files = {f"{doc_id}/{ORIGINAL}": record.sha256,
                         f"{doc_id}/{sidecar}": hashlib.sha256(data).hexdigest()}
                files.update({f"{doc_id}/{name}": digest for name, digest in text_hashes.items()})
                events = ingest_events(record, files, notes)
                atomic_write_bytes(self.root / JOURNAL_NAME, json.dumps(
                    {"requires": [f"{doc_id}/{sidecar}"], "events": events}, ensure_ascii=False).encode("utf-8"))
                checkpoint("journal-written")
                os.rename(work, self.root / doc_id)
            except OSError as err:
                raise self._not_stored(err, source) from None
            with self._known_lock:
                self._known[doc_id] = record.sha256
                if record.reference:
                    self._known_references[doc_id] = record.reference
            try:
                fsync_dir(self.root)
                checkpoint("renamed")
                self.log.append(events)
                checkpoint("head-written")
                (self.root / JOURNAL_NAME).unlink()
                fsync_dir(self.root)
            except (OSError, StorageError) as err:
                reason = err.message if isinstance(err, StorageError) else storage_error(err, "the archive").message
                raise StorageError(f"{source} was stored as {doc_id}, but its commit could not be finished "
                                   f"({reason}); the next taskforce command that changes the archive "
                                   f"finishes it from the journal") from None
        checkpoint("committed")
        return Outcome(safe_name(source), "archived", doc_id=doc_id, details={
            "sha256": record.sha256, "session": record.session, "type": record.type, "title": record.title,
            "pages": record.pages, "text_source": record.text_source, "signatures": len(record.signatures),
            "draft": verdict, "warnings": list(record.warnings)})

    def _next_id(self) -> str:
        numbers = [int(ID_PATTERN.match(folder.name)[1]) for folder in self.document_folders()]
        return doc_id_of(max(numbers, default=0) + 1)

    def _log_rejection(self, source: Path, reason: str) -> None:
        with self.locked():
            self.log.append([new_event(eventlog.INGESTION, None, "failure", f"{safe_name(source.name)} rejected: {reason}")])

    def ingest(self, items: list[BatchItem], quarantine: Path | None = None, on_each=None,
               jobs: int = 1) -> list[Outcome]:
        """Ingest every item, whatever happens to the others; ``on_each(outcome)`` after each one. ``jobs``
        files are prepared at once (:func:`prepared_in_order`); they are committed one by one in the items'
        order, so the ids follow the input whatever ``jobs`` is."""
        self.scratch()   # made once, under the lock, before any worker needs it
        outcomes = []
        prepared = prepared_in_order(lambda item: self._prepare(item.path, item.layers, item.name), items, jobs)
        with contextlib.closing(prepared):
            for item, ready in zip(items, prepared):
                outcome = self._finish(ready)
                if outcome.outcome == "rejected" and quarantine is not None:
                    outcome.details["quarantined"] = self._quarantine(item.path, outcome.reason, quarantine)
                outcomes.append(outcome)
                if on_each:
                    on_each(outcome)
        return outcomes

    def reject_early(self, path: Path | None, reason: str, quarantine: Path | None) -> Outcome:
        """A file rejected before ingesting (a bad manifest row)."""
        outcome = Outcome(safe_name(path) if path else "", "rejected", reason=reason)
        self._log_rejection(path or Path(""), reason)
        if quarantine is not None and path is not None:
            outcome.details["quarantined"] = self._quarantine(path, reason, quarantine)
        return outcome

    @staticmethod
    def _quarantine(path: Path, reason: str, quarantine: Path) -> str:
        try:
            return safe_name(quarantine_file(path, reason, quarantine))
        except OSError as err:
            raise storage_error(err, f"the quarantine folder {safe_name(quarantine)}",
                                f"{safe_name(path)} was rejected ({reason}) but not copied there") from None

    # --- corrections ---

    def edit(self, doc_id: str, changes: dict) -> tuple[DocumentRecord, list[str]]:
        """Write a new metadata revision with ``changes``; the old sidecars and the PDF stay as they are.
        Returns (the newest record, the names of the fields that changed: empty when nothing did)."""
        editable = {"session", "type", "title", "parties", "sectors", "signed_on", "place", "languages",
                    "confidentiality", "reference", "title_ru", "place_ru"}
        unknown = set(changes) - editable
        if unknown:
            raise ValidationError(f"cannot edit {', '.join(sorted(unknown))}: only {', '.join(sorted(editable))}")
        if not changes:
            raise ValidationError("edit.nothing", fields=["title", "parties", "sectors", "session", "type", "signed_on",
                                                          "place", "languages", "confidentiality", "reference"])
        folder = self.folder_of(doc_id)
        with self.locked():
            current = self.record(folder.name)
            changes = _with_bilingual(current, changes)
            changed = [name for name, value in changes.items() if getattr(current, name) != value]
            if not changed:
                return current, []
            sources = dict(current.metadata_sources, **{name: "correction" for name in changed})
            new = dataclasses.replace(current, **changes, revision=current.revision + 1, metadata_sources=sources)
            self.write_revision(new, "; ".join(f"{field_name} {_shown(getattr(current, field_name))} -> "
                                               f"{_shown(getattr(new, field_name))}" for field_name in changed))
        return new, changed

    def write_revision(self, new: DocumentRecord, change: str, also: list[dict] = (), actor: str | None = None) -> None:
        """Write ``new``, the next metadata revision of its document, as a read-only sidecar, with a metadata
        modification event saying ``change`` (then the events ``also``). Journaled: a crash in between is
        finished or undone by the next run (recovery.py). The caller holds the lock."""
        data = sidecar_bytes(new)
        name = f"{new.doc_id}/{sidecar_name(new.revision)}"
        events = [new_event(eventlog.METADATA_MODIFICATION, new.doc_id, "success", f"revision {new.revision}: {change}",
                            files={name: hashlib.sha256(data).hexdigest()}, actor=actor), *also]
        atomic_write_bytes(self.root / JOURNAL_NAME, json.dumps(
            {"requires": [name], "events": events}, ensure_ascii=False).encode("utf-8"))
        try:
            atomic_write_bytes(self.root / name, data, overwrite=False, mode=READ_ONLY)
        except FileExistsError:
            (self.root / JOURNAL_NAME).unlink()
            raise ConflictError(f"{name} exists already: run 'taskforce archive verify'") from None
        checkpoint("revision-written")
        self.log.append(events)
        (self.root / JOURNAL_NAME).unlink()
        fsync_dir(self.root)

    # --- fixity ---

    def verify(self) -> FixityReport:
        """Re-hash every file in full and compare with what the event log recorded; check the sidecars
        and the chain of the log; log a fixity-check event. Every finding is collected."""
        if not self.root.is_dir():
            raise NotFoundError(f"there is no archive at {self.root}: ingest a file first")
        with self.locked():
            report = check_archive(self)
            self.log.append([new_event(eventlog.FIXITY_CHECK, None, "success" if report.ok else "failure",
                                       report.summary(), findings=[f.as_dict() for f in report.findings])])
        return report

    # --- export ---

    def export(self, destination: Path, session: int | None = None) -> dict:
        return export_bag(self, Path(destination), session)



def _with_bilingual(current: DocumentRecord, changes: dict) -> dict:
    """``changes`` with title_ru / place_ru turned into the record's bilingual pairs (beside the Italian title
    or place, changed or as it is); a new title or place without its Russian form drops the old pair."""
    changes = dict(changes)
    bilingual = dict(current.bilingual)
    for name in ("title", "place"):
        russian = changes.pop(f"{name}_ru", None)
        italian = changes.get(name, getattr(current, name))
        if russian and italian:
            bilingual[name] = {"it": italian, "ru": russian}
        elif name in changes:
            bilingual.pop(name, None)
    if "sectors" in changes:
        bilingual.pop("sectors", None)
    if bilingual != current.bilingual:
        changes["bilingual"] = bilingual
    return changes


def _shown(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return "none" if value is None else repr(str(value))

