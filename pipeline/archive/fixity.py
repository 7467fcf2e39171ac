"""The fixity check of the archive: every finding collected, none stops the check.

What the archive should hold is what the event log recorded: every ingestion and metadata-modification
event lists the files it created with their SHA-256. The check re-hashes every file in full (never the size
only) and reports typed findings (as bagit-python does), each with ``where``, ``message`` and a ``kind``:

- :class:`ChecksumMismatch` ("changed"): a file whose SHA-256 differs from the recorded one (a flipped bit,
  a truncation), or that is not a regular file any more;
- :class:`FileMissing` ("missing"): a recorded file that is gone;
- :class:`UnexpectedFile` ("untracked"): a file or folder in the archive that no event created;
- :class:`SidecarDamaged` ("broken sidecar"): a sidecar that is not JSON, not a DocumentRecord, names
  another document or revision, or records another hash for the original than the one logged (an edited
  sidecar that is still valid JSON is also "changed", since its own hash is logged);
- :class:`NotReadOnly` ("writable"): an original or a sidecar that is not read-only any more;
- :class:`ChainBroken`: the event log's hash chain or head does not hold (pipeline.archive.eventlog).
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from typing import ClassVar

from . import eventlog
from ..errors import Finding, TaskforceError
from .layout import ID_PATTERN, ORIGINAL, SIDECAR_PATTERN, TOP_LEVEL, load_sidecar, sha256_file, sidecar_name

UNTRACKED_HINT = "untracked: no event of the log created it"


@dataclass(frozen=True)
class FixityFinding(Finding):
    """One problem found by the fixity check; ``kind`` names its class in JSON."""

    kind: ClassVar[str] = "finding"

    def as_dict(self) -> dict:
        return {"kind": self.kind, "where": self.where, "message": self.message}


@dataclass(frozen=True)
class ChecksumMismatch(FixityFinding):
    kind: ClassVar[str] = "checksum_mismatch"


@dataclass(frozen=True)
class FileMissing(FixityFinding):
    kind: ClassVar[str] = "file_missing"


@dataclass(frozen=True)
class UnexpectedFile(FixityFinding):
    kind: ClassVar[str] = "unexpected_file"


@dataclass(frozen=True)
class SidecarDamaged(FixityFinding):
    kind: ClassVar[str] = "sidecar_damaged"


@dataclass(frozen=True)
class NotReadOnly(FixityFinding):
    kind: ClassVar[str] = "not_read_only"


@dataclass(frozen=True)
class ChainBroken(FixityFinding):
    kind: ClassVar[str] = "chain_broken"


@dataclass
class FixityReport:
    """The result of one fixity check: what was re-hashed, and every finding."""

    documents: int
    files: int
    bytes: int
    findings: list[FixityFinding]

    @property
    def ok(self) -> bool:
        return not self.findings

    def summary(self) -> str:
        return (f"{self.documents} document(s), {self.files} file(s), {self.bytes} bytes re-hashed: "
                + (f"{len(self.findings)} finding(s)" if self.findings else "no findings"))

    def as_dict(self) -> dict:
        return {"ok": self.ok, "documents": self.documents, "files": self.files, "bytes": self.bytes,
                "findings": [finding.as_dict() for finding in self.findings]}


def expected_files(events: list[dict]) -> dict[str, str]:
    expected = {}
    for event in events:
        if event.get("outcome") == "success" and event.get("type") in (eventlog.INGESTION,
                                                                         eventlog.METADATA_MODIFICATION):
            for name, digest in (event.get("files") or {}).items():
                expected[name] = digest
    return expected


def check_archive(store) -> FixityReport:
    """Check ``store`` (an Archive: its ``root``, ``log``, ``document_folders()`` and ``revisions()``)."""
    root = store.root
    findings: list[FixityFinding] = [ChainBroken(f.where, f.message) for f in store.log.check()]
    expected = expected_files(store.log.events())
    present: dict[str, os.stat_result] = {}
    for entry in sorted(root.iterdir()):
        if entry.name in TOP_LEVEL:
            continue
        if entry.is_dir() and not entry.is_symlink() and ID_PATTERN.match(entry.name):
            for folder, subfolders, files in os.walk(entry):
                subfolders.sort()
                for name in sorted(files):
                    path = os.path.join(folder, name)
                    present[os.path.relpath(path, root)] = os.lstat(path)
        else:
            kind = "folder" if entry.is_dir() else "file"
            findings.append(UnexpectedFile(entry.name, f"{UNTRACKED_HINT} (a {kind} that is not a document)"))
    checked_bytes = 0
    for name, info in present.items():
        if name not in expected:
            findings.append(UnexpectedFile(name, UNTRACKED_HINT))
            continue
        if not stat.S_ISREG(info.st_mode):
            findings.append(ChecksumMismatch(name, "changed: not a regular file any more"))
            continue
        digest, size = sha256_file(root / name)
        checked_bytes += size
        if digest != expected[name]:
            findings.append(ChecksumMismatch(name, f"changed: SHA-256 is {digest}, the log recorded {expected[name]}"))
        base = os.path.basename(name)
        if (base == ORIGINAL or SIDECAR_PATTERN.match(base)) and info.st_mode & 0o222:
            findings.append(NotReadOnly(name, "writable: should be read-only (write-once)"))
    for name in sorted(set(expected) - set(present)):
        findings.append(FileMissing(name, "missing: the log recorded it, the archive does not have it"))
    folders = store.document_folders()
    for folder in folders:
        logged_original = expected.get(f"{folder.name}/{ORIGINAL}")
        revisions = store.revisions(folder)
        if not revisions:
            findings.append(SidecarDamaged(folder.name, "broken sidecar: the document has no metadata sidecar"))
        elif revisions != list(range(1, len(revisions) + 1)):
            findings.append(SidecarDamaged(folder.name, f"broken sidecar: revisions {revisions} are not 1 to {len(revisions)}"))
        for revision in revisions:
            where = f"{folder.name}/{sidecar_name(revision)}"
            try:
                record = load_sidecar(folder / sidecar_name(revision))
            except TaskforceError as err:
                findings.append(SidecarDamaged(where, f"broken sidecar: {err.message}"))
                continue
            if record.doc_id != folder.name or record.revision != revision:
                findings.append(SidecarDamaged(where, f"broken sidecar: it says document {record.doc_id} revision "
                                               f"{record.revision}"))
            if logged_original and record.sha256 != logged_original:
                findings.append(SidecarDamaged(where, f"broken sidecar: it records SHA-256 {record.sha256} for the "
                                               f"original, the log {logged_original}"))
    return FixityReport(documents=len(folders), files=len(present), bytes=checked_bytes, findings=findings)
