"""What the visitor may see: anonymous visitors the public documents, staff every level; a document the
visitor may not see answers exactly like a missing one.

A document's address on the web page is its public id (pipeline/archive/layout.py: from its original's
SHA-256), for every reader: the archive's ids (TFA-000001) count every document ingested, and their gaps
would show the public where hidden documents were ingested. Staff may also type an archive id ("TFA-000001"
or "1"), which redirects to the public address; for a visitor such an address is a 404 like any other, found
before anything is read. An address of neither form (other digits than ASCII ones, thousands of digits) is a
404 as well, before anything is read."""
from __future__ import annotations

import re

from flask import abort

from ..access import Reader, web_reader
from ..archive.layout import PUBLIC_ID_PATTERN, public_id_of
from ..errors import TaskforceError
from .services import use_cases
from .signin import current_user

# what staff may type instead of a public id: TFA-000001, tfa-1, or the number alone (ASCII digits, bounded)
ARCHIVE_ADDRESS = re.compile(r"^(?:[Tt][Ff][Aa]-)?[0-9]{1,12}$")


def reader() -> Reader:
    """Who is asking: anonymous visitors see public documents, signed-in staff every level."""
    return web_reader(bool(current_user()))


def address_of(item) -> str:
    """The web address (public id) of a document: a record, or a hit of the search (a dict)."""
    if isinstance(item, dict):
        return item.get("public_id") or public_id_of(item.get("sha256") or "")
    return public_id_of(item.sha256)


def _visible_record(archive, address: str):
    """The newest metadata of the document at ``address``, or 404 when there is none, when the address is
    malformed, or when the visitor may not see it (all alike). A public id is looked up in the index the
    visitor searches (the public one for a visitor: a hidden document is not in it); an archive id only for
    staff."""
    address = address if isinstance(address, str) else ""
    reading = reader()
    if PUBLIC_ID_PATTERN.match(address):
        doc_id = use_cases().document_at(address, reading)
    elif current_user() is not None and ARCHIVE_ADDRESS.match(address):
        doc_id = address
    else:
        doc_id = None
    if doc_id is None:
        abort(404)
    try:
        record = archive.record(doc_id)
    except TaskforceError:
        abort(404)
    if not reading.may_see_record(record):
        abort(404)
    return record


def shown_hits(hits: list[dict]) -> list[dict]:
    """The hits as this visitor may see them: for a visitor, each one's id is its public id (the archive's
    ids are staff's; see the module's note)."""
    if current_user() is not None:
        return hits
    return [{**hit, "doc_id": address_of(hit),
             **({"files": [{**f, "doc_id": f["public_id"]} for f in hit["files"]]} if "files" in hit else {})}
            for hit in hits]


def succession_of(archive, record) -> dict[str, str]:
    """{"superseded_by" / "supersedes": the web address of the linked document} for the links of ``record``
    whose other end this visitor may see (a link to a document hidden from them is left out)."""
    links = {}
    for name in ("superseded_by", "supersedes"):
        linked = getattr(record, name, None)
        if not linked:
            continue
        try:
            other = archive.record(linked)
        except TaskforceError:
            continue
        if reader().may_see_record(other):
            links[name] = address_of(other)
    return links

