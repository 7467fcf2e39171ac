"""Metadata read from the text of a document without a reference code (an old Protocol's scan, a letter):
each value with where in the text it was read, how sure the reading is, and the other readings when the
text allows several.

- session: an ordinal before "sessione" / "riunione" / "заседания" / "сессии", in words in either language
  ("settima sessione", "седьмого заседания", "седьмой сессии"; every case and gender, from num2words), in
  Roman numerals ("VII sessione") or in figures ("7ª sessione", "7-го заседания"); and the date and place
  of signature matched against the sessions registry;
- type: the first title word of the heading in each language (Protocollo/Протокол, Accordo/Соглашение,
  Memorandum d'intesa/Меморандум о взаимопонимании, Lettera/Письмо, Progetto/Проект);
- parties ("tra A e B", "между A и B"), the title (the first heading), the date and place of signature,
  the languages.

A value is *certain* when its confidence reaches :data:`CERTAIN` and the text offers no other reading: the
ingest archives such a value (its ``metadata_sources`` says "read from the text: «…»"), and asks the
archivist to confirm any other.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .. import cache
from ..sessions.registry import Session, readable_sessions
from .placedate import find_place_and_date
from ..workspace import Workspace

CERTAIN = 0.8            # the confidence from which the ingest takes a value without asking
MAX_SESSION = 99         # ordinals known in words (the Task Force holds about one session a year)
HEADING = 400            # characters of each language's opening read as its heading
READ = "read from the text"

_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_LATIN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]")
_SESSION_NOUN = r"(?:sessione|riunione|заседани[еяиюй]|сесси[яиюей])"
_ROMAN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}

# title words of each document type, the longer first (a memorandum's two words before anything shorter)
TYPE_WORDS = {
    "memorandum": (r"memorandum\s+d\s*['’]\s*intesa", r"memorandum\s+of\s+understanding",
                   r"меморандум\w*\s+о\s+взаимопонимании", r"memorandum", r"меморандум\w*"),
    "protocol": (r"protocollo", r"протокол\w*"),
    "agreement": (r"accordo", r"соглашени\w*"),
    "letter": (r"lettera", r"письм\w*"),
    "project": (r"progetto", r"проект\w*"),
}
_ARTICLE = r"(?:(?:il|lo|la|i|gli|le)\s+|l\s*['’]\s*)?"
_PARTIES = {
    "it": re.compile(rf"\btra\s+{_ARTICLE}(?P<a>[A-ZÀ-Ö][^,;:()\n]{{2,150}}?)\s+e\s+{_ARTICLE}"
                     rf"(?P<b>[A-ZÀ-Ö][^,;:()\n]{{2,150}}?)(?=\s*(?:[,;:(\n]|$|\.\s|\s(?:per|sulla|sul|sui|nel|"
                     rf"nella|in|relativo|relativa|concernente|riguardante|avente)\s))"),
    "ru": re.compile(r"\bмежду\s+(?P<a>[А-ЯЁ][^,;:()\n]{2,150}?)\s+и\s+(?P<b>[А-ЯЁ][^,;:()\n]{2,150}?)"
                     r"(?=\s*(?:[,;:(\n]|$|\.\s|\s(?:о|об|по|в|во|для|относительно|касательно)\s))"),
}


@dataclass
class Proposals:
    """What the text says of a document's metadata: ``values`` (field -> value: session int, type, title,
    title_ru, parties, signed_on date, place, languages), ``sources`` (field -> "read from the text: «…»"),
    ``confidence`` (field -> 0..1) and ``ambiguities`` (field -> the other readings, each "value (source)")."""

    values: dict = field(default_factory=dict)
    sources: dict = field(default_factory=dict)
    confidence: dict = field(default_factory=dict)
    ambiguities: dict = field(default_factory=dict)

    def propose(self, name: str, value, source: str, confidence: float) -> None:
        self.values[name] = value
        self.sources[name] = source
        self.confidence[name] = round(confidence, 2)

    def certain(self, name: str) -> bool:
        """Whether the ingest may take ``name`` from the text without asking."""
        return name in self.values and self.confidence.get(name, 0) >= CERTAIN and not self.ambiguities.get(name)

    def found(self, names) -> str:
        """What was found for ``names``, in words: "session 7 (read from the text: «…», confidence 0.6), or
        8 (…)"; "nothing" for a field the text says nothing of."""
        parts = []
        for name in names:
            if name in self.values:
                text = f"{name} {_shown(self.values[name])} ({self.sources[name]}, confidence {self.confidence[name]})"
                others = self.ambiguities.get(name) or []
                parts.append(text + "".join(f", or {other}" for other in others))
            elif self.ambiguities.get(name):
                parts.append(f"{name} " + " or ".join(self.ambiguities[name]))
            else:
                parts.append(f"no {name}")
        return "; ".join(parts)

    def as_dict(self) -> dict:
        return {"values": {name: _shown(value) if isinstance(value, dt.date) else value
                           for name, value in self.values.items()},
                "sources": dict(self.sources), "confidence": dict(self.confidence),
                "ambiguities": {name: list(others) for name, others in self.ambiguities.items() if others},
                "certain": sorted(name for name in self.values if self.certain(name))}


def _shown(value) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)


def quoted(text: str) -> str:
    return f"{READ}: «{' '.join(text.split())}»"


# --- ordinals ----------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def ordinal_words() -> dict[str, int]:
    """Every written form of the ordinals 1..MAX_SESSION -> its number: Italian masculine and feminine
    ("settimo", "settima", "venticinquesima"), Russian in every case and gender ("седьмой", "седьмого",
    "двадцать пятого"), lower case, ё written е."""
    from num2words import num2words

    words: dict[str, int] = {}
    for number in range(1, MAX_SESSION + 1):
        italian = num2words(number, lang="it", to="ordinal")
        words[italian] = number
        if italian.endswith("o"):
            words[italian[:-1] + "a"] = number
        for case in "ngdaip":
            for gender in "mfn":
                russian = num2words(number, lang="ru", to="ordinal", case=case, gender=gender)
                words[russian.replace("ё", "е")] = number
    return words


cache.on_clear(ordinal_words.cache_clear)


def roman_number(text: str) -> int | None:
    """The value of a Roman numeral written in capitals, None when ``text`` is not one."""
    if not text or not _ROMAN.match(text):
        return None
    total = 0
    for letter, following in zip(text, text[1:] + " "):
        value = _ROMAN_VALUES[letter]
        total += -value if following != " " and _ROMAN_VALUES[following] > value else value
    return total or None


_NOUN = re.compile(rf"(?<!\w){_SESSION_NOUN}(?!\w)", re.IGNORECASE)
WINDOW = 60   # characters before a session noun where its ordinal is looked for (the longest: "двадцать …")
_TOKEN = re.compile(r"[\w'’ªº°-]+")
_FIGURE = re.compile(r"(\d{1,2})\s*(?:[ªa°º]|-?[а-я]{1,3})", re.IGNORECASE)


def _ordinal_before(words: list[str]) -> tuple[int, int] | None:
    """(number, how many of the last ``words`` write it) when the words just before a session noun are an
    ordinal: in words (up to three: "двадцать пятого"), a Roman numeral in capitals, a figure with its
    ending ("7ª", "7-го"); an elided article is dropped ("dell'ottava")."""
    last = re.split(r"['’]", words[-1])[-1] if words else ""
    for count in (3, 2, 1):
        if len(words) >= count:
            phrase = " ".join([*words[-count:-1], last]).lower()
            if phrase in ordinal_words():
                return ordinal_words()[phrase], count
    number = roman_number(last)
    if number:
        return number, 1
    figure = _FIGURE.fullmatch(last)
    return (int(figure[1]), 1) if figure else None


def session_mentions(text: str) -> list[tuple[int, int, str]]:
    """Every session number the text names by an ordinal: [(position, number, the words as written)]. Each
    session noun is found, then the words just before it are read (a dictionary of every written ordinal
    from num2words: a look-up per noun, however long the text)."""
    text = text.replace("ё", "е").replace("Ё", "Е")
    found = []
    for noun in _NOUN.finditer(text):
        start = max(0, noun.start() - WINDOW)
        tokens = list(_TOKEN.finditer(text, start, noun.start()))
        if start > 0 and tokens and tokens[0].start() == start:
            tokens = tokens[1:]                                   # cut by the window: not a whole word
        if not tokens or text[tokens[-1].end():noun.start()].strip():
            continue
        reading = _ordinal_before([token.group(0) for token in tokens])
        if reading is None:
            continue
        number, count = reading
        first = tokens[-count]
        written = text[first.start():noun.end()]
        if count == 1 and re.search(r"['’]", first.group(0)):   # "dell'ottava sessione": the ordinal only
            cut = max(first.group(0).rfind("'"), first.group(0).rfind("’")) + 1
            written = text[first.start() + cut:noun.end()]
        if 1 <= number <= MAX_SESSION:
            found.append((noun.end() - len(written), number, written))
    return found


# --- the parts of the text --------------------------------------------------------------------------------

def headings(text: str) -> dict[str, tuple[int, str]]:
    """The opening of each language's text: {"it": (position, first HEADING characters), "ru": …}; a
    language's opening starts at its first letter (the Russian half of a bilingual Protocol follows the
    Italian one, or stands beside it)."""
    found = {}
    for lang, letters in (("it", _LATIN), ("ru", _CYRILLIC)):
        match = letters.search(text)
        if match:
            start = text.rfind("\n", 0, match.start()) + 1
            found[lang] = (start, text[start:start + HEADING])
    return found


def languages_of(text: str) -> list[str]:
    """The languages the text is written in: a language whose words are at least 15 of them and 10% of all."""
    italian = len(re.findall(r"\b[A-Za-zÀ-ÖØ-öø-ÿ]{3,}\b", text))
    russian = len(re.findall(r"\b[\u0400-\u04FF]{3,}\b", text))
    total = italian + russian
    return [lang for lang, count in (("it", italian), ("ru", russian)) if count >= 15 and count >= total / 10]


_PARTIES_START = re.compile(r"(?i:tra|fra|между)\s")   # the parties' clause follows the heading


def first_heading(opening: str) -> str | None:
    """The first heading of an opening: its first line, with the lines that continue it (those starting in
    lower case: "PROTOCOLLO" / "della VII Sessione …", "ПРОТОКОЛ" / "седьмого заседания …", or all typed in
    capitals), three at most."""
    lines = [" ".join(line.split()) for line in opening.strip().splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        return None
    heading = [lines[0]]
    for line in lines[1:3]:
        capitals = all(text.upper() == text for text in (*heading, line))   # a heading typed in capitals
        if not (line[0].islower() or capitals) or _PARTIES_START.match(line):
            break
        heading.append(line)
    return " ".join(heading).strip(" .,;:")[:200] or None


def _title_case(text: str) -> str:
    """A heading typed in capitals ("PROTOCOLLO DELLA VII SESSIONE") as a title: its first letter capital,
    Roman numerals kept; a heading in mixed case as it is."""
    if text.upper() != text:
        return text
    words = [word.upper() if roman_number(word.upper()) and word not in ("di", "mi", "vi", "li", "ci", "i")
             else word for word in text.lower().split()]
    title = " ".join(words)
    return title[:1].upper() + title[1:]


# --- the proposals ----------------------------------------------------------------------------------------

def propose_metadata(ws: Workspace, pages: list[str], page_sources=None) -> Proposals:
    """The metadata read from ``pages`` (the text of each page; ``page_sources``, each page's "text", "ocr"
    or "none", lowers the confidence of what OCR read), matched against the sessions registry of ``ws``."""
    text = "\n\f".join(pages or [])
    proposals = Proposals()
    if not text.strip():
        return proposals
    ocr = bool(page_sources) and any(source == "ocr" for source in page_sources)
    openings = headings(text)
    _propose_type(proposals, openings)
    _propose_title(proposals, openings)
    _propose_parties(proposals, text)
    place, when = find_place_and_date(text)
    if place:
        proposals.propose("place", place, quoted(_around(text, place)), 0.8)
    if when:
        proposals.propose("signed_on", when, quoted(_around(text, place or "", when)), 0.8)
    languages = languages_of(text)
    if languages:
        proposals.propose("languages", languages, f"{READ}: its words", 0.9)
    _propose_session(proposals, text, openings, readable_sessions(ws), place, when)
    if ocr:   # what OCR read may be misread: a little less sure, never below what asks for confirmation twice
        for name in proposals.confidence:
            proposals.confidence[name] = round(proposals.confidence[name] * 0.95, 2)
    return proposals


def _around(text: str, place: str, when: dt.date | None = None) -> str:
    """The words of the text where the place and date of signature were read (at most 60 characters)."""
    if place and place in text:
        start = text.index(place)
        end = min(len(text), start + 60)
        match = re.search(r"\d{4}", text[start:end])
        return text[start:start + match.end()] if match else text[start:end]
    return when.isoformat() if when else place


def _propose_type(proposals: Proposals, openings: dict) -> None:
    readings = {}    # language -> (type, words as written)
    for lang, (_, opening) in openings.items():
        best = None
        for kind, words in TYPE_WORDS.items():
            for word in words:
                match = re.search(rf"(?<!\w){word}(?!\w)", opening, re.IGNORECASE)
                if match and (best is None or match.start() < best[0]):
                    best = (match.start(), kind, match.group(0))
        if best:
            readings[lang] = best
    if not readings:
        return
    kinds = {kind for _, kind, _ in readings.values()}
    first_lang = min(readings, key=lambda lang: openings[lang][0])
    position, kind, words = readings[first_lang]
    agreeing = [f"«{' '.join(w.split())}»" for _, k, w in readings.values() if k == kind]
    confidence = 0.9 if position < 120 else 0.75
    if len(agreeing) > 1:
        confidence = min(1.0, confidence + 0.05)
    proposals.propose("type", kind, f"{READ}: {' and '.join(agreeing)}", confidence)
    if len(kinds) > 1:
        proposals.ambiguities["type"] = [f"{k} ({READ}: «{' '.join(w.split())}»)" for _, k, w in readings.values()
                                         if k != kind]


def _propose_title(proposals: Proposals, openings: dict) -> None:
    titles = {lang: first_heading(opening) for lang, (_, opening) in openings.items()}
    italian, russian = titles.get("it"), titles.get("ru")
    main = italian or russian
    if not main:
        return
    confidence = 0.8 if "type" in proposals.values else 0.6
    proposals.propose("title", _title_case(main), f"{READ}: the first heading «{main}»", confidence)
    if italian and russian and _CYRILLIC.search(russian) and not _CYRILLIC.search(italian):
        proposals.propose("title_ru", _title_case(russian), f"{READ}: the first Russian heading «{russian}»",
                          confidence)


def _propose_parties(proposals: Proposals, text: str) -> None:
    flat = re.sub(r"[ \t\r\f\v]+", " ", text.replace("\n", " "))
    for lang in ("it", "ru"):
        match = _PARTIES[lang].search(flat)
        if match:
            parties = [" ".join(match["a"].split()), " ".join(match["b"].split())]
            proposals.propose("parties", parties, quoted(match.group(0)[:200]), 0.7)
            return


def _same_place(place: str | None, session: Session) -> bool:
    """Whether ``place`` names the session's city in either language (a Russian place declined: "в г.
    Казани" is Казань, compared by its first letters)."""
    if not place:
        return False
    wanted = place.casefold()
    for name in (session.city or {}).values():
        name = str(name).casefold()
        if wanted == name or (len(name) >= 4 and wanted[:max(4, len(name) - 2)] == name[:max(4, len(name) - 2)]):
            return True
    return False


def _session_text(session: Session) -> str:
    city = (session.city or {}).get("it") or (session.city or {}).get("ru") or ""
    return f"session {session.number} ({city}, {session.start.isoformat()} to {session.end.isoformat()})"


def _propose_session(proposals: Proposals, text: str, openings: dict, sessions: list[Session], place,
                     when: dt.date | None) -> None:
    mentions = session_mentions(text)
    in_heading = [(number, words) for position, number, words in mentions
                  if any(start <= position < start + HEADING for start, _ in openings.values())]
    dated = [s for s in sessions if when and s.start - dt.timedelta(days=1) <= when <= s.end + dt.timedelta(days=1)]
    by_date = dated[0] if len(dated) == 1 else None
    registry = {s.number: s for s in sessions}
    candidates = in_heading or [(number, words) for _, number, words in mentions]
    numbers = list(dict.fromkeys(number for number, _ in candidates))
    if numbers:
        number = numbers[0]
        words = [w for n, w in candidates if n == number]
        source = f"{READ}: " + " and ".join(f"«{' '.join(w.split())}»" for w in dict.fromkeys(words))
        confidence = 0.9 if in_heading else 0.6
        if len({w.lower() for w in words}) > 1 and in_heading:
            confidence = 0.95
        others = [f"{n} ({READ}: «{' '.join(w.split())}»)" for n, w in candidates if n != number]
        if by_date is not None:
            if by_date.number == number:
                confidence = max(confidence, 0.9) + 0.05
                source += f"; the date of signature {when.isoformat()} falls in {_session_text(by_date)}"
            else:
                others.append(f"{by_date.number} (the date of signature {when.isoformat()} falls in "
                              f"{_session_text(by_date)} of the sessions registry)")
        elif number in registry and when and not in_heading:
            confidence = 0.6
        proposals.propose("session", number, source, min(confidence, 1.0))
        if others:
            proposals.ambiguities["session"] = list(dict.fromkeys(others))
        return
    if by_date is not None:
        same_place = _same_place(place, by_date)
        source = (f"{READ}: the date of signature {when.isoformat()}" + (f" and the place {place}" if same_place else "")
                  + f" fall in {_session_text(by_date)} of the sessions registry")
        proposals.propose("session", by_date.number, source, 0.9 if same_place else 0.8)
    elif len(dated) > 1:
        proposals.ambiguities["session"] = [f"{s.number} (the date of signature {when.isoformat()} falls in "
                                            f"{_session_text(s)})" for s in dated]
