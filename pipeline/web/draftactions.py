"""What the legal staff do on a reference's page (issue 23 items 4 to 6): approve a version as final, make
the PDF originals of a version, and take back a .docx edited in Word. Each is a POST with the session's CSRF
token, for the role legal (admin holds it); the library does the work under the drafts register's lock (use
cases approve_version, version_pdfs, import_docx), with the signed-in account as its author.

The upload is bounded before it is read (the request's own size limit, the import's limit and a small margin
for the form's other fields), must be named .docx, and reaches the library as bytes with its name for the
record: no name or path from the request touches the file system.
"""
from __future__ import annotations

import re

from flask import Flask, abort, redirect, request, url_for

from ..errors import TaskforceError, ToolMissingError, ValidationError
from ..usecases.drafting import IMPORT_LIMIT
from .csrf import csrf_ok
from .language import _t
from .roles import require_role
from .services import use_cases
from .signin import current_user

UPLOAD_LIMIT = IMPORT_LIMIT                 # bytes of an uploaded .docx (the import's own limit)
FORM_MARGIN = 64 * 1024                     # the multipart form's other fields and boundaries
DONE = ("approved", "pdfs")
IMPORT_KEYS = {"import.too_large", "import.not_docx", "import.too_big_unpacked", "import.external_links",
               "import.no_reference", "import.other_reference", "import.tracked_changes", "import.broken_table",
               "import.no_table"}


def done_message() -> str | None:
    """The line that says what the last action did (after its redirect): ?done=approved&version=N."""
    done, version = request.args.get("done", ""), request.args.get("version", "")[:6]
    if done in DONE and version.isdigit():
        return _t(f"dr.done.{done}", version=version)
    return None


def problem_lines(err: TaskforceError) -> list[str]:
    """A refusal of the library in the page's language (its code's text), then each of its findings as the
    library says them (the fields to give, the tracked changes, the broken rows)."""
    if err.code in ("render.forms_unconfirmed", "approve.forms_unconfirmed"):
        head = _t("dr.err.forms", count=err.params.get("count", len(err.findings)))
    elif err.code in IMPORT_KEYS:
        try:
            head = _t("dr.err." + err.code, **{key: value for key, value in err.params.items()
                                               if isinstance(value, (str, int))})
        except (KeyError, IndexError, ValueError):
            head = err.message
    elif isinstance(err, ToolMissingError):
        head = _t("dr.err.libreoffice")
    else:
        head = err.message
    return [head] + [str(finding.message if not finding.where else finding) for finding in err.findings]


def _version(versions: list[dict]) -> int:
    text = request.form.get("version", "")[:6]
    if not text.isdigit() or int(text) not in {row["version"] for row in versions}:
        abort(400)
    return int(text)


def register(app: Flask, versions_or_404, render_reference) -> None:
    def checked(reference: str, limit: int = 64 * 1024) -> list[dict]:
        request.max_content_length = limit                 # before the body is read
        if not csrf_ok():
            abort(400)
        return versions_or_404(reference)

    @app.post("/drafts/<reference>/approve")
    @require_role("legal")
    def draft_approve(reference):
        versions = checked(reference)
        try:
            entry = use_cases().approve_version(reference, _version(versions), actor=current_user())
        except TaskforceError as err:
            return render_reference(reference, versions, status=400, action_errors=problem_lines(err))
        return redirect(url_for("draft_reference", reference=reference, done="approved",
                                version=entry["version"]), 303)

    @app.post("/drafts/<reference>/pdf")
    @require_role("legal")
    def draft_pdfs(reference):
        versions = checked(reference)
        version = _version(versions)
        try:
            use_cases().version_pdfs(reference, version, actor=current_user())
        except TaskforceError as err:
            return render_reference(reference, versions, status=400, action_errors=problem_lines(err))
        return redirect(url_for("draft_reference", reference=reference, done="pdfs", version=version), 303)

    @app.post("/drafts/<reference>/import")
    @require_role("legal")
    def draft_import(reference):
        versions = checked(reference, UPLOAD_LIMIT + FORM_MARGIN)
        upload = request.files.get("docx")
        errors = {}
        if upload is None or not upload.filename:
            errors["docx"] = _t("dr.err.no_file")
        elif not re.search(r"\.docx$", upload.filename, re.IGNORECASE):
            errors["docx"] = _t("dr.err.not_docx_name")
        else:
            data = upload.stream.read(UPLOAD_LIMIT + 1)
            if len(data) > UPLOAD_LIMIT:
                errors["docx"] = _t("dr.err.too_large", limit=UPLOAD_LIMIT // 2**20)
        if errors:
            return render_reference(reference, versions, status=400, upload_errors=[errors["docx"]])
        try:
            entry = use_cases().import_docx(reference, data, upload.filename, actor=current_user())
        except ValidationError as err:
            return render_reference(reference, versions, status=400, upload_errors=problem_lines(err))
        except TaskforceError as err:
            return render_reference(reference, versions, status=400, action_errors=problem_lines(err))
        return render_reference(reference, use_cases().draft_versions(reference),
                                compared=(entry["based_on"], entry["version"]), warnings=entry.get("warnings"),
                                message=_t("dr.done.imported", version=entry["version"], based_on=entry["based_on"]))
