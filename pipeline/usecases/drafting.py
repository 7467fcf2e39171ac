"""The legal staff's use cases: rendering the next version of a Protocol or an agreement (a new entry of the
drafts register), and reading the drafts and the templates."""
from __future__ import annotations

from pathlib import Path

from .. import drafting
from ..compare.comparison import redline_lines
from ..compare.words import paired
from ..errors import NotFoundError
from ..drafting import approve, check_template, diff_drafts, list_drafts, list_templates, show_draft
from ..drafting.forms import UNCONFIRMED
from ..drafting.wordimport import MAX_BYTES as IMPORT_LIMIT   # the largest .docx an import takes
from ..drafting.versions import draft_versions as _register_versions
from ..workspace import Workspace

__all__ = ["approve_version", "check_template", "diff_drafts", "draft_file", "draft_redline", "draft_versions",
           "import_docx", "list_drafts", "list_templates", "render_agreement", "render_protocol", "show_draft",
           "version_pdfs"]

# how each version came to be, as the reference's page and 'draft show' say it (DraftEntry.origin); a line
# written before origins were recorded was rendered from a data file (an agreement) or the session (a Protocol)
ORIGINS = {"data file": "data file", "form": "form", "session": "rendered", "imported": "imported",
           "approved": "approved"}


def render_protocol(ws: Workspace, session: int, *, order: str = "it-ru", final: bool = False,
                    pdf: bool = False, include_restricted: bool = False, actor: str | None = None) -> dict:
    """Render the next version of the Protocol of ``session`` (its annex: the session's agreements of the
    drafts register, restricted ones only with ``include_restricted``); the register's new entry, its
    ``author`` ``actor``."""
    return drafting.render_protocol(ws.require(), session, order=order, final=final, pdf=pdf,
                                    include_restricted=include_restricted, actor=actor)


def render_agreement(ws: Workspace, session: int, data: str | Path | dict, *, kind: str | None = None,
                     final: bool = False, pdf: bool = False, order: str = "it-ru",
                     reference: str | None = None, actor: str | None = None, origin: str = "data file") -> dict:
    """Render the next version of an agreement of ``session`` from the data file ``data`` (a new reference,
    or a new version of ``reference`` / of the file rendered before); the register's new entry, its ``author``
    ``actor`` and its ``origin`` ("data file", or "form" for the web page's form)."""
    return drafting.render_agreement(ws.require(), session, data, kind=kind, final=final, pdf=pdf, order=order,
                                     reference=reference, actor=actor, origin=origin)


def approve_version(ws: Workspace, reference: str, version: int | None = None, actor: str | None = None) -> dict:
    """Approve ``version`` of ``reference`` (the newest by default) as the final text: the same text, in both
    layouts, becomes the next version, final, without the draft mark; the register's new entry as a dict
    (``approved_from``: the version approved, ``author``: ``actor``). A ValidationError naming each field while
    a derived form of that version is unknown or doubtful (``findings``, its ``field`` "final"); a
    ConflictError when it is final already or its file changed after it was registered."""
    return approve.approve(ws.require(), reference, version, actor)


def version_pdfs(ws: Workspace, reference: str, version: int | None = None, actor: str | None = None) -> dict:
    """Both PDF originals (Italian first: ``pdf``, Russian first: ``alternat.pdf``) of an existing version (the
    newest by default), made by LibreOffice from its .docx files without rendering them again and recorded in
    the register by an addendum line (drafting/register.py); the version's entry as a dict, ``made`` False when
    it had both already. ToolMissingError without LibreOffice."""
    return approve.make_pdfs(ws.require(), reference, version, actor)


def draft_versions(ws: Workspace, reference: str) -> list[dict]:
    """Every version of ``reference``, oldest first, as the reference's page lists them: ``version``,
    ``state``, ``author`` (None: not recorded), ``created_at``, ``source`` (how it came: "data file", "form",
    "rendered" (a Protocol from the session), "imported", "approved"), ``data_file`` (the data file it was
    rendered from, if any), ``original_name`` (an imported .docx's name), ``approved_from`` / ``based_on``
    (the version it was made from), ``forms_to_confirm`` (the fields a final text still needs), and ``files``:
    {layout ("it-ru", "ru-it"): {"docx": path, "pdf": path or None}}, paths relative to the workspace.
    NotFoundError when the register has no such reference."""
    rows = []
    for entry in _register_versions(ws.require(), reference):
        files = {entry.order or "it-ru": {"docx": entry.file, "pdf": entry.pdf}}
        alternat = entry.alternat or {}
        if isinstance(alternat.get("file"), str):
            files[alternat.get("order", "ru-it")] = {"docx": alternat["file"], "pdf": alternat.get("pdf")}
        origin = entry.origin or ("rendered" if entry.kind == "protocol" else "data file")
        rows.append({"reference": entry.reference, "version": entry.version, "state": entry.state,
                     "author": entry.author, "created_at": entry.created_at, "source": ORIGINS.get(origin, origin),
                     "data_file": entry.source, "original_name": entry.original_name,
                     "approved_from": entry.approved_from, "based_on": entry.based_on, "order": entry.order or "it-ru",
                     "sha256": entry.sha256, "files": files,
                     "forms_to_confirm": [form["field"] for form in entry.forms
                                          if form.get("source") in UNCONFIRMED]})
    return rows


def import_docx(ws: Workspace, reference: str, docx_bytes: bytes, filename: str, actor: str | None = None) -> dict:
    """A .docx edited in Word (``docx_bytes``; ``filename``: its owner's name for it, recorded, never a path)
    as the next version of ``reference`` (``origin`` "imported", a draft). Refused with a ValidationError
    whose code says why (``import.*`` in errors.py, its ``field`` "file", ``findings`` naming each tracked
    change, comment or broken row): not a .docx, too large, a zip bomb, links to outside content, another
    reference's document, tracked changes or comments, a broken bilingual table. Returns the register's new
    entry with ``warnings`` (each section changed in one language only: "Articolo 3 – Durata: changed in
    Italian, not in Russian") and ``redline``: :func:`diff_drafts` between the version it came from
    (``based_on``) and the new one, in the new one's layout, with ``lines`` per language (the lines of
    ``taskforce draft diff``: '~' a changed paragraph, its words marked [-old-]{+new+})."""
    entry = approve.import_version(ws.require(), reference, docx_bytes, filename, actor)
    redline = diff_drafts(ws, reference, entry["based_on"], entry["version"])
    redline["lines"] = {lang: [line for change in changes for line in redline_lines(change)]
                        for lang, changes in redline["changes"].items()}
    return {**entry, "redline": redline}


# --- what the web page's reference page reads (pipeline/web/references.py) ----------------------------------
def draft_redline(ws: Workspace, reference: str, old: int, new: int) -> dict:
    """The redline between versions ``old`` and ``new`` of ``reference`` (:func:`diff_drafts`), each changed
    paragraph's words marked as the archive's redline marks them: the ``words`` of a change are the (op, text)
    segments of each old/new pair of paragraphs (compare/words.py)."""
    result = diff_drafts(ws.require(), reference, old, new)
    for changes in result["changes"].values():
        for change in changes:
            change["words"] = paired(change)[0]
    return result


DRAFT_FILE_KINDS = ("docx", "pdf")


def draft_file(ws: Workspace, reference: str, version: int, order: str, kind: str) -> tuple[Path, str]:
    """The file of one layout (``order``: it-ru or ru-it) of one version, as the register names it, and the
    name to download it under (``TF25-AGR-001-v2-ru-it.pdf``). A NotFoundError when the register names no
    such file (no PDF made yet, an unknown layout) or it is not inside the drafts folder: the path comes from
    the register, never from the caller."""
    ws = ws.require()
    row = next((row for row in draft_versions(ws, reference) if row["version"] == version), None)
    relative = (row["files"].get(order) or {}).get(kind) if row and kind in DRAFT_FILE_KINDS else None
    if not relative:
        raise NotFoundError(f"{reference} v{version} has no {kind} of the {order} layout")
    path = (ws.home / relative).resolve()
    if not path.is_relative_to(ws.drafts.resolve()) or not path.is_file():
        raise NotFoundError(f"{reference} v{version}: {relative} is missing from the drafts folder")
    return path, f"{reference}-v{version}-{order}.{kind}"
