"""A document's text to read on its page: the PDF's lines reflowed into paragraphs (no line breaks of the
layout, no words broken at a line's end, no justified spacing), each language apart, cut into its sections
(pipeline/index/sections.py) with a table of them, and the words of the search that led there marked (the
same stems the search matched)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..cache import memo_table
from ..index.analysis import WORD, italian_analyzer, russian_analyzer
from ..index.sections import headed_lines, lines_in
from .snippets import _analysed, body_text

LANGUAGE_FIELDS = {"it": ("text_it", italian_analyzer), "ru": ("text_ru", russian_analyzer)}
# a line that opens a paragraph of its own: a dash or bullet of a list, a numbered point
OPENS = re.compile(r"^(?:[–—\-•·]\s|\d{1,2}[.)]\s|[a-z]\)\s)")
# a line that closes its paragraph: a sentence's or a list item's end
CLOSES = re.compile(r"[.:;!?»\"]\s*$")
QUERY_NOISE = re.compile(r"\w+:\S+|\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE|TO)\b")
WORDS = re.compile(WORD)


@dataclass
class Part:
    """A section (or the text before the first heading: no title) of one language."""
    lang: str
    title: str | None
    anchor: str | None
    paragraphs: list[list[tuple[str, bool]]] = field(default_factory=list)   # pieces: (text, marked)


def paragraphs_of(lines: list[str]) -> list[str]:
    """``lines`` joined into paragraphs: a paragraph ends at a line that ends a sentence, before a line that
    opens a list item; spaces made single."""
    paragraphs, current = [], []
    for line in lines:
        line = " ".join(line.split())
        if not line:
            continue
        if current and OPENS.match(line):
            paragraphs.append(" ".join(current))
            current = []
        current.append(line)
        if CLOSES.search(line):
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def query_stems(query: str) -> dict[str, set[str]]:
    """The query's words as each language's analyzer indexes them (field names and operators left out)."""
    words = WORDS.findall(QUERY_NOISE.sub(" ", query or ""))
    stems: dict[str, set[str]] = {}
    for lang, (fieldname, make) in LANGUAGE_FIELDS.items():
        analyzer = _analyzer(lang, make)
        stems[lang] = {stem for stem in (_analysed(fieldname, analyzer, word) for word in words) if stem}
    return stems


_ANALYZERS: dict = memo_table()          # one analyzer per language, made once


def _analyzer(lang: str, make):
    found = _ANALYZERS.get(lang)
    if found is None:
        found = _ANALYZERS[lang] = make()
    return found


def marked(paragraph: str, lang: str, stems: set[str]) -> list[tuple[str, bool]]:
    """``paragraph`` in pieces, each word whose stem is one of ``stems`` a marked piece of its own."""
    if not stems:
        return [(paragraph, False)]
    fieldname, make = LANGUAGE_FIELDS[lang]
    analyzer = _analyzer(lang, make)
    pieces, last = [], 0
    for match in WORDS.finditer(paragraph):
        if _analysed(fieldname, analyzer, match.group()) in stems:
            if match.start() > last:
                pieces.append((paragraph[last:match.start()], False))
            pieces.append((match.group(), True))
            last = match.end()
    if last < len(paragraph):
        pieces.append((paragraph[last:], False))
    return pieces


def reading_text(pages: list[str], query: str = "") -> list[Part]:
    """The parts of the text to read: in each language the text has (Italian first), the lines before the
    first heading, then each section; anchors "section-1", "section-2"… in that order."""
    text = body_text(pages)
    stems = query_stems(query)
    parts: list[Part] = []
    number = 0
    for lang in ("it", "ru"):
        lines = lines_in(text, lang)
        if not lines:
            continue
        current = Part(lang, None, None)
        body: list[str] = []
        for heading, line in [*headed_lines(lines, lang), (None, None)]:
            if heading or line is None:
                current.paragraphs = [marked(p, lang, stems[lang]) for p in paragraphs_of(body)]
                if current.paragraphs or current.title:
                    parts.append(current)
                if heading:
                    number += 1
                    current, body = Part(lang, heading, f"section-{number}"), []
            else:
                body.append(line)
    return parts
