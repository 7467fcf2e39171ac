"""The search: a query with filters, run for one reader; the page of hits, facet counts and a suggestion."""
from __future__ import annotations

import dataclasses
import math
import time
import unicodedata
from typing import Callable

from whoosh import highlight, query, sorting

from ..errors import BusyError, TaskforceError, ValidationError
from ..index import (UNREADABLE, IndexUnreadable, damaged_error, generation, index_dir, open_index,
                     writer_active)
from ..index.schema import FACETS, archive_text
from ..vocab import SORTS
from ..workspace import Workspace
from .query import both, build_filters, parse_query
from .request import SearchRequest
from .snippets import MarkFormatter, snippet
from .suggest import suggestion

BUSY_RETRIES = 5


def search(ws: Workspace, request: SearchRequest, text_of: Callable[[str], str] | None = None) -> dict:
    """Run a query with filters; return the page of hits, facet counts and a spelling suggestion. A
    damaged index is an IndexDamagedError advising a rebuild; an index being rebuilt meanwhile is waited
    for a few times, then a BusyError ("index busy")."""
    if request.sort not in SORTS:
        raise ValidationError(f"--sort must be one of {', '.join(SORTS)}")
    if request.limit < 1 or request.page < 1:
        raise ValidationError("--limit and --page must be 1 or more")
    # the index holds NFC text: a query typed as e + combining grave (or Е + combining diaeresis) must match
    request = dataclasses.replace(request, **{name: unicodedata.normalize("NFC", getattr(request, name))
                                              for name in ("query", "party", "sector")
                                              if isinstance(getattr(request, name), str)})
    for attempt in range(BUSY_RETRIES):
        before = generation(ws)
        try:
            return _search_once(ws, request, text_of)
        except IndexUnreadable as unreadable:
            err = unreadable.__cause__
            if not (writer_active(ws) or generation(ws) != before):
                raise damaged_error(ws, err) from None
            time.sleep(0.2 * (attempt + 1))
    raise BusyError(f"index busy: the search index in {index_dir(ws)} is being rebuilt or updated; try again "
                    f"in a moment")


def _search_once(ws: Workspace, request: SearchRequest, text_of) -> dict:
    try:
        # A public-only reader is answered from the index of the public documents: its statistics (and so
        # the scores, and the words suggestions come from) know nothing of the documents they may not see.
        ix = open_index(ws, public=request.reader.public_only)
    except UNREADABLE as err:
        raise IndexUnreadable() from err
    try:
        return _search_in(ws, ix, request, text_of)
    except UNREADABLE as err:
        raise IndexUnreadable() from err
    finally:
        ix.close()


def _search_in(ws: Workspace, ix, request: SearchRequest, text_of) -> dict:
    text_of = text_of or (lambda doc_id: archive_text(ws, doc_id))
    with ix.searcher() as searcher:
        listing = not request.query.strip()
        q = query.Every() if listing else parse_query(ix.schema, request.query)
        allowed = request.allowed()
        filters = both(build_filters(request, searcher), allowed)
        by_date = listing or request.sort == "date"
        groups = {name: sorting.FieldFacet(name, allow_overlap=name == "sectors", maptype=sorting.Count)
                  for name in FACETS} if request.facets else None
        # Every visible match is collected (limit=None): Whoosh's top-N collector counts its total without
        # the filter (hidden documents counted) and skips candidates that cannot reach the top N, so the total,
        # the pages and the order would depend on the page, its size and on --facets.
        results = searcher.search(q, limit=None, filter=filters,
                                  sortedby=sorting.FieldFacet("date_key") if by_date else None,
                                  groupedby=groups, terms=not listing)
        results.fragmenter = highlight.ContextFragmenter(maxchars=240, surround=60)
        results.fragmenter.charlimit = None          # the default looks at the first 32 KB only
        results.formatter = MarkFormatter(*request.mark)
        total = len(results)
        first = (request.page - 1) * request.limit
        hits = []
        for hit in results[first:first + request.limit]:
            row = _hit_row(hit, listing)
            if request.snippets:
                text = _safe_text(text_of, row["doc_id"])
                row["snippet"], row["snippet_lang"] = (" ".join(text.split())[:200], None) if listing else \
                    snippet(hit, text, request.query)
            hits.append(row)
        facets = {name: _facet_counts(results, name) for name in FACETS} if request.facets else None
        suggested = None if listing else suggestion(searcher, ix.schema, request.query, filters, allowed)
    return {"query": request.query, "total": total, "page": request.page, "limit": request.limit,
            "pages": max(1, math.ceil(total / request.limit)), "hits": hits, "facets": facets,
            "suggestion": suggested}


def _safe_text(text_of, doc_id: str) -> str:
    try:
        return text_of(doc_id)
    except (TaskforceError, OSError):
        return ""      # the hit still shows; 'taskforce index status' reports what is out of step


def _hit_row(hit, listing: bool) -> dict:
    stored = hit.fields()
    signed = stored.get("signed_on")
    return {"doc_id": stored["doc_id"], "reference": stored.get("reference") or None,
            "session": stored.get("session"), "type": stored.get("type"), "title": stored.get("title"),
            "signed_on": signed.date().isoformat() if signed else None, "place": stored.get("place"),
            "parties": stored.get("parties") or [],
            "sectors": [s for s in (stored.get("sectors") or "").split(",") if s],
            "country": stored.get("country") or None, "confidentiality": stored.get("confidentiality"),
            "score": None if listing else round(hit.score, 3)}


def _facet_counts(results, name: str) -> dict:
    counts = results.groups(name)
    items = [(key, value) for key, value in counts.items() if key not in (None, "", 0, b"")]
    if name in ("session", "year"):
        items.sort(key=lambda kv: kv[0])
    else:
        items.sort(key=lambda kv: (-kv[1], str(kv[0])))
    return {str(key.decode("utf-8") if isinstance(key, bytes) else key): value for key, value in items}
