"""The template filters: a snippet's marks, bilingual values, dates, days, moments and file sizes, in the
page's language."""
from __future__ import annotations

import re

from markupsafe import Markup, escape

from ..archive.document import Document
from . import formats, i18n
from .language import _t, ui_lang

MARK = ("\ue000", "\ue001")        # private-use characters: the snippet's marks, replaced after escaping


def marked(snippet: str | None) -> Markup:
    """A snippet with MARK around matched words as safe HTML: the text escaped, the marks as <mark>."""
    out, inside = [], False
    for part in re.split(f"({MARK[0]}|{MARK[1]})", snippet or ""):
        if part == MARK[0]:
            if not inside:
                out.append("<mark>")
                inside = True
        elif part == MARK[1]:
            if inside:
                out.append("</mark>")
                inside = False
        else:
            out.append(str(escape(part)))
    if inside:
        out.append("</mark>")
    return Markup("".join(out))


def _bilingual(value) -> str:
    if isinstance(value, dict) and "it" in value:
        first, second = (value.get("ru"), value.get("it")) if ui_lang() == "ru" else (value.get("it"), value.get("ru"))
        return " / ".join(v for v in (first, second) if v)
    return "" if value is None else str(value)


def in_both(document: Document, name: str = "title"):
    """A document's title or place with both languages, the page's first, when the archive knows both; else
    its one value. For "sectors", the list with each sector so written."""
    if name == "sectors":
        return [document.sector_name(index).side_by_side(ui_lang()) if document.sector_name(index).complete
                else sector for index, sector in enumerate(document.sectors)]
    pair = {"title": document.titles, "place": document.places}[name]
    return pair.side_by_side(ui_lang()) if pair.complete else getattr(document, name)


def as_document(hit: dict) -> Document:
    """A search hit (its fields) as the document it shows: the templates' ``document`` filter."""
    return Document.from_fields(hit)


def _local(value) -> str:
    """A bilingual value ({"it", "ru"}) in the page's language only (the other when it lacks one)."""
    if isinstance(value, dict):
        return value.get(ui_lang()) or value.get(i18n.DEFAULT) or next((v for v in value.values() if v), "")
    return "" if value is None else str(value)


def _date(value) -> str:
    """A date in the page's language ('27 novembre 2019'); 'senza data' for none."""
    return formats.date_text(value, ui_lang()) or _t("doc.undated")


def _days(session) -> str:
    """A session's days in the page's language, the month and year written once ('9–11 ottobre 2002')."""
    return formats.range_text(session.start, session.end, ui_lang())


def _moment(value) -> str:
    return formats.moment_text(value, ui_lang())


def _filesize(size: int | None) -> str:
    if not size:
        return "0 B"
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return str(size)
