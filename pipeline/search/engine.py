"""The bilingual full-text index of the archive (Whoosh), and every query against it.

Everything Whoosh-specific lives in this module, so that the engine could be replaced. The index is derived
data: ``rebuild`` makes it again from the archive at any time. Italian and Russian text go into separate
fields (split by script) with Snowball stemming; proper names are also indexed unstemmed under a
transliteration key (pipeline/translit.py) so that Kazan finds Казань.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import functools
import hashlib
import json
import math
import os
import pickle
import re
import shutil
import struct
import time
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from whoosh import fields, highlight, index, qparser, query, sorting
from whoosh.analysis import CharsetFilter, Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.lang import stopwords_for_language
from whoosh.support.charset import accent_map

from .. import translit
from ..sessions.dates import parse_date
from ..archive.record import DocumentRecord
from ..errors import BusyError, IndexDamagedError, TaskforceError, ValidationError
from ..fsutil import atomic_write_text, storage_error
from ..locks import held
from ..vocab import SORTS
from ..workspace import Workspace

SCHEMA_VERSION = 2          # bump when fields or analyzers change: the next command rebuilds the index
                            # (2: text and queries in Unicode NFC)
INDEX_FOLDER = "whoosh"
SENTINEL = "schema.json"
LOCK_NAME = ".write.lock"
LOCK_TIMEOUT = 60.0
# A rebuild commits once: every commit of Whoosh's writer adds a segment, and queries slowed 2-3 times with a
# handful of segments (bench/RESULTS.md); the writer's memory is bounded anyway by WRITER_MB, past which it
# spills sorted runs to disk. One process: two (multisegment) built two segments, and merging them cost more
# than the second core saved.
BATCH = None
WRITER_MB = 256
WORD = r"\w+"               # whoosh-reloaded changed the default pattern; ours is explicit
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
LATIN_WORD = re.compile(r"\w*[A-Za-z\u00C0-\u024F]\w*")
CYRILLIC_WORD = re.compile(r"\w*[\u0400-\u04FF]\w*")
CAPITALISED = re.compile(r"\b[A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’-]+")
FACETS = ("session", "year", "type", "sectors", "country")
MARK = ("**", "**")


# --- analysis ---------------------------------------------------------------------------------------------
class ScriptFilter(Filter):
    """Keeps the tokens of one script: Latin for the Italian field, Cyrillic for the Russian one."""

    def __init__(self, cyrillic: bool):
        self.cyrillic = cyrillic

    def __eq__(self, other):
        return type(self) is type(other) and self.cyrillic == other.cyrillic

    def __call__(self, tokens):
        wanted = CYRILLIC if self.cyrillic else LATIN
        for token in tokens:
            if wanted.search(token.text):
                yield token


class YoFilter(Filter):
    """ё is written as е in most Russian texts: fold it before stemming."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = token.text.replace("ё", "е")
            yield token


class TranslitKeyFilter(Filter):
    """Replaces each token by its transliteration key (translit.key); drops tokens without letters."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = translit.key(token.text)
            if token.text:
                yield token


# Module-level caches: they outlive one search (Whoosh unpickles fresh analyzers, with cold caches, every time
# it opens the index), so highlighting a page of hits stems mostly cached words.
@functools.lru_cache(maxsize=200_000)
def stem_italian(word: str) -> str:
    return _stemmer("it")(word)


@functools.lru_cache(maxsize=200_000)
def stem_russian(word: str) -> str:
    return _stemmer("ru")(word)


@functools.lru_cache(maxsize=2)
def _stemmer(lang: str):
    from whoosh.lang import stemmer_for_language

    return stemmer_for_language(lang)


def italian_analyzer():
    return (RegexTokenizer(WORD) | LowercaseFilter() | ScriptFilter(cyrillic=False)
            | StopFilter(stoplist=stopwords_for_language("it"), minsize=1)
            | StemFilter(stemfn=stem_italian, cachesize=None) | CharsetFilter(accent_map))


def russian_analyzer():
    return (RegexTokenizer(WORD) | LowercaseFilter() | ScriptFilter(cyrillic=True) | YoFilter()
            | StopFilter(stoplist=stopwords_for_language("ru"), minsize=1)
            | StemFilter(stemfn=stem_russian, cachesize=None))


def plain_analyzer():
    return RegexTokenizer(WORD) | LowercaseFilter()


def key_analyzer():
    return RegexTokenizer(WORD) | TranslitKeyFilter()


def build_schema() -> fields.Schema:
    return fields.Schema(
        doc_id=fields.ID(stored=True, unique=True),
        revision=fields.NUMERIC(int, stored=True),
        sha256=fields.ID(stored=True),
        reference=fields.ID(stored=True),
        session=fields.NUMERIC(int, stored=True, sortable=True),
        year=fields.NUMERIC(int, stored=True, sortable=True),
        signed_on=fields.DATETIME(stored=True),
        date_key=fields.NUMERIC(int, sortable=True),          # yyyymmdd; the session's start when undated
        country=fields.ID(stored=True, sortable=True),
        place=fields.STORED(),
        type=fields.ID(stored=True, sortable=True),
        title=fields.STORED(),
        parties=fields.STORED(),
        party_keys=fields.TEXT(analyzer=key_analyzer(), phrase=False),
        sectors=fields.KEYWORD(stored=True, commas=True, scorable=False),
        languages=fields.KEYWORD(stored=True, commas=True),
        confidentiality=fields.ID(stored=True, sortable=True),
        text_source=fields.ID(stored=True),
        text_it=fields.TEXT(analyzer=italian_analyzer()),
        text_ru=fields.TEXT(analyzer=russian_analyzer()),
        keys=fields.TEXT(analyzer=key_analyzer()),
        words=fields.TEXT(analyzer=plain_analyzer(), phrase=False),
    )


def _describe(analyzer) -> list:
    """Class names and simple settings of an analyzer's parts (a repr would carry memory addresses)."""
    if analyzer is None:
        return []
    parts = getattr(analyzer, "items", [analyzer])
    return [[type(part).__name__, sorted((k, v) for k, v in vars(part).items()
                                         if isinstance(v, (str, int, float, bool, type(None))))] for part in parts]


def schema_fingerprint() -> str:
    """Changes whenever a field or an analyzer changes (with SCHEMA_VERSION as the explicit switch)."""
    return _fingerprint(SCHEMA_VERSION)


@functools.lru_cache(maxsize=4)
def _fingerprint(version: int) -> str:
    schema = build_schema()
    described = [(name, type(schema[name]).__name__, _describe(getattr(schema[name], "analyzer", None)))
                 for name in schema.names()]
    return hashlib.sha256(json.dumps([version, described]).encode()).hexdigest()[:16]


# --- documents ----------------------------------------------------------------------------------------------
@dataclass
class SessionInfo:
    country: str | None
    city: dict
    start: dt.date | None


def session_infos(ws: Workspace) -> dict[int, SessionInfo]:
    from ..sessions.registry import readable_sessions

    return {s.number: SessionInfo(s.country, dict(s.city), s.start) for s in readable_sessions(ws)}


def document_fields(record: DocumentRecord, text: str, session: SessionInfo | None) -> dict:
    """The index fields of one archived document."""
    text = unicodedata.normalize("NFC", text)   # a PDF made on a Mac may spell à as a + combining grave
    places = [record.place] if record.place else []
    if session and session.city:
        places += [session.city["it"], session.city["ru"]]
    date = record.signed_on or (session.start if session else None)
    names = " ".join([record.title, *record.parties, *places, record.reference or ""])
    full = "\n".join([record.title, "; ".join(record.parties), text])
    # Each language field gets only its script's words (the analyzers would drop the others anyway, at
    # twice the cost); the spelling field needs each word once.
    latin = " ".join(LATIN_WORD.findall(full))
    cyrillic = " ".join(CYRILLIC_WORD.findall(full))
    values = {
        "doc_id": record.doc_id, "revision": record.revision, "sha256": record.sha256,
        "reference": record.reference or "", "session": record.session,
        "year": record.year or (date.year if date else 0),
        "date_key": int(date.strftime("%Y%m%d")) if date else 0,
        "country": (session.country if session else None) or "",
        "place": " / ".join(dict.fromkeys(places)), "type": record.type, "title": record.title,
        "parties": list(record.parties), "party_keys": " ".join(record.parties),
        "sectors": ",".join(s.replace(",", " ") for s in record.sectors),
        "languages": ",".join(record.languages), "confidentiality": record.confidentiality,
        "text_source": record.text_source, "text_it": latin, "text_ru": cyrillic,
        "keys": names + " " + " ".join(dict.fromkeys(CAPITALISED.findall(text))),
        "words": " ".join(dict.fromkeys(word.lower() for word in re.findall(WORD, full))),
    }
    if record.signed_on:
        values["signed_on"] = dt.datetime.combine(record.signed_on, dt.time())
    return values


def archive_documents(ws: Workspace) -> Iterator[tuple[DocumentRecord, str]]:
    """Every archived document's newest metadata and its text (pages joined)."""
    from ..archive.store import Archive

    archive = Archive(ws)
    records, _ = archive.records()
    for record in records:
        yield record, "\n\n".join(archive.page_texts(record.doc_id))


def archive_text(ws: Workspace, doc_id: str) -> str:
    from ..archive.store import Archive

    return "\n\n".join(Archive(ws).page_texts(doc_id))


# --- the index on disk --------------------------------------------------------------------------------------
def index_dir(ws: Workspace) -> Path:
    return ws.index / INDEX_FOLDER


def sentinel_path(ws: Workspace) -> Path:
    return ws.index / SENTINEL


def read_sentinel(ws: Workspace) -> dict | None:
    try:
        return json.loads(sentinel_path(ws).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError):
        return None


def is_current(ws: Workspace) -> bool:
    """The index exists and was built with this schema and these analyzers. A table of contents that
    cannot be read is an IndexDamagedError."""
    sentinel = read_sentinel(ws)
    return (sentinel is not None and sentinel.get("fingerprint") == schema_fingerprint()
            and index_exists(ws))


def index_exists(ws: Workspace) -> bool:
    try:
        return index.exists_in(str(index_dir(ws)))
    except UNREADABLE as err:
        raise damaged_error(ws, err) from None


def write_lock(ws: Workspace, timeout: float = LOCK_TIMEOUT):
    """One writer at a time, across processes; waits up to ``timeout`` seconds, then says who to wait for."""
    return held(ws.index / LOCK_NAME, timeout, "writing the search index", "try again when it is done")


def _open_writer(ix, procs: int):
    # Whoosh's own lock fails at once when held; ours serialises writers, so this one waits only for a
    # process that crashed holding it (the kernel releases flock on exit, so a short wait suffices).
    # Separate segment files: Whoosh copies each part of a compound segment into memory on every open,
    # which cost ~75 ms a search at 10,000 documents.
    options = {"limitmb": WRITER_MB, "compound": False}
    if procs > 1:
        options.update(procs=procs, multisegment=True)
    for attempt in range(50):
        try:
            return ix.writer(**options)
        except index.LockError:
            time.sleep(0.1)
    raise BusyError("the search index's own write lock stays held; if no taskforce process is running, "
                    "run 'taskforce index rebuild'")


def rebuild(ws: Workspace, documents: Iterable[tuple[DocumentRecord, str]] | None = None,
            procs: int | None = None, batch: int | None = BATCH, on_progress: Callable[[int], None] | None = None,
            only_if_needed: bool = False) -> dict | None:
    """Build the index afresh beside the old one, then swap it in: a failed rebuild leaves the old index.
    With ``only_if_needed``, nothing happens (None) when the index is current once the lock is held: a
    process that waited for another's rebuild does not repeat it."""
    procs = procs or 1
    started = time.perf_counter()
    with write_lock(ws):
        if only_if_needed and is_current(ws):
            return None
        documents = archive_documents(ws) if documents is None else documents
        sessions = session_infos(ws)
        building = ws.index / f".building-{os.getpid()}"
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir(parents=True)
        count = 0
        try:
            ix = index.create_in(str(building), build_schema())
            writer = _open_writer(ix, procs)
            for record, text in documents:
                writer.add_document(**document_fields(record, text, sessions.get(record.session)))
                count += 1
                if batch and count % batch == 0:
                    writer.commit()
                    writer = _open_writer(ix, procs)
                    if on_progress:
                        on_progress(count)
            writer.commit()
            ix.close()
            _swap_in(ws, building)
        except BaseException as err:
            shutil.rmtree(building, ignore_errors=True)
            if isinstance(err, OSError):
                raise storage_error(err, f"the search index in {ws.index}", "the previous index is kept; free "
                                    "some space or fix the permissions and run 'taskforce index rebuild'") from None
            raise
        try:
            _write_sentinel(ws, count)
        except OSError as err:
            raise storage_error(err, f"the search index in {ws.index}", "run 'taskforce index rebuild' "
                                "when it can be written") from None
    return {"documents": count, "seconds": round(time.perf_counter() - started, 2), "index": str(index_dir(ws))}


def _swap_in(ws: Workspace, building: Path) -> None:
    target = index_dir(ws)
    old = ws.index / f".old-{os.getpid()}"
    if target.exists():
        target.rename(old)
    building.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    for leftover in [*ws.index.glob(".building-*"), *ws.index.glob(".old-*")]:
        shutil.rmtree(leftover, ignore_errors=True)   # a crashed rebuild's; we hold the lock


def _write_sentinel(ws: Workspace, documents: int) -> None:
    atomic_write_text(sentinel_path(ws), json.dumps({
        "schema_version": SCHEMA_VERSION, "fingerprint": schema_fingerprint(), "engine": "whoosh",
        "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "documents": documents,
    }, indent=2) + "\n")


def rebuild_if_needed(ws: Workspace) -> dict | None:
    """Rebuild when the index is missing or was made with another schema; None when it is current."""
    return None if is_current(ws) else rebuild(ws, only_if_needed=True)


def update_documents(ws: Workspace, doc_ids: list[str]) -> dict:
    """Add or replace these archived documents in the index (after an ingest or a metadata edit).
    An index that is missing or out of date is rebuilt whole instead."""
    if not is_current(ws):
        return {**(rebuild(ws, only_if_needed=True) or {"documents": len(doc_ids)}), "rebuilt": True}
    from ..archive.store import Archive

    archive = Archive(ws)
    with write_lock(ws):
        sessions = session_infos(ws)
        try:
            ix = index.open_dir(str(index_dir(ws)))
            writer = _open_writer(ix, 1)
        except UNREADABLE as err:
            raise damaged_error(ws, err) from None
        try:
            for doc_id in doc_ids:
                record = archive.record(doc_id)
                text = "\n\n".join(archive.page_texts(doc_id))
                values = document_fields(record, text, sessions.get(record.session))
                try:
                    writer.update_document(**values)   # reads the segments to delete the old version
                except UNREADABLE as err:
                    if isinstance(err, OSError) and err.errno in WRITE_ERRNOS:
                        raise
                    raise damaged_error(ws, err) from None
        except BaseException:
            writer.cancel()
            raise
        try:
            writer.commit()
        except OSError as err:
            raise storage_error(err, f"the search index in {ws.index}", "the index was left as it was; run "
                                "'taskforce index rebuild' when it can be written") from None
        ix.close()
    return {"documents": len(doc_ids), "rebuilt": False}


def open_index(ws: Workspace):
    """The current index, rebuilt first when it is missing or its schema changed. A rebuild that is running
    (it may be between removing the old index and moving the new one in) is waited for, not repeated."""
    if not is_current(ws):
        rebuild(ws, only_if_needed=True)
    return index.open_dir(str(index_dir(ws)))


# What Whoosh raises on a damaged or vanished index file: a missing segment (OSError), a truncated one
# (EOFError, struct.error, an unpickling error), a garbled table of contents. Segment files are opened
# lazily: one that a rebuild swapped away meanwhile comes back as None, and the first use of it raises
# TypeError or AttributeError (the search then retries on the new index).
UNREADABLE = (OSError, EOFError, struct.error, pickle.UnpicklingError, zlib.error, index.IndexError, ValueError,
              KeyError, IndexError, TypeError, AttributeError)
WRITE_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EROFS)
REBUILD_ADVICE = "run 'taskforce index rebuild', which makes it again from the archive"


class IndexUnreadable(Exception):
    """Internal: reading the index failed; ``search`` decides whether it is damaged or being rebuilt."""


def writer_active(ws: Workspace) -> bool:
    """True when another process holds the index write lock (a rebuild or an update is running)."""
    from filelock import FileLock, Timeout

    path = ws.index / LOCK_NAME
    if not path.exists():
        return False
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return True
    except OSError:
        return False
    lock.release()
    return False


def _unreadable(err: BaseException) -> str:
    detail = f"{type(err).__name__}: {err}" if str(err) else type(err).__name__
    return detail if not isinstance(err, OSError) or not err.filename else \
        f"{err.strerror or type(err).__name__}: {Path(err.filename).name}"


def damaged_error(ws: Workspace, err: BaseException) -> IndexDamagedError:
    return IndexDamagedError(f"the search index in {index_dir(ws)} is damaged or unreadable ({_unreadable(err)}); "
                             f"{REBUILD_ADVICE}")


# --- queries ------------------------------------------------------------------------------------------------
@dataclass
class SearchRequest:
    query: str = ""
    session: int | None = None
    sessions: tuple[int, int] | None = None
    year: int | None = None                # the year of signature (the session's, when undated)
    date_from: str | None = None
    date_to: str | None = None
    type: str | None = None
    party: str | None = None
    sector: str | None = None
    country: str | None = None
    lang: str | None = None
    sort: str = "relevance"
    limit: int = 10
    page: int = 1
    facets: bool = False
    include_restricted: bool = False
    # The confidentiality levels the reader may see; when given, it replaces include_restricted and every
    # part of the answer (hits, facets, counts, suggestions) comes from these documents only.
    visible_levels: tuple[str, ...] | None = None
    mark: tuple[str, str] = MARK
    snippets: bool = True

    def access(self):
        """(filter, mask): the documents this request may see, as Whoosh queries (either may be None)."""
        if self.visible_levels is not None:
            levels = [level for level in self.visible_levels if level]
            if not levels:
                return query.NullQuery, None
            return query.Or([query.Term("confidentiality", level) for level in levels]), None
        return None, (None if self.include_restricted else query.Term("confidentiality", "restricted"))


FIELD_ALIASES = {"party_keys": ["party", "parties"], "sectors": ["sector"], "text_it": ["it"], "text_ru": ["ru"],
                 "languages": ["lang"], "reference": ["ref"]}
QUERY_FIELDS = ("session", "year", "type", "sector", "party", "ref", "lang", "country", "confidentiality", "it",
                "ru", "doc_id", "reference", "sectors", "parties", "languages", "text_it", "text_ru", "keys")
FIELD_IN_QUERY = re.compile(r'(?:^|[\s(])(\w+):(?=\S)')


MAX_QUERY = 2000        # characters: a query is typed, not pasted from a document
MAX_SUGGESTED_WORD = 40  # longer words get no "Did you mean" (the edit-distance search grows with the word)


def parse_query(schema, text: str):
    if len(text) > MAX_QUERY:
        raise ValidationError(f"the query is {len(text)} characters long, more than the {MAX_QUERY} allowed; "
                              f"search a few words or a phrase")
    unknown = sorted({name for name in FIELD_IN_QUERY.findall(_without_phrases(text)) if name not in QUERY_FIELDS})
    if unknown:
        raise ValidationError(f"unknown field {', '.join(repr(u + ':') for u in unknown)} in the query; the fields "
                              f"are {', '.join(QUERY_FIELDS[:11])} (or search the words without a field)")
    parser = qparser.MultifieldParser(["text_it", "text_ru", "keys"], schema,
                                      fieldboosts={"text_it": 1.0, "text_ru": 1.0, "keys": 0.6})
    parser.add_plugin(qparser.FieldAliasPlugin(FIELD_ALIASES))
    parser.add_plugin(qparser.GtLtPlugin())
    try:
        parsed = parser.parse(text)
    except Exception as err:   # Whoosh raises assorted exception types on bad syntax
        raise ValidationError(f"cannot read the query {text!r}: {err}; check quotes, brackets and field:value "
                              f"pairs") from None
    errors = [q.error for q in _subqueries(parsed) if getattr(q, "error", None)]
    if errors:
        raise ValidationError(f"cannot read the query {text!r}: {errors[0]}")
    if parsed is query.NullQuery and text.strip():
        raise ValidationError(f"the query {text!r} has no searchable words (only stop words or punctuation)")
    return parsed.accept(_names_by_prefix)


def _without_phrases(text: str) -> str:
    return re.sub(r'"[^"]*"', " ", text)


def _subqueries(q):
    yield q
    for child in q.children():
        yield from _subqueries(child)


def _names_by_prefix(q):
    """A query word on the transliteration key matches keys starting with it: Tatarstan -> Татарстаном."""
    if isinstance(q, query.Term) and q.fieldname in ("keys", "party_keys"):
        prefix = translit.query_prefix(q.text)
        if prefix:
            return query.Prefix(q.fieldname, prefix, boost=q.boost)
    return q


def _key_words(text: str, fieldname: str) -> list:
    keys = [translit.key(word) for word in re.findall(WORD, text)]
    terms = []
    for k in filter(None, keys):
        prefix = translit.query_prefix(k)
        terms.append(query.Prefix(fieldname, prefix) if prefix else query.Term(fieldname, k))
    return terms


def _day(value: str, name: str, end: bool) -> dt.datetime:
    date = parse_date(value, field=name)
    return dt.datetime.combine(date, dt.time.max if end else dt.time.min)


def build_filters(request: SearchRequest, searcher) -> query.Query | None:
    parts = []
    if request.session is not None:
        parts.append(query.Term("session", request.session))
    if request.sessions:
        low, high = request.sessions
        parts.append(query.NumericRange("session", low, high))
    if request.year is not None:
        parts.append(query.Term("year", request.year))
    if request.date_from or request.date_to:
        start = _day(request.date_from, "--from", end=False) if request.date_from else None
        stop = _day(request.date_to, "--to", end=True) if request.date_to else None
        if start and stop and stop < start:
            raise ValidationError(f"--to {request.date_to} is before --from {request.date_from}")
        parts.append(query.DateRange("signed_on", start, stop))
    if request.type:
        parts.append(query.Term("type", request.type))
    if request.party:
        words = _key_words(request.party, "party_keys")
        if not words:
            raise ValidationError(f"--party {request.party!r} has no letters to match")
        parts.append(query.And(words))
    if request.sector:
        parts.append(query.Term("sectors", _known_value(searcher, "sectors", request.sector)))
    if request.country:
        parts.append(query.Term("country", request.country.upper()))
    if request.lang:
        parts.append(query.Term("languages", request.lang))
    return query.And(parts) if parts else None


def _known_value(searcher, fieldname: str, wanted: str) -> str:
    """The indexed value equal to ``wanted`` ignoring case (sectors are kept as written)."""
    for value in searcher.lexicon(fieldname):
        text = value.decode("utf-8") if isinstance(value, bytes) else value
        if text.casefold() == wanted.strip().casefold():
            return text
    return wanted.strip()


class MarkFormatter(highlight.Formatter):
    def __init__(self, start: str, end: str, between: str = " … "):
        self.start, self.end, self.between = start, end, between

    def format_token(self, text, token, replace=False):
        return f"{self.start}{highlight.get_text(text, token, replace)}{self.end}"


def _snippet(hit, text: str, request: SearchRequest) -> tuple[str, str | None]:
    """A highlighted snippet in the language that matched (the Italian or Russian field), or on the names
    when some word of the query matched only through its transliteration key (Nizhniy -> Nižnij)."""
    matched: dict[str, set[str]] = {}
    for name, term in hit.matched_terms() or []:
        if name in ("text_ru", "text_it", "keys"):      # other fields' terms may be binary (numbers, dates)
            matched.setdefault(name, set()).add(term.decode("utf-8") if isinstance(term, bytes) else term)
    words = len(re.findall(WORD, re.sub(r"\w+:\S+|\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b", " ", request.query)))
    order = [("text_ru", "ru"), ("text_it", "it"), ("keys", None)]
    if "keys" in matched and max(len(matched.get("text_ru", ())), len(matched.get("text_it", ()))) < words:
        order.insert(0, ("keys", None))
    for fieldname, lang in order:
        if fieldname in matched:
            snippet = hit.highlights(fieldname, text=_excerpt(text, fieldname, matched[fieldname]), top=2)
            if snippet:
                return " ".join(snippet.split()), lang or ("ru" if CYRILLIC.search(snippet) else "it")
    lead = " ".join(text.split())[:200]
    return (lead + ("…" if len(text) > 200 else "")), None


EXCERPT_WINDOW = 160
EXCERPT_PLACES = 3


def _excerpt(text: str, fieldname: str, terms: set[str]) -> str:
    """The parts of ``text`` around the first places where the matched terms occur, so that the highlighter
    (which re-analyses, and stems, whatever it is given) reads a few hundred characters, not the document.
    Falls back to the whole text when no place is found."""
    if fieldname == "keys":
        starts = [m.start() for m in CAPITALISED.finditer(text)
                  if any(translit.key(m.group(0)).startswith(term) for term in terms)][:EXCERPT_PLACES]
    else:
        lowered = _same_length_lower(text)   # stems are lower case; Italian ones are accent-folded too
        pattern = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)) + ")")
        starts = _first_starts(pattern, lowered)
        if not starts and fieldname == "text_it":   # a stem whose accents were folded ("perche" for perché)
            starts = _first_starts(pattern, _fold_accents(lowered))
    if not starts:
        return text
    pieces, last_end = [], -1
    for start in starts:
        begin, end = max(0, start - EXCERPT_WINDOW), min(len(text), start + EXCERPT_WINDOW)
        if begin <= last_end:
            pieces[-1] = (pieces[-1][0], end)
        else:
            pieces.append((begin, end))
        last_end = end
    return "\n".join(text[begin:end] for begin, end in pieces)


def _first_starts(pattern, text: str) -> list[int]:
    starts = []
    for match in pattern.finditer(text):
        starts.append(match.start())
        if len(starts) == EXCERPT_PLACES:
            break
    return starts


def _same_length_lower(text: str) -> str:
    """Lower case that keeps every character's position (a few characters lower to two)."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else "".join(ch.lower()[0] for ch in text)


_ONE_TO_ONE_ACCENTS = {code: folded for code, folded in accent_map.items()
                       if isinstance(folded, str) and len(folded) == 1}


def _fold_accents(text: str) -> str:
    """Accent folding that keeps every character's position (one character in, one out)."""
    return text.translate(_ONE_TO_ONE_ACCENTS)


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
        before = _generation(ws)
        try:
            return _search_once(ws, request, text_of)
        except IndexUnreadable as unreadable:
            err = unreadable.__cause__
            if not (writer_active(ws) or _generation(ws) != before):
                raise damaged_error(ws, err) from None
            time.sleep(0.2 * (attempt + 1))
    raise BusyError(f"index busy: the search index in {index_dir(ws)} is being rebuilt or updated; try again "
                    f"in a moment")


def _generation(ws: Workspace):
    """Changes when a rebuild swaps a new index in, or a writer commits."""
    try:
        folder = index_dir(ws).stat()
        tocs = sorted(p.name for p in index_dir(ws).glob("_MAIN_*.toc"))
        return folder.st_ino, tocs
    except OSError:
        return None


def _search_once(ws: Workspace, request: SearchRequest, text_of) -> dict:
    try:
        ix = open_index(ws)
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
        allowed, mask = request.access()
        filters = _both(build_filters(request, searcher), allowed)
        groups = {name: sorting.FieldFacet(name, allow_overlap=name == "sectors", maptype=sorting.Count)
                  for name in FACETS} if request.facets else None
        results = searcher.search(q, limit=request.page * request.limit, filter=filters, mask=mask,
                                  sortedby=date_order(request.sort, listing),
                                  groupedby=groups, terms=not listing)
        results.fragmenter = highlight.ContextFragmenter(maxchars=240, surround=60)
        results.fragmenter.charlimit = None          # the default looks at the first 32 KB only
        results.formatter = MarkFormatter(*request.mark)
        total = len(results)
        first = (request.page - 1) * request.limit
        hits = []
        for hit in results[first:first + request.limit]:
            row = _hit_row(hit, listing or request.sort != "relevance")   # no score in a date order
            if request.snippets:
                text = _safe_text(text_of, row["doc_id"])
                row["snippet"], row["snippet_lang"] = _snippet(hit, text, request) if not listing else (
                    " ".join(text.split())[:200], None)
            hits.append(row)
        facets = {name: _facet_counts(results, name) for name in FACETS} if request.facets else None
        suggestion = None if listing else _suggestion(searcher, ix.schema, request, filters, allowed, mask)
    return {"query": request.query, "total": total, "page": request.page, "limit": request.limit,
            "pages": max(1, math.ceil(total / request.limit)), "hits": hits, "facets": facets,
            "suggestion": suggestion}


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


def _both(first, second):
    if first is None or second is None:
        return second if first is None else first
    return query.And([first, second])


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


OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}


def _suggestion(searcher, schema, request: SearchRequest, filters, allowed, mask) -> str | None:
    """'Did you mean': each word that finds nothing (not even through stemming, accents or transliteration)
    is replaced by the closest known word; offered only when the corrected query finds something.
    Words are known, and corrections taken, only from the documents the request may see (``allowed`` and
    ``mask``), so that neither a suggestion nor its absence reveals a word of a hidden document."""
    text = request.query
    changed = False

    def visible(q) -> bool:
        return bool(searcher.search(q, limit=1, filter=allowed, mask=mask).scored_length())

    for match in reversed(list(re.finditer(r"(?<![:\w])\w+(?![\w:*?])", text))):
        word = match.group(0)
        if word in OPERATORS or word.isdigit() or not 3 <= len(word) <= MAX_SUGGESTED_WORD:
            continue
        lowered = word.lower()
        if (searcher.doc_frequency("words", lowered) and visible(query.Term("words", lowered))) \
                or _finds_anything(searcher, schema, word, visible):
            continue
        # The first letter is taken as typed: it keeps the lookup fast on a large vocabulary.
        found = [candidate for candidate in searcher.suggest("words", lowered, limit=5, maxdist=2, prefix=1)
                 if visible(query.Term("words", candidate))]
        if found:
            text = text[:match.start()] + found[0] + text[match.end():]
            changed = True
    if not changed:
        return None
    try:
        corrected = parse_query(schema, text)
    except ValidationError:
        return None
    return text if searcher.search(corrected, limit=1, filter=filters, mask=mask).scored_length() else None


def _finds_anything(searcher, schema, word: str, visible) -> bool:
    try:
        return visible(parse_query(schema, word))
    except ValidationError:
        return False


# --- status -------------------------------------------------------------------------------------------------
def status(ws: Workspace) -> dict:
    """What the index holds, and whether it agrees with the archive."""
    from ..archive.store import Archive

    folder = index_dir(ws)
    sentinel = read_sentinel(ws)
    indexed: dict[str, tuple[int, str]] = {}
    damaged = None
    try:
        exists = index_exists(ws)
    except IndexDamagedError as err:
        exists, damaged = True, err.message
    if exists and not damaged:
        try:
            ix = index.open_dir(str(folder))
            try:
                with ix.searcher() as searcher:
                    for stored in searcher.all_stored_fields():
                        indexed[stored["doc_id"]] = (stored.get("revision"), stored.get("sha256"))
            finally:
                ix.close()
        except UNREADABLE as err:
            damaged = damaged_error(ws, err).message
            indexed = {}
    records, problems = Archive(ws).records()
    archived = {r.doc_id: (r.revision, r.sha256) for r in records}
    missing = sorted(set(archived) - set(indexed))
    stale = sorted(d for d in set(archived) & set(indexed) if archived[d] != indexed[d])
    extra = sorted(set(indexed) - set(archived))
    current = not damaged and is_current(ws)
    size = sum(p.stat().st_size for p in folder.glob("*") if p.is_file()) if exists else 0
    ok = exists and current and not damaged and not (missing or stale or extra)
    advice = None
    if not exists:
        advice = "there is no index yet: run 'taskforce index rebuild'"
    elif damaged:
        advice = damaged
    elif not ok:
        advice = "run 'taskforce index rebuild' to bring the index in step with the archive"
    return {"index": str(folder), "exists": exists, "documents": len(indexed), "size_bytes": size,
            "last_update": dt.datetime.fromtimestamp(max((p.stat().st_mtime for p in folder.glob("*")), default=0),
                                                     dt.timezone.utc).isoformat(timespec="seconds") if exists else None,
            "schema_version": (sentinel or {}).get("schema_version"), "schema_current": current,
            "archive_documents": len(archived), "missing": missing, "stale": stale, "extra": extra,
            "unreadable_sidecars": [f.as_dict() for f in problems], "damaged": damaged, "ok": ok, "advice": advice}

