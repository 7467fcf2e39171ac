"""What ingest learns from the drafts register about a signed PDF: whether its text is the approved text
(:mod:`.comparison`), and what looks wrong. Each finding is a warning for the sidecar and the ingest line;
nothing here stops an ingest: a signed original is archived whatever its text says.

Warnings: the PDF still carries the draft mark BOZZA / ПРОЕКТ; its reference is unknown to the register;
the register's parties are not named in it, or the parties given at ingest are not the register's; its date
of signature is not the draft's; and the comparison's own (compared with a draft, another version named in
the footer).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..archive.placedate import find_place_and_date
from ..archive.prepare import TextCheck
from ..drafting import register
from ..errors import TaskforceError
from ..workspace import Workspace
from . import signedtext
from .comparison import Comparison, compare_signed, read_draft, verdict

GIVEN_SOURCES = ("option", "manifest")   # metadata sources that are a person's word, not the register's


@dataclass
class DraftCheck:
    comparison: dict | None = None               # Comparison.summary(): what the sidecar keeps
    warnings: list[str] = field(default_factory=list)
    event: tuple[str, str] | None = None         # (outcome, detail) of the PREMIS event, when compared
    result: Comparison | None = None


def check_signed(ws: Workspace, pages: list[str], page_sources: list[str], reference: str | None,
                 parties: list[str] = (), parties_given: bool = False, signed_on: dt.date | None = None,
                 signed_on_source: str | None = None) -> DraftCheck:
    """Compare a signed PDF with its draft when the register knows its ``reference``; warn about the rest.
    ``parties_given``: the parties came from an option or a manifest (not from the register)."""
    check = DraftCheck()
    mark = signedtext.find_draft_mark(pages)
    if reference is None or not any(e.reference == reference for e in register.entries(ws)):
        if reference is not None:
            check.warnings.append(f"the reference {reference} is unknown to the drafts register: not compared "
                                  f"with a draft")
        if mark:
            check.warnings.append(f"the PDF still carries the draft mark '{mark}': a draft archived as if it "
                                  f"were signed?")
        return check
    try:
        result = compare_signed(ws, pages, page_sources, reference)
    except TaskforceError as err:
        check.warnings.append(f"not compared with its draft: {err.message}")
        if mark:
            check.warnings.append(f"the PDF still carries the draft mark '{mark}': a draft archived as if it "
                                  f"were signed?")
        check.event = ("failure", f"{reference}: not compared with its draft: {err.message}")
        return check
    entry = next(e for e in register.entries(ws) if e.reference == reference and e.version == result.version)
    check.result, check.comparison = result, result.summary()
    check.warnings += result.warnings
    check.warnings += register_differences(ws, entry, pages, parties, parties_given, signed_on, signed_on_source)
    counts = "; ".join(f"{code}: {lang.changed} changed, {lang.added} added, {lang.removed} removed"
                       for code, lang in result.languages.items() if not lang.identical)
    check.event = ("success" if result.identical else "failure",
                   f"{reference}: {result.verdict()} ({result.version_choice}; {result.method})"
                   + (f"; {counts}" if counts else ""))
    return check


def check_text(ws: Workspace, pages: list[str], page_sources: list[str], values: dict, sources: dict) -> TextCheck:
    """The archive's ``check_text`` at ingest: :func:`check_signed` on the resolved metadata."""
    check = check_signed(ws, pages, page_sources, values.get("reference"), values.get("parties", []),
                         sources.get("parties") in GIVEN_SOURCES, values.get("signed_on"), sources.get("signed_on"))
    return TextCheck(check.comparison, check.warnings, check.event, verdict(check.comparison))


def register_differences(ws: Workspace, entry: register.DraftEntry, pages: list[str], parties: list[str], parties_given: bool,
                         signed_on: dt.date | None, signed_on_source: str | None) -> list[str]:
    """The signed PDF's parties and date against the register's entry and its draft."""
    found = []
    text = f" {' '.join(signedtext.tokens(' '.join(pages)))} "
    labels = [label for label in entry.parties or [] if isinstance(label, str)]
    for label in labels:
        names = [name.strip() for name in label.split(" / ") if name.strip()]
        if names and not any(f" {' '.join(signedtext.tokens(name))} " in text for name in names):
            found.append(f"the drafts register's party '{label}' is not named in the signed text")
    if parties_given and labels:
        known = {" ".join(signedtext.tokens(name)) for label in labels for name in [label, *label.split(" / ")]}
        strangers = [party for party in parties if " ".join(signedtext.tokens(party)) not in known]
        if strangers:
            found.append(f"the parties given at ingest ({'; '.join(strangers)}) are not the drafts register's "
                         f"({'; '.join(labels)})")
    draft_file = ws.home / entry.file
    if signed_on is not None and draft_file.is_file():
        try:
            texts = read_draft(draft_file)
        except TaskforceError:
            return found
        _, drafted = find_place_and_date("\n".join(texts["it"] + texts["ru"]))
        if drafted is not None and drafted != signed_on:
            found.append(f"the date of signature {signed_on.isoformat()} ({signed_on_source or 'given'}) is not "
                         f"the date of {entry.reference} v{entry.version} ({drafted.isoformat()})")
    return found
