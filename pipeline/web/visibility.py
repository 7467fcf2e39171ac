"""What the visitor may see: anonymous visitors the public documents, staff every level; a document the
visitor may not see answers exactly like a missing one."""
from __future__ import annotations

from flask import abort

from ..access import Reader, web_reader
from ..errors import TaskforceError
from .signin import current_user


def reader() -> Reader:
    """Who is asking: anonymous visitors see public documents, signed-in staff every level."""
    return web_reader(bool(current_user()))


def _visible_record(archive, doc_id: str):
    """The document's newest metadata, or 404 when it is missing or the visitor may not see it."""
    try:
        record = archive.record(doc_id)
    except TaskforceError:
        abort(404)
    if not reader().may_see(record.confidentiality):
        abort(404)
    return record
