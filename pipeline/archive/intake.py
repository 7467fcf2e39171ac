"""The steps of ingesting one file that happen in its scratch folder, before the commit: copy the file in
while hashing it, write the page texts, and describe what happened as the events the commit will log.
Nothing here takes the archive lock or writes outside the scratch folder."""
from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from . import eventlog
from ..errors import PdfRejected, TaskforceError
from ..fsutil import fsync_dir
from .eventlog import new_event
from .layout import CHUNK, TEXT_FOLDER, page_name
from .record import DocumentRecord


@dataclass
class Outcome:
    """What became of one file of a batch."""

    file: str
    outcome: str  # "archived" | "duplicate" | "rejected"
    doc_id: str | None = None
    reason: str | None = None
    details: dict = field(default_factory=dict)
    # the error behind a rejection, for a front end to word the reason its own way (``reason`` is its English)
    problem: TaskforceError | None = field(default=None, repr=False, compare=False)
    # what the caller should be told about an archived file, as codes (their English is in details' warnings)
    notices: list[TaskforceError] = field(default_factory=list, repr=False, compare=False)

    def as_dict(self) -> dict:
        return {"file": self.file, "outcome": self.outcome, "doc_id": self.doc_id, "reason": self.reason,
                **self.details}


def copy_in(source: Path, target: Path, max_bytes: int) -> tuple[str, int]:
    """Copy ``source`` to ``target``, hashing while copying, and fsync it; (sha256, size). A source that
    cannot be read, or is too big, is a PdfRejected; an OSError is the target's (the archive's)."""
    try:
        info = source.stat()
        if not stat.S_ISREG(info.st_mode):
            raise PdfRejected("not a regular file")
        if info.st_size > max_bytes:
            raise PdfRejected(f"too big: {info.st_size / 2 ** 20:.1f} MiB, the limit is "
                              f"{max_bytes / 2 ** 20:.0f} MiB")
        digest, size = hashlib.sha256(), 0
        with open(source, "rb") as reader, open(target, "wb") as writer:
            while chunk := reader.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                if size > max_bytes:
                    raise PdfRejected(f"too big: more than {max_bytes / 2 ** 20:.0f} MiB")
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


def write_text(work: Path, pages: list[str]) -> dict[str, str]:
    """Write each page's text into ``work``/text/; {relative name: sha256}."""
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


def ingest_events(record: DocumentRecord, files: dict, notes: list[tuple[str, str]] = ()) -> list[dict]:
    """The events of one ingestion, in order; ``files`` ({archive path: sha256}) goes on the ingestion
    event, which the fixity check reads. ``notes`` [(event type, detail)] are further events (a
    confidentiality lowered by an explicit option), logged before the ingestion event."""
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
    events.extend(new_event(note[0], doc_id, note[2] if len(note) > 2 else "success", note[1]) for note in notes)
    events.append(new_event(eventlog.INGESTION, doc_id, "success",
                            f"{record.filename} archived as {doc_id} (session {record.session}, {record.type})",
                            files=files))
    return events


def signature_summary(signature: dict) -> str:
    if signature.get("error"):
        return f"{signature['field']}: {signature['error']}"
    states = ["intact" if signature.get("intact") else "NOT intact",
              "valid" if signature.get("valid") else "NOT valid",
              "trusted" if signature.get("trusted") else f"not trusted ({signature.get('trust_problem')})"]
    weak = " (weak)" if signature.get("weak_algorithm") else ""
    return (f"{signature['field']} ({signature['kind']}) by {signature.get('signer')}: {', '.join(states)}, "
            f"{signature.get('digest_algorithm')}{weak}, {signature.get('coverage')}")
