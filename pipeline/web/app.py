"""The Flask application: a thin, server-rendered layer over the use cases (pipeline/usecases), which
create_app is given.

Access: an anonymous visitor sees only ``public`` documents, everywhere (hits, facets, counts, suggestions,
statistics, document and PDF URLs); a signed-in staff member sees every level. A document the visitor may
not see answers exactly like a missing one (404).
"""
from __future__ import annotations

import datetime as dt
import io
import json
import logging
import re
import secrets
import time

from flask import Flask, Response, abort, g, redirect, render_template, request, send_file, session, url_for
from werkzeug.exceptions import HTTPException

from ..access import is_public
from ..archive.document import Document
from ..archive.layout import ORIGINAL
from ..archive.store import Archive
from ..errors import BusyError, NotFoundError, ValidationError
from ..search import SearchRequest
from ..search.export import write_csv
from ..sessions.registry import get_session, readable_sessions
from ..vocab import CONFIDENTIALITY_LEVELS, DOCUMENT_TYPES
from ..usecases.calls import UseCases
from ..workspace import Workspace
from . import (charts, draftactions, draftforms, drafts, i18n, images, intake, party, references, research,
               searchable, sessionform, succession)
from .csrf import csrf_ok, csrf_token
from .filters import MARK, _bilingual, _date, _days, _filesize, _local, _moment, as_document, in_both, marked
from .language import _t, ui_lang
from .roles import has_role
from .signin import current_user
from .site import _ws
from .urls import _here, _local_path
from .visibility import _visible_record, address_of, reader, shown_hits, succession_of
from .cookies import ImageQuietSessionInterface
from .services import use_cases
from .searchpage import (FACET_PARAM, FieldError, _back_query, _doc_url, _search_query, _url_with, active_filters,
                         document_sectors, facet_label, field_error, reader_sector_names, run_search, search_request,
                         sector_label)
from .throttle import LOGIN_KEYS, LOGIN_LIMIT, LOGIN_WINDOW, LoginThrottle
from .users import authenticate, end_sessions, secret_key, session_token

DOWNLOAD_LIMIT = 1000
STATS_DIMENSIONS = ("year", "session", "sector", "country")
STATS_PARAM = {"year": "year", "session": "session", "sector": "sector", "country": "country"}
FACET_SHOWN = 8                    # values of a facet listed before its "show all" link
SESSION_HOURS = 8
MAX_BODY = 64 * 1024               # bytes of a request body (the forms are a few hundred)
# the largest body any route takes: a .docx uploaded on a reference's page (draftactions.py), the server's own
# limit; Flask's MAX_CONTENT_LENGTH keeps every other route at MAX_BODY (the session form: sessionform.py)
LARGEST_BODY = draftactions.UPLOAD_LIMIT + draftactions.FORM_MARGIN
__all__ = ["LOGIN_KEYS", "LOGIN_LIMIT", "LOGIN_WINDOW", "LoginThrottle", "MARK", "create_app", "marked"]

log = logging.getLogger("taskforce.web")



def create_app(ws: Workspace, *, usecases: UseCases | None = None, login_limit: int = LOGIN_LIMIT,
               login_window: float = LOGIN_WINDOW, text_of=None, clock=time.monotonic,
               trusted_proxy: bool = False, secure_cookies: bool = False) -> Flask:
    """The application for workspace ``ws``, calling the library through ``usecases`` (default: those of
    ``ws``, their snippets' text read by ``text_of(doc_id)`` when given: the benchmark indexes generated
    documents that have no archive entry); ``clock`` is the login throttle's clock. With ``trusted_proxy`` the
    client address is the last one in X-Forwarded-For (set by the HTTPS proxy in front), and its
    X-Forwarded-Proto says whether the visitor came over HTTPS; without it those headers are ignored, since any
    client can send them. The session cookie is Secure over HTTPS, and always with ``secure_cookies``
    (cookies.py)."""

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
        SESSION_COOKIE_SECURE=secure_cookies,
        MAX_CONTENT_LENGTH=MAX_BODY,
        JSON_SORT_KEYS=False,
    )
    app.session_interface = ImageQuietSessionInterface()
    app.extensions["taskforce"] = {"ws": ws, "throttle": LoginThrottle(login_limit, login_window, clock=clock),
                                   "usecases": usecases or UseCases(ws, text_of)}
    if trusted_proxy:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=0, x_port=0, x_prefix=0)
    app.jinja_env.globals.update(t=_t, ui_lang=ui_lang, here=_here, levels_all=CONFIDENTIALITY_LEVELS, document_types=DOCUMENT_TYPES,
                                 url_with=_url_with, ui_languages=i18n.LANGUAGES, doc_url=_doc_url,
                                 back_query=_back_query, sector_label=sector_label, is_public=is_public)
    app.jinja_env.filters.update(marked=marked, bilingual=_bilingual, filesize=_filesize, local=_local, both=in_both,
                                 document=as_document, date=_date, moment=_moment, sectors=document_sectors, days=_days)
    _routes(app)
    images.register(app)
    searchable.register(app)
    drafts.register(app)
    draftforms.register(app)
    sessionform.register(app)         # the legal staff's pages (issue 23)
    references.register(app)
    party.register(app)
    intake.register(app)
    succession.register(app)
    research.register(app)
    _errors(app)
    app.after_request(_headers)
    return app


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
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            "base-uri 'none'; frame-ancestors 'none'")
    return response


# --- routes ---------------------------------------------------------------------------------------------------
def _routes(app: Flask) -> None:
    @app.get("/")
    def search_page():
        errors: list[FieldError] = []
        fmt = request.args.get("format", "html")
        if fmt not in ("html", "csv", "json"):
            errors.append(FieldError("format", _t("err.choice", field=_t("field.format"), value=fmt,
                                                  allowed="html, csv, json")))
            fmt = "html"
        download = fmt in ("csv", "json")
        search_req = search_request(errors, **({"limit": DOWNLOAD_LIMIT, "page": 1, "mark": ("", ""),
                                                "facets": False} if download else {}))
        result = None
        if not errors:
            try:
                result = run_search(search_req)
            except ValidationError as err:
                errors.append(field_error(err))
        if download and not errors:
            return _download(result, fmt)
        return render_template("search.html", result=result, errors=errors, req=search_req,
                               active=active_filters(search_req), facet_label=facet_label,
                               facet_param=FACET_PARAM, args=request.args, facet_shown=FACET_SHOWN,
                               sorts=("relevance", "newest", "oldest") if search_req.query else ("newest", "oldest"),
                               back=_search_query()), 400 if errors else 200

    @app.get("/doc/<doc_id>")
    def document_page(doc_id):

        archive = Archive(_ws())
        record = _visible_record(archive, doc_id)
        address = address_of(record)
        if doc_id != address:                        # staff's "1" or "TFA-000001": the one address of the document
            return redirect(_doc_url(address, _back_query() or None), 301)
        page = use_cases().read_document(record.doc_id, reader(), staff=current_user() is not None, archive=archive,
                                         query=research.query_of(_back_query()))
        record = page.record
        others = shown_hits(page.others)
        # the images are referred to, never made here: their own route makes them (or its placeholder)
        return render_template("document.html", doc=record, document=Document.from_record(record),
                               pages=page.pages, fixity=page.fixity, events=page.events,
                               address=address, shown_id=record.doc_id if current_user() else address,
                               images=images.available(), comparison=drafts.document_comparison(record),
                               others=others, session_info=_session_or_none(record.session),
                               protocols=[hit for hit in others if hit["type"] == "protocol"],
                               agreements=[hit for hit in others if hit["type"] != "protocol"],
                               back=_back_query(), succession=succession_of(archive, record),
                               life=use_cases().document_life(record.doc_id, reader()),
                               party_ids=use_cases().party_ids(record.parties, reader()),
                               files=page.files, reading=page.reading)

    @app.get("/doc/<doc_id>/pdf")
    def document_pdf(doc_id):

        archive = Archive(_ws())
        record = _visible_record(archive, doc_id)
        path = archive.folder_of(record.doc_id) / ORIGINAL
        shown = record.doc_id if current_user() else address_of(record)     # a visitor never sees TFA-…
        name = re.sub(r"[^A-Za-z0-9._-]+", "_", record.reference or shown) + ".pdf"
        return send_file(path, mimetype="application/pdf", as_attachment=request.args.get("download") == "1",
                         download_name=name, conditional=True, etag=record.sha256, max_age=0)

    @app.get("/sessions")
    def sessions_page():
        return render_template("sessions.html", timeline=_timeline(), signed_in=bool(current_user()))

    @app.get("/session/<int:number>")
    def session_page(number):

        try:
            info = get_session(_ws(), number)
        except NotFoundError:
            abort(404)
        hits = shown_hits(use_cases().search(SearchRequest(session=number, limit=1000, snippets=False,
                                                           reader=reader()))["hits"])
        protocols = [hit for hit in hits if hit["type"] == "protocol"]
        documents = [hit for hit in hits if hit["type"] != "protocol"]
        return render_template("session.html", s=info, protocols=protocols, documents=documents,
                               timeline=_timeline())

    @app.get("/stats")
    def stats_page():

        visitor = reader()
        tables = charts.kept(_ws(), ("tables", visitor.levels),                 # the records read once, and
                             lambda: use_cases().statistics(STATS_DIMENSIONS, visitor))  # again only when the archive changes
        rows = {by: _stats_rows(table) for by, table in tables.items()}
        return render_template("stats.html", tables=tables, rows=rows, dimensions=STATS_DIMENSIONS)

    @app.get("/stats/<by>.png")
    def stats_chart(by):

        if by not in STATS_DIMENSIONS:
            abort(404)
        visitor = reader()

        def drawn() -> bytes:
            result = use_cases().statistics((by,), visitor)[by]
            result = {**result, "counts": [{by: row["label"], "documents": row["documents"]}
                                           for row in _stats_rows(result)]}
            return use_cases().statistics_chart(
                result, title=f"{_t('stats.title')} {_t('stats.by.' + by)} ({_t('stats.total', n=result['documents'])})",
                xlabel=_t(f"field.{by}" if by != "country" else "field.country"), ylabel=_t("stats.count"))
        # drawn once per state of the archive, reader and language (charts.py)
        return Response(charts.kept(_ws(), ("chart", by, visitor.levels, ui_lang()), drawn), mimetype="image/png")

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

    @app.route("/lang/<code>", methods=["GET", "POST"])
    def switch_language(code):
        # Only a form's post with the session's CSRF token switches: a GET (a link or an image on another
        # site) changes nothing, it shows that form; the page's language menu posts it.
        if code not in i18n.LANGUAGES:
            abort(404)
        target = _local_path(request.values.get("next"))         # a newline in it: 400 before anything else
        if request.method == "GET" or not csrf_ok():
            return render_template("language.html", code=code, next=target), 200 if request.method == "GET" else 400
        session["ui"] = code
        return redirect(target)

    app.jinja_env.globals.update(csrf_token=csrf_token, current_user=current_user, has_role=has_role)


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
        elif by == "sector":
            label, link = sector_label(value, result.get("names", {})), url_for("search_page", sector=value)
        else:
            label = facet_label("country" if by == "country" else "session" if by == "session" else by, str(value))
            link = url_for("search_page", **{STATS_PARAM[by]: value})
        rows.append({"label": label, "documents": row["documents"], "link": link})
    most = max((row["documents"] for row in rows), default=0)
    for row in rows:                      # the bar's length in whole percent of the longest (a CSS class)
        row["width"] = round(100 * row["documents"] / most) if most else 0
    return rows


def _session_or_none(number: int):

    return next((s for s in readable_sessions(_ws()) if s.number == number), None)


def _timeline() -> list[dict]:
    """Every registered session with its number of documents the visitor may see."""

    counts = use_cases().search(SearchRequest(limit=1, facets=True, snippets=False,
                                              reader=reader()))["facets"]["session"]
    in_force = use_cases().in_force_by_session(reader())       # agreements in force today (issue 25)
    return [{"session": s, "documents": counts.get(str(s.number), 0),
             "in_force": in_force.get(s.number, {}).get("in_force", 0)} for s in readable_sessions(_ws())]


def _download(result: dict, fmt: str) -> Response:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    if fmt == "json":                      # each sector also by its names in both languages
        names = reader_sector_names()
        result = {**result, "hits": [{**hit, "sector_names": [names.get(key) or {} for key in hit["sectors"]]}
                                     for hit in result["hits"]]}
        body = json.dumps(result, ensure_ascii=False, indent=2, default=str)
        response = Response(body, mimetype="application/json")
    else:
        buffer = io.StringIO()
        write_csv(buffer, result["hits"], MARK, lineterminator="\r\n")
        response = Response("\ufeff" + buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="taskforce-search-{stamp}.{fmt}"'
    return response


def _errors(app: Flask) -> None:
    def page(code: int, detail: str | None = None):
        key = f"error.{code}" if f"error.{code}" in i18n.TEXT else "error.500"
        return render_template("error.html", code=code, message=_t(key), detail=detail), code

    @app.errorhandler(HTTPException)
    def http_error(err):
        if err.code in (400, 405, 413):      # a client's mistake: one short line, never a traceback
            log.info("%s %s %.120r from %s", err.code, request.method, request.path, request.remote_addr)
        return page(err.code or 500)

    @app.errorhandler(BusyError)
    def busy(err):
        return page(503)

    @app.errorhandler(Exception)
    def unexpected(err):
        log.exception("error while answering %s %s", request.method, request.path)
        return page(500)
