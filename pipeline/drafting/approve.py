"""What is done with an existing version without rendering it again: approving it as the final text (the same
text, the draft mark removed), making the PDF originals of both its layouts, and taking back a copy of it
edited in Word as the next version (checked by wordimport.py).

A version's text is its .docx files, whatever made them (a data file, the web form, a .docx imported from
Word): approving one stamps those files as the next version, final (wordfile.stamp), so that the approved
text is exactly the text that was read, in both layouts; the register records which version was approved
(``approved_from``) and by whom (``author``).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import tempfile
from pathlib import Path

from . import forms, register
from .docx import convert_many_to_pdf, find_soffice
from .render import LOCK_TIMEOUT, _store_version
from .versions import VersionNotFoundError, draft_versions
from .wordfile import OTHER, other_layout, stamp
from .wordimport import check_table, read_import, table_rows
from ..errors import ConflictError, NotFoundError
from ..fsutil import atomic_write_bytes, storage_error
from ..locks import held
from ..workspace import Workspace

# what a new version made from another keeps of it (the rest is the new version's own)
CARRIED = ("reference", "session", "kind", "title", "parties", "sectors", "subject", "order", "confidentiality",
           "source", "texts", "unused_fields", "annex", "annex_left_out", "forms")


def version_entry(ws: Workspace, reference: str, version: int | None = None) -> register.DraftEntry:
    """The register entry of ``version`` of ``reference`` (the newest without one)."""
    versions = draft_versions(ws, reference)
    if version is None:
        return versions[-1]
    for entry in versions:
        if entry.version == version:
            return entry
    raise VersionNotFoundError(f"{reference} has no version {version} (versions: "
                               f"{', '.join(str(e.version) for e in versions)})")


def layouts(entry: register.DraftEntry) -> dict[str, str]:
    """The version's .docx files by layout (it-ru, ru-it), relative to the workspace."""
    found = {entry.order or "it-ru": entry.file}
    alternat = entry.alternat or {}
    if isinstance(alternat.get("file"), str) and alternat.get("order"):
        found[alternat["order"]] = alternat["file"]
    return found


def read_checked(ws: Workspace, entry: register.DraftEntry, relative: str, sha256: str | None) -> bytes:
    """A version's file, refused when it is missing or no longer the file the register recorded."""
    path = ws.home / relative
    try:
        data = path.read_bytes()
    except OSError:
        raise NotFoundError(f"{relative} (version {entry.version} of {entry.reference}) is missing from the "
                            f"drafts folder") from None
    if sha256 and hashlib.sha256(data).hexdigest() != sha256:
        raise ConflictError(f"{relative} (version {entry.version} of {entry.reference}) was changed after it was "
                            f"registered (its SHA-256 is not the register's): it is not that version's text any "
                            f"more; take a changed text back with 'draft import'")
    return data


def approve(ws: Workspace, reference: str, version: int | None = None, actor: str | None = None) -> dict:
    """Make ``version`` of ``reference`` (the newest by default) the final text: its files, in both layouts,
    become the next version with the state final, the footer's draft mark removed and the properties saying
    final; the register's new entry (``approved_from``, ``author``). Refused while a derived form of that
    version is unknown or doubtful, naming each field."""
    ws.require()
    entry = version_entry(ws, reference, version)
    if entry.state == "final":
        raise ConflictError(f"{reference} v{entry.version} is final already (approved"
                            + (f" from v{entry.approved_from}" if entry.approved_from else "") + ")")
    approvals = [e.version for e in draft_versions(ws, reference) if e.approved_from == entry.version]
    if approvals:
        raise ConflictError(f"{reference} v{entry.version} is approved already: v{approvals[0]} is its final text")
    forms.require_confirmed_forms(entry.forms, entry.source or f"{reference} v{entry.version}",
                                  f"{reference} v{entry.version}", code="approve.forms_unconfirmed")
    texts = {layout: read_checked(ws, entry, relative, recorded_sha256(entry, layout))
             for layout, relative in layouts(entry).items()}
    if len(texts) < 2:   # a version from before the alternat: its other layout made now
        made = entry.order or "it-ru"
        texts[OTHER[made]] = other_layout(texts[made], made)
    new = {key: value for key, value in entry.as_dict().items() if key in CARRIED}
    new.update(state="final", author=actor, origin="approved", based_on=entry.version,
               approved_from=entry.version, order=entry.order or "it-ru")

    def final_text(ref: str, number: int, layout: str) -> bytes:
        return stamp(texts[layout], ref, number, final=True, order=layout)

    return _store_version(ws, new, final_text)


def make_pdfs(ws: Workspace, reference: str, version: int | None = None, actor: str | None = None) -> dict:
    """Both PDF originals (Italian first, Russian first) of an existing version, converted by LibreOffice
    from its .docx files as they are (not rendered again), written beside them and recorded by an addendum
    line of the register (register.py). A layout that has its PDF keeps it (made with ``--pdf`` or before);
    returns the version's entry with ``made``: False when nothing had to be made. A PDF the register records
    but the disk lacks is a ConflictError: it is not made again over its record."""
    ws.require()
    entry = version_entry(ws, reference, version)
    missing = pdfs_to_make(ws, entry)
    if not missing:
        return {**entry.as_dict(), "made": False}
    find_soffice()
    sources = {layout: ws.home / relative for layout, relative in layouts(entry).items() if layout in missing}
    for layout in sources:
        read_checked(ws, entry, layouts(entry)[layout], recorded_sha256(entry, layout))
    with tempfile.TemporaryDirectory(prefix="taskforce-pdfs-") as tmp:   # LibreOffice runs outside the lock
        convert_many_to_pdf(list(sources.values()), Path(tmp))
        pdfs = {layout: (Path(tmp) / f"{path.stem}.pdf").read_bytes() for layout, path in sources.items()}
    with held(ws.drafts / ".register.lock", LOCK_TIMEOUT, "recording a draft's PDFs"):
        current = version_entry(ws, reference, entry.version)
        still = pdfs_to_make(ws, current)        # another process may have made them meanwhile
        if not still:
            return {**current.as_dict(), "made": False}
        written, addendum = [], {"addendum": "pdf", "reference": reference, "version": entry.version,
                                 "author": actor, "alternat": {},
                                 "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
        try:
            for layout in still:
                target = sources[layout].with_suffix(".pdf")
                target.unlink(missing_ok=True)   # a PDF the register does not name (a crash before its line)
                atomic_write_bytes(target, pdfs[layout], overwrite=False)
                written.append(target)
                place = addendum if relative_is_main(entry, layout) else addendum["alternat"]
                place.update(pdf=str(target.relative_to(ws.home)),
                             pdf_sha256=hashlib.sha256(pdfs[layout]).hexdigest())
            register.append_addendum(ws, addendum)
        except BaseException as err:
            for path in written:
                path.unlink(missing_ok=True)
            if isinstance(err, OSError):
                raise storage_error(err, f"the PDFs of {reference} v{entry.version}", "none was kept") from None
            raise
    return {**version_entry(ws, reference, entry.version).as_dict(), "made": True}


def pdfs_to_make(ws: Workspace, entry: register.DraftEntry) -> list[str]:
    """The layouts of the version whose PDF is not recorded; a recorded PDF missing from the disk is a
    ConflictError."""
    missing = []
    for layout, pdf in recorded_pdfs(entry).items():
        if pdf is None:
            missing.append(layout)
        elif not (ws.home / pdf).is_file():
            raise ConflictError(f"{pdf} ({entry.reference} v{entry.version}) is in the drafts register but missing "
                                f"from the drafts folder; it is not made again over its record")
    return missing


def relative_is_main(entry: register.DraftEntry, layout: str) -> bool:
    return layout == (entry.order or "it-ru")


def recorded_pdfs(entry: register.DraftEntry) -> dict[str, str | None]:
    """The PDF the register records for each layout of the version (None: none)."""
    return {layout: entry.pdf if relative_is_main(entry, layout) else (entry.alternat or {}).get("pdf")
            for layout in layouts(entry)}


def recorded_sha256(entry: register.DraftEntry, layout: str) -> str | None:
    return entry.sha256 if relative_is_main(entry, layout) else (entry.alternat or {}).get("sha256")


def import_version(ws: Workspace, reference: str, data: bytes, filename: str, actor: str | None = None) -> dict:
    """A .docx edited in Word (``data``, named ``filename`` by its owner) as the next version of ``reference``,
    a draft with ``origin`` "imported": stored as given, its footer and properties stamped with the new
    version, its other layout made from it (wordfile.other_layout). Refused (ValidationError with a code, its
    field "file") as wordimport.py says. The entry gets ``based_on`` (the version it came from: its footer's,
    else the newest), ``original_name`` and ``warnings`` (each section changed in one language only; a note
    when the version its footer names is not in the register). Derived forms the register marks a guess or
    doubtful stay so while their text is still printed; one whose text was replaced in Word was decided by a
    person (source "edited")."""
    from docx import Document

    ws.require()
    versions = draft_versions(ws, reference)
    imported = read_import(data, filename, reference)
    known = {entry.version: entry for entry in versions}
    warnings = []
    base = known.get(imported.came_from)
    if base is None:
        base = versions[-1]
        if imported.came_from is not None:
            warnings.append(f"its footer names v{imported.came_from}, which the register does not have: compared "
                            f"with v{base.version}, the newest")
    base_files = layouts(base)
    layout = imported.layout
    if layout in base_files:
        before = read_checked(ws, base, base_files[layout], recorded_sha256(base, layout))
    else:
        made = base.order or "it-ru"
        before = other_layout(read_checked(ws, base, base_files[made], base.sha256), made)
    warnings += check_table(imported, table_rows(Document(io.BytesIO(before))))
    new = {key: value for key, value in base.as_dict().items() if key in CARRIED}
    new.update(state="draft", author=actor, origin="imported", based_on=base.version, order=layout,
               original_name=imported.name, forms=edited_forms(base.forms, imported.text, base.version))
    texts = {layout: imported.data, OTHER[layout]: other_layout(imported.data, layout)}

    def imported_text(ref: str, number: int, which: str) -> bytes:
        return stamp(texts[which], ref, number, final=False, order=which)

    entry = _store_version(ws, new, imported_text)
    return {**entry, "warnings": warnings}


def edited_forms(derived: list[dict], text: str, version: int) -> list[dict]:
    """The derived forms of the version an import came from, for the imported version: a guess or a doubtful
    form whose text the document no longer prints was replaced in Word, by a person."""
    plain = " ".join(text.split())
    kept = []
    for form in derived:
        if form.get("source") in forms.UNCONFIRMED and " ".join(form["form"].split()) not in plain:
            form = {**form, "source": "edited", "note": f"not in the text any more: changed in Word after v{version}"}
        kept.append(form)
    return kept
