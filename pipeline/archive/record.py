"""The metadata of one archived document: the shape the archive writes and the search index reads.

It is defined once, here, so that the archive (which owns the sidecar files) and the index (which is
rebuilt from them) cannot drift apart.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field, fields

from ..vocab import DEFAULT_CONFIDENTIALITY

TEXT_SOURCES = ("text", "ocr", "mixed", "none")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")


def split_title(text: str | None) -> dict | None:
    """{"it", "ru"} of a title written "Italian / Russian" (or "Russian / Italian"), as a Protocol's title was
    kept in the drafts register and so in its records: "Protocollo della prima sessione / Протокол первого
    заседания". None when the text is not one Latin half and one Cyrillic half around a " / "."""
    parts = (text or "").split(" / ")
    for cut in range(1, len(parts)):
        left, right = " / ".join(parts[:cut]).strip(), " / ".join(parts[cut:]).strip()
        for it, ru in ((left, right), (right, left)):
            if _LATIN.search(it) and not _CYRILLIC.search(it) and _CYRILLIC.search(ru) and not _LATIN.search(ru):
                return {"it": it, "ru": ru}
    return None


@dataclass
class DocumentRecord:
    doc_id: str                      # the archive's identifier, stable forever
    session: int
    type: str                        # one of pipeline.vocab.DOCUMENT_TYPES
    title: str
    sha256: str                      # of the original PDF, as archived
    size: int                        # bytes of the original PDF
    filename: str                    # the name the file had when it was ingested
    reference: str | None = None     # drafting reference code, e.g. TF25-AGR-003
    parties: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    signed_on: dt.date | None = None
    place: str | None = None
    languages: list[str] = field(default_factory=list)    # "it", "ru"
    confidentiality: str = DEFAULT_CONFIDENTIALITY  # one of pipeline.vocab.CONFIDENTIALITY_LEVELS
    pages: int = 0
    text_source: str = "none"        # one of TEXT_SOURCES
    page_sources: list[str] = field(default_factory=list)  # per page: "text", "ocr" or "none"
    signatures: list[dict] = field(default_factory=list)
    pdf_metadata: dict = field(default_factory=dict)
    ingested_at: str = ""            # UTC, ISO 8601
    revision: int = 1                # metadata revision; corrections write a new one
    metadata_sources: dict = field(default_factory=dict)  # field -> where its value came from
    encrypted: bool = False          # the PDF is encrypted (it opened with the empty or the given password)
    warnings: list[str] = field(default_factory=list)     # extraction warnings (a page OCR could not read)
    # Title, place and sectors in both languages where a source gave both (the drafts register, the session
    # registry, a manifest's title_ru / place_ru, --title-ru / --place-ru): {"title": {"it", "ru"},
    # "place": {"it", "ru"}, "sectors": [{"it", "ru"}, ...]}. Empty in sidecars written before it existed.
    bilingual: dict = field(default_factory=dict)
    # the signed text against its approved draft (compare/comparison.py): reference, version, state, method,
    # identical, per language the changed/added/removed paragraphs; None when no registered reference
    draft_comparison: dict | None = None
    # taken out of view (issue 24): the reason; the bytes and the older revisions stay. Staff only see it.
    withdrawn: str | None = None
    superseded_by: str | None = None     # the id of the document that replaces this one
    supersedes: str | None = None        # the id of the document this one replaces

    def as_dict(self) -> dict:
        data = asdict(self)
        data["signed_on"] = self.signed_on.isoformat() if self.signed_on else None
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "DocumentRecord":
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        if values.get("signed_on"):
            values["signed_on"] = dt.date.fromisoformat(values["signed_on"])
        return cls(**values)

    def derived_bilingual(self) -> dict:
        """``bilingual``, with the title's two languages when the sidecar lacks them but the title is written in
        both ("Protocollo … / Протокол …", records of Protocols archived before the register kept them apart).
        Derived when the record is read (indexed, shown): the archived sidecar stays as it was written."""
        if (self.bilingual or {}).get("title"):
            return self.bilingual
        pair = split_title(self.title)
        return {**(self.bilingual or {}), "title": pair} if pair else (self.bilingual or {})

    @property
    def year(self) -> int | None:
        return self.signed_on.year if self.signed_on else None
