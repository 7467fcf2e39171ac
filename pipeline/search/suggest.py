"""'Did you mean': spelling suggestions from the words of the documents the reader may see."""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import ValidationError
from ..index.vocabulary import Vocabulary
from .query import OPERATORS, parse_query

MAX_SUGGESTED_WORD = 40  # longer words get no "Did you mean" (the edit-distance search grows with the word)


def suggestion(searcher, schema, text: str, filters, allowed, folder: Path, levels: tuple[str, ...]) -> str | None:
    """Each word of ``text`` that finds nothing (not even through stemming, accents or transliteration) is
    replaced by the closest known word; the corrected query is offered only when it finds something.
    Words are known, and corrections taken, only from the documents the reader may see: the vocabulary of
    the index ``folder`` is read for the reader's ``levels`` only, ``allowed`` is the reader's filter. So
    neither a suggestion nor its absence (nor their order) reveals a word of a hidden document."""
    with Vocabulary(folder, levels) as vocabulary:
        text, changed = _corrected(searcher, schema, text, allowed, vocabulary)
    if not changed:
        return None
    try:
        corrected = parse_query(schema, text)
    except ValidationError:
        return None
    return text if searcher.search(corrected, limit=1, filter=filters).scored_length() else None


def _corrected(searcher, schema, text: str, allowed, vocabulary: Vocabulary) -> tuple[str, bool]:
    changed = False

    def visible(q) -> bool:
        return bool(searcher.search(q, limit=1, filter=allowed).scored_length())

    for match in reversed(list(re.finditer(r"(?<![:\w])\w+(?![\w:*?])", text))):
        word = match.group(0)
        if word in OPERATORS or word.isdigit() or not 3 <= len(word) <= MAX_SUGGESTED_WORD:
            continue
        lowered = word.lower()
        if vocabulary.frequency(lowered) or _finds_anything(schema, word, visible):
            continue
        # The first letter is taken as typed: it keeps the lookup fast on a large vocabulary.
        found = vocabulary.similar(lowered, maxdist=2, prefix=1, limit=1)
        if found:
            text = text[:match.start()] + found[0] + text[match.end():]
            changed = True
    return text, changed


def _finds_anything(schema, word: str, visible) -> bool:
    try:
        return visible(parse_query(schema, word))
    except ValidationError:
        return False
