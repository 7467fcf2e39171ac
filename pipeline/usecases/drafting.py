"""The legal staff's use cases: rendering the next version of a Protocol or an agreement (a new entry of the
drafts register), and reading the drafts and the templates."""
from __future__ import annotations

from pathlib import Path

from .. import drafting
from ..compare.words import paired
from ..errors import NotFoundError
from ..drafting import check_template, diff_drafts, list_drafts, list_templates, show_draft
from ..workspace import Workspace

__all__ = ["check_template", "diff_drafts", "draft_file", "draft_redline", "list_drafts", "list_templates",
           "reference_versions", "render_agreement", "render_protocol", "show_draft"]


def render_protocol(ws: Workspace, session: int, *, order: str = "it-ru", final: bool = False,
                    pdf: bool = False, include_restricted: bool = False) -> dict:
    """Render the next version of the Protocol of ``session`` (its annex: the session's agreements of the
    drafts register, restricted ones only with ``include_restricted``); the register's new entry."""
    return drafting.render_protocol(ws.require(), session, order=order, final=final, pdf=pdf,
                                    include_restricted=include_restricted)


def render_agreement(ws: Workspace, session: int, data: str | Path | dict, *, kind: str | None = None,
                     final: bool = False, pdf: bool = False, order: str = "it-ru",
                     reference: str | None = None) -> dict:
    """Render the next version of an agreement of ``session`` from the data file ``data`` (a new reference,
    or a new version of ``reference`` / of the file rendered before); the register's new entry."""
    return drafting.render_agreement(ws.require(), session, data, kind=kind, final=final, pdf=pdf, order=order,
                                     reference=reference)


# --- what the web page's drafts pages read (pipeline/web/references.py) ------------------------------------
def reference_versions(ws: Workspace, reference: str) -> list:
    """Every version of ``reference`` (its DraftEntry), oldest first; a NotFoundError for an unknown one."""
    return drafting.draft_versions(ws.require(), reference)


def draft_redline(ws: Workspace, reference: str, old: int, new: int) -> dict:
    """The redline between versions ``old`` and ``new`` of ``reference`` (:func:`diff_drafts`), each changed
    paragraph's words marked as the archive's redline marks them: ``words`` of each change are its
    draft/draft pairs of (op, text) segments."""
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
    entry = next((e for e in reference_versions(ws, reference) if e.version == version), None)
    layouts = {}
    if entry is not None:
        layouts[entry.order or "it-ru"] = {"docx": entry.file, "pdf": entry.pdf}
        if entry.alternat:
            layouts[entry.alternat.get("order")] = {"docx": entry.alternat.get("file"),
                                                    "pdf": entry.alternat.get("pdf")}
    relative = layouts.get(order, {}).get(kind) if kind in DRAFT_FILE_KINDS else None
    if not relative:
        raise NotFoundError(f"{reference} v{version} has no {kind} of the {order} layout")
    path = (ws.home / relative).resolve()
    if not path.is_relative_to(ws.drafts.resolve()) or not path.is_file():
        raise NotFoundError(f"{reference} v{version}: {relative} is missing from the drafts folder")
    return path, f"{reference}-v{version}-{order}.{kind}"
