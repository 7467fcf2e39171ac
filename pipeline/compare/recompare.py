"""Recording a new comparison of an archived signed text with its draft (``taskforce archive compare``).

Ingest compares a signed PDF with the drafts register as it is then. When the register changes afterwards (a
newer final version, a reference corrected with ``archive edit --ref``), ``archive diff`` shows the redline
against the register of now but writes nothing: it is a reading. ``archive compare`` is the explicit act:
it compares again (the newest final version, else the newest, as at ingest) and records it: always a
``draft comparison`` event, and, when the result differs from the one recorded, a new metadata revision whose
``draft_comparison`` is the new one (the PDF and the older revisions stay as they are; the search index is
then updated by the caller). The sidecar's ``warnings`` stay what ingest found; the new comparison's
warnings are in its event and in the answer.
"""
from __future__ import annotations

import dataclasses

from ..archive.eventlog import DRAFT_COMPARISON, new_event
from ..archive.record import DocumentRecord
from ..errors import NotFoundError
from .comparison import verdict
from .draftcheck import GIVEN_SOURCES, DraftCheck, check_signed
from .drafts import choose_version


@dataclasses.dataclass
class Recomparison:
    record: DocumentRecord      # the newest revision after recording
    was: dict | None            # the comparison recorded before
    changed: bool               # a new revision was written
    warnings: list[str]
    index_error: str | None = None      # set by the use case: the search index could not be updated

    def as_dict(self) -> dict:
        return {"doc_id": self.record.doc_id, "revision": self.record.revision, "changed": self.changed,
                "draft": verdict(self.record.draft_comparison), "was": verdict(self.was),
                "draft_comparison": self.record.draft_comparison, "warnings": self.warnings,
                "index_error": self.index_error}


def compare_again(archive, doc_id: str) -> Recomparison:
    """Compare ``doc_id``'s archived text with its draft as the register is now, and record it."""
    record = archive.record(doc_id)
    if not record.reference:
        raise NotFoundError("compare.no_reference", doc_id=record.doc_id, field="reference")
    choose_version(archive.ws, record.reference)    # a reference unknown to the register: an error saying so
    sources = record.metadata_sources
    check = check_signed(archive.ws, archive.page_texts(record.doc_id), record.page_sources, record.reference,
                         record.parties, sources.get("parties") in GIVEN_SOURCES, record.signed_on,
                         sources.get("signed_on"))
    if check.result is None:     # the draft is missing or unreadable: nothing recorded, the older comparison stands
        raise NotFoundError(f"{record.doc_id}: " + next(w for w in check.warnings if w.startswith("not compared")))
    return _record(archive, record.doc_id, check)


def _record(archive, doc_id: str, check: DraftCheck) -> Recomparison:
    folder = archive.folder_of(doc_id)
    outcome, detail = check.event
    with archive.locked():
        current = archive.record(folder.name)
        if check.comparison == current.draft_comparison:
            archive.log.append([new_event(DRAFT_COMPARISON, folder.name, outcome, detail)])
            return Recomparison(current, current.draft_comparison, False, check.warnings)
        new = dataclasses.replace(current, draft_comparison=check.comparison, revision=current.revision + 1)
        archive.write_revision(new, f"draft comparison {verdict(current.draft_comparison)} -> "
                                    f"{verdict(new.draft_comparison)}",
                               also=[new_event(DRAFT_COMPARISON, folder.name, outcome, detail)])
    return Recomparison(new, current.draft_comparison, True, check.warnings)
