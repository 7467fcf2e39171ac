"""The archive on disk: folder and file names, the document id, the sidecar format.

Layout of ``WORKSPACE/archive/``::

    TFA-000001/                 one folder per document, named by its id (stable forever)
      original.pdf              the file as received, byte for byte, read-only
      metadata-r1.json          the sidecar (a DocumentRecord), read-only; a correction adds metadata-r2.json
      text/page-0001.txt        the text of each page (text layer or OCR), derived
    events.jsonl                the hash-chained event log (pipeline.archive.eventlog); events.head, its end
    .lock                       taken around every change (dedupe check and commit, edits, fixity checks)
    .tmp/                       scratch space of running ingests; what a dead process left is removed
    .journal.json               only between the steps of one commit: what a crash there must finish

Everything that reads the archive's files (the store, the fixity check, the BagIt export) takes the names
from here, so that none of them needs another.
"""
from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

from ..errors import NotFoundError, ValidationError
from .record import DocumentRecord

ORIGINAL = "original.pdf"
TEXT_FOLDER = "text"
SIDECAR_PATTERN = re.compile(r"^metadata-r(\d+)\.json$")
ID_PREFIX = "TFA-"
ID_PATTERN = re.compile(r"^TFA-(\d{6,})$")
# A document's public id: the first 16 hex digits of its original's SHA-256. The archive's ids (TFA-000001)
# count every document ingested, so their gaps would show where documents the public may not see were
# ingested; a public id depends on the document's own bytes only, the same in every archive that holds them.
PUBLIC_ID_LENGTH = 16
PUBLIC_ID_PATTERN = re.compile(r"^[0-9a-f]{16}$")
SCRATCH = ".tmp"
LOCK_NAME = ".lock"
JOURNAL_NAME = ".journal.json"
LOG_NAME = "events.jsonl"          # the event log (pipeline.archive.eventlog) and its head
HEAD_NAME = "events.head"
# names at the top of the archive folder that are not documents
TOP_LEVEL = {LOG_NAME, HEAD_NAME, LOCK_NAME, SCRATCH, JOURNAL_NAME, "README.md"}
READ_ONLY = 0o444
CHUNK = 1024 * 1024


def sidecar_name(revision: int) -> str:
    return f"metadata-r{revision}.json"


def page_name(number: int) -> str:
    return f"page-{number:04d}.txt"


def doc_id_of(number: int) -> str:
    return f"{ID_PREFIX}{number:06d}"


def public_id_of(sha256: str) -> str:
    """The public id of the document whose original has this SHA-256 (see PUBLIC_ID_PATTERN)."""
    return (sha256 or "")[:PUBLIC_ID_LENGTH]


def sha256_file(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def sidecar_bytes(record: DocumentRecord) -> bytes:
    return (json.dumps(record.as_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


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


def revisions(folder: Path) -> list[int]:
    """The metadata revision numbers present in a document folder, in order."""
    found = [int(match[1]) for match in (SIDECAR_PATTERN.match(p.name) for p in folder.iterdir()) if match]
    return sorted(found)


def remove_tree(path: Path) -> None:
    """Remove a folder or file, read-only files included (their folder is writable)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists() or path.is_symlink():
        path.unlink(missing_ok=True)
