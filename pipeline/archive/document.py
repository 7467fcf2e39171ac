"""One archived document as the stages after the archive see it: the index writes it, the search's hits and
the exports carry it, the command line and the web page show it.

It is built in two ways only: ``Document.from_record`` from the archive's newest metadata (the sidecar's
DocumentRecord), and ``Document.from_fields`` from its own field dictionary (``fields()``: a search hit, a
row of the JSON and CSV exports); the index turns its stored fields into one with
``pipeline.index.schema.stored_document``. Titles, places and sectors known in both languages are
``Bilingual`` values; the confidentiality is an ``access.Level``, whose visibility only access.py judges.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..access import Level, is_public
from ..bilingual import Bilingual
from .record import DocumentRecord


def bilingual_parts(stored: dict | None) -> dict:
    """The ``titles``, ``places`` and ``sector_names`` of a Document from what is stored of them,
    ``{"title", "place": {"it", "ru"}, "sectors": [{"it", "ru"}, ...]}`` (any part may be missing)."""
    if not stored:
        return {}                               # the defaults: nothing known in both languages
    return {"titles": Bilingual.of(stored.get("title")), "places": Bilingual.of(stored.get("place")),
            "sector_names": tuple(map(Bilingual.of, stored.get("sectors") or ()))}


@dataclass(frozen=True)
class Document:
    doc_id: str
    session: int
    type: str                                   # one of pipeline.vocab.DOCUMENT_TYPES
    title: str
    reference: str | None = None
    signed_on: dt.date | None = None
    place: str | None = None                    # as archived; a hit's is the index's "place / city" line
    parties: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()               # as archived: the facet keys
    country: str | None = None                  # the host country of its session, when known
    confidentiality: Level = Level.PUBLIC
    titles: Bilingual = Bilingual()             # the title in both languages, when a source gave both
    places: Bilingual = Bilingual()
    sector_names: tuple[Bilingual, ...] = ()    # in the order of ``sectors`` (maybe fewer); one language or two
    languages: tuple[str, ...] = ()
    revision: int = 1
    sha256: str = ""
    text_source: str = "none"
    differs: bool | None = None                 # its signed text differs from its approved draft (None: not compared)
    withdrawn: str | None = None                # the reason it was withdrawn (then seen by staff only)
    superseded_by: str | None = None            # the id of the document replacing it
    supersedes: str | None = None               # the id of the document it replaces

    @classmethod
    def from_record(cls, record: DocumentRecord, country: str | None = None) -> "Document":
        """The document of an archived record (``country``: its session's host country, which the record
        does not carry)."""
        comparison = record.draft_comparison
        return cls(doc_id=record.doc_id, session=record.session, type=record.type, title=record.title,
                   reference=record.reference, signed_on=record.signed_on, place=record.place,
                   parties=tuple(record.parties), sectors=tuple(record.sectors), country=country,
                   confidentiality=Level(record.confidentiality), **bilingual_parts(record.derived_bilingual()),
                   languages=tuple(record.languages), revision=record.revision, sha256=record.sha256,
                   text_source=record.text_source,
                   differs=None if not comparison else not comparison.get("identical"),
                   withdrawn=record.withdrawn, superseded_by=record.superseded_by, supersedes=record.supersedes)

    @classmethod
    def from_fields(cls, data: dict) -> "Document":
        """The document of its ``fields()`` (a search hit: the keys it has not, such as the score, are
        ignored)."""
        signed = data.get("signed_on")
        return cls(doc_id=data["doc_id"], session=data["session"], type=data["type"], title=data["title"],
                   reference=data.get("reference"), signed_on=dt.date.fromisoformat(signed) if signed else None,
                   place=data.get("place"), parties=tuple(data.get("parties") or ()),
                   sectors=tuple(data.get("sectors") or ()), country=data.get("country"),
                   confidentiality=Level(data["confidentiality"]), **bilingual_parts(data.get("bilingual")),
                   withdrawn=data.get("withdrawn"), superseded_by=data.get("superseded_by"),
                   supersedes=data.get("supersedes"))

    def fields(self) -> dict:
        """The document as data (JSON): a search hit's fields, in the order the hits have always had."""
        return {"doc_id": self.doc_id, "reference": self.reference, "session": self.session, "type": self.type,
                "title": self.title, "signed_on": self.signed_on.isoformat() if self.signed_on else None,
                "place": self.place, "parties": list(self.parties), "sectors": list(self.sectors),
                "country": self.country, "confidentiality": self.confidentiality.value, "bilingual": self.bilingual,
                **self.succession}

    @property
    def succession(self) -> dict:
        """Its withdrawal and its links to the document it replaces or that replaces it, those that are set
        (a hit shows them to staff; a public hit never has a withdrawn one)."""
        known = {"withdrawn": self.withdrawn, "superseded_by": self.superseded_by, "supersedes": self.supersedes}
        return {name: value for name, value in known.items() if value}

    @property
    def bilingual(self) -> dict:
        """What is known in both languages, as the sidecar stores it (its keys sorted): {"place": {"it", "ru"},
        "sectors": [...], "title": {"it", "ru"}}."""
        known: dict = {}
        if self.places:
            known["place"] = self.places.as_dict()
        if self.sector_names:
            known["sectors"] = [pair.as_dict() for pair in self.sector_names]
        if self.titles:
            known["title"] = self.titles.as_dict()
        return known

    @property
    def public(self) -> bool:
        return is_public(self.confidentiality)

    @property
    def year(self) -> int | None:
        return self.signed_on.year if self.signed_on else None

    def title_in(self, lang: str) -> str:
        """The title in ``lang`` when it is known in both languages, else the one title."""
        return getattr(self.titles, lang, "") or self.title

    def title_forms(self) -> tuple[str, ...]:
        """The title and its forms in each language (either may open the text)."""
        return (self.title, *self.titles.forms())

    def sector_name(self, index: int) -> Bilingual:
        """The names of the ``index``-th sector in both languages, as far as this document knows them."""
        return self.sector_names[index] if index < len(self.sector_names) else Bilingual()
