"""The versions of a draft: the newest of each reference, every version of one, and the redline between two."""
from __future__ import annotations

import difflib

from . import register
from .docx import text_by_language
from ..errors import NotFoundError, ValidationError
from ..workspace import Workspace


class VersionNotFoundError(NotFoundError):
    """A version number the reference does not have: a mistake in the command's arguments, so the CLI exits
    with 2 (bad usage), as for any other wrong argument."""

    exit_code = 2


def list_drafts(ws: Workspace, session: int | None = None) -> list[dict]:
    """One row per reference: its newest version."""
    newest: dict[str, register.DraftEntry] = {}
    counts: dict[str, int] = {}
    for entry in register.entries(ws.require()):
        if session is not None and entry.session != session:
            continue
        counts[entry.reference] = counts.get(entry.reference, 0) + 1
        if entry.reference not in newest or entry.version > newest[entry.reference].version:
            newest[entry.reference] = entry
    return [{**newest[ref].as_dict(), "versions": counts[ref]} for ref in sorted(newest, key=_reference_sort_key)]


def _reference_sort_key(reference: str):
    match = register.REFERENCE_PATTERN.fullmatch(reference)
    if not match:
        return (10**6, 0, 0, reference)
    return (int(match["session"]), ("PROT", "AGR", "MOU").index(match["kind"]), int(match["serial"] or 0), reference)


def draft_versions(ws: Workspace, reference: str) -> list[register.DraftEntry]:
    found = sorted((e for e in register.entries(ws.require()) if e.reference == reference), key=lambda e: e.version)
    if not found:
        known = ", ".join(sorted({e.reference for e in register.entries(ws)}, key=_reference_sort_key)[:10])
        raise NotFoundError(f"no draft {reference} in the drafts register" +
                            (f" (known: {known}…)" if known else "; render one with 'taskforce draft'"))
    return found


def show_draft(ws: Workspace, reference: str) -> dict:
    versions = draft_versions(ws, reference)
    newest = versions[-1].as_dict()
    newest["versions"] = [{"version": e.version, "state": e.state, "created_at": e.created_at,
                           "sha256": e.sha256, "file": e.file,
                           **{key: value for key, value in (("author", e.author), ("origin", e.origin),
                                                            ("approved_from", e.approved_from), ("pdf", e.pdf))
                              if value is not None}} for e in versions]
    return newest


def diff_drafts(ws: Workspace, reference: str, old: int | None = None, new: int | None = None) -> dict:
    """A paragraph-level redline between two versions, per language (the newest two by default)."""
    versions = {e.version: e for e in draft_versions(ws, reference)}
    if old is None and new is None:
        if len(versions) < 2:
            raise NotFoundError(f"{reference} has only one version; render it again to have something to compare")
        new, old = sorted(versions)[-1], sorted(versions)[-2]
    elif new is None:
        raise ValidationError("give two versions to compare, e.g. 'taskforce draft diff REF 1 3', or none")
    for version in (old, new):
        if version not in versions:
            raise VersionNotFoundError(f"{reference} has no version {version} (versions: "
                                f"{', '.join(map(str, sorted(versions)))})")
    texts = []
    layout = versions[new].order or "it-ru"      # both in the same layout: the closing clause names its languages
    for version in (old, new):                   # in the layout's order
        path = ws.home / file_in_layout(versions[version], layout)
        if not path.is_file():
            raise NotFoundError(f"{path} (version {version} of {reference}) is missing from the drafts folder")
        texts.append(text_by_language(path))
    changes = {lang: _paragraph_changes(texts[0][lang], texts[1][lang]) for lang in ("it", "ru")}
    return {"reference": reference, "old": old, "new": new, "changes": changes,
            "identical": not any(changes.values())}


def file_in_layout(entry: register.DraftEntry, layout: str) -> str:
    """The version's file in ``layout`` (it-ru, ru-it), else its own."""
    alternat = entry.alternat or {}
    if (entry.order or "it-ru") != layout and alternat.get("order") == layout and isinstance(alternat.get("file"), str):
        return alternat["file"]
    return entry.file


def _paragraph_changes(old: list[str], new: list[str]) -> list[dict]:
    changes = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op != "equal":
            context = old[a1 - 1] if a1 > 0 else None
            changes.append({"op": {"replace": "changed", "delete": "removed", "insert": "added"}[op],
                            "after": context, "old": old[a1:a2], "new": new[b1:b2]})
    return changes


# --- templates --------------------------------------------------------------------------------------------
