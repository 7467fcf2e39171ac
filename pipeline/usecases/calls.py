"""The use cases of one workspace as one object: what the web page is given when it is made (create_app), so
that it calls the library through these and nothing else, and a test gives it one with a call replaced
instead of replacing a module's function."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..access import Reader
from ..search import SearchRequest
from ..search.snippets import snippet_source
from ..workspace import Workspace
from . import archiving, documents, searching


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

    def export(self, destination: Path, session: int | None = None) -> dict:
        return archiving.export(self.ws, destination, session)

    def check_search(self, request: SearchRequest) -> list:
        """Every problem of a search request's values (errors naming their fields), before it is run."""
        return searching.request_problems(request)
