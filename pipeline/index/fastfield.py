"""The fast indexing path: text fields whose ``index()`` makes the same postings as their analyzer chain
(analysis.py) without its generators and Token objects: one regular expression splits the words, each raw
word's analysed term (lower case, script, stop word, accent folding or ё, stem) is computed once and
cached, positions are numbered as the stop filter numbers them, and the postings are encoded directly.
Queries and highlighting still use the analyzer (the field keeps it); tests/test_fastfield.py proves, on
the test corpus and a generated one, that both give the same terms, frequencies, weights and positions."""
from __future__ import annotations

import re
from collections import defaultdict

from whoosh import fields
from whoosh.compat import dumps
from whoosh.lang import stopwords_for_language
from whoosh.support.charset import accent_map
from whoosh.system import pack_uint

from ..cache import memo_table
from .analysis import CYRILLIC, LATIN, WORD, italian_stopwords, stem_italian, stem_russian

TOKENS = re.compile(WORD)
CACHE_LIMIT = 500_000       # raw words remembered per language (the vocabulary of 10,000 documents fits)

# word as written -> its term, or None when the analyzer drops it (another script, a stop word)
# (plain dicts, not ContentCaches: a lookup per word of every indexed page is the hot path of a rebuild)
_ITALIAN: dict[str, str | None] = memo_table()
_RUSSIAN: dict[str, str | None] = memo_table()


def _italian_term(word: str) -> str | None:
    term = _ITALIAN.get(word, False)
    if term is False:
        lower = word.lower()
        if not LATIN.search(lower) or lower in italian_stopwords():
            term = None
        else:
            term = stem_italian(lower.translate(accent_map))
        if len(_ITALIAN) >= CACHE_LIMIT:
            _ITALIAN.clear()
        _ITALIAN[word] = term
    return term


def _russian_term(word: str) -> str | None:
    term = _RUSSIAN.get(word, False)
    if term is False:
        lower = word.lower()
        if not CYRILLIC.search(lower):
            term = None
        else:
            lower = lower.replace("ё", "е")
            term = None if lower in _russian_stopwords() else stem_russian(lower)
        if len(_RUSSIAN) >= CACHE_LIMIT:
            _RUSSIAN.clear()
        _RUSSIAN[word] = term
    return term


_RU_STOP: list = []


def _russian_stopwords() -> frozenset:
    if not _RU_STOP:
        _RU_STOP.append(frozenset(stopwords_for_language("ru")))
    return _RU_STOP[0]


TERM_OF = {"it": _italian_term, "ru": _russian_term}


def _encode_positions(positions: list[int]) -> bytes:
    """formats.Positions.encode, without its per-call overhead."""
    deltas, base = [], 0
    for pos in positions:
        deltas.append(pos - base)
        base = pos
    return pack_uint(len(deltas)) + dumps(deltas, 2)


class LanguageText(fields.TEXT):
    """A TEXT field of one language (``lang``: "it" or "ru") with positions, indexed by the fast path. The
    analyzer given must be analysis.italian_analyzer() or russian_analyzer() (the test compares them)."""

    def __init__(self, lang: str, analyzer, **kwargs):
        super().__init__(analyzer=analyzer, **kwargs)
        self.lang = lang

    def index(self, value, **kwargs):
        if not isinstance(value, str) or kwargs:
            yield from super().index(value, **kwargs)
            return
        term_of = TERM_OF[self.lang]
        positions: dict[str, list[int]] = defaultdict(list)
        pos = None
        for raw, word in enumerate(TOKENS.findall(value)):
            term = term_of(word)
            if term is None:
                continue
            # StopFilter(renumber=True): the first word kept keeps the tokenizer's position, each later one
            # is the previous kept word's plus one
            pos = raw if pos is None else pos + 1
            positions[term].append(pos)
        boost = self.format.field_boost
        for term, found in positions.items():
            yield term.encode("utf-8"), len(found), len(found) * boost, _encode_positions(found)
