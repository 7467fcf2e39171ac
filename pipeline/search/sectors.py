"""The sectors by any name: the shipped synonym table (data/sector_synonyms.yaml) says which sector a word
names in either language ("legno", "мебель" -> "Sistema casa / Дом и интерьер"). Read when a search runs,
so that a word added to the table needs no index rebuild."""
from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

from ..cache import on_clear
from ..index.analysis import WORD


def folded(text: str) -> str:
    """Lower case, without accents, single spaces (how sector names and typed words are compared)."""
    bare = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


@functools.lru_cache(maxsize=1)
def synonym_table() -> tuple[tuple[dict, frozenset], ...]:
    """Each sector's names {"it", "ru"} and the folded forms that name it (its names and synonyms)."""
    import yaml     # here: a search without a sector loads neither PyYAML nor the file (tests/test_search_start.py)

    text = (Path(__file__).parent / "data" / "sector_synonyms.yaml").read_text(encoding="utf-8")
    table = []
    for sector in yaml.safe_load(text):
        names = {"it": sector["it"], "ru": sector["ru"]}
        forms = {folded(names["it"]), folded(names["ru"]), *(folded(str(s)) for s in sector.get("synonyms") or ())}
        table.append((names, frozenset(forms)))
    return tuple(table)


on_clear(synonym_table.cache_clear)


def sectors_named(wanted: str) -> list[dict]:
    """The sectors (their names {"it", "ru"}) that ``wanted`` names: one of their names or synonyms, or a
    word of one (a synonym of two words matches either: "mobili" or "мебельная промышленность")."""
    key = folded(wanted)
    if not key:
        return []
    words = set(re.findall(WORD, key))
    found = []
    for names, forms in synonym_table():
        if key in forms or (len(words) == 1 and any(key in re.findall(WORD, form) for form in forms
                                                     if len(key) >= 4)):
            found.append(names)
    return found


def names_of(wanted: str) -> set[str]:
    """The folded names of the sectors ``wanted`` names through the table (empty: none)."""
    return {folded(name) for names in sectors_named(wanted) for name in names.values()}
