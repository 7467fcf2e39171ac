"""The Flask application: a thin, server-rendered layer over pipeline.search, .archive, .sessions and .stats.

Access: an anonymous visitor sees only ``public`` documents, everywhere (hits, facets, counts, suggestions,
statistics, document and PDF URLs); a signed-in staff member sees every level. A document the visitor may
not see answers exactly like a missing one (404).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import os
import re
import secrets
import threading
import time
from collections import defaultdict, deque
from urllib.parse import parse_qsl, urlencode

from flask import Flask, Response, abort, g, redirect, render_template, request, send_file, session, url_for
from markupsafe import Markup, escape
from werkzeug.exceptions import HTTPException

from ..archive import previews
from ..archive.record import CONFIDENTIALITY_LEVELS, DOCUMENT_TYPES
from ..archive.store import ORIGINAL, Archive
from ..errors import BusyError, DateFormatError, NotFoundError, TaskforceError, ToolFailedError, ToolMissingError, \
    ValidationError
from ..sessions.registry import readable_sessions
from ..workspace import Workspace
from . import formats, i18n
from .cookies import ImageQuietSessionInterface

PUBLIC = ("public",)
PER_PAGE = 10
DOWNLOAD_LIMIT = 1000
MARK = ("\ue000", "\ue001")        # private-use characters: the snippet's marks, replaced after escaping
FACET_PARAM = {"session": "session", "year": "year", "type": "type", "sectors": "sector", "country": "country"}
SEARCH_PARAMS = ("q", "session", "session_from", "session_to", "year", "from", "to", "type", "sector", "party",
                 "country", "lang", "sort")
STATS_DIMENSIONS = ("year", "session", "sector", "country")
STATS_PARAM = {"year": "year", "session": "session", "sector": "sector", "country": "country"}
FACET_SHOWN = 8                    # values of a facet listed before its "show all" link
# Page images and thumbnails: a public document's may be kept a day by the browser; any other level's are
# asked again each time (no-cache: a 304 after the access check), so that a shared browser does not keep
# showing a restricted page after its reader signed out.
IMAGE_MAX_AGE = 24 * 3600
# Labels of the search parameters in the page's messages
PARAM_LABEL = {"session": "field.session", "session_from": "search.session_from", "session_to": "search.session_to",
               "year": "field.year", "page": "field.page", "type": "field.type", "country": "field.country",
               "lang": "field.lang", "sort": "sort", "format": "field.format", "from": "field.from",
               "to": "field.to"}
LOGIN_LIMIT = 5                    # failed attempts ...
LOGIN_WINDOW = 15 * 60             # ... within this many seconds lock the name and the address out
SESSION_HOURS = 8

log = logging.getLogger("taskforce.web")


class LoginThrottle:
    """Failed sign-ins per user name and per client address; too many in the window refuse further tries."""

    def __init__(self, limit: int = LOGIN_LIMIT, window: float = LOGIN_WINDOW):
        self.limit, self.window = limit, window
        self.failures: dict[str, deque] = defaultdict(deque)
        self.lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque:
        times = self.failures[key]
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def wait(self, *keys: str) -> float:
        """Seconds until these keys may try again (0 when they may now)."""
        now = time.monotonic()
        with self.lock:
            waits = [self.window - (now - times[0]) for times in (self._recent(k, now) for k in keys)
                     if len(times) >= self.limit]
        return max(waits, default=0.0)

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        with self.lock:
            for key in keys:
                self._recent(key, now).append(now)

    def succeeded(self, *keys: str) -> None:
        with self.lock:
            for key in keys:
                self.failures.pop(key, None)


def create_app(ws: Workspace, *, login_limit: int = LOGIN_LIMIT, login_window: float = LOGIN_WINDOW,
               text_of=None) -> Flask:
    """The application for workspace ``ws``. ``text_of(doc_id)`` replaces reading the snippets' text from the
    archive (the benchmark indexes generated documents that have no archive entry)."""
    from .users import secret_key

    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secret_key(ws),
        SESSION_COOKIE_NAME="taskforce_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=SESSION_HOURS),
        # The cookie is sent only when the session changes (sign-in, sign-out, language): re-sent with every
        # answer, one begun before a change and ended after it (a favicon, an image fetched in parallel)
        # would put the old cookie back (a language switched back, a sign-out undone). A session thus lasts
        # SESSION_HOURS from its last change, not from the last request.
        SESSION_REFRESH_EACH_REQUEST=False,
        MAX_CONTENT_LENGTH=64 * 1024,
        JSON_SORT_KEYS=False,
    )
    app.session_interface = ImageQuietSessionInterface()
    app.extensions["taskforce"] = {"ws": ws, "throttle": LoginThrottle(login_limit, login_window),
                                   "text_of": text_of}
    app.jinja_env.globals.update(t=_t, ui_lang=ui_lang, here=_here, levels_all=CONFIDENTIALITY_LEVELS, document_types=DOCUMENT_TYPES,
                                 url_with=_url_with, ui_languages=i18n.LANGUAGES, doc_url=_doc_url,
                                 back_query=_back_query)
    app.jinja_env.filters.update(marked=marked, bilingual=_bilingual, filesize=_filesize, local=_local,
                                 date=_date, moment=_moment)
    _routes(app)
    _errors(app)
    app.after_request(_headers)
    return app


# --- helpers the templates use --------------------------------------------------------------------------------
def _ws() -> Workspace:
    from flask import current_app

    return current_app.extensions["taskforce"]["ws"]


def ui_lang() -> str:
    lang = session.get("ui")
    return lang if lang in i18n.LANGUAGES else i18n.DEFAULT


def _t(key: str, **values) -> str:
    return i18n.translate(key, ui_lang(), **values)


def current_user() -> str | None:
    """The signed-in staff member, checked against the accounts on every request (a removed account is out)."""
    if "user_checked" not in g:
        from .users import list_users

        name = session.get("user")
        try:
            g.user = name if name and name in {u["name"] for u in list_users(_ws())} else None
        except ValidationError:
            g.user = None
        g.user_checked = True
    return g.user


def visible_levels() -> tuple[str, ...]:
    return tuple(CONFIDENTIALITY_LEVELS) if current_user() else PUBLIC


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


def _plain(snippet: str | None) -> str:
    return (snippet or "").replace(MARK[0], "").replace(MARK[1], "")


def _bilingual(value) -> str:
    if isinstance(value, dict) and "it" in value:
        first, second = (value.get("ru"), value.get("it")) if ui_lang() == "ru" else (value.get("it"), value.get("ru"))
        return " / ".join(v for v in (first, second) if v)
    return "" if value is None else str(value)


def _local(value) -> str:
    """A bilingual value ({"it", "ru"}) in the page's language only (the other when it lacks one)."""
    if isinstance(value, dict):
        return value.get(ui_lang()) or value.get(i18n.DEFAULT) or next((v for v in value.values() if v), "")
    return "" if value is None else str(value)


def _date(value) -> str:
    """A date in the page's language ('27 novembre 2019'); 'senza data' for none."""
    return formats.date_text(value, ui_lang()) or _t("doc.undated")


def _moment(value) -> str:
    return formats.moment_text(value, ui_lang())


def _back_query() -> str:
    """The query string of the search a page was reached from (the 'back' parameter), search parameters only."""
    kept = [(key, value) for key, value in parse_qsl(request.args.get("back", ""))
            if key in SEARCH_PARAMS + ("page",) and value][:len(SEARCH_PARAMS) + 1]
    return urlencode(kept)


def _doc_url(doc_id: str, back: str | None = None) -> str:
    """The document page's address, carrying the search it is reached from (``back``: a query string)."""
    return url_for("document_page", doc_id=doc_id, **({"back": back} if back else {}))


def _filesize(size: int | None) -> str:
    if not size:
        return "0 B"
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return str(size)


def _url_with(endpoint: str = "search_page", drop: tuple = (), **changes) -> str:
    """The current search's URL with some parameters changed (None removes one); page resets unless given."""
    args = {key: value for key, value in request.args.items() if key in SEARCH_PARAMS + ("page",) and value}
    args.pop("page", None)
    for key in drop:
        args.pop(key, None)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = str(value)
    return url_for(endpoint) + ("?" + urlencode(args) if args else "")


def _search_query() -> str:
    """The current search's parameters as a query string (what a document link carries back)."""
    return urlencode([(key, value) for key, value in request.args.items()
                      if key in SEARCH_PARAMS + ("page",) and value])


def _here() -> str:
    return request.path + ("?" + request.query_string.decode("latin-1") if request.query_string else "")


def _local_path(target: str | None) -> str:
    """``target`` when it is a path on this site (never another host: no open redirect), else /."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def csrf_token() -> str:
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def csrf_ok() -> bool:
    sent, kept = request.form.get("csrf", ""), session.get("csrf", "")
    return bool(kept) and secrets.compare_digest(sent.encode(), kept.encode())


def _headers(response: Response) -> Response:
    pdf = response.mimetype == "application/pdf"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    if not g.get("cacheable"):                     # page images set their own (private) caching
        response.headers["Cache-Control"] = "no-store"
    if pdf:
        # shown inside the document page's frame, so framing by this site only
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        response.headers["Content-Security-Policy"] = "frame-ancestors 'self'"
    else:
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'self'; img-src 'self'; frame-src 'self'; form-action 'self'; "
            "base-uri 'none'; frame-ancestors 'none'")
    return response


# --- search parameters ----------------------------------------------------------------------------------------
def _int_arg(name: str, errors: list, low: int = 1, high: int = 10 ** 6) -> int | None:
    value = request.args.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit() or not low <= int(value) <= high:
        errors.append(_t("err.number", field=_t(PARAM_LABEL.get(name, name)), value=value, low=low, high=high))
        return None
    return int(value)


def search_request(errors: list, **extra):
    """The SearchRequest of the query string; problems go to ``errors`` (the page shows them)."""
    from ..search.engine import SORTS, SearchRequest

    args = request.args

    def choice(name: str, allowed, fold=str):
        value = fold(args.get(name, "").strip())
        if not value:
            return None
        if value not in allowed:
            errors.append(_t("err.choice", field=_t(PARAM_LABEL.get(name, name)), value=value,
                             allowed=", ".join(allowed)))
            return None
        return value

    def day(name: str) -> str | None:
        value = args.get(name, "").strip()[:100]
        if not value:
            return None
        try:
            return formats.read_date(value).isoformat()
        except DateFormatError:
            errors.append(_t("err.date", field=_t(PARAM_LABEL[name]), value=value))
            return None

    low, high = _int_arg("session_from", errors), _int_arg("session_to", errors)
    sessions = None
    if low or high:
        sessions = (low or 1, high or 10 ** 6)
        if sessions[0] > sessions[1]:
            errors.append(_t("err.session_range", low=low, high=high))
    date_from, date_to = day("from"), day("to")
    if date_from and date_to and date_to < date_from:
        errors.append(_t("err.date_order", to=args.get("to", "").strip(), from_=args.get("from", "").strip()))
    text = args.get("q", "").strip()[:1000]
    sort = choice("sort", SORTS) or ("relevance" if text else "newest")
    if sort in ("relevance", "date"):       # an empty query has no relevance; 'date' is the older 'oldest'
        sort = "oldest" if sort == "date" else "relevance" if text else "newest"
    options = dict(
        query=text, session=_int_arg("session", errors), sessions=sessions,
        year=_int_arg("year", errors, 1900, 2999), date_from=date_from,
        date_to=date_to, type=choice("type", DOCUMENT_TYPES),
        party=args.get("party", "").strip()[:200] or None, sector=args.get("sector", "").strip()[:200] or None,
        country=choice("country", ("IT", "RU"), str.upper), lang=choice("lang", ("it", "ru")), sort=sort,
        page=_int_arg("page", errors) or 1, limit=PER_PAGE, facets=True, visible_levels=visible_levels(),
        mark=MARK)
    options.update(extra)
    return SearchRequest(**options)


def run_search(search_req) -> dict:
    from flask import current_app

    from ..search.engine import search

    return search(_ws(), search_req, text_of=current_app.extensions["taskforce"]["text_of"])


def active_filters(search_req) -> list[tuple[str, str, tuple]]:
    """(label, value, parameters to drop) of each filter in force, for the 'remove' links."""
    found = []
    args = request.args
    for name, label in (("session", "field.session"), ("year", "field.year"), ("type", "field.type"),
                        ("sector", "field.sector"), ("party", "field.party"), ("country", "field.country"),
                        ("lang", "field.lang"), ("from", "field.from"), ("to", "field.to")):
        value = args.get(name, "").strip()
        if value:
            shown = _t(f"type.{value}") if name == "type" else _t(f"country.{value.upper()}") \
                if name == "country" else _t(f"lang.{value}") if name == "lang" else value
            found.append((_t(label), shown, (name,)))
    if search_req.sessions:
        found.append((_t("field.sessions"), f"{args.get('session_from', '')}–{args.get('session_to', '')}",
                      ("session_from", "session_to")))
    return found


def facet_label(name: str, key: str) -> str:
    if name == "type":
        return _t(f"type.{key}")
    if name == "country":
        return _t(f"country.{key}")
    if name == "session":
        info = _sessions_by_number().get(int(key)) if str(key).isdigit() else None
        return f"{key} · {_local(info.city)} {info.year}" if info else str(key)
    return key


_SESSIONS_CACHE: dict = {}


def _sessions_by_number() -> dict:
    """The readable sessions by number, read again only when a file of the registry changed (the search
    page labels its session facet with them: parsing every YAML file per request would slow it)."""
    folder = _ws().sessions
    try:
        stamp = (str(folder), tuple(sorted((entry.name, entry.stat().st_mtime_ns, entry.stat().st_size)
                                           for entry in os.scandir(folder))))
    except OSError:
        return {}
    cached = _SESSIONS_CACHE.get(str(folder))
    if cached is None or cached[0] != stamp:
        cached = (stamp, {s.number: s for s in readable_sessions(_ws())})
        _SESSIONS_CACHE[str(folder)] = cached
    return cached[1]


# --- routes ---------------------------------------------------------------------------------------------------
def _routes(app: Flask) -> None:
    @app.get("/")
    def search_page():
        errors: list[str] = []
        fmt = request.args.get("format", "html")
        if fmt not in ("html", "csv", "json"):
            errors.append(_t("err.choice", field=_t("field.format"), value=fmt, allowed="html, csv, json"))
            fmt = "html"
        download = fmt in ("csv", "json")
        search_req = search_request(errors, **({"limit": DOWNLOAD_LIMIT, "page": 1, "mark": ("", ""),
                                                "facets": False} if download else {}))
        result = None
        if not errors:
            try:
                result = run_search(search_req)
            except ValidationError as err:
                errors.append(i18n.library_message(err.message, ui_lang()))
        if download and not errors:
            return _download(result, fmt)
        return render_template("search.html", result=result, errors=errors, req=search_req,
                               active=active_filters(search_req), facet_label=facet_label,
                               facet_param=FACET_PARAM, args=request.args, facet_shown=FACET_SHOWN,
                               sorts=("relevance", "newest", "oldest") if search_req.query else ("newest", "oldest"),
                               back=_search_query()), 400 if errors else 200

    @app.get("/doc/<doc_id>")
    def document_page(doc_id):
        from ..archive.store import Archive
        from ..search.engine import SearchRequest, search

        archive = Archive(_ws())
        record = _visible_record(archive, doc_id)
        if doc_id != record.doc_id:                  # "1" or "tfa-000001": the one address of the document
            return redirect(_doc_url(record.doc_id, _back_query() or None), 301)
        pages = archive.page_texts(record.doc_id)
        images = _thumbnail_made(archive, record)    # the search's thumbnail made now: hits then serve a file
        fixity = next((event for event in reversed(archive.events()) if event.get("type") == "fixity check"), None)
        events = archive.events(record.doc_id)
        others = search(_ws(), SearchRequest(session=record.session, limit=200, snippets=False,
                                             visible_levels=visible_levels()))["hits"]
        others = [hit for hit in others if hit["doc_id"] != record.doc_id]
        return render_template("document.html", doc=record, pages=pages, fixity=fixity, events=events,
                               others=others, session_info=_session_or_none(record.session), images=images,
                               protocols=[hit for hit in others if hit["type"] == "protocol"],
                               agreements=[hit for hit in others if hit["type"] != "protocol"],
                               back=_back_query())

    @app.get("/doc/<doc_id>/page/<int:number>.png")
    def page_image(doc_id, number):
        archive = Archive(_ws())
        record = _visible_record(archive, doc_id)
        if doc_id != record.doc_id:
            abort(404)
        try:
            path = previews.page_image(_ws(), archive.folder_of(record.doc_id) / ORIGINAL, record.sha256, number,
                                       record.pages)
        except NotFoundError:
            abort(404)
        except (ToolMissingError, ToolFailedError) as err:
            log.warning("no image of page %s of %s: %s", number, record.doc_id, err)
            abort(404)
        return _image(path, record, f"{record.sha256}-p{number}")

    @app.get("/doc/<doc_id>/thumb.png")
    def thumbnail(doc_id):
        archive = Archive(_ws())
        record = _visible_record(archive, doc_id)
        if doc_id != record.doc_id:
            abort(404)
        try:
            path = previews.thumbnail(_ws(), archive.folder_of(record.doc_id) / ORIGINAL, record.sha256)
        except (NotFoundError, ToolMissingError, ToolFailedError) as err:
            log.warning("no thumbnail of %s: %s", record.doc_id, err)
            abort(404)
        return _image(path, record, f"{record.sha256}-thumb")

    @app.get("/doc/<doc_id>/pdf")
    def document_pdf(doc_id):
        from ..archive.store import ORIGINAL, Archive

        archive = Archive(_ws())
        record = _visible_record(archive, doc_id)
        path = archive.folder_of(record.doc_id) / ORIGINAL
        name = re.sub(r"[^A-Za-z0-9._-]+", "_", record.reference or record.doc_id) + ".pdf"
        return send_file(path, mimetype="application/pdf", as_attachment=request.args.get("download") == "1",
                         download_name=name, conditional=True, etag=record.sha256, max_age=0)

    @app.get("/sessions")
    def sessions_page():
        return render_template("sessions.html", timeline=_timeline(), signed_in=bool(current_user()))

    @app.get("/session/<int:number>")
    def session_page(number):
        from ..search.engine import SearchRequest, search
        from ..sessions.registry import get_session

        try:
            info = get_session(_ws(), number)
        except NotFoundError:
            abort(404)
        hits = search(_ws(), SearchRequest(session=number, limit=1000, snippets=False,
                                           visible_levels=visible_levels()))["hits"]
        protocols = [hit for hit in hits if hit["type"] == "protocol"]
        documents = [hit for hit in hits if hit["type"] != "protocol"]
        return render_template("session.html", s=info, protocols=protocols, documents=documents,
                               timeline=_timeline())

    @app.get("/stats")
    def stats_page():
        from ..search.stats import count_documents

        tables = {by: count_documents(_ws(), by, visible_levels()) for by in STATS_DIMENSIONS}
        rows = {by: _stats_rows(table) for by, table in tables.items()}
        return render_template("stats.html", tables=tables, rows=rows, dimensions=STATS_DIMENSIONS)

    @app.get("/stats/<by>.png")
    def stats_chart(by):
        from ..search.stats import chart_png, count_documents

        if by not in STATS_DIMENSIONS:
            abort(404)
        result = count_documents(_ws(), by, visible_levels())
        result = {**result, "counts": [{by: row["label"], "documents": row["documents"]} for row in _stats_rows(result)]}
        png = chart_png(result, title=f"{_t('stats.title')} {_t('stats.by.' + by)} "
                                      f"({_t('stats.total', n=result['documents'])})",
                        xlabel=_t(f"field.{by}" if by != "country" else "field.country"), ylabel=_t("stats.count"))
        return Response(png, mimetype="image/png")

    @app.route("/login", methods=["GET", "POST"])
    def login():
        from .users import authenticate

        message, status = None, 200
        if request.method == "POST":
            throttle: LoginThrottle = app.extensions["taskforce"]["throttle"]
            name = request.form.get("name", "").strip()[:64]
            keys = (f"name:{name.lower()}", f"addr:{request.remote_addr}")
            wait = throttle.wait(*keys)
            if not csrf_ok():
                message, status = _t("login.csrf"), 400
            elif wait:
                message, status = _t("login.locked", minutes=max(1, round(wait / 60))), 429
            elif authenticate(_ws(), name, request.form.get("password", "")):
                throttle.succeeded(*keys)
                lang = ui_lang()
                session.clear()                      # a fresh session: no fixation
                session.update(user=name, ui=lang, csrf=secrets.token_urlsafe(32))
                session.permanent = True
                log.info("sign-in of %s from %s", name, request.remote_addr)
                return redirect(_local_path(request.form.get("next")))
            else:
                throttle.failed(*keys)
                log.warning("failed sign-in as %r from %s", name, request.remote_addr)
                message, status = _t("login.failed"), 401
        return render_template("login.html", message=message,
                               next=_local_path(request.values.get("next"))), status

    @app.post("/logout")
    def logout():
        if not csrf_ok():
            abort(400)
        lang = ui_lang()
        session.clear()
        session["ui"] = lang
        return redirect(url_for("search_page"))

    @app.get("/favicon.ico")
    def favicon():
        return Response(status=204)

    @app.get("/lang/<code>")
    def switch_language(code):
        if code not in i18n.LANGUAGES:
            abort(404)
        session["ui"] = code
        return redirect(_local_path(request.args.get("next")))

    app.jinja_env.globals.update(csrf_token=csrf_token, current_user=current_user)


def _visible_record(archive, doc_id: str):
    """The document's newest metadata, or 404 when it is missing or the visitor may not see it."""
    try:
        record = archive.record(doc_id)
    except TaskforceError:
        abort(404)
    if record.confidentiality not in visible_levels():
        abort(404)
    return record


STATS_SPECIAL = {"(none)": "none", "undated": "doc.undated", "unknown": "unknown"}


def _stats_rows(result: dict) -> list[dict]:
    """The rows of a statistics table in the page's language, each with the search it counts (none for the
    documents without a sector, a date or a known session)."""
    by, rows = result["by"], []
    for row in result["counts"]:
        value = row[by]
        special = STATS_SPECIAL.get(value) if isinstance(value, str) else None
        if special:
            label, link = _t(special), None
        else:
            label = facet_label("country" if by == "country" else "session" if by == "session" else by, str(value))
            link = url_for("search_page", **{STATS_PARAM[by]: value})
        rows.append({"label": label, "documents": row["documents"], "link": link})
    most = max((row["documents"] for row in rows), default=0)
    for row in rows:                      # the bar's length in whole percent of the longest (a CSS class)
        row["width"] = round(100 * row["documents"] / most) if most else 0
    return rows


def _thumbnail_made(archive, record) -> bool:
    """Make the first page's thumbnail when it is missing; whether page images can be made at all."""
    try:
        previews.thumbnail(_ws(), archive.folder_of(record.doc_id) / ORIGINAL, record.sha256)
        return True
    except (NotFoundError, ToolMissingError, ToolFailedError) as err:
        log.warning("no page images of %s: %s", record.doc_id, err)
        return False


def _image(path, record, etag: str) -> Response:
    """A page image or thumbnail with its caching: see IMAGE_MAX_AGE."""
    response = send_file(path, mimetype="image/png", conditional=True, etag=etag, max_age=0)
    if record.confidentiality == "public":
        response.headers["Cache-Control"] = f"private, max-age={IMAGE_MAX_AGE}"
    else:
        response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Vary"] = "Cookie"
    g.cacheable = True
    return response


def _session_or_none(number: int):
    from ..sessions.registry import readable_sessions

    return next((s for s in readable_sessions(_ws()) if s.number == number), None)


def _timeline() -> list[dict]:
    """Every registered session with its number of documents the visitor may see."""
    from ..search.engine import SearchRequest, search
    from ..sessions.registry import readable_sessions

    counts = search(_ws(), SearchRequest(limit=1, facets=True, snippets=False,
                                         visible_levels=visible_levels()))["facets"]["session"]
    return [{"session": s, "documents": counts.get(str(s.number), 0)} for s in readable_sessions(_ws())]


CSV_COLUMNS = ("doc_id", "reference", "session", "signed_on", "type", "title", "parties", "sectors", "place",
               "country", "confidentiality", "score", "snippet")


def _download(result: dict, fmt: str) -> Response:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    if fmt == "json":
        body = json.dumps(result, ensure_ascii=False, indent=2, default=str)
        response = Response(body, mimetype="application/json")
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\r\n")
        writer.writeheader()
        for hit in result["hits"]:
            writer.writerow({**hit, "parties": "; ".join(hit["parties"]), "sectors": "; ".join(hit["sectors"]),
                             "snippet": _plain(hit.get("snippet"))})
        response = Response("\ufeff" + buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="taskforce-search-{stamp}.{fmt}"'
    return response


def _errors(app: Flask) -> None:
    def page(code: int, detail: str | None = None):
        key = f"error.{code}" if f"error.{code}" in i18n.TEXT else "error.500"
        return render_template("error.html", code=code, message=_t(key), detail=detail), code

    @app.errorhandler(HTTPException)
    def http_error(err):
        return page(err.code or 500)

    @app.errorhandler(BusyError)
    def busy(err):
        return page(503)

    @app.errorhandler(Exception)
    def unexpected(err):
        log.exception("error while answering %s %s", request.method, request.path)
        return page(500)
