"""Which draft a signed text is compared with: a reference's version in the drafts register, and of that
version the layouts (Italian first, Russian first) that are its approved text.

The newest **final** version of the reference, else its newest version (the answer says which and why), or
the version asked for. The reference is the one given, else the signed text's footer's, else the first code
in the text that the register knows.
"""
from __future__ import annotations

from ..drafting import register
from ..errors import NotFoundError
from ..workspace import Workspace
from .signedtext import footer_versions


def choose_version(ws: Workspace, reference: str, version: int | None = None) -> tuple[register.DraftEntry, str]:
    """The register entry to compare with, and why it was chosen."""
    entries = sorted((e for e in register.entries(ws) if e.reference == reference), key=lambda e: e.version)
    if not entries:
        raise NotFoundError(f"{reference} is not in the drafts register: there is no draft to compare with")
    if version is not None:
        for entry in entries:
            if entry.version == version:
                return entry, "as asked"
        raise NotFoundError(f"{reference} has no version {version} (versions: "
                            f"{', '.join(str(e.version) for e in entries)})")
    finals = [e for e in entries if e.state == "final"]
    if finals:
        return finals[-1], "newest final version"
    return entries[-1], "newest version; none is final"


def layout_files(entry: register.DraftEntry) -> list[str]:
    """The .docx files of a version: its own layout, then the alternat's (the other language first), when
    the register has one. Both are the approved text: a signed copy of either is compared with its own."""
    alternat = entry.alternat or {}
    return [entry.file] + ([alternat["file"]] if isinstance(alternat.get("file"), str) else [])


def find_reference(ws: Workspace, pages: list[str]) -> str | None:
    """The reference the signed text is a copy of: its footer's, else the first code in the text that the
    drafts register knows."""
    known = {e.reference for e in register.entries(ws)}
    for reference, _ in footer_versions(pages):
        if reference in known:
            return reference
    for reference in register.find_references("\n".join(pages)):
        if reference in known:
            return reference
    return None
