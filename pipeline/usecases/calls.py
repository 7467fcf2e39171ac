"""The use cases of one workspace as one object: what the web page is given when it is made (create_app), so
that it calls the library through these and nothing else, and a test gives it one with a call replaced
instead of replacing a module's function."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..access import Reader
from ..archive.metadata import Given
from ..search import SearchRequest
from ..search.snippets import snippet_source
from ..workspace import Workspace
from . import archiving, documents, draftforms, drafting, intake, parties, searching, sessions


class UseCases:
    """The calls of the workspace ``ws``. ``text_of(doc_id)`` gives the text a search's snippets are cut from
    (default: the archived page texts; the benchmark indexes generated documents with no archive entry)."""

    def __init__(self, ws: Workspace, text_of: Callable[[str], str] | None = None):
        self.ws = ws
        self.text_of = text_of or (lambda doc_id: snippet_source(ws, doc_id))

    def search(self, request: SearchRequest) -> dict:
        return searching.search(self.ws, request, text_of=self.text_of)

    def document_at(self, public_id: str, reader: Reader) -> str | None:
        return searching.document_at(self.ws, public_id, reader)

    def sector_names(self, reader: Reader) -> dict[str, dict[str, str]]:
        return searching.sector_names(self.ws, reader)

    def statistics(self, dimensions, reader: Reader) -> dict[str, dict]:
        return searching.statistics(self.ws, dimensions, reader)

    def statistics_chart(self, result: dict, **labels) -> bytes:
        return searching.statistics_chart(result, **labels)

    def read_document(self, doc_id: str, reader: Reader, staff: bool = False,
                      archive=None, query: str = "") -> documents.DocumentPage:
        return documents.read_document(self.ws, doc_id, reader, staff, archive, query)

    def compare_document(self, doc_id: str, version: int | None = None):
        return archiving.compare_document(self.ws, doc_id, version)

    def searchable_copy(self, doc_id: str) -> Path:
        return archiving.searchable_copy(self.ws, doc_id)

    def export(self, destination: Path, session: int | None = None) -> dict:
        return archiving.export(self.ws, destination, session)

    def withdraw(self, doc_id: str, reason: str, actor: str | None = None) -> archiving.SuccessionReport:
        return archiving.withdraw(self.ws, doc_id, reason, actor)

    def supersede(self, old_id: str, new_id: str, actor: str | None = None) -> archiving.SuccessionReport:
        return archiving.supersede(self.ws, old_id, new_id, actor)

    def propose(self, paths, options=None, manifest: Path | None = None) -> list:
        """What the ingest would make of each file (its proposals, values, problem), nothing archived."""
        return archiving.propose(self.ws, paths, options or Given(), manifest)

    def propose_metadata(self, pages: list[str], page_sources=None):
        """The metadata read from a document's text (pipeline/archive/proposals.py)."""
        return archiving.propose_metadata(self.ws, pages, page_sources)

    # --- the party register and the life of the agreements (issue 25) ---
    def party_page(self, party_id: str, reader: Reader) -> dict | None:
        return parties.party_page(self.ws, party_id, reader)

    def document_life(self, doc_id: str, reader: Reader) -> dict | None:
        return parties.document_life(self.ws, doc_id, reader)

    def in_force_by_session(self, reader: Reader) -> dict[int, dict]:
        return parties.in_force_by_session(self.ws, reader)

    def party_ids(self, labels, reader: Reader) -> list:
        return parties.party_ids(self.ws, labels, reader)

    def party_name(self, party_id: str, lang: str, reader: Reader) -> str:
        return parties.party_name(self.ws, party_id, lang, reader)

    def region_name(self, region_id: str, lang: str) -> str:
        return parties.region_name(region_id, lang)

    def check_search(self, request: SearchRequest) -> list:
        """Every problem of a search request's values (errors naming their fields), before it is run."""
        return searching.request_problems(request)

    # the legal staff's drafts (usecases/drafting.py)
    def approve_version(self, reference: str, version: int | None = None, actor: str | None = None) -> dict:
        return drafting.approve_version(self.ws, reference, version, actor)

    def version_pdfs(self, reference: str, version: int | None = None, actor: str | None = None) -> dict:
        return drafting.version_pdfs(self.ws, reference, version, actor)

    def draft_versions(self, reference: str) -> list[dict]:
        return drafting.draft_versions(self.ws, reference)

    def import_docx(self, reference: str, docx_bytes: bytes, filename: str, actor: str | None = None) -> dict:
        return drafting.import_docx(self.ws, reference, docx_bytes, filename, actor)

    # drafting from the web page's forms (usecases/draftforms.py)
    def check_agreement(self, raw: dict, kind: str | None = None) -> list:
        return draftforms.check_agreement(raw, kind)

    def agreement_draft(self, reference: str) -> dict:
        return draftforms.agreement_draft(self.ws, reference)

    def save_agreement(self, session: int, raw: dict, reference: str | None = None, base: str | None = None,
                       actor: str | None = None) -> dict:
        return draftforms.save_agreement(self.ws, session, raw, reference=reference, base=base, actor=actor)

    def protocol_contents(self, session: int) -> dict:
        return draftforms.protocol_contents(self.ws, session)

    def render_protocol(self, session: int, actor: str | None = None) -> dict:
        return drafting.render_protocol(self.ws, session, actor=actor)

    # the legal staff's pages: the session form, the drafts (pipeline/web/sessionform.py, references.py)
    def session_source(self, number: int) -> tuple[dict, str]:
        return sessions.session_source(self.ws, number)

    def save_session(self, data: dict, *, actor: str, editing: int | None = None,
                     expected_sha256: str | None = None):
        return sessions.save_session(self.ws, data, actor=actor, editing=editing, expected_sha256=expected_sha256)

    def list_drafts(self) -> list[dict]:
        return drafting.list_drafts(self.ws)

    def draft_redline(self, reference: str, old: int, new: int) -> dict:
        return drafting.draft_redline(self.ws, reference, old, new)

    def draft_file(self, reference: str, version: int, order: str, kind: str) -> tuple[Path, str]:
        return drafting.draft_file(self.ws, reference, version, order, kind)

    # --- the browser's intake (usecases/intake.py) ---

    def stage_intake(self, uploads: list, manifest: bytes | None, user: str) -> str:
        return intake.stage(self.ws, uploads, manifest, user)

    def prepare_intake(self, batch_id: str) -> None:
        intake.prepare_batch(self.ws, batch_id)

    def intake_batch(self, batch_id: str) -> dict:
        return intake.batch(self.ws, batch_id)

    def intake_batches(self) -> list[dict]:
        return intake.batches(self.ws)

    def save_intake_corrections(self, batch_id: str, corrections: dict) -> None:
        intake.save_corrections(self.ws, batch_id, corrections)

    def discard_staged(self, batch_id: str, number: int) -> None:
        intake.discard(self.ws, batch_id, number)

    def confirm_staged(self, batch_id: str, number: int, corrections):
        return intake.confirm(self.ws, batch_id, number, corrections)
