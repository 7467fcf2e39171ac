"""The highlighted snippet of a hit, in the language that matched."""
from __future__ import annotations

import re

from whoosh import highlight

from .. import translit
from ..index.analysis import CAPITALISED, CYRILLIC, WORD, fold_accents

EXCERPT_WINDOW = 160
EXCERPT_PLACES = 3


class MarkFormatter(highlight.Formatter):
    def __init__(self, start: str, end: str, between: str = " … "):
        self.start, self.end, self.between = start, end, between

    def format_token(self, text, token, replace=False):
        return f"{self.start}{highlight.get_text(text, token, replace)}{self.end}"


def snippet(hit, text: str, query_text: str) -> tuple[str, str | None]:
    """A highlighted snippet in the language that matched (the Italian or Russian field), or on the names
    when some word of the query matched only through its transliteration key (Nizhniy -> Nižnij)."""
    matched: dict[str, set[str]] = {}
    for name, term in hit.matched_terms() or []:
        if name in ("text_ru", "text_it", "keys"):      # other fields' terms may be binary (numbers, dates)
            matched.setdefault(name, set()).add(term.decode("utf-8") if isinstance(term, bytes) else term)
    words = len(re.findall(WORD, re.sub(r"\w+:\S+|\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b", " ", query_text)))
    order = [("text_ru", "ru"), ("text_it", "it"), ("keys", None)]
    if "keys" in matched and max(len(matched.get("text_ru", ())), len(matched.get("text_it", ()))) < words:
        order.insert(0, ("keys", None))
    for fieldname, lang in order:
        if fieldname in matched:
            found = hit.highlights(fieldname, text=_excerpt(text, fieldname, matched[fieldname]), top=2)
            if found:
                return " ".join(found.split()), lang or ("ru" if CYRILLIC.search(found) else "it")
    return lead(text), None


def lead(text: str) -> str:
    """The first 200 characters of the text, on one line."""
    start = " ".join(text.split())[:200]
    return start + ("…" if len(text) > 200 else "")


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
            starts = _first_starts(pattern, fold_accents(lowered))
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
