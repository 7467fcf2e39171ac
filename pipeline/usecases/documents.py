"""The document page's read: one document as a reader may see it, with what the page shows around it."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from ..access import Reader
from ..archive.record import DocumentRecord
from ..archive.store import Archive
from ..errors import NotFoundError, TaskforceError
from ..search import SearchRequest
from ..search.reading import reading_text
from ..workspace import Workspace
from .searching import search

SESSION_DOCUMENTS = 200        # the other documents of its session listed beside a document


@dataclass
class DocumentPage:
    record: DocumentRecord                     # the newest metadata revision
    pages: list[str]                           # the text of each page
    fixity: dict | None                        # what the last fixity check said of it (None: never checked)
    events: list[dict]                         # its PREMIS events
    others: list[dict] = field(default_factory=list)   # the other documents of its session the reader may see
    files: list[dict] = field(default_factory=list)    # the files of its reference the reader may see (itself first)
    reading: list = field(default_factory=list)        # its text reflowed, by language and section (search/reading.py)

    @property
    def protocols(self) -> list[dict]:
        return [hit for hit in self.others if hit["type"] == "protocol"]

    @property
    def agreements(self) -> list[dict]:
        return [hit for hit in self.others if hit["type"] != "protocol"]


def visible_record(archive: Archive, doc_id: str, reader: Reader) -> DocumentRecord:
    """The newest metadata of ``doc_id`` (its number or its id), or NotFoundError when it is missing, cannot
    be read, or the reader may not see it: the same answer, so that a hidden document cannot be told from a
    missing one."""
    try:
        record = archive.record(doc_id)
    except TaskforceError:
        raise NotFoundError(f"no document {doc_id}") from None
    if not reader.may_see_record(record):
        raise NotFoundError(f"no document {doc_id}")
    return record


def read_document(ws: Workspace, doc_id: str, reader: Reader, staff: bool = False,
                  archive: Archive | None = None, query: str = "") -> DocumentPage:
    """Everything the document page shows of ``doc_id`` for ``reader``: its metadata, page texts, fixity (the
    findings themselves for ``staff`` only), events, the other documents of its session, the files of its
    reference, and its text to read, with the words of ``query`` (the search that led there) marked."""
    archive = archive or Archive(ws)
    record = visible_record(archive, doc_id, reader)
    record = dataclasses.replace(record, bilingual=record.derived_bilingual())   # read, the sidecar as it is
    others = search(ws, SearchRequest(session=record.session, limit=SESSION_DOCUMENTS, snippets=False,
                                      reader=reader))["hits"]
    # one hit per reference: its own hit lists the files of its reference (both originals, copies)
    mine = next((hit for hit in others if any(f["doc_id"] == record.doc_id for f in hit.get("files", ()))), None)
    files = sorted(mine["files"] if mine else [], key=lambda f: f["doc_id"] != record.doc_id)
    pages = archive.page_texts(record.doc_id)
    return DocumentPage(record, pages, document_fixity(archive, record.doc_id, staff),
                        archive.events(record.doc_id), [hit for hit in others if hit is not mine], files,
                        reading_text(pages, query))


def document_fixity(archive: Archive, doc_id: str, staff: bool) -> dict | None:
    """What the archive's last fixity check said of this document: its time, and "success" unless one of its
    typed findings (checksum mismatch, missing file, ...) names this document. Staff also get the findings
    themselves. What it found in other documents is not this page's business (nor, for a visitor, that of a
    hidden one). A check logged before findings were kept says the outcome of the whole check. A document
    archived after the last check was not covered by it: "not_yet", never that check's verdict."""
    events = archive.events()
    at = next((n for n in range(len(events) - 1, -1, -1) if events[n].get("type") == "fixity check"), None)
    if at is None:
        return None
    last = events[at]
    if not any(event.get("object") == doc_id for event in events[:at]):   # archived after it
        return {"time": last["time"], "outcome": "not_yet", "findings": []}
    if "findings" not in last and last.get("outcome") == "failure":
        return {"time": last["time"], "outcome": "failure", "findings": []}
    mine = [finding for finding in last.get("findings", [])
            if finding.get("where", "").split("/", 1)[0] == doc_id]
    return {"time": last["time"], "outcome": "failure" if mine else "success", "findings": mine if staff else []}
