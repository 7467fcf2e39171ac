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
import re
import secrets
import threading
import time
import unicodedata
from collections import OrderedDict, deque
from urllib.parse import unquote, urlencode, urlsplit

from flask import Flask, Response, abort, g, redirect, render_template, request, send_file, session, url_for
from markupsafe import Markup, escape
from werkzeug.exceptions import HTTPException

from .. import search   # the stage, called as search.search(): tests replace that function
from ..access import Reader, web_reader
from ..archive import ORIGINAL, Archive
from ..csvsafe import safe_row
from ..errors import BusyError, NotFoundError, TaskforceError, ValidationError
from ..vocab import CONFIDENTIALITY_LEVELS, DOCUMENT_TYPES, SORTS
from ..search import SearchRequest, chart_png, count_documents
from ..sessions.registry import get_session, readable_sessions
from ..workspace import Workspace
from . import i18n
from .users import authenticate, end_sessions, secret_key, session_token

PER_PAGE = 10
DOWNLOAD_LIMIT = 1000
MARK = ("\ue000", "\ue001")        # private-use characters: the snippet's marks, replaced after escaping
FACET_PARAM = {"session": "session", "year": "year", "type": "type", "sectors": "sector", "country": "country"}
SEARCH_PARAMS = ("q", "session", "session_from", "session_to", "year", "from", "to", "type", "sector", "party",
                 "country", "lang", "sort")
STATS_DIMENSIONS = ("year", "session", "sector", "country")
LOGIN_LIMIT = 5                    # sign-in attempts (a success takes its own back) ...
LOGIN_WINDOW = 15 * 60             # ... within this many seconds lock the name and the address out
LOGIN_KEYS = 10_000                # names and addresses the throttle remembers at most
SESSION_HOURS = 8
MAX_BODY = 64 * 1024               # bytes of a request body (the forms are a few hundred)

log = logging.getLogger("taskforce.web")


class LoginThrottle:
    """Sign-in attempts per user name and per client address, counted *before* the password is checked:
    ``attempt`` checks and counts in one step under a lock, so parallel requests cannot all slip in before
    the first failure is recorded. ``limit`` attempts within ``window`` seconds refuse further tries until the
    oldest leaves the window. A success takes back its own attempt (signing in often never locks anyone
    out) but does not forgive the failures before it: a valid account cannot reset the count for others.

    The table is bounded: at most ``max_keys`` names and addresses; past that the least recently tried key
    that is not locked out is forgotten (a locked-out key only when every key is locked out).
    ``clock`` gives the time in seconds (time.monotonic; the tests give their own)."""

    def __init__(self, limit: int = LOGIN_LIMIT, window: float = LOGIN_WINDOW, *, clock=time.monotonic,
                 max_keys: int = LOGIN_KEYS):
        self.limit, self.window, self.clock, self.max_keys = limit, window, clock, max_keys
        self.attempts: OrderedDict[str, deque] = OrderedDict()     # oldest tried first
        self.lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.attempts)

    def _recent(self, key: str, now: float) -> deque | None:
        times = self.attempts.get(key)
        while times and now - times[0] >= self.window:
            times.popleft()
        return times

    def attempt(self, *keys: str) -> float:
        """0 when these keys may try now (one attempt is counted for each), else the seconds to wait
        (and nothing is counted)."""
        with self.lock:
            now = self.clock()
            waits = [self.window - (now - times[0]) for times in (self._recent(key, now) for key in keys)
                     if times and len(times) >= self.limit]
            if waits:
                return max(waits)
            for key in keys:
                times = self.attempts.pop(key, None) or deque()
                times.append(now)
                self.attempts[key] = times
            self._bound(now)
            return 0.0

    def succeeded(self, *keys: str) -> None:
        """The attempt just counted for these keys was a success: it no longer counts."""
        with self.lock:
            for key in keys:
                times = self.attempts.get(key)
                if times:
                    times.pop()
                    if not times:
                        del self.attempts[key]

    def _bound(self, now: float) -> None:
        while len(self.attempts) > self.max_keys:
            victim = next((key for key in self.attempts
                           if len(self._recent(key, now) or ()) < self.limit), None)
            self.attempts.pop(victim if victim is not None else next(iter(self.attempts)))


def create_app(ws: Workspace, *, login_limit: int = LOGIN_LIMIT, login_window: float = LOGIN_WINDOW,
               text_of=None, clock=time.monotonic, trusted_proxy: bool = False) -> Flask:
    """The application for workspace ``ws``. ``text_of(doc_id)`` replaces reading the snippets' text from the
    archive (the benchmark indexes generated documents that have no archive entry); ``clock`` is the login
    throttle's clock. With ``trusted_proxy`` the client address is the last one in X-Forwarded-For (set by the
    HTTPS proxy in front); without it that header is ignored, since any client can send it."""

    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secret_key(ws),
        SESSION_COOKIE_NAME="taskforce_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=SESSION_HOURS),
        MAX_CONTENT_LENGTH=MAX_BODY,
        JSON_SORT_KEYS=False,
    )
    app.extensions["taskforce"] = {"ws": ws, "throttle": LoginThrottle(login_limit, login_window, clock=clock),
                                   "text_of": text_of}
    if trusted_proxy:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=0, x_host=0, x_port=0, x_prefix=0)
    app.jinja_env.globals.update(t=_t, ui_lang=ui_lang, here=_here, levels_all=CONFIDENTIALITY_LEVELS, document_types=DOCUMENT_TYPES,
                                 url_with=_url_with, ui_languages=i18n.LANGUAGES)
    app.jinja_env.filters.update(marked=marked, bilingual=_bilingual, filesize=_filesize)
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


def _plain(snippet: str | None) -> str:
    return (snippet or "").replace(MARK[0], "").replace(MARK[1], "")


def _bilingual(value) -> str:
    if isinstance(value, dict) and "it" in value:
        first, second = (value.get("ru"), value.get("it")) if ui_lang() == "ru" else (value.get("it"), value.get("ru"))
        return " / ".join(v for v in (first, second) if v)
    return "" if value is None else str(value)


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


def _headers(response: Response) -> Response:
    pdf = response.mimetype == "application/pdf"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
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
        errors.append(f"{name}: {value!r} is not a whole number from {low} to {high}")
        return None
    return int(value)


def search_request(errors: list, **extra):
    """The SearchRequest of the query string; problems go to ``errors`` (the page shows them)."""

    args = request.args

    def choice(name: str, allowed, fold=str):
        value = fold(args.get(name, "").strip())
        if not value:
            return None
        if value not in allowed:
            errors.append(f"{name}: {value!r} is not one of {', '.join(allowed)}")
            return None
        return value

    low, high = _int_arg("session_from", errors), _int_arg("session_to", errors)
    sessions = None
    if low or high:
        sessions = (low or 1, high or 10 ** 6)
        if sessions[0] > sessions[1]:
            errors.append(f"session_from {low} is after session_to {high}")
    sort = choice("sort", SORTS) or "relevance"
    options = dict(
        query=args.get("q", "").strip()[:1000], session=_int_arg("session", errors), sessions=sessions,
        year=_int_arg("year", errors, 1900, 2999), date_from=args.get("from", "").strip() or None,
        date_to=args.get("to", "").strip() or None, type=choice("type", DOCUMENT_TYPES),
        party=args.get("party", "").strip()[:200] or None, sector=args.get("sector", "").strip()[:200] or None,
        country=choice("country", ("IT", "RU"), str.upper), lang=choice("lang", ("it", "ru")), sort=sort,
        page=_int_arg("page", errors) or 1, limit=PER_PAGE, facets=True, reader=reader(),
        mark=MARK)
    options.update(extra)
    return SearchRequest(**options)


def run_search(search_req) -> dict:
    from flask import current_app


    return search.search(_ws(), search_req, text_of=current_app.extensions["taskforce"]["text_of"])


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
    return key


# --- routes ---------------------------------------------------------------------------------------------------
def _routes(app: Flask) -> None:
    @app.get("/")
    def search_page():
        errors: list[str] = []
        fmt = request.args.get("format", "html")
        if fmt not in ("html", "csv", "json"):
            errors.append(f"format: {fmt!r} is not one of html, csv, json")
            fmt = "html"
        download = fmt in ("csv", "json")
        search_req = search_request(errors, **({"limit": DOWNLOAD_LIMIT, "page": 1, "mark": ("", ""),
                                                "facets": False} if download else {}))
        result = None
        if not errors:
            try:
                result = run_search(search_req)
            except ValidationError as err:
                errors.append(str(err))
        if download and not errors:
            return _download(result, fmt)
        return render_template("search.html", result=result, errors=errors, req=search_req,
                               active=active_filters(search_req), facet_label=facet_label,
                               facet_param=FACET_PARAM, args=request.args), 400 if errors else 200

    @app.get("/doc/<doc_id>")
    def document_page(doc_id):

        archive = Archive(_ws())
        record = _visible_record(archive, doc_id)
        if doc_id != record.doc_id:                  # "1" or "tfa-000001": the one address of the document
            return redirect(url_for("document_page", doc_id=record.doc_id), 301)
        pages = archive.page_texts(record.doc_id)
        fixity = next((event for event in reversed(archive.events()) if event.get("type") == "fixity check"), None)
        events = archive.events(record.doc_id)
        others = search.search(_ws(), SearchRequest(session=record.session, limit=200, snippets=False,
                                             reader=reader()))["hits"]
        others = [hit for hit in others if hit["doc_id"] != record.doc_id]
        return render_template("document.html", doc=record, pages=pages, fixity=fixity, events=events,
                               others=others, session_info=_session_or_none(record.session))

    @app.get("/doc/<doc_id>/pdf")
    def document_pdf(doc_id):

        archive = Archive(_ws())
        record = _visible_record(archive, doc_id)
        path = archive.folder_of(record.doc_id) / ORIGINAL
        name = re.sub(r"[^A-Za-z0-9._-]+", "_", record.reference or record.doc_id) + ".pdf"
        return send_file(path, mimetype="application/pdf", as_attachment=request.args.get("download") == "1",
                         download_name=name, conditional=True, etag=record.sha256, max_age=0)

    @app.get("/sessions")
    def sessions_page():
        return render_template("sessions.html", timeline=_timeline())

    @app.get("/session/<int:number>")
    def session_page(number):

        try:
            info = get_session(_ws(), number)
        except NotFoundError:
            abort(404)
        hits = search.search(_ws(), SearchRequest(session=number, limit=1000, snippets=False,
                                           reader=reader()))["hits"]
        protocols = [hit for hit in hits if hit["type"] == "protocol"]
        documents = [hit for hit in hits if hit["type"] != "protocol"]
        return render_template("session.html", s=info, protocols=protocols, documents=documents,
                               timeline=_timeline())

    @app.get("/stats")
    def stats_page():

        tables = {by: count_documents(_ws(), by, reader()) for by in STATS_DIMENSIONS}
        return render_template("stats.html", tables=tables, dimensions=STATS_DIMENSIONS)

    @app.get("/stats/<by>.png")
    def stats_chart(by):

        if by not in STATS_DIMENSIONS:
            abort(404)
        result = count_documents(_ws(), by, reader())
        png = chart_png(result, title=f"{_t('stats.title')} {_t('stats.by.' + by)} "
                                      f"({_t('stats.total', n=result['documents'])})",
                        xlabel=_t(f"field.{by}" if by != "country" else "field.country"), ylabel=_t("stats.count"))
        return Response(png, mimetype="image/png")

    @app.route("/login", methods=["GET", "POST"])
    def login():

        message, status = None, 200
        target = _local_path(request.values.get("next"))          # a newline in it: 400 before anything else
        if request.method == "POST":
            throttle: LoginThrottle = app.extensions["taskforce"]["throttle"]
            name = request.form.get("name", "").strip()[:64]
            keys = (f"name:{name.lower()}", f"addr:{request.remote_addr}")
            if not csrf_ok():                        # not counted: a forged post leaves no trace
                message, status = _t("login.csrf"), 400
            elif wait := throttle.attempt(*keys):    # counted before the password is checked
                message, status = _t("login.locked", minutes=max(1, round(wait / 60))), 429
            elif authenticate(_ws(), name, request.form.get("password", "")):
                throttle.succeeded(*keys)
                lang = ui_lang()
                session.clear()                      # a fresh session: no fixation
                session.update(user=name, sv=session_token(_ws(), name, create=True), ui=lang,
                               csrf=secrets.token_urlsafe(32))
                session.permanent = True
                log.info("sign-in of %s from %s", name, request.remote_addr)
                return redirect(target)
            else:
                log.warning("failed sign-in as %r from %s", name, request.remote_addr)
                message, status = _t("login.failed"), 401
        return render_template("login.html", message=message, next=target), status

    @app.post("/logout")
    def logout():

        if not csrf_ok():
            abort(400)
        user = current_user()
        if user:
            end_sessions(_ws(), user)                # every session of the user ends, not only this cookie
            log.info("sign-out of %s from %s", user, request.remote_addr)
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
        target = _local_path(request.args.get("next"))
        session["ui"] = code
        return redirect(target)

    app.jinja_env.globals.update(csrf_token=csrf_token, current_user=current_user)


def _visible_record(archive, doc_id: str):
    """The document's newest metadata, or 404 when it is missing or the visitor may not see it."""
    try:
        record = archive.record(doc_id)
    except TaskforceError:
        abort(404)
    if not reader().may_see(record.confidentiality):
        abort(404)
    return record


def _session_or_none(number: int):

    return next((s for s in readable_sessions(_ws()) if s.number == number), None)


def _timeline() -> list[dict]:
    """Every registered session with its number of documents the visitor may see."""

    counts = search.search(_ws(), SearchRequest(limit=1, facets=True, snippets=False,
                                         reader=reader()))["facets"]["session"]
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
            writer.writerow(safe_row({**hit, "parties": "; ".join(hit["parties"]),
                                      "sectors": "; ".join(hit["sectors"]), "snippet": _plain(hit.get("snippet"))}))
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
