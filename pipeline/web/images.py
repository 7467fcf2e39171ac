"""The page images and first-page thumbnails of a document (pipeline/web/previews.py), through the same
access check as its PDF: a document the reader may not see answers exactly like a missing one."""
from __future__ import annotations

import logging

from flask import Flask, Response, abort, g, send_file

from ..access import is_public
from ..archive.layout import ORIGINAL
from ..archive.store import Archive
from ..errors import NotFoundError, ToolMissingError
from . import previews
from .site import _ws
from .visibility import _visible_record, address_of

# A public document's images may be kept a day by the browser; any other level's are asked again each time
# (no-cache: a 304 after the access check), so that a shared browser does not keep showing a restricted page
# after its reader signed out.
IMAGE_MAX_AGE = 24 * 3600

log = logging.getLogger("taskforce.web")


def register(app: Flask) -> None:
    @app.get("/doc/<doc_id>/page/<int:number>.png")
    def page_image(doc_id, number):
        archive = Archive(_ws())
        record = _visible_record(archive, doc_id)
        if doc_id != address_of(record):
            abort(404)
        try:
            path = previews.page_image(_ws(), archive.folder_of(record.doc_id) / ORIGINAL, record.sha256, number,
                                       record.pages)
        except NotFoundError:
            abort(404)
        except ToolMissingError as err:
            log.warning("no image of page %s of %s: %s", number, record.doc_id, err)
            abort(404)
        return _image(path, record, f"{record.sha256}-p{number}")

    @app.get("/doc/<doc_id>/thumb.png")
    def thumbnail(doc_id):
        archive = Archive(_ws())
        record = _visible_record(archive, doc_id)
        if doc_id != address_of(record):
            abort(404)
        try:
            path = previews.thumbnail(_ws(), archive.folder_of(record.doc_id) / ORIGINAL, record.sha256)
        except (NotFoundError, ToolMissingError) as err:
            log.warning("no thumbnail of %s: %s", record.doc_id, err)
            abort(404)
        return _image(path, record, f"{record.sha256}-thumb")


def available() -> bool:
    """Whether the document page shows page images: it refers to them, their own route makes them (a
    document page or a list never waits for a rendering)."""
    return previews.available()


def _image(path, record, etag: str) -> Response:
    """A page image or thumbnail (or the placeholder of one that could not be made) with its caching: see
    IMAGE_MAX_AGE."""
    if path == previews.PLACEHOLDER:
        etag += "-none"
    response = send_file(path, mimetype="image/png", conditional=True, etag=etag, max_age=0)
    if is_public(record.confidentiality):
        response.headers["Cache-Control"] = f"private, max-age={IMAGE_MAX_AGE}"
    else:
        response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Vary"] = "Cookie"
    g.cacheable = True
    return response
