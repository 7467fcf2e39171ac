"""The signed text against its approved draft, for staff only (issue 17): the document page's line ("Corrisponde
alla bozza finale v2", "Differisce dalla bozza finale v2 in 3 paragrafi (2 in italiano, 1 in russo)") and the
redline at /doc/ID/diff, the paragraphs ``taskforce archive diff`` prints, Italian and Russian separately.

The public sees neither the drafts nor the comparison: a visitor's document page has no line, and the redline's
address answers 404 for every document, exactly like a document that does not exist (before the archive is
even read, so that the answer cannot depend on it).
"""
from __future__ import annotations

import logging

from flask import Flask, abort, render_template

from ..archive.document import Document
from ..archive.store import Archive
from ..errors import TaskforceError
from ..vocab import LANGUAGES
from .language import _t, ui_lang
from .signin import current_user
from .site import _ws
from .visibility import _visible_record
from .services import use_cases
from .searchpage import _back_query

log = logging.getLogger("taskforce.web")


def _paragraphs(count: int) -> str:
    """"1 paragrafo" / "2 paragrafi"; in Russian after "в": "1 абзаце", "21 абзаце", "2 абзацах"."""
    one = count % 10 == 1 and count % 100 != 11 if ui_lang() == "ru" else count == 1
    return _t("draft.paragraphs.one" if one else "draft.paragraphs.many", n=count)


def comparison_line(summary: dict | None) -> str:
    """What the comparison recorded at ingest found, in the page's language (staff only)."""
    if not summary:
        return _t("draft.none")
    state = "final" if summary.get("state") == "final" else "draft"
    notes = []
    if summary.get("identical"):
        line = _t(f"draft.matches.{state}", version=summary["version"])
        if summary.get("method") != "text layer":
            notes.append(_t("draft.ocr"))
    else:
        counts = {code: sum((summary.get("languages") or {}).get(code, {}).values()) for code in LANGUAGES}
        per_language = ", ".join(_t(f"draft.in.{code}", n=n) for code, n in counts.items() if n)
        line = _t(f"draft.differs.{state}", version=summary["version"],
                  paragraphs=_paragraphs(sum(counts.values()))) + (f" ({per_language})" if per_language else "")
    if state != "final":
        notes.append(_t("draft.not_final"))
    line += "".join(f" ({note})" for note in notes)
    if summary.get("draft_mark"):
        line += "; " + _t("draft.mark", mark=summary["draft_mark"])
    return line


def document_comparison(record) -> dict | None:
    """The document page's line and whether to link the redline; None for a visitor."""
    if current_user() is None:
        return None
    summary = record.draft_comparison
    return {"line": comparison_line(summary), "differs": bool(summary and not summary.get("identical"))}


def register(app: Flask) -> None:
    @app.get("/doc/<doc_id>/diff")
    def document_diff(doc_id):
        if current_user() is None:
            abort(404)                  # a visitor: as if no document had a redline (or existed at all)
        record = _visible_record(Archive(_ws()), doc_id)
        summary = record.draft_comparison
        if not summary:
            abort(404)                  # never compared: there is no redline
        try:
            # the version the recorded comparison names, so that the redline is the line's
            result = use_cases().compare_document(record.doc_id, summary["version"])
        except TaskforceError as err:
            log.warning("the redline of %s cannot be made: %s", record.doc_id, err.message)
            result = None
        languages = [(code, result.languages[code]) for code in LANGUAGES
                     if result and result.languages.get(code) and result.languages[code].changes]
        return render_template("diff.html", doc=Document.from_record(record), line=comparison_line(summary), result=result,
                               languages=languages, back=_back_query())
