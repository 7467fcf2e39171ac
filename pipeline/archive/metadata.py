"""The metadata of a document being ingested: what the user gave (options, manifest rows), what the
document says (reference code, place and date of signature, PDF metadata), and which of them wins.

Precedence, highest first: the options or the manifest row, the drafts register (through a reference code
in the text), the code itself (session and kind), the PDF's metadata, the text. The confidentiality level
is the exception: the most restrictive source wins unless an explicit option lowers it. ``metadata_sources``
in the sidecar records where each value came from.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..bilingual import Bilingual
from ..drafting import register
from ..errors import PdfRejected, ValidationError
from ..sessions.dates import parse_date
from ..sessions.fields import clean_value
from ..sessions.registry import readable_sessions
from ..vocab import CONFIDENTIALITY_LEVELS, DEFAULT_CONFIDENTIALITY, DOCUMENT_TYPES, LANGUAGES, more_restrictive
from ..workspace import Workspace
from .eventlog import POLICY_ASSIGNMENT
from .placedate import CYRILLIC, find_place_and_date
from .proposals import propose_metadata
from .record import split_title

KIND_BY_CODE = {code: kind for kind, code in register.KIND_CODES.items()}

# --- metadata given by the user ------------------------------------------------------------------------

@dataclass
class Given:
    """Metadata given by command options or a manifest row; None or empty means "not given"."""

    session: int | None = None
    type: str | None = None
    title: str | None = None
    parties: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    signed_on: dt.date | None = None
    place: str | None = None
    languages: list[str] = field(default_factory=list)
    confidentiality: str | None = None
    reference: str | None = None
    password: str | None = None
    title_ru: str | None = None       # the Russian title, when the title given is the Italian one
    place_ru: str | None = None       # the Russian name of the place

    def __post_init__(self):
        """Values typed by the user (options, manifest cells): NFC, no direction controls; control characters
        and over-long values are a ValidationError naming the option."""
        for name in ("title", "place", "title_ru", "place_ru"):
            if getattr(self, name) is not None:
                setattr(self, name, clean_value(getattr(self, name), name) or None)
        self.parties = [v for v in (clean_value(p, "party") for p in self.parties) if v]
        self.sectors = [v for v in (clean_value(s, "sector") for s in self.sectors) if v]

    def metadata_fields(self) -> dict:
        values = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "password"}
        return {name: value for name, value in values.items() if value not in (None, "", [])}


def parse_session(value) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        number = 0
    if number < 1:
        raise ValidationError(f"session: expected a whole number from 1, got {value!r}")
    return number


def parse_type(value: str) -> str:
    kind = str(value).strip().lower()
    if kind not in DOCUMENT_TYPES:
        raise ValidationError(f"type: expected one of {', '.join(DOCUMENT_TYPES)}, got {value!r}")
    return kind


def parse_confidentiality(value: str) -> str:
    level = str(value).strip().lower()
    if level not in CONFIDENTIALITY_LEVELS:
        raise ValidationError(f"confidentiality: expected one of {', '.join(CONFIDENTIALITY_LEVELS)}, got {value!r}")
    return level


def parse_languages(value: str) -> list[str]:
    codes = [code.strip().lower() for code in str(value).replace(";", ",").split(",") if code.strip()]
    wrong = [code for code in codes if code not in LANGUAGES]
    if wrong or not codes:
        raise ValidationError(f"lang: expected it, ru or it,ru, got {value!r}")
    return list(dict.fromkeys(codes))


def parse_reference(value: str) -> str:
    reference = str(value).strip()
    if not register.REFERENCE_PATTERN.fullmatch(reference):
        raise ValidationError(f"ref: expected a reference code such as TF25-AGR-003 or TF25-PROT, got {value!r}")
    return reference


def parse_signed_on(value) -> dt.date:
    return parse_date(value, "signed-on")

# --- metadata found in the document: the place and date of signature (placedate.py), the register -------

def _register_text(value) -> str | None:
    """A register value as text: a bilingual {it, ru} becomes "it / ru"."""
    if value is None:
        return None
    if isinstance(value, dict):
        if "it" in value or "ru" in value:
            return Bilingual.of(value).side_by_side()
        if "name" in value:
            return _register_text(value["name"])
    return str(value).strip() or None


@dataclass
class ResolvedMetadata:
    """Every metadata field of a document with where its value came from, and the notes to log about how
    it was decided (PREMIS events: (type, detail))."""

    values: dict
    sources: dict
    notes: list[tuple[str, str]] = field(default_factory=list)


def resolve_metadata(layers: list[tuple[Given, str]], content, ws: Workspace, filename: str) -> ResolvedMetadata:
    """Every metadata field with where it came from, in order of precedence: the options or the manifest row,
    the drafts register (through a reference code in the text), the code itself (session and kind), the PDF's
    metadata, the place and date of signature in the text. The confidentiality follows its own rule
    (:func:`resolve_confidentiality`). Raise PdfRejected when session or type cannot be found."""
    values, sources = {}, {}

    def offer(name, value, source):
        if name not in values and value not in (None, "", []):
            values[name] = value
            sources[name] = source

    for given, source in layers:
        for name, value in given.metadata_fields().items():
            if name != "confidentiality":
                offer(name, value, source)
    if "reference" not in values:
        found = register.find_references(content.text)
        if found:
            offer("reference", found[0], "text")
    reference = values.get("reference")
    entry = register.latest(ws, reference) if reference else None
    if entry:
        offer("session", entry.session, "drafts register")
        offer("type", entry.kind, "drafts register")
        offer("title", _register_text(entry.title), "drafts register")
        offer("parties", [p for p in map(_register_text, entry.parties) if p], "drafts register")
        offer("sectors", [s for s in map(_register_text, entry.sectors) if s], "drafts register")
    if reference:
        code = register.REFERENCE_PATTERN.fullmatch(reference)
        if code:
            offer("session", int(code["session"]), "reference code")
            offer("type", KIND_BY_CODE.get(code["kind"]), "reference code")
    place, when = find_place_and_date(content.text)
    offer("place", place, "text")
    offer("signed_on", when, "text")
    offer("languages", content.languages, "text")
    missing = [name for name in ("session", "type") if name not in values]
    if missing:
        offer_proposals(offer, missing, propose_metadata(ws, content.pages, content.page_sources))
    offer("title", content.pdf_metadata.get("title"), "pdf metadata")
    offer("title", Path(filename).stem, "file name")
    # values read from the file, the register or its name: made safe rather than refused
    for name in ("title", "place"):
        if isinstance(values.get(name), str):
            values[name] = clean_value(values[name], name, strict=False) or "untitled"
    for name in ("parties", "sectors"):
        if name in values:
            values[name] = [v for v in (clean_value(item, name, strict=False) for item in values[name]) if v]
    bilingual = resolve_bilingual(values, sources, entry, layers, ws)
    for name in ("title_ru", "place_ru"):
        values.pop(name, None)
        sources.pop(name, None)
    if bilingual:
        values["bilingual"] = bilingual
    offered = [(given.confidentiality, source) for given, source in layers if given.confidentiality]
    if entry and entry.confidentiality in CONFIDENTIALITY_LEVELS:
        offered.append((entry.confidentiality, f"drafts register ({entry.reference} v{entry.version})"))
    level, source, notes = resolve_confidentiality(offered)
    values["confidentiality"] = level
    if source:
        sources["confidentiality"] = source
    return ResolvedMetadata(values, sources, notes)


def offer_proposals(offer, missing: list[str], proposals) -> None:
    """Take from ``proposals`` (what the text says, :mod:`pipeline.archive.proposals`) the ``missing``
    session and type when the text is certain of both, with the title, its Russian form and the parties read
    with them; raise PdfRejected naming what was found when it is not, or found nothing."""
    uncertain = [name for name in missing if not proposals.certain(name)]
    if uncertain:
        found = any(name in proposals.values or proposals.ambiguities.get(name) for name in missing)
        if not found:
            raise PdfRejected("ingest.unknown", fields=missing)
        raise PdfRejected("ingest.uncertain", fields=uncertain, found=proposals.found(missing),
                          proposed={name: proposals.values.get(name) for name in uncertain})
    for name in (*missing, "title", "title_ru", "parties"):
        if name in proposals.values and (name in missing or proposals.confidence[name] >= 0.6):
            offer(name, proposals.values[name], proposals.sources[name])


def _pair(value) -> dict | None:
    """{"it", "ru"} of a bilingual register or registry value with both languages, else None."""
    if isinstance(value, dict) and value.get("it") and value.get("ru"):
        return {"it": str(value["it"]).strip(), "ru": str(value["ru"]).strip()}
    return None


def _matching(text: str | None, pairs: list[dict]) -> dict | None:
    """The pair one of whose languages is ``text`` (ignoring case), or whose "it / ru" form it is."""
    if not text:
        return None
    wanted = text.strip().casefold()
    for pair in pairs:
        if wanted in (pair["it"].casefold(), pair["ru"].casefold(), f"{pair['it']} / {pair['ru']}".casefold()):
            return pair
    return None


def resolve_bilingual(values: dict, sources: dict, entry, layers, ws: Workspace) -> dict:
    """The title, place and sectors in both languages where a source gives both: the options or the
    manifest (title_ru, place_ru beside title and place), the drafts register (bilingual title and sectors),
    the session registry (the city and the thematic tables' sectors). Only values that are the document's
    own are paired: a pair is kept when the document's value is one of its two forms."""
    found: dict = {}
    for name in ("title", "place"):
        russian = values.get(f"{name}_ru")
        if russian and values.get(name):
            found[name] = {"it": values[name], "ru": russian}
    session = next((s for s in readable_sessions(ws) if s.number == values.get("session")), None)
    if entry:
        # the register's title is one string in newer entries; its two languages are in texts["title"]
        title = _pair(entry.title) or _pair((entry.texts or {}).get("title")) or split_title(entry.title)
        if "title" not in found and title and _matching(values.get("title"), [title]):
            found["title"] = title
    if "place" not in found and session:
        city = _pair(session.city)
        if city and _matching(values.get("place"), [city]):
            found["place"] = city
    known = [pair for pair in (_pair(s) for s in (entry.sectors if entry else [])) if pair]
    if session:
        known += [pair for pair in (_pair(t.get("sector")) for t in session.tables or [] if isinstance(t, dict))
                  if pair]
    sectors = [_matching(sector, known) for sector in values.get("sectors", [])]
    if any(sectors):
        found["sectors"] = [pair or {"ru" if CYRILLIC.search(sector) else "it": sector}
                            for pair, sector in zip(sectors, values.get("sectors", []))]
    return found


def resolve_confidentiality(offered: list[tuple[str, str]]) -> tuple[str, str | None, list[tuple[str, str]]]:
    """(level, where it came from or None for the default, notes) from the levels ``offered`` by each source
    [(level, source)]: the command option, the manifest row, the drafts register.

    A restricted draft must not become public because its PDF was ingested without a level: when sources
    disagree the more restrictive wins, and none given means the default. Only an explicit command option
    may lower what another source says (an archivist's deliberate decision), and that lowering is noted
    for the event log."""
    if not offered:
        return DEFAULT_CONFIDENTIALITY, None, []
    option = next(((level, source) for level, source in offered if source == "option"), None)
    others = [(level, source) for level, source in offered if source != "option"]
    strictest = max(others, key=lambda item: CONFIDENTIALITY_LEVELS.index(item[0])) if others else None
    if option is None:
        level, source = strictest
        overruled = sorted({f"{other} from the {where}" for other, where in others if other != level})
        if overruled:
            source = f"{source}, more restrictive than {' and '.join(overruled)}"
        return level, source, []
    level = option[0]
    notes = []
    if strictest and more_restrictive(level, strictest[0]) != level:
        notes.append((POLICY_ASSIGNMENT, f"confidentiality lowered by an explicit option: {level} given, the "
                                         f"{strictest[1]} says {strictest[0]}"))
    return level, "option", notes


