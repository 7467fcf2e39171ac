"""The write-once archive of signed PDFs: ingest, read, correct metadata, export.

Layout of ``WORKSPACE/archive/``::

    TFA-000001/                 one folder per document, named by its id (stable forever)
      original.pdf              the file as received, byte for byte, read-only
      metadata-r1.json          the sidecar (a DocumentRecord), read-only; a correction adds metadata-r2.json
      text/page-0001.txt        the text of each page (text layer or OCR), derived
    events.jsonl                the hash-chained event log (pipeline.eventlog); events.head, its end
    .lock                       taken around every change (dedupe check and commit, edits, fixity checks)
    .tmp/                       scratch space of running ingests; what a dead process left is removed
    .journal.json               only between the steps of one commit: what a crash there must finish

Ingesting one file is a list of small steps (:meth:`Archive.ingest_file`): copy it into the scratch folder
hashing it on the way, refuse a duplicate, extract text and metadata, validate signatures, resolve the
metadata, write the text; then, under the lock, check for a duplicate again, take the next id, write the
sidecar, write the journal, rename the whole folder into place (the commit), append the events, remove the
journal. A crash before the rename leaves only scratch files, which the next run removes; a crash after it
leaves a journal from which the next run appends the missing events. Either the whole entry exists, with
its events, or nothing does.
"""
from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as dt
import fcntl
import hashlib
import json
import os
import re
import shutil
import stat
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from . import eventlog
from ..drafting import register
from ..sessions.dates import month_names, parse_date
from .record import CONFIDENTIALITY_LEVELS, DOCUMENT_TYPES, DocumentRecord
from ..errors import (BusyError, ConflictError, DateFormatError, Finding, NotFoundError, PdfRejected,
                     StorageError, TaskforceError, ToolMissingError, ValidationError)
from .eventlog import EventLog, new_event, utc_now
from ..sessions.fields import clean_value, safe_name
from ..fsutil import TEMP_PREFIX, atomic_write_bytes, checkpoint, fsync_dir, storage_error
from ..pdf.text import ExtractLimits
from ..locks import held
from ..workspace import Workspace

ORIGINAL = "original.pdf"
TEXT_FOLDER = "text"
SIDECAR_PATTERN = re.compile(r"^metadata-r(\d+)\.json$")
ID_PREFIX = "TFA-"
ID_PATTERN = re.compile(r"^TFA-(\d{6,})$")
SCRATCH = ".tmp"
LOCK_NAME = ".lock"
JOURNAL_NAME = ".journal.json"
# names at the top of the archive folder that are not documents
TOP_LEVEL = {eventlog.LOG_NAME, eventlog.HEAD_NAME, LOCK_NAME, SCRATCH, JOURNAL_NAME, "README.md"}
LOCK_TIMEOUT = 600.0  # seconds: a fixity check of a large archive holds the lock for minutes
READ_ONLY = 0o444
CHUNK = 1024 * 1024
LANGUAGES = ("it", "ru")
KIND_BY_CODE = {code: kind for kind, code in register.KIND_CODES.items()}


def sidecar_name(revision: int) -> str:
    return f"metadata-r{revision}.json"


def page_name(number: int) -> str:
    return f"page-{number:04d}.txt"


def sha256_file(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def sidecar_bytes(record: DocumentRecord) -> bytes:
    return (json.dumps(record.as_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


# --- metadata given by the user ------------------------------------------------------------------------

@dataclass
class Given:
    """Metadata given by command options or a manifest row; None or empty means "not given"."""

    session: int | None = None
    type: str | None = None
    title: str | None = None
    parties: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    signed_on: dt.date | None = None
    place: str | None = None
    languages: list[str] = field(default_factory=list)
    confidentiality: str | None = None
    reference: str | None = None
    password: str | None = None

    def __post_init__(self):
        """Values typed by the user (options, manifest cells): NFC, no direction controls; control characters
        and over-long values are a ValidationError naming the option."""
        for name in ("title", "place"):
            if getattr(self, name) is not None:
                setattr(self, name, clean_value(getattr(self, name), name) or None)
        self.parties = [v for v in (clean_value(p, "party") for p in self.parties) if v]
        self.sectors = [v for v in (clean_value(s, "sector") for s in self.sectors) if v]

    def metadata_fields(self) -> dict:
        values = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "password"}
        return {name: value for name, value in values.items() if value not in (None, "", [])}


def parse_session(value) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        number = 0
    if number < 1:
        raise ValidationError(f"session: expected a whole number from 1, got {value!r}")
    return number


def parse_type(value: str) -> str:
    kind = str(value).strip().lower()
    if kind not in DOCUMENT_TYPES:
        raise ValidationError(f"type: expected one of {', '.join(DOCUMENT_TYPES)}, got {value!r}")
    return kind


def parse_confidentiality(value: str) -> str:
    level = str(value).strip().lower()
    if level not in CONFIDENTIALITY_LEVELS:
        raise ValidationError(f"confidentiality: expected one of {', '.join(CONFIDENTIALITY_LEVELS)}, got {value!r}")
    return level


def parse_languages(value: str) -> list[str]:
    codes = [code.strip().lower() for code in str(value).replace(";", ",").split(",") if code.strip()]
    wrong = [code for code in codes if code not in LANGUAGES]
    if wrong or not codes:
        raise ValidationError(f"lang: expected it, ru or it,ru, got {value!r}")
    return list(dict.fromkeys(codes))


def parse_reference(value: str) -> str:
    reference = str(value).strip()
    if not register.REFERENCE_PATTERN.fullmatch(reference):
        raise ValidationError(f"ref: expected a reference code such as TF25-AGR-003 or TF25-PROT, got {value!r}")
    return reference


def parse_signed_on(value) -> dt.date:
    return parse_date(value, "signed-on")


# manifest columns: the ingest options without their dashes; several parties or sectors separated by ";"
MANIFEST_COLUMNS = ("file", "session", "type", "title", "party", "sector", "signed_on", "place", "lang",
                    "confidentiality", "ref", "password")
MANIFEST_ALIASES = {"path": "file", "parties": "party", "sectors": "sector", "signed-on": "signed_on",
                    "languages": "lang", "reference": "ref"}


@dataclass
class BatchItem:
    path: Path
    layers: list[tuple[Given, str]]  # highest precedence first, with the name of the source


def read_manifest(path: Path) -> list[tuple[Path | None, Given | None, str, str | None]]:
    """Rows of a manifest CSV as (file, given metadata, label, error). A row with a bad value keeps its
    error (that file is rejected); a manifest whose columns are wrong is a ValidationError."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise NotFoundError(f"manifest {path} does not exist") from None
    except UnicodeDecodeError:
        raise ValidationError(f"manifest {path} is not UTF-8 text: save it as CSV UTF-8") from None
    try:
        records = list(csv.reader(text.splitlines()))
    except csv.Error as err:   # a field longer than the csv module allows, a NUL byte
        raise ValidationError(f"manifest {path} cannot be read as CSV ({err}); save it again as CSV UTF-8") from None
    header = records[0] if records else []
    columns = [MANIFEST_ALIASES.get(name.strip().lower(), name.strip().lower()) for name in header]
    unknown = [name for name, column in zip(header, columns) if column not in MANIFEST_COLUMNS]
    if unknown:
        raise ValidationError(f"manifest {path}: unknown column(s) {', '.join(map(repr, unknown))}; "
                              f"the columns are {', '.join(MANIFEST_COLUMNS)}")
    if "file" not in columns:
        raise ValidationError(f"manifest {path}: no 'file' column; the columns are {', '.join(MANIFEST_COLUMNS)}")
    twice = sorted({column for column in columns if columns.count(column) > 1})
    if twice:
        raise ValidationError(f"manifest {path}: column(s) {', '.join(map(repr, twice))} appear more than once "
                              f"(aliases such as parties/party count as the same column)")
    rows = []
    for number, values in enumerate(records[1:], start=2):
        label = f"manifest {path.name} line {number}"
        if not any(value.strip() for value in values):
            continue
        row = {column: value.strip() for column, value in zip(columns, values)}
        if len(values) != len(columns):
            file = Path(row["file"]) if row.get("file") else None
            rows.append((None if file is None else (file if file.is_absolute() else path.parent / file), None, label,
                         f"{label}: {len(values)} value(s) for {len(columns)} column(s); check the commas and quotes"))
            continue
        if not row["file"]:
            rows.append((None, None, label, f"{label}: the file column is empty"))
            continue
        file = Path(row["file"])
        file = file if file.is_absolute() else path.parent / file
        try:
            rows.append((file, given_from_row(row), label, None))
        except ValidationError as err:
            rows.append((file, None, label, f"{label}: {err.message}"))
    return rows


def given_from_row(row: dict) -> Given:
    def items(name):
        return [item.strip() for item in row.get(name, "").split(";") if item.strip()]

    value = row.get
    return Given(
        session=parse_session(value("session")) if value("session") else None,
        type=parse_type(value("type")) if value("type") else None,
        title=value("title") or None,
        parties=items("party"), sectors=items("sector"),
        signed_on=parse_signed_on(value("signed_on")) if value("signed_on") else None,
        place=value("place") or None,
        languages=parse_languages(value("lang")) if value("lang") else [],
        confidentiality=parse_confidentiality(value("confidentiality")) if value("confidentiality") else None,
        reference=parse_reference(value("ref")) if value("ref") else None,
        password=value("password") or None,
    )


def collect_files(paths) -> list[Path]:
    """The files named, and every file below the folders named (recursively, in name order, hidden
    files and folders left out). A path that does not exist is kept, to be rejected with its reason."""
    found = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for folder, subfolders, files in os.walk(path):
                subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
                found.extend(Path(folder) / name for name in sorted(files) if not name.startswith("."))
        else:
            found.append(path)
    return found


def plan_batch(paths, options: Given, manifest: Path | None = None) -> tuple[list[BatchItem], list[tuple]]:
    """(items to ingest, [(path or None, label, reason)] rejected before ingesting: bad manifest rows)."""
    items = [BatchItem(path, [(options, "option")]) for path in collect_files(paths)]
    early = []
    if manifest is not None:
        for file, given, label, error in read_manifest(manifest):
            if error:
                early.append((file, error))
            else:
                items.append(BatchItem(file, [(given, "manifest"), (options, "option")]))
    return items, early


# --- metadata found in the document --------------------------------------------------------------------

def _month_alternation() -> str:
    names = {name for lang in ("it", "ru") for forms in month_names(lang) for name in forms}
    return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))


CAPITAL = "A-ZÀ-ÖØ-ÞА-ЯЁ"
PLACE_AND_DATE = re.compile(
    rf"(?<![\w'’])(?P<place>[{CAPITAL}][\w'’\-]*(?:[ \-][{CAPITAL}][\w'’\-]*){{0,3}})\s*,\s*"
    rf"(?:(?:il|lì|li|addì)\s+)?(?P<day>\d{{1,2}})[°º]?\s+(?P<month>(?i:{_month_alternation()}))\.?\s+"
    rf"(?P<year>\d{{4}})(?!\d)")


SIGNATURE_CLAUSE = re.compile(r"(?i:fatto|firmato|sottoscritto|stipulato|совершено|подписано)\s+(?:a|ad|in|в)\s+"
                              r"(?:г\.\s*)?$")


def find_place_and_date(text: str) -> tuple[str | None, dt.date | None]:
    """The place and date of signature: the "Place, day month year" of the closing clause ("Fatto a Bergamo,
    il 27 novembre 2019", "Совершено в г. Москва, 15 марта 2024 г.") when there is one, else the first
    "Place, day month year" in the text (a letter's heading), with the registry's month names;
    (None, None) when there is none."""
    found = []
    for match in PLACE_AND_DATE.finditer(text):
        try:
            when = parse_date(f"{match['day']} {match['month'].lower()} {match['year']}")
        except DateFormatError:
            continue
        clause = bool(SIGNATURE_CLAUSE.search(text[max(0, match.start() - 30):match.start()]))
        found.append((clause, match["place"].strip(), when))
    if not found:
        return None, None
    _, place, when = next((item for item in found if item[0]), found[0])
    return place, when


def _plain(value) -> str | None:
    """A register value as text: a bilingual {it, ru} becomes "it / ru"."""
    if value is None:
        return None
    if isinstance(value, dict):
        if "it" in value or "ru" in value:
            return " / ".join(str(value[lang]) for lang in ("it", "ru") if value.get(lang))
        if "name" in value:
            return _plain(value["name"])
    return str(value).strip() or None


def resolve_metadata(layers: list[tuple[Given, str]], content, ws: Workspace, filename: str) -> tuple[dict, dict]:
    """(values, sources): every metadata field with where it came from, in order of precedence: the
    options or the manifest row, the drafts register (through a reference code in the text), the code
    itself (session and kind), the PDF's metadata, the place and date of signature in the text. Raise
    PdfRejected when session or type cannot be found."""
    values, sources = {}, {}

    def offer(name, value, source):
        if name not in values and value not in (None, "", []):
            values[name] = value
            sources[name] = source

    for given, source in layers:
        for name, value in given.metadata_fields().items():
            offer(name, value, source)
    if "reference" not in values:
        found = register.find_references(content.text)
        if found:
            offer("reference", found[0], "text")
    reference = values.get("reference")
    if reference:
        entry = register.latest(ws, reference)
        if entry:
            offer("session", entry.get("session"), "drafts register")
            offer("type", entry.get("kind"), "drafts register")
            offer("title", _plain(entry.get("title")), "drafts register")
            offer("parties", [p for p in map(_plain, entry.get("parties") or []) if p], "drafts register")
            offer("sectors", [s for s in map(_plain, entry.get("sectors") or []) if s], "drafts register")
        code = register.REFERENCE_PATTERN.fullmatch(reference)
        if code:
            offer("session", int(code["session"]), "reference code")
            offer("type", KIND_BY_CODE.get(code["kind"]), "reference code")
    offer("title", content.pdf_metadata.get("title"), "pdf metadata")
    place, when = find_place_and_date(content.text)
    offer("place", place, "text")
    offer("signed_on", when, "text")
    offer("languages", content.languages, "text")
    missing = [name for name in ("session", "type") if name not in values]
    if missing:
        flags = {"session": "--session N", "type": f"--type {'|'.join(DOCUMENT_TYPES)}"}
        raise PdfRejected(f"{' and '.join(missing)} unknown: give {' and '.join(flags[m] for m in missing)} "
                          f"(or a manifest row), or ingest a PDF whose text carries a registered reference code")
    offer("title", Path(filename).stem, "file name")
    # values read from the file, the register or its name: made safe rather than refused
    for name in ("title", "place"):
        if isinstance(values.get(name), str):
            values[name] = clean_value(values[name], name, strict=False) or "untitled"
    for name in ("parties", "sectors"):
        if name in values:
            values[name] = [v for v in (clean_value(item, name, strict=False) for item in values[name]) if v]
    return values, sources


# --- outcomes -----------------------------------------------------------------------------------------

@dataclass
class Outcome:
    file: str
    outcome: str  # "archived" | "duplicate" | "rejected"
    doc_id: str | None = None
    reason: str | None = None
    details: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"file": self.file, "outcome": self.outcome, "doc_id": self.doc_id, "reason": self.reason,
                **self.details}


# --- the archive --------------------------------------------------------------------------------------

class Archive:
    def __init__(self, ws: Workspace, limits: ExtractLimits = ExtractLimits()):
        self.ws = ws
        self.root = ws.archive
        self.limits = limits
        self.log = EventLog(self.root)
        self._known: dict[str, str] = {}  # doc_id -> sha256 of its original
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
        done = self.log.recover()
        journal = self.root / JOURNAL_NAME
        # temporary files of atomic writes: at the top, and in a document folder only during an edit,
        # which writes its journal first
        folders = [self.root]
        if journal.exists():
            try:
                pending = json.loads(journal.read_text(encoding="utf-8"))
            except (json.JSONDecodeError, UnicodeDecodeError):
                pending = {"requires": [None], "events": []}  # cannot happen with atomic writes; drop it
            folders += [(self.root / name).parent for name in pending["requires"] if name]
            if all(name and (self.root / name).exists() for name in pending["requires"]):
                known = self.log.known_ids()
                missing = [event for event in pending["events"] if event["event_id"] not in known]
                self.log.append(missing)
                done.append(f"completed an interrupted commit ({', '.join(pending['requires'])})")
            else:
                done.append("discarded an interrupted commit that had not taken place")
            journal.unlink()
            fsync_dir(self.root)
        for folder in folders:
            for leftover in folder.glob(TEMP_PREFIX + "*"):
                leftover.unlink()
                done.append(f"removed the temporary file {leftover.name}")
        done.extend(self._clean_scratch())
        return done

    def _clean_scratch(self) -> list[str]:
        """Remove the scratch folders of processes that are gone: each live process holds an exclusive
        lock on its NAME.lock file; the kernel drops it when the process dies, however it dies."""
        done = []
        scratch = self.root / SCRATCH
        if not scratch.is_dir():
            return done
        for entry in sorted(scratch.iterdir()):
            if self._scratch is not None and entry.name in (self._scratch.name, self._scratch.name + ".lock"):
                continue
            if entry.suffix == ".lock":
                # A live process closing its scratch (without the archive lock) may remove its folder and
                # lock file at any moment: a file gone meanwhile is its, and already cleaned.
                try:
                    fd = os.open(entry, os.O_RDWR)
                except FileNotFoundError:
                    continue
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    os.close(fd)
                    continue  # its process is alive
                try:
                    _remove_tree(entry.with_suffix(""))
                    entry.unlink(missing_ok=True)
                finally:
                    os.close(fd)
                done.append(f"removed the scratch folder of a stopped process ({entry.stem})")
            elif entry.is_dir() and not entry.with_name(entry.name + ".lock").exists():
                _remove_tree(entry)
                done.append(f"removed an orphaned scratch folder ({entry.name})")
        return done

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
            _remove_tree(self._scratch)
            (self._scratch.parent / (self._scratch.name + ".lock")).unlink(missing_ok=True)
            os.close(self._scratch_fd)
            self._scratch = self._scratch_fd = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- reading ---

    def document_folders(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        return sorted(entry for entry in self.root.iterdir() if entry.is_dir() and ID_PATTERN.match(entry.name))

    def folder_of(self, doc_id: str) -> Path:
        """The folder of document ``doc_id`` ("TFA-000001", or just "1")."""
        text = str(doc_id).strip().upper()
        if text.isdigit():
            text = f"{ID_PREFIX}{int(text):06d}"
        folder = self.root / text
        if not ID_PATTERN.match(text) or not folder.is_dir():
            raise NotFoundError(f"no document {doc_id} in the archive {self.root}; "
                                f"'taskforce archive list' shows the ids")
        return folder

    @staticmethod
    def revisions(folder: Path) -> list[int]:
        found = [int(match[1]) for match in (SIDECAR_PATTERN.match(p.name) for p in folder.iterdir()) if match]
        return sorted(found)

    def record(self, doc_id: str, revision: int | None = None) -> DocumentRecord:
        """The newest metadata revision of a document (or the one asked for)."""
        folder = self.folder_of(doc_id)
        revisions = self.revisions(folder)
        if not revisions:
            raise ValidationError(f"{folder.name} has no metadata sidecar: run 'taskforce archive verify'")
        chosen = revision or revisions[-1]
        if chosen not in revisions:
            raise NotFoundError(f"{folder.name} has no metadata revision {chosen}; it has "
                                f"{', '.join(map(str, revisions))}")
        return load_sidecar(folder / sidecar_name(chosen))

    def records(self) -> tuple[list[DocumentRecord], list[Finding]]:
        """Every document's newest metadata, and a finding for each sidecar that cannot be read."""
        found, problems = [], []
        for folder in self.document_folders():
            try:
                found.append(self.record(folder.name))
            except TaskforceError as err:
                problems.append(Finding(folder.name, err.message))
        return found, problems

    def page_texts(self, doc_id: str) -> list[str]:
        folder = self.folder_of(doc_id)
        pages = self.record(doc_id).pages
        return [(folder / TEXT_FOLDER / page_name(number)).read_text(encoding="utf-8")
                for number in range(1, pages + 1)]

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
                self._known[folder.name] = self.record(folder.name).sha256
            except TaskforceError:
                if logged is None:  # a broken sidecar: the log still knows the original's hash
                    logged = {path: digest for event in self.log.events() for path, digest in
                              (event.get("files") or {}).items()}
                digest = logged.get(f"{folder.name}/{ORIGINAL}")
                if digest:
                    self._known[folder.name] = digest

    def duplicate_of(self, sha256: str) -> str | None:
        self._refresh_known()
        return next((doc_id for doc_id, digest in sorted(self._known.items()) if digest == sha256), None)

    # --- ingest ---

    def ingest_file(self, source: Path, layers: list[tuple[Given, str]]) -> Outcome:
        """Archive one file; every problem with the file is an Outcome "rejected", never an exception."""
        source = Path(source)
        work = self.scratch() / uuid.uuid4().hex
        try:
            return self._ingest_steps(source, layers, work)
        except OSError as err:   # the archive cannot be written (reading the source is a rejection)
            raise self._not_stored(err, source) from None
        except PdfRejected as err:
            outcome = Outcome(safe_name(source), "rejected", reason=err.reason)
        except ToolMissingError as err:
            outcome = Outcome(safe_name(source), "rejected", reason=err.message)
        finally:
            _remove_tree(work)
        self._log_rejection(source, outcome.reason)
        return outcome

    def _ingest_steps(self, source: Path, layers, work: Path) -> Outcome:
        password = next((given.password for given, _ in layers if given.password), None)
        work.mkdir()
        original = work / ORIGINAL
        sha256, size = self._copy_in(source, original)
        checkpoint("copied")
        duplicate = self.duplicate_of(sha256)
        if duplicate:
            return Outcome(safe_name(source), "duplicate", doc_id=duplicate, details={"sha256": sha256})
        content = self._extract(original, password)
        signatures = self._signatures(original, password) if content.signature_fields else []
        checkpoint("extracted")
        values, sources = resolve_metadata(layers, content, self.ws, safe_name(source.name))
        text_hashes = self._write_text(work, content.pages)
        record = DocumentRecord(
            doc_id="", session=values["session"], type=values["type"], title=values["title"], sha256=sha256,
            size=size, filename=safe_name(source.name), reference=values.get("reference"),
            parties=values.get("parties", []), sectors=values.get("sectors", []),
            signed_on=values.get("signed_on"), place=values.get("place"), languages=values.get("languages", []),
            confidentiality=values.get("confidentiality", "public"), pages=content.page_count,
            text_source=content.text_source, page_sources=content.page_sources, signatures=signatures,
            pdf_metadata=content.pdf_metadata, metadata_sources=sources, encrypted=content.encrypted,
            warnings=content.warnings)
        return self._commit(source, work, record, text_hashes)

    def _not_stored(self, err: OSError, source: Path) -> StorageError:
        return storage_error(err, f"the archive {self.root} while ingesting {source}", "nothing of this file was "
                             "stored; free some space or fix the permissions and run the ingest again")

    def _copy_in(self, source: Path, target: Path) -> tuple[str, int]:
        """Copy ``source`` to ``target``, hashing while copying, and fsync it."""
        try:
            info = source.stat()
            if not stat.S_ISREG(info.st_mode):
                raise PdfRejected("not a regular file")
            if info.st_size > self.limits.max_bytes:
                raise PdfRejected(f"too big: {info.st_size / 2 ** 20:.1f} MiB, the limit is "
                                  f"{self.limits.max_bytes / 2 ** 20:.0f} MiB")
            digest, size = hashlib.sha256(), 0
            with open(source, "rb") as reader, open(target, "wb") as writer:
                while chunk := reader.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    if size > self.limits.max_bytes:
                        raise PdfRejected(f"too big: more than {self.limits.max_bytes / 2 ** 20:.0f} MiB")
                    writer.write(chunk)
                writer.flush()
                os.fsync(writer.fileno())
        except FileNotFoundError:
            raise PdfRejected("no such file") from None
        except IsADirectoryError:
            raise PdfRejected("not a regular file") from None
        except PermissionError:
            raise PdfRejected("cannot read the file: permission denied") from None
        return digest.hexdigest(), size

    def _extract(self, original: Path, password: str | None):
        from ..pdf.text import extract

        try:
            return extract(original, password, self.limits)
        except PdfRejected as err:
            raise PdfRejected(err.reason) from None

    def _signatures(self, original: Path, password: str | None) -> list[dict]:
        from ..pdf.signatures import inspect_signatures

        try:
            return inspect_signatures(original, self.ws.trust_roots, password, self.limits)
        except PdfRejected as err:
            raise PdfRejected(f"signature validation: {err.reason}") from None

    @staticmethod
    def _write_text(work: Path, pages: list[str]) -> dict[str, str]:
        folder = work / TEXT_FOLDER
        folder.mkdir()
        hashes = {}
        for number, text in enumerate(pages, start=1):
            data = text.encode("utf-8")
            with open(folder / page_name(number), "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            hashes[f"{TEXT_FOLDER}/{page_name(number)}"] = hashlib.sha256(data).hexdigest()
        fsync_dir(folder)
        return hashes

    def _commit(self, source: Path, work: Path, record: DocumentRecord, text_hashes: dict) -> Outcome:
        with self.locked():
            checkpoint("locked")
            duplicate = self.duplicate_of(record.sha256)
            if duplicate:  # another process archived the same file meanwhile
                return Outcome(safe_name(source), "duplicate", doc_id=duplicate, details={"sha256": record.sha256})
            doc_id = self._next_id()
            record.doc_id, record.ingested_at = doc_id, utc_now()
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
                events = self._ingest_events(record, files)
                atomic_write_bytes(self.root / JOURNAL_NAME, json.dumps(
                    {"requires": [f"{doc_id}/{sidecar}"], "events": events}, ensure_ascii=False).encode("utf-8"))
                checkpoint("journal-written")
                os.rename(work, self.root / doc_id)
            except OSError as err:
                raise self._not_stored(err, source) from None
            self._known[doc_id] = record.sha256
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
            "pages": record.pages, "text_source": record.text_source, "signatures": len(record.signatures)})

    def _next_id(self) -> str:
        numbers = [int(ID_PATTERN.match(folder.name)[1]) for folder in self.document_folders()]
        return f"{ID_PREFIX}{max(numbers, default=0) + 1:06d}"

    @staticmethod
    def _ingest_events(record: DocumentRecord, files: dict) -> list[dict]:
        doc_id = record.doc_id
        events = [
            new_event(eventlog.MESSAGE_DIGEST, doc_id, "success",
                      f"SHA-256 {record.sha256} of {record.size} bytes, computed while copying {record.filename}"),
            new_event(eventlog.METADATA_EXTRACTION, doc_id, "success",
                      f"{record.pages} page(s), text from {record.text_source}; languages "
                      f"{', '.join(record.languages) or 'none'}; "
                      + ", ".join(f"{name} from {source}" for name, source in sorted(record.metadata_sources.items()))),
        ]
        if record.signatures:
            summaries = [signature_summary(signature) for signature in record.signatures]
            good = all(signature.get("intact") and signature.get("valid") for signature in record.signatures)
            events.append(new_event(eventlog.SIGNATURE_VALIDATION, doc_id, "success" if good else "failure",
                                    "; ".join(summaries)))
        events.append(new_event(eventlog.INGESTION, doc_id, "success",
                                f"{record.filename} archived as {doc_id} (session {record.session}, {record.type})",
                                files=files))
        return events

    def _log_rejection(self, source: Path, reason: str) -> None:
        with self.locked():
            self.log.append([new_event(eventlog.INGESTION, None, "failure", f"{safe_name(source.name)} rejected: {reason}")])

    def ingest(self, items: list[BatchItem], quarantine: Path | None = None, on_each=None) -> list[Outcome]:
        """Ingest every item, whatever happens to the others; ``on_each(outcome)`` after each one."""
        outcomes = []
        for item in items:
            outcome = self.ingest_file(item.path, item.layers)
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
                    "confidentiality", "reference"}
        unknown = set(changes) - editable
        if unknown:
            raise ValidationError(f"cannot edit {', '.join(sorted(unknown))}: only {', '.join(sorted(editable))}")
        if not changes:
            raise ValidationError("nothing to change: give at least one of --title, --party, --sector, "
                                  "--session, --type, --signed-on, --place, --lang, --confidentiality, --ref")
        folder = self.folder_of(doc_id)
        with self.locked():
            current = self.record(folder.name)
            changed = [name for name, value in changes.items() if getattr(current, name) != value]
            if not changed:
                return current, []
            sources = dict(current.metadata_sources, **{name: "correction" for name in changed})
            new = dataclasses.replace(current, **changes, revision=current.revision + 1, metadata_sources=sources)
            data = sidecar_bytes(new)
            name = f"{folder.name}/{sidecar_name(new.revision)}"
            event = new_event(eventlog.METADATA_MODIFICATION, folder.name, "success",
                              f"revision {new.revision}: " + "; ".join(
                                  f"{field_name} {_shown(getattr(current, field_name))} -> "
                                  f"{_shown(getattr(new, field_name))}" for field_name in changed),
                              files={name: hashlib.sha256(data).hexdigest()})
            atomic_write_bytes(self.root / JOURNAL_NAME, json.dumps(
                {"requires": [name], "events": [event]}, ensure_ascii=False).encode("utf-8"))
            try:
                atomic_write_bytes(self.root / name, data, overwrite=False, mode=READ_ONLY)
            except FileExistsError:
                (self.root / JOURNAL_NAME).unlink()
                raise ConflictError(f"{name} exists already: run 'taskforce archive verify'") from None
            checkpoint("revision-written")
            self.log.append([event])
            (self.root / JOURNAL_NAME).unlink()
            fsync_dir(self.root)
        return new, changed

    # --- fixity ---

    def verify(self) -> dict:
        """Re-hash every file in full and compare with what the event log recorded; check the sidecars
        and the chain of the log; log a fixity-check event. Every finding is collected."""
        from .fixity import check_archive

        if not self.root.is_dir():
            raise NotFoundError(f"there is no archive at {self.root}: ingest a file first")
        with self.locked():
            report = check_archive(self)
            outcome = "success" if not report["findings"] else "failure"
            detail = (f"{report['documents']} document(s), {report['files']} file(s), {report['bytes']} bytes "
                      f"re-hashed: " + (f"{len(report['findings'])} finding(s)" if report["findings"] else "no findings"))
            self.log.append([new_event(eventlog.FIXITY_CHECK, None, outcome, detail)])
        return report

    # --- export ---

    def export(self, destination: Path, session: int | None = None) -> dict:
        from .bag import export_bag

        return export_bag(self, Path(destination), session)


def signature_summary(signature: dict) -> str:
    if signature.get("error"):
        return f"{signature['field']}: {signature['error']}"
    states = ["intact" if signature.get("intact") else "NOT intact",
              "valid" if signature.get("valid") else "NOT valid",
              "trusted" if signature.get("trusted") else f"not trusted ({signature.get('trust_problem')})"]
    weak = " (weak)" if signature.get("weak_algorithm") else ""
    return (f"{signature['field']} ({signature['kind']}) by {signature.get('signer')}: {', '.join(states)}, "
            f"{signature.get('digest_algorithm')}{weak}, {signature.get('coverage')}")


def _shown(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return "none" if value is None else repr(str(value))


def load_sidecar(path: Path) -> DocumentRecord:
    """Read one sidecar; a broken one is a ValidationError naming the file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        return DocumentRecord.from_dict(data)
    except FileNotFoundError:
        raise NotFoundError(f"{path} does not exist") from None
    except (ValueError, TypeError, UnicodeDecodeError) as err:
        raise ValidationError(f"{path.parent.name}/{path.name} is not a valid metadata sidecar ({err})") from None


def quarantine_file(source: Path, reason: str, folder: Path) -> Path:
    """Copy a rejected file into ``folder`` (a free name) with NAME.reason.txt beside it; return the copy."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    name = _fitting_name(source.name or "unnamed")
    target = folder / name
    counter = 1
    while target.exists() or target.with_name(target.name + ".reason.txt").exists():
        counter += 1
        target = folder / f"{Path(name).stem}-{counter}{Path(name).suffix}"
    lines = [f"file: {safe_name(source)}", f"rejected: {reason}", f"time: {utc_now()}", f"agent: {eventlog.agent()}"]
    try:
        if source.is_file():
            shutil.copyfile(source, target)
        else:
            lines.append("the file itself could not be copied: it is not a regular file")
    except OSError as err:
        lines.append(f"the file itself could not be copied: {err.strerror}")
    atomic_write_bytes(target.with_name(target.name + ".reason.txt"), ("\n".join(lines) + "\n").encode("utf-8"))
    return target


NAME_MAX = 255   # bytes in one file name (ext4, xfs, btrfs)


def _fitting_name(name: str) -> str:
    """``name``, its stem shortened when needed so that NAME-NNNN.reason.txt still fits in a file name
    (the bytes of a name that is not UTF-8 are kept as they are)."""
    room = NAME_MAX - len(".reason.txt") - len("-9999")
    raw = os.fsencode(name)
    if len(raw) <= room:
        return name
    stem, suffix = os.fsencode(Path(name).stem), os.fsencode(Path(name).suffix)[:16]
    stem = stem[: room - len(suffix)]
    while stem:   # do not cut a UTF-8 character in two
        try:
            stem.decode("utf-8")
            break
        except UnicodeDecodeError as err:
            if err.start < len(stem) - 4:
                break   # not UTF-8 anyway: keep the bytes
            stem = stem[:-1]
    return os.fsdecode(stem + suffix)


def _remove_tree(path: Path) -> None:
    """Remove a folder or file, read-only files included (their folder is writable)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists() or path.is_symlink():
        path.unlink(missing_ok=True)
