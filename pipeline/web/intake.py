"""Intake in the browser (issue 24 items 1 and 6), for archivists: upload PDFs (and a manifest CSV) at
/intake, watch them being prepared, review the proposed metadata at /intake/<batch>, correct, discard or
confirm each file. The library does the work (pipeline/usecases/intake.py); this module parses and renders.

Security: every route is behind ``require_role("archivist")`` (a visitor 404, another role 403), every post
carries the CSRF token, an upload is a PDF or a CSV by its content (not its name), each file and the whole
request are size-limited and the number of files is too; the user's file names are data, never paths (the
staging area names its files itself).
"""
from __future__ import annotations

import csv
import io
import logging
import re
import threading

from flask import Flask, abort, redirect, render_template, request, url_for

from ..archive.metadata import Given, parse_reference, parse_session
from ..archive.proposals import READ
from ..archive.review import FIELDS
from ..errors import DateFormatError, NotFoundError, TaskforceError, ValidationError
from ..sessions.dates import parse_date
from ..sessions.fields import safe_name
from ..vocab import CONFIDENTIALITY_LEVELS, DOCUMENT_TYPES
from . import i18n
from .csrf import csrf_ok
from .language import _t
from .roles import require_role
from .searchpage import FieldError
from .services import use_cases
from .signin import current_user

MIB = 1024 * 1024
MAX_FILE = 100 * MIB            # one PDF
MAX_MANIFEST = 1 * MIB
MAX_FILES = 60                  # files of one upload
MAX_REQUEST = 400 * MIB         # the whole upload
MAX_REVIEW = 512 * 1024         # the review form's post (a few dozen fields per file)
PDF_HEADER_WINDOW = 1024        # a PDF's %PDF- header may follow some bytes of junk (what readers accept)
REFRESH_SECONDS = 2
FIELD_NAME = re.compile(r"files\[(\d{1,4})\]\.([a-z_]+)")

log = logging.getLogger("taskforce.web")


def is_pdf(head: bytes) -> bool:
    return b"%PDF-" in head[:PDF_HEADER_WINDOW]


def is_csv(data: bytes) -> bool:
    """UTF-8 text without NUL bytes that the csv module reads as rows of more than one column."""
    if b"\x00" in data or is_pdf(data):
        return False
    try:
        text = data.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
    except (UnicodeDecodeError, csv.Error):
        return False
    return bool(rows) and len(rows[0]) >= 1 and bool(rows[0][0].strip())


def upload_name(sent: str) -> str:
    """The name a browser gave a file, as data: its last component only (a client may send a path, with / or
    \\), printable, at most 200 characters; "upload.pdf" when nothing is left."""
    last = sent.replace("\\", "/").rstrip("/").rpartition("/")[2].strip()
    return safe_name(last)[:200] if last not in ("", ".", "..") else "upload.pdf"


def _size(stream) -> int:
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def read_uploads(errors: list[FieldError]) -> tuple[list, bytes | None]:
    """The uploaded PDFs [(the user's name, stream)] and the manifest's bytes, after the checks; every
    problem goes to ``errors`` next to its field."""
    uploads = [item for item in request.files.getlist("files") if item and item.filename]
    if not uploads:
        errors.append(FieldError("files", _t("intake.err.no_files")))
    if len(uploads) > MAX_FILES:
        errors.append(FieldError("files", _t("intake.err.too_many", n=len(uploads), limit=MAX_FILES)))
        uploads = []
    accepted = []
    for item in uploads:
        name = upload_name(item.filename)
        size = _size(item.stream)
        head = item.stream.read(PDF_HEADER_WINDOW)
        item.stream.seek(0)
        if size > MAX_FILE:
            errors.append(FieldError("files", _t("intake.err.too_big", name=name, limit=MAX_FILE // MIB)))
        elif not is_pdf(head):
            errors.append(FieldError("files", _t("intake.err.not_pdf", name=name)))
        else:
            accepted.append((name, item.stream))
    manifest = None
    sent = request.files.get("manifest")
    if sent and sent.filename:
        if _size(sent.stream) > MAX_MANIFEST:
            errors.append(FieldError("manifest", _t("intake.err.manifest_big", limit=MAX_MANIFEST // MIB)))
        else:
            manifest = sent.stream.read()
            if not is_csv(manifest):
                errors.append(FieldError("manifest", _t("intake.err.not_csv")))
    return accepted, manifest


def _start_preparing(batch_id: str) -> None:
    """Prepare the batch in a thread of its own (the page refreshes to show the progress); a second start
    while one prepares returns at once (the staging area's lock)."""
    calls = use_cases()

    def run():
        try:
            calls.prepare_intake(batch_id)
        except Exception:   # logged: the batch's state keeps what was done, the next view takes it up again
            log.exception("preparing the intake batch %s failed", batch_id)
    threading.Thread(target=run, name=f"intake-{batch_id}", daemon=True).start()


def shown(field: str, value) -> str:
    """A proposed value as the review's input shows it."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(map(str, value))
    return str(value)


def source_label(source: str) -> str:
    """Where a proposed value came from, in the page's language (a source the page does not know: as is)."""
    key = f"intake.from.{source}"
    if key in i18n.TEXT:
        return _t(key)
    if source.startswith(READ):                   # "read from the text: «VII sessione»"
        return _t("intake.from.text") + source[len(READ):]
    return source


def warning_text(warning: dict) -> str:
    values = {key: ", ".join(map(str, value)) if isinstance(value, list) else value
              for key, value in warning.items() if key != "code"}
    if "others" in values:
        values["others"] = f" ({_t('intake.or')} {values['others']})" if values["others"] else ""
    key = f"intake.warn.{warning.get('code')}"
    return _t(key, **values) if key in i18n.TEXT else str(values)


def typed_values() -> dict[int, dict[str, str]]:
    """What the review form carries, {file number: {field: text}} from inputs named ``files[N].field``."""
    typed: dict[int, dict[str, str]] = {}
    for key, value in request.form.items():
        match = FIELD_NAME.fullmatch(key)
        if match and match[2] in FIELDS:
            typed.setdefault(int(match[1]), {})[match[2]] = value.strip()[:2000]
    return typed


def corrections(number: int, review: dict, typed: dict[str, str], errors: list[FieldError]) -> Given | None:
    """The fields the archivist changed or filled in, as the ingest's options (what ``taskforce ingest`` is
    given on its command line); an unchanged proposal is left to the ingest to find again, with its source."""
    values: dict = {}
    for field in FIELDS:
        name = f"files[{number}].{field}"
        text = typed.get(field, shown(field, review["values"].get(field)))
        missing = field in review.get("missing", [])
        if text == shown(field, review["values"].get(field)) and not missing:
            continue
        if not text:
            if missing:
                errors.append(FieldError(name, _t(f"intake.err.need_{field}")))
            continue
        try:
            values.update(_parsed(field, text))
        except (ValidationError, DateFormatError):
            errors.append(FieldError(name, _t(f"intake.err.{field}", value=text)))
    if errors:
        return None
    try:
        return Given(**values)
    except ValidationError as err:           # a control character, an over-long value
        errors.append(FieldError(f"files[{number}].{err.field or 'title'}", _t("intake.err.value")))
        return None


def _parsed(field: str, text: str) -> dict:
    if field == "session":
        return {"session": parse_session(text)}
    if field == "type":
        if text not in DOCUMENT_TYPES:
            raise ValidationError("value.choice")
        return {"type": text}
    if field == "confidentiality":
        if text not in CONFIDENTIALITY_LEVELS:
            raise ValidationError("value.choice")
        return {"confidentiality": text}
    if field == "signed_on":
        return {"signed_on": parse_date(text, "signed_on")}
    if field == "reference":
        return {"reference": parse_reference(text)}
    if field == "parties":
        return {"parties": [party.strip() for party in text.split(";") if party.strip()]}
    return {field: text}


def register(app: Flask) -> None:
    @app.route("/intake", methods=["GET", "POST"])
    @require_role("archivist")
    def intake_page():
        errors: list[FieldError] = []
        if request.method == "POST":
            request.max_content_length = MAX_REQUEST
            if not csrf_ok():
                abort(400)
            uploads, manifest = read_uploads(errors)
            if not errors:
                try:
                    batch_id = use_cases().stage_intake(uploads, manifest, current_user())
                except ValidationError as err:
                    errors.append(FieldError("manifest", _t("intake.err.manifest", reason=err.params.get("reason", ""))))
                else:
                    log.info("%s staged %d file(s) as intake batch %s", current_user(), len(uploads), batch_id)
                    _start_preparing(batch_id)
                    return redirect(url_for("intake_review", batch_id=batch_id), 303)
        return render_template("intake.html", errors=errors, batches=use_cases().intake_batches(),
                               done=request.args.get("done", "")[:40],
                               limits={"files": MAX_FILES, "file": MAX_FILE // MIB}), 400 if errors else 200

    @app.route("/intake/<batch_id>", methods=["GET", "POST"])
    @require_role("archivist")
    def intake_review(batch_id):
        calls = use_cases()
        try:
            batch = calls.intake_batch(batch_id)
        except NotFoundError:
            abort(404)
        errors: list[FieldError] = []
        notice = None
        if request.method == "POST":
            request.max_content_length = MAX_REVIEW
            if not csrf_ok():
                abort(400)
            typed = typed_values()
            calls.save_intake_corrections(batch_id, typed)
            batch = calls.intake_batch(batch_id)
            action, number = _action()
            entry = next((item for item in batch["files"] if item["n"] == number), None)
            if entry is None and action:
                abort(400)
            if "confirm_all" in request.form:      # every file ready whose values are complete; the others stay
                done = [_confirm(batch_id, item, typed.get(item["n"], {}), errors)
                        for item in batch["files"] if item["status"] == "ready"]
                notice = ", ".join(doc_id for doc_id in done if doc_id)[:40] or None
            elif action == "discard":
                try:
                    calls.discard_staged(batch_id, number)
                except ValidationError:
                    errors.append(FieldError(f"files[{number}]", _t("intake.err.not_ready")))
            elif action == "confirm":
                notice = _confirm(batch_id, entry, typed.get(number, {}), errors)
            try:
                batch = calls.intake_batch(batch_id)
            except NotFoundError:                # every file archived or discarded: the batch is done
                return redirect(url_for("intake_page", done=notice or None), 303)
            if not errors:
                return redirect(url_for("intake_review", batch_id=batch_id, done=notice or None), 303)
        if batch["waiting"] and not batch["preparing"]:
            _start_preparing(batch_id)           # after a restart of the server: take the batch up again
            batch["preparing"] = True
        return render_template("intake_review.html", batch=batch, errors=errors, fields=FIELDS, shown=shown,
                               refresh=REFRESH_SECONDS if batch["waiting"] else None,
                               done=request.args.get("done", "")[:40],
                               ready=sum(1 for item in batch["files"] if item["status"] == "ready"),
                               types=DOCUMENT_TYPES, levels=CONFIDENTIALITY_LEVELS, source_label=source_label,
                               warning_text=warning_text), 400 if errors else 200


def _action() -> tuple[str | None, int | None]:
    for action in ("confirm", "discard"):
        value = request.form.get(action)
        if value is not None:
            if not value.isdigit() or len(value) > 4:
                abort(400)
            return action, int(value)
    return None, None


def _confirm(batch_id: str, entry: dict, typed: dict, errors: list[FieldError]) -> str | None:
    number = entry["n"]
    if entry["status"] != "ready":
        errors.append(FieldError(f"files[{number}]", _t("intake.err.not_ready")))
        return None
    given = corrections(number, entry.get("review", {}), typed, errors)
    if given is None:
        return None
    try:
        report = use_cases().confirm_staged(batch_id, number, given)
    except TaskforceError as err:
        log.warning("confirming file %s of intake batch %s failed: %s", number, batch_id, err.message)
        errors.append(FieldError(f"files[{number}]", _t("intake.err.rejected", reason=err.message)))
        return None
    outcome = report.outcomes[0]
    if outcome.outcome == "rejected":
        errors.append(FieldError(f"files[{number}]", _t("intake.err.rejected", reason=outcome.reason)))
        return None
    return outcome.doc_id
