"""Drafting in the browser (issue 23, item 3), for the legal staff (role legal; admin): one form over the
agreement data file at ``/drafts/new?kind=agreement|memorandum&session=N`` and ``/drafts/REF/edit``, and the
Protocol's contents at ``/drafts/new?kind=protocol&session=N``.

The form's inputs are named by their data paths (agreementform.py), so a problem the library finds lands next
to its input, said in the page's language. Saving writes the data file into the workspace and renders the next
version through the use case (usecases/draftforms.py); the page then shows the version's derived forms next to
their fields, to confirm or correct. Repeatable groups need no JavaScript: "add one more" and "remove" are
submit buttons that show the form again. Every post checks the role and the CSRF token; a visitor gets 404.
"""
from __future__ import annotations

import re

from flask import Flask, abort, redirect, render_template, request, url_for

from ..errors import ConflictError, Finding, NotFoundError, TaskforceError, ValidationError
from ..sessions.registry import readable_sessions
from ..vocab import CONFIDENTIALITY_LEVELS, COUNTRIES
from . import agreementform as af
from . import i18n
from .csrf import csrf_ok
from .language import _t, ui_lang
from .roles import require_role
from .services import use_cases
from .sessionform import FORM_BODY
from .signin import current_user

KINDS = ("agreement", "memorandum", "protocol")
EDITABLE = re.compile(r"TF\d{1,3}-(?:AGR|MOU)-\d{3}")      # an agreement's or a memorandum's reference


def path_label(path: str) -> str:
    """A data path in words of the page: parties[1].representative.name.ru -> "Parte 2 › Rappresentante ›
    Nome › russo"."""
    words = []
    for part in path.split("."):
        match = re.fullmatch(r"(\w+)\[(\d+)\]", part)
        if match:
            words.append(f"{_t('df.row.' + match[1])} {int(match[2]) + 1}")
        else:
            key = f"df.seg.{part}"
            words.append(_t(key) if key in i18n.TEXT else part)
    return " › ".join(words)


class Problem:
    """A problem of the form, said in the page's language: ``field`` is the input (data path) it belongs to,
    ``anchor`` the input or group it is shown at."""

    def __init__(self, finding, anchors: set[str]):
        self.field = finding.field
        self.anchor = _anchor(finding.field, anchors)
        self.text = finding_text(finding)

    def __str__(self) -> str:
        return f"{path_label(self.field)}: {self.text}" if self.field else self.text


def finding_text(finding) -> str:
    """One finding's message in the page's language (its code's text), or its English text when it has none."""
    code = finding.code or ""
    params = {key: value for key, value in finding.params if isinstance(value, (str, int))}
    if code == "data.translation_missing" and finding.field:
        key = "df.err.translation_missing." + finding.field.rsplit(".", 1)[-1]
    else:
        key = i18n.ERROR_KEYS.get(code)
    if key is None:
        return finding.message.split(": ", 1)[-1] if finding.field else finding.message
    params["field"] = path_label(finding.field) if finding.field else ""
    try:
        return i18n.translate(key, ui_lang(), **params)
    except (KeyError, IndexError, ValueError):
        return finding.message


def _anchor(field: str | None, anchors: set[str]) -> str:
    """The input (or group) a problem of ``field`` is shown at: the field's own input, else its nearest
    ancestor on the form (parties[0].representative -> parties[0]); "" for the whole form."""
    while field:
        if field in anchors:
            return field
        field = re.sub(r"(\.[^.\[]+|\[\d+\])$", "", field) if re.search(r"(\.[^.\[]+|\[\d+\])$", field) else ""
    return ""


def form_anchors(rows: dict[str, int]) -> set[str]:
    """Every input and group of the form, by data path."""
    names = {"title.it", "title.ru", "subject.it", "subject.ru", "sectors", "duration_months", "signed_on",
             "confidentiality", "place.it", "place.ru", "parties", "commitments", "premises", "title", "subject",
             "governing_law.it", "governing_law.ru", "disputes.it", "disputes.ru", "place", "disputes",
             "governing_law"}
    for group in ("parties", "premises", "commitments"):
        for i in range(rows[group]):
            names.add(f"{group}[{i}]")
            if group != "parties":
                names.update({f"{group}[{i}].it", f"{group}[{i}].ru"})
    for i in range(rows["parties"]):
        for path, how in af.party_paths(i).items():
            names.add(path)
            if how in ("forms", "bilingual", "basis"):
                names.update({f"{path}.it", f"{path}.ru"})
            if how in ("forms", "basis"):
                names.update(f"{path}.{key}" for key in af.RUSSIAN_FORMS)
    for path in ("disputes", "place"):
        names.update(f"{path}.{key}" for key in af.RUSSIAN_FORMS)
    return names


def _session_number(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        abort(404)
    if not 1 <= number <= 999:
        abort(404)
    return number


def _agreement_page(kind: str, session: int, data: dict, *, reference=None, entry=None, base=None,
                    findings=(), rows=None, notice=None, status=200):
    rows = rows or {"parties": af.row_count(data, "parties", 2), "premises": af.row_count(data, "premises", 1),
                    "commitments": af.row_count(data, "commitments", 1)}
    rows = {group: min(count, af.LIMITS[group]) for group, count in rows.items()}
    anchors = form_anchors(rows)
    problems = [Problem(finding, anchors) for finding in findings]
    derived = af.derived_by_field(entry.forms if entry else [])
    return render_template(
        "draft_form.html", kind=kind, session=session, reference=reference, entry=entry, base=base,
        values=af.form_values(data), rows=rows, problems=problems, derived=derived, notice=notice,
        limits=af.LIMITS, max_text=af.MAX_TEXT, russian_forms=af.RUSSIAN_FORMS, options=_options(), was=af.WAS), status


def _options() -> dict[str, list[tuple[str, str]]]:
    """The choices of the form's selects, as (value, text in the page's language)."""
    return {"country": [(code, _t(f"country.{code}")) for code in COUNTRIES],
            "article": [(article, _t("df.article.none") if article == "none" else article) for article in af.ARTICLES],
            "basis": [(basis, _t(f"df.basis.{basis}")) for basis in af.BASIS_CHOICES],
            "level": [(level, _t(f"level.{level}")) for level in CONFIDENTIALITY_LEVELS]}


def _post_agreement(kind: str, session: int, reference: str | None = None):
    """A post of the agreement form: add or remove a row (the form again), or save and render."""
    request.max_content_length = FORM_BODY            # before the form is read: a long agreement in Russian
    if not csrf_ok():
        abort(400)
    data, findings = af.read_form(request.form, kind)
    base = request.form.get("base", "")[:100] or None
    entry = None
    if reference:
        try:
            entry = use_cases().agreement_draft(reference)["entry"]
        except NotFoundError:
            abort(404)
    action = request.form.get("action", "")
    rows = None
    if action.startswith("add:") or action.startswith("remove:"):
        rows = _changed_rows(data, action)
        return _agreement_page(kind, session, data, reference=reference, entry=entry, base=base, rows=rows)
    if findings:
        return _agreement_page(kind, session, data, reference=reference, entry=entry, base=base, findings=findings,
                               status=400)
    try:
        saved = use_cases().save_agreement(session, data, reference=reference, base=base,
                                                  actor=current_user())
    except ValidationError as err:
        return _agreement_page(kind, session, data, reference=reference, entry=entry, base=base,
                               findings=err.findings or [_as_finding(err)], status=400)
    except NotFoundError:
        abort(404)                                  # the session or the reference went away meanwhile
    except ConflictError as err:
        return _agreement_page(kind, session, data, reference=reference, entry=entry, base=base,
                               findings=[_as_finding(err)], status=409)
    return redirect(url_for("draft_edit", reference=saved["reference"], rendered=saved["version"]), 303)


def _as_finding(err: TaskforceError) -> Finding:
    return Finding("form", err.message, field=err.field, code=err.code,
                   params=tuple((k, v) for k, v in err.params.items() if k != "field"))


def _changed_rows(data: dict, action: str) -> dict[str, int]:
    """The rows shown after "add one more" (add:GROUP) or "remove" (remove:GROUP[i])."""
    what, _, target = action.partition(":")
    match = re.fullmatch(r"(parties|premises|commitments)(?:\[(\d+)\])?", target)
    if not match:
        abort(400)
    group = match[1]
    rows = data.get(group) or []
    if what == "remove" and match[2] is not None and int(match[2]) < len(rows):
        del rows[int(match[2])]
        data[group] = rows
    counts = {g: len(data.get(g) or []) for g in af.LIMITS}
    least = {"parties": 2, "premises": 0, "commitments": 1}
    counts = {g: max(n, least[g]) for g, n in counts.items()}
    if what == "add":
        counts[group] = min(len(rows) + 1, af.LIMITS[group])
    return counts


def register(app: Flask) -> None:
    @app.route("/drafts/new", methods=["GET", "POST"])
    @require_role("legal")
    def draft_new():
        kind = request.args.get("kind", "")
        if kind not in KINDS:
            abort(404)
        session = _session_number(request.args.get("session"))
        if session not in {s.number for s in readable_sessions(use_cases().ws)}:
            abort(404)
        if kind == "protocol":
            return _protocol(session)
        if request.method == "POST":
            return _post_agreement(kind, session)
        return _agreement_page(kind, session, {"kind": kind, "parties": [{"country": "IT"}, {"country": "RU"}]})

    @app.route("/drafts/<reference>/edit", methods=["GET", "POST"])
    @require_role("legal")
    def draft_edit(reference):
        if not EDITABLE.fullmatch(reference):
            abort(404)
        try:
            opened = use_cases().agreement_draft(reference)
        except NotFoundError as err:
            if err.code != "draft.data_missing":
                abort(404)
            # the draft exists, its data file (one the CLI rendered from, outside the workspace) does not
            return render_template("error.html", code=404, message=_t("df.data_missing", reference=reference,
                                                                      version=err.params["version"])), 404
        entry = opened["entry"]
        if request.method == "POST":
            return _post_agreement(entry.kind, entry.session, reference)
        notice = None
        rendered = request.args.get("rendered", "")
        if rendered.isdigit() and int(rendered) == entry.version:
            notice = _t("df.rendered", reference=reference, version=entry.version)
        data = opened["data"]
        data.pop("reference", None)
        return _agreement_page(entry.kind, entry.session, data, reference=reference, entry=entry,
                               base=opened["base"], notice=notice)

    def _protocol(session: int):
        contents = use_cases().protocol_contents(session)
        if request.method == "POST":
            if not csrf_ok():
                abort(400)
            try:
                entry = use_cases().render_protocol(session, actor=current_user())
            except (ValidationError, NotFoundError) as err:     # a session file or template gone wrong
                return render_template("draft_protocol.html", contents=contents, session=session, rendered=None,
                                       error=finding_text(_as_finding(err))), 400
            return render_template("draft_protocol.html", contents=use_cases().protocol_contents(session),
                                   session=session, rendered=entry)
        return render_template("draft_protocol.html", contents=contents, session=session, rendered=None)
