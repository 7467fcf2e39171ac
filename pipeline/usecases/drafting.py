"""The legal staff's use cases: rendering the next version of a Protocol or an agreement (a new entry of the
drafts register), and reading the drafts and the templates."""
from __future__ import annotations

from pathlib import Path

from .. import drafting
from ..drafting import check_template, diff_drafts, list_drafts, list_templates, show_draft
from ..workspace import Workspace

__all__ = ["check_template", "diff_drafts", "list_drafts", "list_templates", "render_agreement", "render_protocol",
           "show_draft"]


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
