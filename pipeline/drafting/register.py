"""The drafts register: one JSON line per rendered draft version, in ``drafts/register.jsonl``.

Drafting appends to it; the archive reads it to link a signed PDF (whose text carries a reference code
such as ``TF25-AGR-003``) back to its draft. Lines are only ever appended, each with a single write under
O_APPEND, so concurrent writers never interleave within a line.

A version has one entry. What is made of an existing version later (its PDFs, ``taskforce draft pdf``) is an
*addendum* line, ``{"addendum": "pdf", "reference", "version", "pdf", "pdf_sha256", "alternat": {"pdf",
"pdf_sha256"}, "created_at", "author"}``: reading the register merges it into that version's entry, so that
the register stays append-only and ``draft show`` tells the truth. A reader that does not know addenda skips
them (they lack an entry's required keys), as it skips any line that is no entry.
"""
from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..cache import ContentCache, file_key
from ..fsutil import append_durably, storage_error
from ..workspace import Workspace

REGISTER_NAME = "register.jsonl"
# TF25-PROT, TF25-AGR-003, TF25-MOU-001
REFERENCE_PATTERN = re.compile(r"\bTF(?P<session>\d{1,3})-(?P<kind>PROT|AGR|MOU)(?:-(?P<serial>\d{3}))?\b")
KIND_CODES = {"protocol": "PROT", "agreement": "AGR", "memorandum": "MOU"}
# the fields a line has only when they say something (an entry made here without them: no key, as before)
WRITTEN_WHEN_SET = ("author", "origin", "based_on", "approved_from", "original_name")
ENTRY_FIELDS = ("reference", "session", "kind", "title", "parties", "sectors", "subject", "version", "state",
                "sha256", "file", "created_at")




@dataclass(frozen=True)
class DraftEntry:
    """One line of the drafts register: one rendered version of one draft. Every key drafting writes is a
    field here; keys this version of the code does not know (added by a newer drafting) are kept in
    ``extra`` and written back unchanged, and ``as_dict`` gives back the keys the line had, no more: reading
    a line never loses or adds anything."""

    reference: str                   # TF25-AGR-003
    session: int
    kind: str                        # protocol, agreement or memorandum
    title: str                       # the Italian title
    version: int
    state: str                       # draft or final
    file: str                        # the .docx, relative to the workspace
    sha256: str                      # of the .docx
    created_at: str                  # UTC, ISO 8601
    parties: list = field(default_factory=list)     # "it / ru" labels
    sectors: list = field(default_factory=list)
    subject: str | None = None
    order: str | None = None         # it-ru or ru-it
    confidentiality: str | None = None  # public, internal or restricted; None: not recorded (a public Protocol)
    source: str | None = None        # the data file the agreement was rendered from
    texts: dict = field(default_factory=dict)       # bilingual title, subject, parties
    unused_fields: list = field(default_factory=list)
    annex: list = field(default_factory=list)       # a Protocol's annexed agreements (references)
    annex_left_out: list = field(default_factory=list)  # restricted agreements a public Protocol leaves out
    forms: list = field(default_factory=list)       # every derived form (Russian case, gender) with its field
    pdf: str | None = None           # the PDF made with --pdf, relative to the workspace
    pdf_sha256: str | None = None
    # the same version in the other layout (the alternat): {"order", "file", "sha256"[, "pdf", "pdf_sha256"]}
    alternat: dict | None = None
    author: str | None = None        # who made this version: the OS user (CLI), the account (web)
    origin: str | None = None        # how: "data file", "form", "session" (a Protocol), "imported", "approved"
    based_on: int | None = None      # the version an imported or approved version was made from
    approved_from: int | None = None  # a final version made by approving that version (draft final)
    original_name: str | None = None  # an imported .docx's own file name (recorded, never used as a path)
    # an agreement's data the party register and the life of the agreement read (pipeline/index/parties.py,
    # life.py): {"parties": [{"name": {it, ru}, "country", "seat": {it, ru}}], "duration_months"}
    agreement: dict | None = None
    extra: dict = field(default_factory=dict)       # keys not known here, kept as they were
    # the known keys of the line it was read from; None (an entry made here): every field is written
    keys: tuple[str, ...] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_dict(cls, data: dict) -> "DraftEntry":
        """An entry from a register line; a key this class does not know goes to ``extra``. Raise
        ValueError when a required key is missing."""
        known = {f.name for f in dataclasses.fields(cls)} - {"extra", "keys"}
        missing = [f.name for f in dataclasses.fields(cls)
                   if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
                   and f.name not in data]
        if missing:
            raise ValueError(f"register entry lacks {', '.join(missing)}")
        values = {key: value for key, value in data.items() if key in known}
        for name in ("parties", "sectors", "texts", "unused_fields", "annex", "annex_left_out", "forms"):
            if values.get(name) is None:
                values.pop(name, None)
        return cls(**values, extra={key: value for key, value in data.items() if key not in known},
                   keys=tuple(key for key in data if key in known))

    def as_dict(self) -> dict:
        """The entry as its register line, keys in the line's order (sorted)."""
        data = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name not in ("extra", "keys")
                and (self.keys is None or f.name in self.keys)
                and not (self.keys is None and f.name in WRITTEN_WHEN_SET and getattr(self, f.name) is None)}
        return dict(sorted({**self.extra, **data}.items()))


ADDENDUM_KINDS = ("pdf",)


def with_addendum(entry: DraftEntry, addendum: dict) -> DraftEntry:
    """``entry`` with what an addendum line adds to it (its PDFs)."""
    alternat = dict(entry.alternat or {})
    alternat.update({key: value for key, value in (addendum.get("alternat") or {}).items()
                     if key in ("pdf", "pdf_sha256")})
    added = {key: addendum[key] for key in ("pdf", "pdf_sha256") if addendum.get(key)}
    added["alternat"] = alternat or entry.alternat
    keys = None if entry.keys is None else tuple(dict.fromkeys(entry.keys + tuple(added)))
    return dataclasses.replace(entry, **added, keys=keys)


def register_path(ws: Workspace):
    return ws.drafts / REGISTER_NAME


def append_entry(ws: Workspace, entry: DraftEntry) -> None:
    """Append one version's entry (with the keys of ENTRY_FIELDS) to the register, durably."""
    data = entry.as_dict()
    missing = [key for key in ENTRY_FIELDS if key not in data]
    if missing:
        raise ValueError(f"register entry lacks {', '.join(missing)}")
    _append_line(ws, data)


def append_addendum(ws: Workspace, data: dict) -> None:
    """Append an addendum line (see the module's doc) to the register, durably: the caller holds the drafts
    lock and has checked that the version exists."""
    if data.get("addendum") not in ADDENDUM_KINDS or not data.get("reference") or not data.get("version"):
        raise ValueError("an addendum names its kind, reference and version")
    _append_line(ws, data)


def _append_line(ws: Workspace, data: dict) -> None:
    line = (json.dumps(data, ensure_ascii=False, sort_keys=True, default=str) + "\n").encode("utf-8")
    path = register_path(ws)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        append_durably(path, line)
    except OSError as err:
        raise storage_error(err, f"the drafts register {path}", "the register is as it was before") from None


# the register is read on every render and by every file an ingest compares (several times each), and parsing
# it grows with it (a demo's 180 entries: ~30 ms a read); kept under the file's identity (path, inode, size,
# mtime in ns): an append, a cut-back torn line or a replaced file changes the key, so a stale read cannot happen.
# The entries are frozen: each caller gets its own list of the same entries.
_PARSED = ContentCache("drafting.register", 8, copy=list)


def entries(ws: Workspace) -> list[DraftEntry]:
    """Every entry, oldest first. A torn last line (a crash mid-write) is ignored, and so is a line that is no
    entry (one written by hand without a required key). Each call returns its own list (the parsed file is
    kept while the file is unchanged; the entries are frozen)."""
    path = register_path(ws)
    key = file_key(path)
    if key is None:
        return []
    return _PARSED.get(key, lambda: parse_file(path))


def parse_file(path: Path) -> list[DraftEntry]:
    """The entries of a register file as written, read afresh (:func:`entries` keeps them); a torn line, or a
    line that is no entry, is skipped."""
    found: list[DraftEntry] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            data = json.loads(line)
            if isinstance(data, dict) and data.get("addendum") in ADDENDUM_KINDS:
                at = next(n for n in range(len(found) - 1, -1, -1) if found[n].reference == data["reference"]
                          and found[n].version == data["version"])
                found[at] = with_addendum(found[at], data)
                continue
            found.append(DraftEntry.from_dict(data))
        except (json.JSONDecodeError, ValueError, TypeError, AttributeError, KeyError, StopIteration):
            continue
    return found


def latest(ws: Workspace, reference: str) -> DraftEntry | None:
    """The newest version's entry for ``reference``; None when there is none (the archive then does without
    the register)."""
    matching = [entry for entry in entries(ws) if entry.reference == reference]
    return max(matching, key=lambda entry: entry.version) if matching else None


def find_references(text: str) -> list[str]:
    """Reference codes in a text, in order of first appearance, without repeats."""
    seen = []
    for match in REFERENCE_PATTERN.finditer(text):
        if match.group(0) not in seen:
            seen.append(match.group(0))
    return seen
