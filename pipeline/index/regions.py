"""The region gazetteer: which Italian region or Russian federal subject a party's seat is in ("Kazan
(Tatarstan)", "Казань" -> Republic of Tatarstan / Республика Татарстан), and which regions a typed name
means (Tatarstan, Татарстан, Sverdlovsk, Свердловская область). The data is the shipped
data/regions.yaml (where it came from is written at its top). Names are compared through the
transliteration key (pipeline/translit.py), so either script and the usual romanisations match."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from .. import translit
from ..cache import on_clear
from ..bilingual import Bilingual
from .analysis import WORD


@dataclass(frozen=True)
class Region:
    id: str
    country: str
    names: Bilingual
    stem: str                                   # the transliteration key a word naming the region starts with
    cities: tuple[Bilingual, ...]


def _keys(text: str) -> list[str]:
    return [k for k in (translit.key(word) for word in re.findall(WORD, text or "")) if k]


@functools.lru_cache(maxsize=1)
def gazetteer() -> tuple[Region, ...]:
    import yaml     # here: a search without --region loads neither PyYAML nor the file (tests/test_search_start.py)

    text = (Path(__file__).parent / "data" / "regions.yaml").read_text(encoding="utf-8")
    return tuple(Region(id=row["id"], country=row["country"], names=Bilingual(it=row["it"], ru=row["ru"]),
                        stem=translit.key(row["stem"]),
                        cities=tuple(Bilingual(it=it, ru=ru) for it, ru in row.get("cities") or ()))
                 for row in yaml.safe_load(text))


on_clear(gazetteer.cache_clear)


def by_id(region_id: str) -> Region | None:
    return next((r for r in gazetteer() if r.id == region_id), None)


def _has_sequence(words: list[str], wanted: list[str]) -> bool:
    n = len(wanted)
    return bool(n) and any(words[i:i + n] == wanted for i in range(len(words) - n + 1))


def locate(seat: str) -> tuple[Region | None, Bilingual]:
    """The region and city of a seat as written ("Kazan (Tatarstan)", "Казань (Республика Татарстан)",
    "Milano"): a known city names its region; else a word starting with a region's stem. (None, empty)
    when the gazetteer knows neither."""
    words = _keys(seat)
    if not words:
        return None, Bilingual()
    for region in gazetteer():
        for city in region.cities:
            if any(_has_sequence(words, _keys(name)) for name in city.forms()):
                return region, city
    for region in gazetteer():
        if region.stem and any(word.startswith(region.stem) for word in words):
            return region, Bilingual()
    return None, Bilingual()


def regions_named(wanted: str) -> list[Region]:
    """The regions a typed name means: its id, or a word starting with a region's stem (Tatarstan,
    Татарстан, "Республика Татарстан", Sverdlovsk, Свердловская), or one of its cities."""
    wanted = (wanted or "").strip()
    exact = [r for r in gazetteer() if r.id == wanted.lower()]
    if exact:
        return exact
    words = _keys(wanted)
    if not words:
        return []
    found = [r for r in gazetteer() if any(w.startswith(r.stem) or (len(w) >= 4 and r.stem.startswith(w))
                                           for w in words)]
    if found:
        return found
    return [r for r in gazetteer() if any(_has_sequence(_keys(name), words) or _has_sequence(words, _keys(name))
                                          for city in r.cities for name in city.forms())]
