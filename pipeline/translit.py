"""A transliteration key that lets a name match across scripts: Kazan = Казань, Tatarstan = Татарстан.

The key of a word is built in three steps, the same for a word of a document and a word of a query:

1. Cyrillic letters are transliterated (a GOST 7.79-B-like table without diacritics): ж zh, х kh, ц ts,
   ч ch, ш sh, щ shch, ю yu, я ya, й j, ы y, э e, ё e; ъ and ь are dropped.
2. Latin letters lose their accents (Nižnij -> nizhnij, città -> citta), then spelling variants of the
   usual romanisations are folded: zh/z, kh/h, ts/c, ch/c, sh/s, shch/sc, j/y/i, w/v, yu/u, ya/a, ye/ie/e, and a
   doubled letter counts once, repeated until nothing changes. So Nizhny, Nizhnij and Нижний all give "nizni".
3. Exonyms whose spelling differs beyond that are mapped through a small alias list (ALIASES: Mosca and
   Москва give the same key).

A query word matches a key that starts with the query's key minus a final vowel (at least four letters),
which absorbs Russian case endings: Tatarstan finds Татарстана and Татарстаном, Mosca finds Москве.
"""
from __future__ import annotations

import re
import unicodedata

CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
}
# Order matters: longer spellings first.
FOLDS = (("shch", "sc"), ("sch", "sc"), ("zh", "z"), ("kh", "h"), ("ts", "c"), ("tz", "c"), ("ch", "c"),
         ("sh", "s"), ("yu", "u"), ("iu", "u"), ("ya", "a"), ("ia", "a"), ("ye", "e"), ("ie", "e"), ("j", "i"),
         ("y", "i"), ("w", "v"),
         ("x", "ks"), ("q", "k"), ("ck", "k"), ("gh", "g"))
# Exonyms: the folded key of the Italian (or English) name -> the folded key of the Russian one.
ALIASES = {
    "mosca": "moskva", "moscow": "moskva",
    "sanpietroburgo": "sanktpeterburg", "pietroburgo": "peterburg", "petersburg": "peterburg",
    "sanpetersburg": "sanktpeterburg", "stpetersburg": "sanktpeterburg",
    "russia": "rossia", "italia": "italia", "roma": "rim", "rome": "rim", "milano": "milan",
    "venezia": "venecia", "firenze": "florenci", "florence": "florenci", "genova": "genui", "napoli": "neapol",
    "torino": "turin", "arcangelo": "arhangelsk", "volgograd": "volgograd", "siberia": "sibir",
    "baschiria": "baskortostan", "bashkiria": "baskortostan", "ciuvascia": "cuvasi", "mordovia": "mordovi",
}
_FOLD_PATTERN = re.compile("|".join(re.escape(old) for old, _ in FOLDS))
_FOLD_MAP = dict(FOLDS)
_DOUBLE = re.compile(r"(.)\1+")
VOWELS = "aeiou"
MIN_PREFIX = 4


def _strip_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def key(word: str) -> str:
    """The transliteration key of one word (letters only; an empty string for a word without letters)."""
    word = word.lower()
    latin = "".join(CYRILLIC.get(ch, ch) for ch in word)
    latin = "".join(ch for ch in _strip_accents(latin) if "a" <= ch <= "z")
    folded = _fold(latin)
    return _fold(ALIASES[folded]) if folded in ALIASES else folded


def _fold(latin: str) -> str:
    """Apply FOLDS and drop doubled letters until nothing changes (j -> i can make a new "ia")."""
    while True:
        folded = _DOUBLE.sub(r"\1", _FOLD_PATTERN.sub(lambda m: _FOLD_MAP[m.group(0)], latin))
        if folded == latin:
            return folded
        latin = folded


def query_prefix(word_key: str) -> str | None:
    """The prefix a query key matches documents' keys with, or None to match the key exactly."""
    stem = word_key[:-1] if word_key and word_key[-1] in VOWELS else word_key
    return stem if len(stem) >= MIN_PREFIX else None
