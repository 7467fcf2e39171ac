"""The drafts register: one JSON line per rendered draft version, in ``drafts/register.jsonl``.

Drafting appends to it; the archive reads it to link a signed PDF (whose text carries a reference code
such as ``TF25-AGR-003``) back to its draft. Lines are only ever appended, each with a single write under
O_APPEND, so concurrent writers never interleave within a line.
"""
from __future__ import annotations

import json
import re

from ..fsutil import append_durably, storage_error
from ..workspace import Workspace

REGISTER_NAME = "register.jsonl"
# TF25-PROT, TF25-AGR-003, TF25-MOU-001
REFERENCE_PATTERN = re.compile(r"\bTF(?P<session>\d{1,3})-(?P<kind>PROT|AGR|MOU)(?:-(?P<serial>\d{3}))?\b")
KIND_CODES = {"protocol": "PROT", "agreement": "AGR", "memorandum": "MOU"}
ENTRY_FIELDS = ("reference", "session", "kind", "title", "parties", "sectors", "subject", "version", "state",
                "sha256", "file", "created_at")


def register_path(ws: Workspace):
    return ws.drafts / REGISTER_NAME


def append_entry(ws: Workspace, entry: dict) -> None:
    """Append one version's entry (the keys of ENTRY_FIELDS) to the register, durably."""
    missing = [key for key in ENTRY_FIELDS if key not in entry]
    if missing:
        raise ValueError(f"register entry lacks {', '.join(missing)}")
    line = (json.dumps(entry, ensure_ascii=False, sort_keys=True, default=str) + "\n").encode("utf-8")
    path = register_path(ws)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        append_durably(path, line)
    except OSError as err:
        raise storage_error(err, f"the drafts register {path}", "the register is as it was before") from None


def entries(ws: Workspace) -> list[dict]:
    """Every entry, oldest first. A torn last line (a crash mid-write) is ignored."""
    path = register_path(ws)
    if not path.is_file():
        return []
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            found.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return found


def latest(ws: Workspace, reference: str) -> dict | None:
    """The newest version's entry for ``reference``, or None."""
    matching = [entry for entry in entries(ws) if entry.get("reference") == reference]
    return max(matching, key=lambda entry: entry.get("version", 0)) if matching else None


def find_references(text: str) -> list[str]:
    """Reference codes in a text, in order of first appearance, without repeats."""
    seen = []
    for match in REFERENCE_PATTERN.finditer(text):
        if match.group(0) not in seen:
            seen.append(match.group(0))
    return seen
