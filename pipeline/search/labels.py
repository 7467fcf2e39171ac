"""The names of the sectors in both languages, for showing a sector facet, filter or statistic in the
reader's language while its key (the sector as the archive records it) stays the same in both.

A document record keeps its sectors as written (``sectors``) and, where a source gave both languages, each
as ``{"it", "ru"}`` (``bilingual["sectors"]``, one per sector, in the same order). The names of a key are
gathered from the documents the reader may see, and from those only: a name that only a hidden document
knows is not shown to a reader who may not see it. A key no visible document names in both languages keeps
the one name it has (its own script's language), never a blank.
"""
from __future__ import annotations

from ..access import STAFF, Reader
from ..archive.document import Document
from ..bilingual import Bilingual
from ..index.schema import stored_document
from ..vocab import LANGUAGES
from ..workspace import Workspace
from .cache import cached
from .readable import script_of



def add_names(names: dict[str, dict[str, str]], document: Document) -> None:
    """Record in ``names`` what one document says of its sectors: their names in both languages (aligned
    with the keys, possibly fewer or none) first, the key itself in its script's language last."""
    for index, key in enumerate(document.sectors):
        if not key:
            continue
        known = names.setdefault(key, {})
        pair = document.sector_name(index)
        for lang in LANGUAGES:
            if getattr(pair, lang) and lang not in known:
                known[lang] = getattr(pair, lang)


def completed(names: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """Every key with at least one name: the key itself, in its script's language, when none is known."""
    for key, known in names.items():
        if not known:
            known[script_of(key) or "it"] = key
    return names


def sector_names(ws: Workspace, reader: Reader = STAFF) -> dict[str, dict[str, str]]:
    """{facet key: {"it": ..., "ru": ...}} of the sectors of the documents ``reader`` may see, from the
    search index (read once per opened searcher: the cache keeps it until the index changes)."""
    entry = cached(ws, reader.public_only)
    slot = ("sector names", tuple(reader.levels))
    found = entry.columns.get(slot)
    if found is None:
        names: dict[str, dict[str, str]] = {}
        for _docnum, stored in entry.searcher.reader().iter_docs():
            if not reader.may_see(stored.get("confidentiality"), stored.get("withdrawn")):
                continue
            add_names(names, stored_document(stored))
        found = entry.columns[slot] = completed({key: value for key, value in names.items() if key})
    return found


def sector_name(names: dict[str, dict[str, str]], key: str, lang: str) -> str:
    """The name of sector ``key`` in ``lang``; the other language's when only that one is known; the key."""
    return Bilingual.of(names.get(key)).text(lang) or key
