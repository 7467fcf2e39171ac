"""The searchable PDF/A copy of a scan (OCRmyPDF's, kept as derived data: pipeline/pdf/searchable.py), at
``/doc/ID/searchable.pdf``, through the same access check as the document's PDF: a document the reader may
not see answers exactly like a missing one. A copy that was deleted is made again from the archived original
when asked for (the request waits for the OCR, within the sandbox's time limits)."""
from __future__ import annotations

import logging
import re

from flask import Flask, abort, request, send_file

from ..archive.store import Archive
from ..errors import NotFoundError, PdfRejected, ToolMissingError
from ..pdf import searchable
from .services import use_cases
from .signin import current_user
from .site import _ws
from .visibility import _visible_record, address_of

log = logging.getLogger("taskforce.web")


def register(app: Flask) -> None:
    app.jinja_env.globals["searchable_offered"] = offered

    @app.get("/doc/<doc_id>/searchable.pdf")
    def searchable_pdf(doc_id):
        record = _visible_record(Archive(_ws()), doc_id)
        if doc_id != address_of(record) and doc_id != record.doc_id:
            abort(404)
        try:
            path = use_cases().searchable_copy(record.doc_id)
        except NotFoundError:
            abort(404)
        except (ToolMissingError, PdfRejected) as err:
            log.warning("no searchable copy of %s: %s", record.doc_id, err)
            abort(404)
        shown = record.doc_id if current_user() else address_of(record)
        name = re.sub(r"[^A-Za-z0-9._-]+", "_", record.reference or shown) + "-searchable.pdf"
        return send_file(path, mimetype="application/pdf", as_attachment=request.args.get("download") == "1",
                         download_name=name, conditional=True, etag=f"{record.sha256}-searchable", max_age=0)


def offered(record) -> bool:
    """Whether the document page links a searchable copy: a scan (a page read by OCR) whose copy is kept, or
    can be made here."""
    if "ocr" not in (record.page_sources or []):
        return False
    return searchable.copy_path(_ws(), record.sha256).is_file() or searchable.missing() is None
