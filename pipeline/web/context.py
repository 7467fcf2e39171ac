"""What every page of a request needs: the workspace, the reader's language and texts, who is signed in and
what they may see, the template filters (marks, bilingual values, dates, sizes), same-site paths, CSRF."""
from __future__ import annotations

import re
import secrets
import unicodedata
from urllib.parse import unquote, urlsplit

from flask import abort, current_app, g, request, session
from markupsafe import Markup, escape

from ..access import Reader, web_reader
from ..archive.document import Document
from ..errors import TaskforceError, ValidationError
from ..workspace import Workspace
from . import formats, i18n
from .users import session_token

MARK = ("\ue000", "\ue001")        # private-use characters: the snippet's marks, replaced after escaping


# --- helpers the templates use --------------------------------------------------------------------------------
def _ws() -> Workspace:
    return current_app.extensions["taskforce"]["ws"]


def ui_lang() -> str:
    lang = session.get("ui")
    return lang if lang in i18n.LANGUAGES else i18n.DEFAULT


def _t(key: str, **values) -> str:
    return i18n.translate(key, ui_lang(), **values)


def current_user() -> str | None:
    """The signed-in staff member, checked against the accounts on every request: a removed account is out,
    and so is a cookie whose session token is no longer the user's (see pipeline.users)."""
    if "user_checked" not in g:

        name, carried = session.get("user"), session.get("sv")
        try:
            token = session_token(_ws(), name) if isinstance(name, str) else None
        except ValidationError:
            token = None
        # a cookie made before the user's last sign-out, password change or removal carries an old token
        g.user = name if token and isinstance(carried, str) and secrets.compare_digest(
            carried.encode(), token.encode()) else None
        g.user_checked = True
    return g.user


def reader() -> Reader:
    """Who is asking: anonymous visitors see public documents, signed-in staff every level."""
    return web_reader(bool(current_user()))


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


def _here() -> str:
    return request.path + ("?" + request.query_string.decode("latin-1") if request.query_string else "")


def _local_path(target: str | None) -> str:
    """``target`` when it is a path on this site, else / (no open redirect). A path on this site starts with
    one "/" and has no scheme, no host, no backslash, no whitespace and no control or invisible characters,
    as given and with its path part percent-decoded once more (browsers drop a tab or a newline, so "/\t/x"
    would be "//x", and read "\\" as "/"). A CR or LF is a 400: never a header."""
    if not target:
        return "/"
    if "\r" in target or "\n" in target:
        abort(400)
    path = target.split("?", 1)[0].split("#", 1)[0]
    for text in (target, unquote(path)):
        if not text.startswith("/") or text.startswith("//") or "\\" in text:
            return "/"
        if any(ch.isspace() or unicodedata.category(ch)[0] in "CZ" for ch in text):
            return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target


def csrf_token() -> str:
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def csrf_ok() -> bool:
    sent, kept = request.form.get("csrf", ""), session.get("csrf", "")
    return bool(kept) and secrets.compare_digest(sent.encode(), kept.encode())


def _visible_record(archive, doc_id: str):
    """The document's newest metadata, or 404 when it is missing or the visitor may not see it."""
    try:
        record = archive.record(doc_id)
    except TaskforceError:
        abort(404)
    if not reader().may_see(record.confidentiality):
        abort(404)
    return record


