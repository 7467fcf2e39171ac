"""How text becomes index terms: the Italian and Russian analyzers (script split, stop words, accent folding,
Snowball stemming), the transliteration key of names (pipeline/translit.py: Kazan finds Казань) and the
plain analyzer of labels."""
from __future__ import annotations

import functools
import re

from whoosh.analysis import CharsetFilter, Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.lang import stemmer_for_language, stopwords_for_language
from whoosh.support.charset import accent_map

from .. import translit
from ..cache import on_clear

WORD = r"\w+"               # whoosh-reloaded changed the default pattern; ours is explicit
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
LATIN_WORD = re.compile(r"\w*[A-Za-z\u00C0-\u024F]\w*")
CYRILLIC_WORD = re.compile(r"\w*[\u0400-\u04FF]\w*")
CAPITALISED = re.compile(r"\b[A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’-]+")

ONE_TO_ONE_ACCENTS = {code: folded for code, folded in accent_map.items()
                      if isinstance(folded, str) and len(folded) == 1}


def fold_accents(text: str) -> str:
    """Accent folding that keeps every character's position (one character in, one out)."""
    return text.translate(ONE_TO_ONE_ACCENTS)


class ScriptFilter(Filter):
    """Keeps the tokens of one script: Latin for the Italian field, Cyrillic for the Russian one."""

    def __init__(self, cyrillic: bool):
        self.cyrillic = cyrillic

    def __eq__(self, other):
        return type(self) is type(other) and self.cyrillic == other.cyrillic

    def __call__(self, tokens):
        wanted = CYRILLIC if self.cyrillic else LATIN
        for token in tokens:
            if wanted.search(token.text):
                yield token


class YoFilter(Filter):
    """ё is written as е in most Russian texts: fold it before stemming."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = token.text.replace("ё", "е")
            yield token


class TranslitKeyFilter(Filter):
    """Replaces each token by its transliteration key (translit.key); drops tokens without letters."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = translit.key(token.text)
            if token.text:
                yield token


# Module-level caches: they outlive one search (Whoosh unpickles fresh analyzers, with cold caches, every time
# it opens the index), so highlighting a page of hits stems mostly cached words.
@functools.lru_cache(maxsize=200_000)
def stem_italian(word: str) -> str:
    return _stemmer("it")(word)


@functools.lru_cache(maxsize=200_000)
def stem_russian(word: str) -> str:
    return _stemmer("ru")(word)


on_clear(stem_italian.cache_clear)
on_clear(stem_russian.cache_clear)


@functools.lru_cache(maxsize=2)
def _stemmer(lang: str):
    return stemmer_for_language(lang)


@functools.lru_cache(maxsize=1)
def italian_stopwords() -> frozenset:
    """Italian stop words as written and without their accents (perché and perche)."""
    words = stopwords_for_language("it")
    return frozenset(words) | {fold_accents(word) for word in words}


def italian_analyzer():
    # Accents are folded before stemming: the stemmer treats an accented final vowel differently from the
    # plain one (responsabilità -> respons, responsabilita -> responsabil), so a word typed without its
    # accent must reach the stemmer spelled as the indexed one is.
    return (RegexTokenizer(WORD) | LowercaseFilter() | ScriptFilter(cyrillic=False)
            | StopFilter(stoplist=italian_stopwords(), minsize=1) | CharsetFilter(accent_map)
            | StemFilter(stemfn=stem_italian, cachesize=None))


def russian_analyzer():
    return (RegexTokenizer(WORD) | LowercaseFilter() | ScriptFilter(cyrillic=True) | YoFilter()
            | StopFilter(stoplist=stopwords_for_language("ru"), minsize=1)
            | StemFilter(stemfn=stem_russian, cachesize=None))


def label_analyzer():
    """Words of a label (a sector), matched ignoring case and accents: Aerospazio = aerospazio."""
    return RegexTokenizer(WORD) | LowercaseFilter() | CharsetFilter(accent_map)


def key_analyzer():
    return RegexTokenizer(WORD) | TranslitKeyFilter()
