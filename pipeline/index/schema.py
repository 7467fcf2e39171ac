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
from ..archive.document import Document, bilingual_parts
from ..archive.record import DocumentRecord
from ..archive.reading import ArchiveReader
from ..sessions.registry import readable_sessions
from ..workspace import Workspace
from .analysis import (CAPITALISED, CYRILLIC_WORD, LATIN_WORD, WORD, italian_analyzer, key_analyzer, label_analyzer,
                       russian_analyzer)
from .fastfield import LanguageText
from .sections import section_titles

SCHEMA_VERSION = 8          # bump when fields or analyzers change: the next command rebuilds the index
                            # (2: text and queries in Unicode NFC; 3: the public index, sector words,
                            # Italian accents folded before stemming; 4: the fast indexing path of the
                            # language fields and of the spelling field, which has no field lengths;
                            # 5: bilingual title, place, sectors; 6: no spelling field, the vocabulary
                            # file instead: vocabulary.py; 7: differs, the draft comparison; 8: the
                            # section titles, section: in queries, and the bilingual term table beside it)
WORDS = re.compile(WORD)
FACETS = ("session", "year", "type", "sectors", "country")


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


def session_infos(ws: Workspace) -> dict[int, SessionInfo]:
    return {s.number: SessionInfo(s.country, dict(s.city), s.start) for s in readable_sessions(ws)}


def document_fields(document: Document, text: str, session: SessionInfo | None) -> dict:
    """The index fields of one archived document."""
    return document_entry(document, text, session)[0]


def document_entry(document: Document, text: str, session: SessionInfo | None) -> tuple[dict, list[str]]:
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
        "keys": names + " " + " ".join(dict.fromkeys(CAPITALISED.findall(text))),
        "section_titles": "\n".join(section_titles(text)),
    }
    if document.signed_on:
        values["signed_on"] = dt.datetime.combine(document.signed_on, dt.time())
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
                    differs=_DIFFERS.get(stored.get("differs")))


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
