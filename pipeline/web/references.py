"""The drafts of the legal staff (issue 23 items 3 and 4, the pages that read): ``/drafts``, every reference
of the drafts register with its newest version, and ``/drafts/REF``, one reference: its versions, their
files to download and the word-level redline between any two versions.

Only the roles legal and admin see them: a visitor gets the 404 of a page that does not exist (for every
``/drafts`` address, before the register is read), any other account a 403. Files are served from the paths
the register names (use case draft_file), never from a path in the request; their download names are made
here from the reference, the version and the layout.
"""
from __future__ import annotations

import os

from flask import Flask, abort, render_template, request, send_file

from ..errors import NotFoundError, TaskforceError
from ..vocab import LANGUAGES
from .language import _t, ui_lang
from .roles import require_role
from .services import use_cases
from . import draftactions as actions

MAX_REFERENCE = 40          # TF25-AGR-003: longer is no reference
LAYOUTS = ("it-ru", "ru-it")


def entry_title(row: dict | None) -> str:
    """A reference's title in the page's language (the register keeps both for a newer render)."""
    if not row:
        return ""
    texts = (row.get("texts") or {}).get("title") or {}
    return texts.get(ui_lang()) or texts.get("it") or row.get("title") or ""


def source_label(row: dict) -> str:
    """Where the version's text came from, in the page's language: the web form, a data file (its name only),
    an imported .docx (its own name), approved from a version, or the session registry (a Protocol)."""
    source = row.get("source")
    if source == "data file":
        return _t("dr.source.data", name=os.path.basename(str(row.get("data_file") or "")))
    if source == "imported":
        return _t("dr.source.imported", name=row.get("original_name") or "")
    if source == "approved":
        return _t("dr.source.approved", version=row.get("approved_from") or "?")
    if source == "form":
        return _t("dr.source.form")
    return _t("dr.source.registry")


def _versions_or_404(reference: str) -> list:
    if len(reference) > MAX_REFERENCE:
        abort(404)
    try:
        return use_cases().draft_versions(reference)
    except NotFoundError:
        abort(404)


def _version_arg(name: str, versions: list[int], errors: dict) -> int | None:
    text = request.args.get(name, "").strip()[:10]
    if not text:
        return None
    if not text.isdigit() or int(text) not in versions:
        errors[name] = _t("dr.err.version", value=text, versions=", ".join(map(str, versions)))
        return None
    return int(text)


def redline(reference: str, numbers: list[int], errors: dict,
            compared: tuple[int, int] | None = None) -> tuple[dict | None, int | None, int | None]:
    """The redline the page's GET form asks for (``old``, ``new``; the newest two by default), or that of
    the two versions ``compared``."""
    old, new = compared or (_version_arg("old", numbers, errors), _version_arg("new", numbers, errors))
    if errors:
        return None, old, new
    if old is None and new is None:
        if len(numbers) < 2:
            return None, None, None
        old, new = numbers[-2], numbers[-1]
    elif old is None or new is None:
        errors["old" if old is None else "new"] = _t("dr.err.both")
        return None, old, new
    try:
        result = use_cases().draft_redline(reference, old, new)
    except TaskforceError as err:
        errors["new"] = err.message
        return None, old, new
    result["languages"] = [(code, result["changes"][code]) for code in LANGUAGES if result["changes"].get(code)]
    return result, old, new


def render_reference(reference: str, versions: list, *, status: int = 200, compared=None, **extra):
    """The reference's page (also after an action posted to it: its result in ``extra``; ``compared``: the
    two versions whose redline to show instead of those the query string asks for)."""
    numbers = [row["version"] for row in versions]
    errors: dict[str, str] = {}
    result, old, new = redline(reference, numbers, errors, compared)
    listed = next((row for row in use_cases().list_drafts() if row["reference"] == reference), None)
    return render_template("reference.html", reference=reference, versions=list(reversed(versions)),
                           newest=versions[-1], title=entry_title(listed), numbers=numbers, result=result,
                           old=old, new=new, errors=errors, source=source_label, layouts=LAYOUTS,
                           approved={row["approved_from"] for row in versions if row.get("approved_from")},
                           upload_limit=actions.UPLOAD_LIMIT, **extra), 400 if errors and status == 200 else status


def register(app: Flask) -> None:
    @app.get("/drafts")
    @require_role("legal")
    def drafts_list():
        rows = use_cases().list_drafts()
        for row in rows:
            title = (row.get("texts") or {}).get("title") or {}
            row["shown_title"] = title.get(ui_lang()) or title.get("it") or row.get("title")
            row["shown_author"] = row.get("author")
        return render_template("drafts.html", rows=rows)

    @app.get("/drafts/<reference>")
    @require_role("legal")
    def draft_reference(reference):
        return render_reference(reference, _versions_or_404(reference), message=actions.done_message())

    @app.get("/drafts/<reference>/<int:version>/<any('it-ru', 'ru-it'):order>.<any(docx, pdf):kind>")
    @require_role("legal")
    def draft_download(reference, version, order, kind):
        try:
            path, name = use_cases().draft_file(reference, version, order, kind)
        except NotFoundError:
            abort(404)
        mimetype = ("application/pdf" if kind == "pdf" else
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        return send_file(path, mimetype=mimetype, as_attachment=True, download_name=name, max_age=0)

    actions.register(app, _versions_or_404, render_reference)
