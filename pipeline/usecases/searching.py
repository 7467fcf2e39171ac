"""The research use cases: a search, the index's status and rebuild, the statistics and their chart.

Only the search stage and the index are imported here: ``taskforce search`` loads neither the archive's
store nor PDF parsing.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from .. import index, search as search_stage
from ..access import STAFF, Reader
from ..search import SearchRequest
from ..search.labels import sector_names as _sector_names
from ..search.lookup import document_of
from ..search.query import request_problems
from ..workspace import Workspace


def search(ws: Workspace, request: SearchRequest, text_of: Callable[[str], str] | None = None,
           once: bool = False) -> dict:
    """The page of hits, facet counts and suggestion of ``request`` for its reader (pipeline/search/run.py);
    the request's values are checked first, every problem an error naming its field."""
    return search_stage.search(ws, request, text_of=text_of, once=once)


__all__ = ["index_status", "rebuild_index", "request_problems", "search", "sector_names", "statistics",
           "statistics_chart"]


def document_at(ws: Workspace, public_id: str, reader: Reader) -> str | None:
    """The archive id of the document with ``public_id`` that ``reader`` may see, or None: looked up in the index
    the reader searches, so that a hidden document and a missing one take the same path (search/lookup.py)."""
    return document_of(ws, public_id, reader)


def sector_names(ws: Workspace, reader: Reader) -> dict[str, dict[str, str]]:
    """Each sector's names in both languages, as the documents ``reader`` may see give them."""
    return _sector_names(ws, reader)


def index_status(ws: Workspace) -> dict:
    """Documents, size, last update and schema of the index, and whether it agrees with the archive."""
    return index.status(ws.require())


def rebuild_index(ws: Workspace, if_needed: bool = False, drafts=None) -> dict | None:
    """Rebuild the index from the archive (with ``if_needed``, only when it is missing or its schema changed:
    None when it was current). ``drafts``: what gives the drafts the term tables learn from
    (usecases.learning.drafts_of; None: the index's tables are kept)."""
    return index.rebuild_if_needed(ws.require(), drafts) if if_needed else index.rebuild(ws.require(), drafts=drafts)


def statistics(ws: Workspace, dimensions, reader: Reader = STAFF, chart: str | Path | None = None) -> dict[str, dict]:
    """The counts of the documents ``reader`` may see by each of ``dimensions`` (the archive read once); with
    ``chart`` (one dimension), its bar chart is also written there, its path in the result's ``chart``."""
    tables = search_stage.count_by(ws.require(), tuple(dimensions), reader)
    if chart:
        (by,) = dimensions
        tables[by]["chart"] = str(search_stage.draw_chart(tables[by], chart))
    return tables


def statistics_chart(result: dict, title: str | None = None, xlabel: str | None = None,
                     ylabel: str = "Signed documents") -> bytes:
    """The bar chart of one table of :func:`statistics` as PNG bytes, labelled in the reader's language."""
    return search_stage.chart_png(result, title=title, xlabel=xlabel, ylabel=ylabel)
