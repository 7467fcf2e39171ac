"""The session form of the legal staff (issue 23 item 2): ``/sessions/new`` and ``/session/N/edit``, every
field of a session file in both languages, for the roles legal and admin.

Every input is named by its data path (``co_chairs[0].name.ru``, ``tables[1].topics[2].it``,
``next_session.city.it``), the path the library's findings name, so that each problem is shown next to its
input. Without JavaScript, a repeatable group grows with an "add" submit button (the form comes back with an
empty row more) and shrinks with a "remove" one; rows left empty are dropped when the form is read, so the
paths of the findings are those of the form shown with them. Saving goes through the sessions use case
(save_session: the YAML file ``taskforce sessions add`` reads, under the registry's lock); an edit carries
the SHA-256 of the file it was opened from, and a file changed since then is a conflict, never overwritten.
"""
from __future__ import annotations

import copy
import re

from flask import Flask, abort, redirect, render_template, request, url_for

from ..errors import BusyError, ConflictError, NotFoundError, TaskforceError, ValidationError
from ..vocab import COUNTRIES, LANGUAGES
from .csrf import csrf_ok
from .language import _t
from .roles import require_role
from .services import use_cases
from .signin import current_user

FORM_BODY = 512 * 1024          # bytes of a posted session form (Cyrillic text is sent percent-encoded)
MAX_ROWS = 60                   # rows of one repeatable group
MAX_TEXT = 2000                 # characters of one input
CASE_FORMS = ("ru_gen", "ru_dat", "ru_acc", "ru_ins", "ru_pre")     # the registry's RUSSIAN_FORMS
SELECTS = ("country", "gender")  # a row with only these chosen is still an empty row

TOP = (("number", "number"), ("start", "date"), ("end", "date"), ("country", "country"), ("city", "forms"),
       ("region", "bilingual"), ("venue", "bilingual"))
ROWS = {"co_chairs": (("country", "country"), ("name", "forms"), ("gender", "gender"), ("role", "forms"),
                      ("institution", "forms")),
        "tables": (("sector", "bilingual"),),
        "participants": (("country", "country"), ("name", "bilingual"))}
TABLE_LISTS = ("topics", "outcomes")
NEXT = (("country", "country"), ("city", "forms"), ("region", "bilingual"), ("period", "forms"),
        ("start", "date"), ("end", "date"))
# the lists a button may add a row to or remove one from: co_chairs, tables[2].topics, projects ...
LIST_PATH = re.compile(r"(co_chairs|tables|participants|projects|tables\[(\d{1,3})\]\.(topics|outcomes))")
ROW_PATH = re.compile(LIST_PATH.pattern + r"\[(\d{1,3})\]")
NEW_SESSION = {"co_chairs": [{"country": "IT"}, {"country": "RU"}], "tables": [{"topics": [{}]}],
               "participants": [{}], "projects": []}

# --- the form's values as a session file's data -------------------------------------------------------------


def _text(form, path: str) -> str | None:
    return form.get(path, "").strip()[:MAX_TEXT] or None


def _pruned(value: dict) -> dict | None:
    kept = {key: item for key, item in value.items() if item not in (None, "", [], {})}
    return kept or None


def _value(form, path: str, kind: str):
    if kind == "bilingual":
        return _pruned({lang: _text(form, f"{path}.{lang}") for lang in LANGUAGES})
    if kind == "forms":
        return _pruned({key: _text(form, f"{path}.{key}") for key in LANGUAGES + CASE_FORMS})
    text = _text(form, path)
    if kind == "number" and text and re.fullmatch(r"[0-9]{1,6}", text):
        return int(text)
    return text


def _indices(form, prefix: str) -> list[int]:
    """The row numbers of the inputs under ``prefix[N]``, in order (a form may skip numbers)."""
    pattern = re.compile(re.escape(prefix) + r"\[(\d{1,4})\]")
    return sorted({int(match.group(1)) for key in form if (match := pattern.match(key))})[:MAX_ROWS]


def _filled(row: dict) -> bool:
    return any(value not in (None, [], {}) for key, value in row.items() if key not in SELECTS)


def read_form(form, keep_empty: bool = False) -> dict:
    """The session's data typed in ``form``: empty inputs left out, and empty rows dropped (their paths shift)
    unless ``keep_empty`` (a row being added or removed: the rows keep their numbers)."""
    def kept(items: list) -> list:
        return [item or {} for item in items if item or keep_empty]

    data = {name: _value(form, name, kind) for name, kind in TOP}
    for group, fields in ROWS.items():
        rows = []
        for index in _indices(form, group):
            path = f"{group}[{index}]"
            row = {name: _value(form, f"{path}.{name}", kind) for name, kind in fields}
            if group == "tables":
                for listed in TABLE_LISTS:
                    row[listed] = kept([_value(form, f"{path}.{listed}[{j}]", "bilingual")
                                        for j in _indices(form, f"{path}.{listed}")])
            if _filled(row) or keep_empty:
                rows.append({key: value for key, value in row.items() if value is not None} if keep_empty
                            else _pruned(row))
        data[group] = rows
    data["projects"] = kept([_value(form, f"projects[{j}]", "bilingual") for j in _indices(form, "projects")])
    next_session = {name: _value(form, f"next_session.{name}", kind) for name, kind in NEXT}
    data["next_session"] = _pruned(next_session)
    if keep_empty:
        return {key: value for key, value in data.items() if value is not None}
    return _pruned(data) or {}


def _list_at(data: dict, path: str, create: bool = False) -> list | None:
    match = LIST_PATH.fullmatch(path)
    if not match:
        return None
    if match.group(2) is None:
        return data.setdefault(path, []) if create else data.get(path)
    tables = data.get("tables") or []
    index = int(match.group(2))
    if index >= len(tables):
        return None
    return tables[index].setdefault(match.group(3), []) if create else tables[index].get(match.group(3))


def changed_rows(data: dict, action: str) -> bool:
    """Apply an "add:LIST" or "remove:LIST[N]" button to ``data`` (read with its empty rows); whether it was
    one of them."""
    kind, _, path = action.partition(":")
    if kind == "add":
        rows = _list_at(data, path, create=True)
        if rows is not None and len(rows) < MAX_ROWS:
            rows.append({"topics": [{}]} if path == "tables" else {})
        return True
    if kind == "remove" and (match := ROW_PATH.fullmatch(path)):
        rows = _list_at(data, path[: path.rindex("[")])
        if rows is not None and int(match.group(4)) < len(rows):
            del rows[int(match.group(4))]
        return True
    return False


# --- the library's findings as the page says them -----------------------------------------------------------
FINDING = re.compile(r"(?P<path>[a-z_]+(?:\[\d+\])?(?:\.[a-z_]+(?:\[\d+\])?)*): (?P<text>.+)", re.S)
# the English wording of the most common findings (pipeline/sessions/fields.py) and their text on the page;
# any other finding is shown in English next to its field
FINDING_KEYS = ((re.compile(r"^missing (Italian|Russian) translation"), "sf.err.translation"),
                (re.compile(r"^(missing|empty)\b"), "sf.err.missing"),
                (re.compile(r"is before the start"), "sf.err.end_before_start"),
                (re.compile(r"is not one of IT, RU"), "sf.err.country"),
                (re.compile(r"\bdate\b"), "sf.err.date"),
                (re.compile(r"is not f or m"), "sf.err.gender"),
                (re.compile(r"must be a whole number"), "sf.err.number"),
                (re.compile(r"mixes Latin and Cyrillic"), "sf.err.mixed"),
                (re.compile(r"sessions alternate"), "sf.err.alternate"),
                (re.compile(r"control characters"), "sf.err.controls"))


def finding_message(text: str) -> str:
    for pattern, key in FINDING_KEYS:
        if pattern.search(text):
            return _t(key, detail=text.split(" mixes ")[0])
    return text


def error_places(err: TaskforceError, number) -> tuple[dict[str, list[str]], list[str]]:
    """A library error as messages by data path (shown next to their inputs) and general ones."""
    by_path: dict[str, list[str]] = {}
    general: list[str] = []

    def put(path: str | None, message: str) -> None:
        (by_path.setdefault(path, []) if path else general).append(message)

    if isinstance(err, ConflictError) and err.code == "session.exists":
        put("number", _t("sf.err.exists", number=number))
    elif isinstance(err, ConflictError):
        put(None, _t("sf.err.changed"))
    elif isinstance(err, BusyError):
        put(None, _t("sf.err.busy"))
    elif isinstance(err, ValidationError) and err.findings:
        for finding in err.findings:
            match = FINDING.fullmatch(finding.message)
            put(match["path"] if match else None, finding_message(match["text"]) if match else finding.message)
    elif isinstance(err, ValidationError) and (overlap := re.search(r"overlaps session (\d+)", err.message)):
        put("start", _t("sf.err.overlap", other=overlap.group(1)))
    else:
        put(None, err.message)
    return by_path, general


def path_label(path: str) -> str:
    """``co_chairs[1].name.ru`` as the page names it: "Copresidente 2 · Nome · russo"."""
    parts = []
    for name, index in re.findall(r"([a-z_]+)(?:\[(\d+)\])?", path):
        label = _t(f"lang.{name}") if name in LANGUAGES else _t(f"sf.{name}.one" if index else f"sf.{name}")
        parts.append(f"{label} {int(index) + 1}" if index else label)
    return " · ".join(parts)


# --- the pages ------------------------------------------------------------------------------------------------
def _page(data: dict, *, editing: int | None, sha256: str | None = None, errors=None, general=(), status=200):
    errors = errors or {}
    title = _t("sf.title.edit", n=editing) if editing is not None else _t("sf.title.new")
    return render_template("session_form.html", title=title, data=data, editing=editing, sha256=sha256,
                           errors=errors, general=list(general), case_forms=CASE_FORMS,
                           countries=[(code, _t(f"country.{code}")) for code in COUNTRIES],
                           case_errors=lambda path: any(key.startswith(f"{path}.ru_") for key in errors),
                           path_label=path_label, fid=field_id), status


def field_id(path: str) -> str:
    """The element id of the input (or group) of a data path: ``co_chairs[0].name.ru`` -> f-co_chairs-0-name-ru."""
    return "f-" + re.sub(r"[^A-Za-z0-9_]+", "-", path).strip("-")


def _posted(editing: int | None, sha256: str | None):
    """The form's post: a row added or removed (the form again), or the session saved (to its page)."""
    action = request.form.get("action", "save")[:100]
    if action != "save":
        data = read_form(request.form, keep_empty=True)
        changed_rows(data, action)
        return _page(data, editing=editing, sha256=sha256)
    data = read_form(request.form)
    if editing is not None:
        data["number"] = editing                      # an edit never renumbers (the page shows it read-only)
    try:
        session = use_cases().save_session(data, actor=current_user(), editing=editing, expected_sha256=sha256)
    except (ValidationError, ConflictError, BusyError, NotFoundError) as err:
        errors, general = error_places(err, data.get("number"))
        return _page(data, editing=editing, sha256=sha256, errors=errors, general=general, status=400)
    return redirect(url_for("session_page", number=session.number, saved=1), 303)


def _checked_post() -> None:
    request.max_content_length = FORM_BODY            # before the form is read
    if not csrf_ok():
        abort(400)


def register(app: Flask) -> None:
    @app.route("/sessions/new", methods=["GET", "POST"])
    @require_role("legal")
    def session_new():
        if request.method == "GET":
            return _page(copy.deepcopy(NEW_SESSION), editing=None)
        _checked_post()
        return _posted(None, None)

    @app.route("/session/<int:number>/edit", methods=["GET", "POST"])
    @require_role("legal")
    def session_edit(number):
        if request.method == "GET":
            try:
                data, sha256 = use_cases().session_source(number)
            except NotFoundError:
                abort(404)
            except ValidationError:                    # not YAML at all: for a text editor, not this form
                return render_template("error.html", code=400, message=_t("sf.err.unreadable")), 400
            return _page(data, editing=number, sha256=sha256)
        _checked_post()
        sha256 = request.form.get("sha256", "")
        if not re.fullmatch(r"[0-9a-f]{64}", sha256):
            abort(400)
        return _posted(number, sha256)
