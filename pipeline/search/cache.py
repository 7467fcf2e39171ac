"""One open searcher per thread and index, reused until the index changes, with what searches derive from it
once: the document numbers a filter (or a reader's visibility) allows, the facet columns as arrays, the
sector labels of every document. Also the terms each hit of a page matched (read for the page only, not
recorded for every matching document)."""
from __future__ import annotations

import os
import threading
from collections import Counter

from whoosh import query

from pathlib import Path

from ..index import index_dir, open_index
from ..index.terms import read_table
from ..index.storage import sentinel_path

_local = threading.local()
LABEL_FIELDS = ("sectors", "party_names")     # several labels a document (KEYWORD fields without a column)
MAX_FILTERS = 256           # cached filter sets per searcher (a web server sees few distinct filters)


def index_key(ws, public: bool):
    """Changes whenever a file of the index changes: a rebuild swaps the folder in, a writer commits a new
    table of contents, a file is rewritten or truncated (a cached searcher must then be reopened: it would
    read a truncated file it still maps), or the schema file beside it changes (a missing or different one
    makes open_index rebuild)."""
    folder = index_dir(ws)
    try:
        sentinel = sentinel_path(ws).stat()
        stat = folder.stat()
        files = tuple(sorted((entry.name, entry.stat().st_size, entry.stat().st_mtime_ns)
                             for entry in _scandir(folder)))
    except OSError:
        return None
    return str(folder), public, stat.st_ino, files, sentinel.st_mtime_ns, sentinel.st_size


def _scandir(folder):
    with os.scandir(folder) as entries:
        return [entry for entry in entries if entry.is_file()]


class Cached:
    """An open index and its searcher, with per-searcher derived data."""

    def __init__(self, ix):
        self.ix = ix
        self.searcher = ix.searcher()
        self.filters: dict = {}
        self.columns: dict = {}

    def close(self) -> None:
        try:
            self.searcher.close()
        finally:
            self.ix.close()

    def docset(self, q) -> set:
        """The document numbers ``q`` matches (a filter: scores unused). Shared: never change it."""
        key = repr(q)
        found = self.filters.get(key)
        if found is None:
            if len(self.filters) >= MAX_FILTERS:
                self.filters.clear()
            found = self.filters[key] = set(self.searcher.docs_for_query(q))
        return found

    def column(self, name: str) -> list:
        """Every document's value of the facet ``name`` (a list indexed by document number); for the sectors,
        the tuple of its labels."""
        values = self.columns.get(name)
        if values is None:
            values = self.columns[name] = _labels(self.searcher, name) if name in LABEL_FIELDS else \
                _column(self.searcher, name)
        return values

    def terms(self, levels) -> dict:
        """The bilingual term table beside this index of a reader of ``levels`` (index/terms.py)."""
        key = ("terms", tuple(levels))
        if key not in self.columns:
            self.columns[key] = read_table(Path(self.ix.storage.folder), levels)
        return self.columns[key]

    def references(self) -> list:
        """Every document's reference ("" without one), indexed by document number: one hit per reference."""
        values = self.columns.get("reference")
        if values is None:
            values = self.columns["reference"] = _references(self.searcher)
        return values

    def facet_counts(self, name: str, docnums) -> Counter:
        values = self.column(name)
        counts: Counter = Counter()
        if name == "sectors":
            for docnum in docnums:
                counts.update(values[docnum])
        else:
            counts.update(values[docnum] for docnum in docnums)
        return counts


class Once(Cached):
    """An index opened for one search (the command line: one search per process), which keeps nothing for a
    next one. The facets are counted from the matched documents' values alone, read from the columns (and the
    sectors from their postings) instead of arrays of every document, which a first search would build for
    nothing (bench/bench_query.py measures both). The same counts as Cached.facet_counts (the test compares)."""

    def facet_counts(self, name: str, docnums) -> Counter:
        reader = self.searcher.reader()
        counts: Counter = Counter()
        if not docnums or not reader.doc_count_all():
            return counts
        if name == "sectors":
            for term in reader.lexicon(name):
                found = sum(1 for docnum in reader.postings(name, term).all_ids() if docnum in docnums)
                if found:
                    counts[term.decode("utf-8") if isinstance(term, bytes) else term] = found
            return counts
        column = reader.column_reader(name, translate=True)
        counts.update(column[docnum] for docnum in docnums)
        return counts


def opened_once(ws, public: bool) -> Once:
    """The index (``public``: of the public documents) opened for one search, rebuilt first when missing or out
    of date (open_index); the caller closes it."""
    return Once(open_index(ws, public=public))


def _column(searcher, name: str) -> list:
    reader = searcher.reader()
    if not reader.doc_count_all():
        return []               # an empty index has no columns (Whoosh's empty reader raises)
    return list(reader.column_reader(name, translate=True))   # values as the field gives them


def _references(searcher) -> list:
    reader = searcher.reader()
    references: list = [""] * reader.doc_count_all()
    for term in reader.lexicon("reference"):
        reference = term.decode("utf-8") if isinstance(term, bytes) else term
        for docnum in reader.postings("reference", term).all_ids():
            references[docnum] = reference
    return references


def _labels(searcher, name: str) -> list:
    reader = searcher.reader()
    labels: list = [()] * reader.doc_count_all()
    for term in reader.lexicon(name):
        label = term.decode("utf-8") if isinstance(term, bytes) else term
        for docnum in reader.postings(name, term).all_ids():
            labels[docnum] = labels[docnum] + (label,)
    return labels


def cached(ws, public: bool) -> Cached:
    """This thread's searcher of the index (``public``: of the public documents), reopened when the index
    changed since it was opened; the index is rebuilt first when missing or out of date (open_index)."""
    store = getattr(_local, "store", None)
    if store is None:
        store = _local.store = {}
    key = index_key(ws, public)
    slot = (str(index_dir(ws)), public)
    current = store.get(slot)
    if current is not None and current[0] == key and key is not None:
        return current[1]
    if current is not None:
        forget(ws, public)
    entry = Cached(open_index(ws, public=public))
    store[slot] = (index_key(ws, public), entry)
    return entry


def forget(ws, public: bool) -> None:
    """Close and drop this thread's searcher of that index (after a read failed: the next search reopens)."""
    store = getattr(_local, "store", {})
    current = store.pop((str(index_dir(ws)), public), None)
    if current is not None:
        try:
            current[1].close()
        except Exception:  # noqa: BLE001 - closing a searcher of a vanished index may fail; it is dropped anyway
            pass


def page_terms(searcher, q, docnums, budget=None) -> dict[int, list]:
    """For each of ``docnums`` (top-level numbers of documents ``q`` matched), the (field, term) pairs of
    ``q`` (prefixes and wildcards expanded) that occur in it, a phrase's words only where the phrase
    matches: what Whoosh's terms=True records while collecting every match, read here for these documents
    only (tests/test_search_issues.py compares them)."""
    wanted = sorted(set(docnums))
    found: dict[int, list] = {docnum: [] for docnum in wanted}
    if not wanted:
        return found
    reader = searcher.reader()
    for leaf in q.leaves():
        terms = sorted(_existing_terms(leaf, reader))
        if not terms:
            continue
        where = _phrase_matches(searcher, leaf, wanted, budget) if isinstance(leaf, query.Phrase) else wanted
        for fieldname, text in terms:
            postings = reader.postings(fieldname, text)
            for docnum in where:
                if not postings.is_active():
                    break
                if postings.id() < docnum:
                    postings.skip_to(docnum)
                    if not postings.is_active():
                        break
                if postings.id() == docnum and (fieldname, text) not in found[docnum]:
                    found[docnum].append((fieldname, text))
    return found


def _phrase_matches(searcher, phrase, wanted: list[int], budget=None) -> list[int]:
    """Those of ``wanted`` (sorted top-level numbers) where ``phrase`` matches; stopped at the deadline of
    ``budget`` (pipeline/search/budget.py) when given."""
    matches = []
    for subsearcher, offset in searcher.leaf_searchers():
        end = offset + subsearcher.doc_count_all()
        matcher = phrase.matcher(subsearcher, subsearcher.boolean_context())
        for docnum in (d for d in wanted if offset <= d < end):
            if budget is not None:
                budget.check()
            if not matcher.is_active():
                break
            if matcher.id() < docnum - offset:
                matcher.skip_to(docnum - offset)
                if not matcher.is_active():
                    break
            if matcher.id() == docnum - offset:
                matches.append(docnum)
    return matches


def _existing_terms(q, reader) -> set:
    """Query.existing_terms(expand=True) without its slip: it reuses its ``fieldname`` argument as the loop
    variable, so that after the first term only the leaves of that term's field are looked at."""
    schema, found = reader.schema, set()
    for leaf in q.leaves():
        for fieldname, text in leaf.expanded_terms(reader, phrases=True):
            if fieldname not in schema:
                continue
            try:
                btext = schema[fieldname].to_bytes(text)
            except ValueError:
                continue
            if (fieldname, btext) in reader:
                found.add((fieldname, btext))
    return found
