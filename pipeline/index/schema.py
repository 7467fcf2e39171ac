"""The fields of the index, their fingerprint (a changed schema makes the next command rebuild), and the
index fields of one archived document."""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterator

from whoosh import fields

from ..access import Level
from ..bilingual import Bilingual
from ..archive.document import Document, bilingual_parts
from ..archive.record import DocumentRecord
from ..archive.reading import ArchiveReader
from ..sessions.registry import readable_sessions
from ..workspace import Workspace
from .analysis import (CAPITALISED, CYRILLIC_WORD, LATIN_WORD, WORD, italian_analyzer, key_analyzer, label_analyzer,
                       russian_analyzer)
from . import draftdata
from .fastfield import LanguageText
from .life import NO_EXPIRY, key_of, life_of
from .parties import document_party_keys, name_key
from .sections import section_titles

SCHEMA_VERSION = 8          # bump when fields or analyzers change: the next command rebuilds the index
                            # (2: text and queries in Unicode NFC; 3: the public index, sector words,
                            # Italian accents folded before stemming; 4: the fast indexing path of the
                            # language fields and of the spelling field, which has no field lengths;
                            # 5: bilingual title, place, sectors; 6: no spelling field, the vocabulary
                            # file instead: vocabulary.py; 7: differs, the draft comparison; 8: withdrawn and
                            # superseded documents (listed, withdrawn, superseded_by, supersedes), party_names,
                            # the life of an agreement (force_key, expiry_key, standing, life), the section
                            # titles (section: in queries) and the bilingual term tables beside the index)
WORDS = re.compile(WORD)
FACETS = ("session", "year", "type", "sectors", "country")
# computed at query time from the columns below and the party register: the status as of the search's day,
# the regions of the parties (pipeline/search/records.py)
QUERY_TIME_FACETS = ("status", "regions")


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
        bilingual=fields.STORED(),       # {"title", "place": {"it", "ru"}, "sectors": [...]} when known
        parties=fields.STORED(),
        party_keys=fields.TEXT(analyzer=key_analyzer(), phrase=False),
        sectors=fields.KEYWORD(stored=True, commas=True, scorable=False),   # whole labels: facets, --sector
        sector_words=fields.TEXT(analyzer=label_analyzer()),                 # their words: sector: in queries
        languages=fields.KEYWORD(stored=True, commas=True),
        confidentiality=fields.ID(stored=True, sortable=True),
        text_source=fields.ID(stored=True),
        differs=fields.ID(stored=True),    # the signed text against its approved draft: yes, no, "" (not compared)
        # withdrawn documents (issue 24) are in the staff's index only, marked: "listed" is "no" for them,
        # "withdrawn" their reason; the links between a superseded document and its successor are shown
        listed=fields.ID(),
        withdrawn=fields.STORED(),
        superseded_by=fields.STORED(),
        supersedes=fields.STORED(),
        # the parties' name keys (index/parties.py name_key): the party register says whose they are
        party_names=fields.KEYWORD(commas=True, scorable=False),
        # the life of an agreement (index/life.py); its status is computed from these on the day of the search
        force_key=fields.NUMERIC(int, sortable=True),         # entry into force, yyyymmdd (0: not an agreement)
        expiry_key=fields.NUMERIC(int, sortable=True),        # last day in force, yyyymmdd; 99991231: no end
        standing=fields.ID(stored=True, sortable=True),       # "withdrawn", "superseded" or ""
        life=fields.STORED(),
        # The language fields are indexed by fastfield.py (same postings as their analyzers, which queries
        # and highlighting use); BM25F scores them with their lengths. The words suggestions come from are not
        # a field: they are in the vocabulary file beside the index (vocabulary.py).
        text_it=LanguageText("it", analyzer=italian_analyzer()),
        text_ru=LanguageText("ru", analyzer=russian_analyzer()),
        keys=fields.TEXT(analyzer=key_analyzer()),
        section_titles=fields.TEXT(analyzer=label_analyzer()),    # headings found in the text: section:
    )


def _describe(analyzer) -> list:
    """Classes and simple settings of an analyzer's parts (a repr would carry memory addresses). The module
    is part of the name: Whoosh pickles the analyzers into the index, and an index whose classes moved to
    another module cannot be opened, so it must be rebuilt."""
    if analyzer is None:
        return []
    parts = getattr(analyzer, "items", [analyzer])
    return [[f"{type(part).__module__}.{type(part).__qualname__}", sorted((k, v) for k, v in vars(part).items()
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
    institutions: tuple = ()        # the co-chairs' institutions' names, which sign the session's Protocol


def session_infos(ws: Workspace) -> dict[int, SessionInfo]:
    return {s.number: SessionInfo(s.country, dict(s.city), s.start,
                                  tuple(name for chair in s.co_chairs for name in
                                        Bilingual.of(chair.get("institution")).forms()))
            for s in readable_sessions(ws)}


@dataclass(frozen=True)
class RecordFacts:
    """What the index knows of a document besides its record's Document: the agreement's duration from the
    drafts register, and the archive's withdrawal or replacement of it (when the record has those fields)."""
    duration_months: int | None = None
    withdrawn: bool = False
    superseded_by: str | None = None


def record_facts(record: DocumentRecord, durations: dict) -> RecordFacts:
    return RecordFacts(durations.get(record.reference), bool(getattr(record, "withdrawn", False)),
                       getattr(record, "superseded_by", None) or None)


def register_durations(ws: Workspace) -> dict[str, int]:
    """Each reference's duration in months, as its newest version's agreement data in the drafts register
    gives it."""
    return draftdata.durations(ws)


def document_fields(document: Document, text: str, session: SessionInfo | None) -> dict:
    """The index fields of one archived document."""
    return document_entry(document, text, session)[0]


def document_entry(document: Document, text: str, session: SessionInfo | None,
                   facts: RecordFacts | None = None) -> tuple[dict, list[str]]:
    """The index fields of one archived document, and its words for the vocabulary (each once, lower case).
    ``stored_document`` reads the stored ones back."""
    text = unicodedata.normalize("NFC", text)   # a PDF made on a Mac may spell à as a + combining grave
    places = [document.place] if document.place else []
    if session and session.city:
        places += [session.city["it"], session.city["ru"]]
    date = document.signed_on or (session.start if session else None)
    other_forms = [form for pair in [document.titles, document.places, *document.sector_names] for form in pair.forms()]
    names = " ".join([document.title, *document.parties, *places, *other_forms, document.reference or ""])
    full = "\n".join([document.title, *other_forms, "; ".join(document.parties), text])
    # Each language field gets only its script's words (the analyzers would drop the others anyway, at
    # twice the cost).
    latin = " ".join(LATIN_WORD.findall(full))
    cyrillic = " ".join(CYRILLIC_WORD.findall(full))
    values = {
        "doc_id": document.doc_id, "revision": document.revision, "sha256": document.sha256,
        "reference": document.reference or "", "session": document.session,
        "year": document.year or (date.year if date else 0),
        "date_key": int(date.strftime("%Y%m%d")) if date else 0,
        "country": (session.country if session else None) or "",
        "place": " / ".join(dict.fromkeys(places)), "type": document.type, "title": document.title,
        "parties": list(document.parties), "party_keys": " ".join(document.parties),
        "sectors": ",".join(s.replace(",", " ") for s in document.sectors),
        "sector_words": "\n".join([*document.sectors, *(form for pair in document.sector_names
                                                         for form in pair.forms())]),
        "bilingual": document.bilingual,
        "languages": ",".join(document.languages), "confidentiality": document.confidentiality.value,
        "text_source": document.text_source, "text_it": latin, "text_ru": cyrillic,
        "differs": DIFFERS_VALUES[document.differs],
        "listed": "no" if document.withdrawn else "yes", "withdrawn": document.withdrawn or "",
        "superseded_by": document.superseded_by or "", "supersedes": document.supersedes or "",
        "keys": names + " " + " ".join(dict.fromkeys(CAPITALISED.findall(text))),
        "section_titles": "\n".join(section_titles(text)),
    }
    if document.signed_on:
        values["signed_on"] = dt.datetime.combine(document.signed_on, dt.time())
    institutions = session.institutions if session and document.type == "protocol" else ()
    values["party_names"] = ",".join(document_party_keys(document.parties, map(name_key, institutions)))
    facts = facts or RecordFacts()
    life = life_of(document.type, document.signed_on, text, facts.duration_months, facts.withdrawn,
                   facts.superseded_by)
    if life is not None:
        values.update(force_key=key_of(life.in_force_on), expiry_key=key_of(life.expires_on) or NO_EXPIRY,
                      standing=life.standing, life=life.as_dict())
    else:
        values.update(force_key=0, expiry_key=0, standing="")
    return values, list(dict.fromkeys(word.lower() for word in WORDS.findall(full)))


# The ``differs`` field: "yes" when the comparison with the approved draft found differences, "no" when it
# found none, "" when the document was not compared (no reference the drafts register knows).
DIFFERS_VALUES = {True: "yes", False: "no", None: ""}
_DIFFERS = {value: known for known, value in DIFFERS_VALUES.items()}


def stored_document(stored: dict) -> Document:
    """The document of a hit: its stored index fields (document_entry's) read back; the place is the index's
    line of the place and its session's city."""
    signed = stored.get("signed_on")
    return Document(doc_id=stored["doc_id"], session=stored.get("session"), type=stored.get("type"),
                    title=stored.get("title"), reference=stored.get("reference") or None,
                    signed_on=signed.date() if signed else None, place=stored.get("place"),
                    parties=tuple(stored.get("parties") or ()),
                    sectors=tuple(filter(None, (stored.get("sectors") or "").split(","))),
                    country=stored.get("country") or None, confidentiality=Level(stored.get("confidentiality")),
                    **bilingual_parts(stored.get("bilingual")),
                    languages=tuple(filter(None, (stored.get("languages") or "").split(","))),
                    revision=stored.get("revision"), sha256=stored.get("sha256") or "",
                    text_source=stored.get("text_source") or "none",
                    differs=_DIFFERS.get(stored.get("differs")), withdrawn=stored.get("withdrawn") or None,
                    superseded_by=stored.get("superseded_by") or None, supersedes=stored.get("supersedes") or None)


class ArchiveDocuments:
    """Every archived document's newest metadata (``records``, listed at once) and, iterated, each with its
    text (pages joined, read one document at a time)."""

    def __init__(self, ws: Workspace):
        self.archive = ArchiveReader(ws)
        self.records, _ = self.archive.records()

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[tuple[DocumentRecord, str]]:
        for record in self.records:
            yield record, "\n\n".join(self.archive.page_texts(record.doc_id))


def archive_documents(ws: Workspace) -> ArchiveDocuments:
    return ArchiveDocuments(ws)


def archive_text(ws: Workspace, doc_id: str) -> str:
    return "\n\n".join(ArchiveReader(ws).page_texts(doc_id))
