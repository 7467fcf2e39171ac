"""The search: a query with filters, run for one reader; the page of hits, facet counts and a suggestion."""
from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import time
import unicodedata
from typing import Callable

from whoosh import highlight, query, sorting

from ..archive.document import Document
from ..archive.layout import public_id_of
from ..errors import BusyError, TaskforceError
from ..index import UNREADABLE, IndexUnreadable, damaged_error, generation, index_dir, writer_active
from ..index.schema import FACETS, stored_document
from ..index.life import NO_EXPIRY, status_of
from ..workspace import Workspace
from . import records
from .partyviews import party_ids_of
from .budget import Budget, check_expansion, search_within
from .crosslang import expand, found_as, own_terms
from .cache import Cached, cached, forget, opened_once, page_terms
from .query import both, build_filters, parse_query, request_problems
from .request import SearchRequest
from .snippets import MarkFormatter, lead, snippet, snippet_source
from .suggest import suggestion

BUSY_RETRIES = 5
# A query whose words are alternatives (OR) or exclusions (NOT) can find something while a word is misspelt:
# it gets a suggestion even with hits; any other query only when it finds nothing.
ALTERNATIVES = re.compile(r"\b(?:OR|NOT|ANDNOT|ANDMAYBE)\b")


def search(ws: Workspace, request: SearchRequest, text_of: Callable[[str], str] | None = None,
           once: bool = False, budget: Budget | None = None) -> dict:
    """Run a query with filters; return the page of hits, facet counts and a spelling suggestion. A
    damaged index is an IndexDamagedError advising a rebuild; an index being rebuilt meanwhile is waited
    for a few times, then a BusyError ("index busy"). ``once``: the only search of this process (the command
    line): the index is opened for it and closed, nothing is kept for a next search (cache.Once); otherwise
    this thread's searcher and what it derived are reused (cache.Cached). Both give the same answer.
    ``budget``: what the search may cost (pipeline/search/budget.py; by default TIME_BUDGET seconds from now):
    past it, a SearchTimeLimitError."""
    problems = request_problems(request)
    if problems:
        raise problems[0]
    # the index holds NFC text: a query typed as e + combining grave (or Е + combining diaeresis) must match
    request = dataclasses.replace(request, **{name: unicodedata.normalize("NFC", getattr(request, name))
                                              for name in ("query", "party", "sector", "region")
                                              if isinstance(getattr(request, name), str)})
    budget = budget or Budget()
    for attempt in range(BUSY_RETRIES):
        before = generation(ws)
        try:
            return _search_once(ws, request, text_of, once, budget)
        except IndexUnreadable as unreadable:
            err = unreadable.__cause__
            if not (writer_active(ws) or generation(ws) != before):
                raise damaged_error(ws, err) from None
            time.sleep(0.2 * (attempt + 1))
    raise BusyError(f"index busy: the search index in {index_dir(ws)} is being rebuilt or updated; try again "
                    f"in a moment")


def _search_once(ws: Workspace, request: SearchRequest, text_of, once: bool, budget: Budget) -> dict:
    # A public-only reader is answered from the index of the public documents: its statistics (and so the
    # scores, and the words suggestions come from) know nothing of the documents they may not see. The
    # searcher is this thread's cached one (pipeline/search/cache.py), reopened whenever the index changed,
    # or one opened for this search alone.
    public = request.reader.public_only
    try:
        entry = opened_once(ws, public) if once else cached(ws, public)
    except UNREADABLE as err:
        raise IndexUnreadable() from err
    try:
        return _search_in(ws, entry, request, text_of, budget)
    except UNREADABLE as err:
        if not once:
            forget(ws, public)
        raise IndexUnreadable() from err
    finally:
        if once:
            try:
                entry.close()
            except Exception:  # noqa: BLE001 - closing an index that failed to read may fail too; it is dropped
                pass


def _allowed_docs(entry: Cached, request: SearchRequest, searcher, register) -> set | None:
    """The document numbers the filters and the reader's visibility allow (None: every document); each part
    is a cached set, so a repeated filter costs a set intersection."""
    parts = [part for part in (build_filters(request, searcher, register), request.allowed()) if part is not None]
    if not parts:
        return None
    sets = sorted((entry.docset(part) for part in parts), key=len)
    return sets[0] if len(sets) == 1 else set.intersection(*sets)


def _search_in(ws: Workspace, entry: Cached, request: SearchRequest, text_of, budget: Budget) -> dict:
    text_of = text_of or (lambda doc_id: snippet_source(ws, doc_id))   # the web's source too: no page edges
    searcher, schema = entry.searcher, entry.ix.schema
    listing = not request.query.strip()
    q = query.Every() if listing else parse_query(schema, request.query)
    added: dict = {}
    if not listing:
        check_expansion(q, searcher.reader())
        # the words also in the other language, as the drafts this reader may learn from translate them
        q, added = expand(q, entry.terms(request.reader.levels))
    register = records.party_register(ws, request.reader)
    allow = _allowed_docs(entry, request, searcher, register)
    if allow is not None and not allow:
        docnums, total, page = [], 0, []        # Whoosh reads an empty filter as no filter at all
    else:
        # Every visible match is collected (limit=None): Whoosh's top-N collector counts its total without
        # the filter (hidden documents counted) and skips candidates that cannot reach the top N, so the
        # total, the pages and the order would depend on the page, its size and on --facets. Which terms
        # matched is read afterwards for the page's hits only, and the facets are counted from the matched
        # document numbers: the search itself is the same with and without --facets.
        results = search_within(searcher, q, budget, limit=None, filter=allow,
                                sortedby=date_order(request.sort, listing))
        groups = reference_groups(results, entry.references())
        total = len(groups)
        first = (request.page - 1) * request.limit
        page = [(results[group[0]], group) for group in groups[first:first + request.limit]]
        docnums = {results.docnum(group[0]) for group in groups} if request.facets else []
        results.fragmenter = highlight.ContextFragmenter(maxchars=240, surround=60)
        results.fragmenter.charlimit = None          # the default looks at the first 32 KB only
        results.formatter = MarkFormatter(*request.mark)
    # the snippets' phrase check runs on the page's hits only, under the same deadline (budget.py)
    matched = page_terms(searcher, q, [hit.docnum for hit, _ in page], budget) if page and not listing else {}
    hits = []
    for hit, group in page:
        document = stored_document(hit.fields())
        row = _hit_row(document, hit, listing or request.sort != "relevance")   # no score in a date order
        row["party_ids"] = party_ids_of(register, document.parties)     # their pages (party register)
        life = hit.fields().get("life")
        if life:                                 # an agreement: its life and its status on the search's day
            row["life"] = {**life, "status": _status(hit.fields(), request.today)}
        # the files of its reference the reader may see (the filter hid the others), best match first; staff
        # also see how each signed copy compares with the approved draft
        staff = request.reader.sees_comparisons
        row["files"] = [_file(hit.fields(), staff),
                        *(_file(searcher.stored_fields(results.docnum(position)), staff) for position in group[1:])]
        why = found_as(matched.get(hit.docnum, []), added) if added else None
        if why:
            row["found_as"] = why
        if staff:       # staff only: whether a signed copy of the reference differs from its draft
            states = [file["differs_from_draft"] for file in row["files"]]
            row["differs_from_draft"] = True if True in states else False if False in states else None
        if request.snippets:
            budget.check()
            text = _safe_text(text_of, row["doc_id"])
            titles = list(document.title_forms())      # the title in either language may open the text
            row["snippet"], row["snippet_lang"] = lead(text, titles, request.snippet_lang) if listing \
                else snippet(hit, text, request.query, own_terms(matched.get(hit.docnum, []), added), request.mark, titles,
                             request.snippet_lang)
        hits.append(row)
    facets = {name: _facet_counts(entry.facet_counts(name, docnums)) for name in FACETS} if request.facets else None
    if facets is not None:       # computed at query time: the status on the search's day, the parties' regions
        facets["status"] = _facet_counts(records.status_counts(entry, docnums, request.today))
        parties, regions = records.party_and_region_counts(entry, register, docnums)
        facets["regions"], facets["parties"] = _facet_counts(regions), _facet_counts(parties)
    suggested = None
    if not listing and (total == 0 or ALTERNATIVES.search(request.query)) and not budget.spent():
        suggested = suggestion(searcher, schema, request.query, both(build_filters(request, searcher, register),
                                                                     request.allowed()), request.allowed(),
                               index_dir(ws), request.reader.levels)
    return {"query": request.query, "total": total, "page": request.page, "limit": request.limit,
            "pages": max(1, math.ceil(total / request.limit)), "hits": hits, "facets": facets,
            "suggestion": suggested}


def reference_groups(results, references: list) -> list[list[int]]:
    """The positions of ``results`` (every visible match, in order) grouped by reference: both originals and
    any copy of one reference are one hit, at the place of its best match; a document without a reference is
    a group of its own. Only visible documents are in ``results``: a hidden copy adds nothing."""
    groups: list[list[int]] = []
    where: dict[str, list[int]] = {}
    for position, (_key, docnum) in enumerate(results.top_n):
        reference = references[docnum] if docnum < len(references) else ""
        if not reference:
            groups.append([position])
        elif reference in where:
            where[reference].append(position)
        else:
            where[reference] = [position]
            groups.append(where[reference])
    return groups


# dated documents first (0), undated ones after (1): a date range over every date the field can hold
_DATED = query.DateRange("signed_on", dt.datetime(1, 1, 1), dt.datetime(9999, 12, 31, 23, 59, 59))


def date_order(sort: str, listing: bool):
    """The sortedby facet of a sort (None: by relevance). newest / oldest order by the date of signature
    with the undated documents last; date (and an empty query by relevance) by date_key, oldest first,
    an undated document at its session's start, as before."""
    if sort in ("newest", "oldest"):
        return sorting.MultiFacet([sorting.QueryFacet({0: _DATED}, other=1),
                                   sorting.FieldFacet("date_key", reverse=sort == "newest")])
    if sort == "date" or listing:
        return sorting.FieldFacet("date_key")
    return None


def _status(stored: dict, today) -> str:
    life = stored.get("life") or {}
    force = int((life.get("in_force_on") or "0").replace("-", ""))
    expiry = int((life.get("expires_on") or "").replace("-", "") or NO_EXPIRY)
    return status_of(stored.get("standing") or "", force, expiry, records.today_key(today))


def _safe_text(text_of, doc_id: str) -> str:
    try:
        return text_of(doc_id)
    except (TaskforceError, OSError):
        return ""      # the hit still shows; 'taskforce index status' reports what is out of step


def _file(stored: dict, staff: bool = False) -> dict:
    """One file of a hit's reference: its ids, and for staff whether its signed text differs from the draft."""
    file = {"doc_id": stored["doc_id"], "public_id": public_id_of(stored.get("sha256") or "")}
    if staff:
        file["differs_from_draft"] = {"yes": True, "no": False}.get(stored.get("differs"))
    return file


def _hit_row(document: Document, hit, listing: bool) -> dict:
    """A hit as data: the document's fields, its public id (the web page's address of it) and the score (None
    in a date order)."""
    fields = document.fields()
    return {"doc_id": fields.pop("doc_id"), "public_id": public_id_of(document.sha256 or ""), **fields,
            "score": None if listing else round(hit.score, 3)}


def _facet_counts(counts) -> dict:
    items = [(key, value) for key, value in counts.items() if key not in (None, "", 0, b"")]
    if items and all(isinstance(key, int) for key, _ in items):          # session, year
        items.sort(key=lambda kv: kv[0])
    else:
        items.sort(key=lambda kv: (-kv[1], str(kv[0])))
    return {str(key.decode("utf-8") if isinstance(key, bytes) else key): value for key, value in items}
