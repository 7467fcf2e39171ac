"""The bilingual term table: Italian and Russian stems that translate each other, learned from the archive's
own drafts. Every draft in the register is a parallel text (its Italian and Russian paragraphs in the same
order, section by section: drafting.docx.text_by_language); a pair of stems that keeps occurring in the
two halves of the same paragraph pairs, and rarely apart, is a translation (Dice's coefficient over the
distinct paragraph pairs, with a minimum count). An Italian query then also finds a document that exists
only in Russian, and a Russian query one only in Italian (search/crosslang.py).

It is derived data, rebuilt with the index and kept beside it (like the vocabulary), one table per reader:
the staff's learns from every draft; a visitor's (public) or the command line's (public and internal) only
from the drafts whose reference is archived at a level they may see and which the register does not mark
more restricted, so that no word of a hidden or never-signed draft reaches their queries."""
from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..vocab import CONFIDENTIALITY_LEVELS
from ..fsutil import atomic_write_text
from .analysis import WORD, italian_analyzer, russian_analyzer

# one table per reader: the levels a reader may see (the visitor's, the command line's, the staff's)
READER_LEVELS = [tuple(CONFIDENTIALITY_LEVELS[:n]) for n in range(1, len(CONFIDENTIALITY_LEVELS) + 1)]
MIN_PAIRS = 2           # distinct paragraph pairs a pair of stems must share
MIN_DICE = 0.5          # 2·both / (italian + russian), over distinct paragraph pairs
NEAR_BEST = 0.8         # a stem's other translations must score at least this share of its best one
MAX_TRANSLATIONS = 3
MIN_STEM = 3            # shorter stems (articles, numbers) are not worth translating
WORDS = re.compile(WORD)


def table_path(folder: Path, levels) -> Path:
    """The table of a reader who may see ``levels`` (a reader of another set gets the visitors')."""
    levels = tuple(levels) if tuple(levels) in READER_LEVELS else READER_LEVELS[0]
    return folder / f"terms-{'-'.join(levels)}.json"


class Learner:
    """Counts stems over distinct aligned paragraph pairs; ``table`` gives the translations."""

    def __init__(self):
        self.analyzers = {"it": italian_analyzer(), "ru": russian_analyzer()}
        self.seen: set[tuple[str, str]] = set()
        self.single = {"it": Counter(), "ru": Counter()}
        self.pairs: Counter = Counter()
        self.offsets: Counter = Counter()       # summed distance of the pair's relative places in the paragraphs
        self.forms = {"it": {}, "ru": {}}       # stem -> Counter of the words written

    def stems(self, text: str, lang: str) -> dict[str, float]:
        """The stems of ``text`` with the relative place (0 to 1) of their first occurrence."""
        found: dict[str, float] = {}
        words = WORDS.findall(text)
        for place, word in enumerate(words):
            for token in self.analyzers[lang](word):
                stem = token.text
                if len(stem) >= MIN_STEM and not stem.isdigit():
                    found.setdefault(stem, place / max(1, len(words) - 1))
                    self.forms[lang].setdefault(stem, Counter())[word.lower()] += 1
        return found

    def add(self, italian: str, russian: str) -> None:
        """One aligned paragraph pair (counted once however many drafts repeat it: boilerplate then weighs
        like one example, and a word only learns from the texts where it varies)."""
        key = (" ".join(italian.split()), " ".join(russian.split()))
        if key in self.seen:
            return
        self.seen.add(key)
        it, ru = self.stems(italian, "it"), self.stems(russian, "ru")
        self.single["it"].update(it.keys())
        self.single["ru"].update(ru.keys())
        for a, place_a in it.items():
            for b, place_b in ru.items():
                self.pairs[a, b] += 1
                self.offsets[a, b] += abs(place_a - place_b)

    def table(self) -> dict:
        """{"it": {stem: [[ru stem, word, dice], ...]}, "ru": {...}, "paragraphs": n}."""
        scored = {"it": {}, "ru": {}}
        for (it, ru), both in self.pairs.items():
            if both < MIN_PAIRS:
                continue
            # Dice's coefficient, lowered by how far apart the two words stand in their paragraphs: words of a
            # sentence that always come together (boilerplate) are told apart by their order
            dice = 2 * both / (self.single["it"][it] + self.single["ru"][ru])
            dice *= 1 - self.offsets[it, ru] / both
            if dice >= MIN_DICE:
                scored["it"].setdefault(it, []).append((dice, ru))
                scored["ru"].setdefault(ru, []).append((dice, it))
        table = {"paragraphs": len(self.seen)}
        for lang, other in (("it", "ru"), ("ru", "it")):
            entries = {}
            for stem, options in scored[lang].items():
                options.sort(key=lambda option: (-option[0], option[1]))
                best = options[0][0]
                entries[stem] = [[target, self.form(other, target), round(dice, 3)]
                                 for dice, target in options[:MAX_TRANSLATIONS] if dice >= NEAR_BEST * best]
            table[lang] = entries
        return table

    def form(self, lang: str, stem: str) -> str:
        """The word most often written for ``stem`` (what a hit says it was found as)."""
        forms = self.forms[lang].get(stem)
        return forms.most_common(1)[0][0] if forms else stem


def learn(pairs: Iterable[tuple[list[str], list[str]]]) -> dict:
    """The table of parallel texts given as (Italian paragraphs, Russian paragraphs); a text whose halves have
    not the same number of paragraphs is not aligned and is left out."""
    learner = Learner()
    for italian, russian in pairs:
        if len(italian) != len(russian):
            continue
        for it, ru in zip(italian, russian):
            learner.add(it, ru)
    return learner.table()


@dataclass(frozen=True)
class DraftText:
    """One draft's parallel text, as the use cases read it from the register (usecases/learning.py): the index
    stage reads no draft itself (a search must not load drafting)."""
    reference: str
    confidentiality: str | None          # the register's level (None: not recorded)
    italian: list[str]
    russian: list[str]


def teaches(draft: DraftText, levels: tuple, archived: dict[str, set[str]]) -> bool:
    """Whether a reader of ``levels`` may learn from ``draft``: a document of its reference is archived at a
    level they may see, and the register does not mark the draft more restricted; a reader who sees every
    level learns from every draft."""
    if set(levels) == set(CONFIDENTIALITY_LEVELS):
        return True
    if draft.confidentiality and draft.confidentiality not in levels:
        return False
    return bool(archived.get(draft.reference, set()) & set(levels))


def write_tables(folder: Path, records, drafts: list[DraftText]) -> dict:
    """Learn the table of each reader (READER_LEVELS) from ``drafts`` and write them into the index ``folder``."""
    archived: dict[str, set[str]] = {}
    for record in records:
        if record.reference:
            archived.setdefault(record.reference, set()).add(str(record.confidentiality))
    sizes = {}
    for levels in READER_LEVELS:
        table = learn((draft.italian, draft.russian) for draft in drafts if teaches(draft, levels, archived))
        atomic_write_text(table_path(folder, levels), json.dumps(table, ensure_ascii=False, sort_keys=True))
        sizes["+".join(levels)] = len(table["it"])
    return sizes


def keep_tables(old: Path, new: Path) -> None:
    """A rebuild given no drafts (one a search started, after a schema change) keeps the tables it had;
    'taskforce index rebuild' and the next ingest of a drafted document learn them again."""
    for levels in READER_LEVELS:
        source = table_path(old, levels)
        if source.is_file():
            shutil.copyfile(source, table_path(new, levels))


def read_table(folder: Path, levels) -> dict:
    """The table of a reader of ``levels`` beside the index (empty when missing: an index built before it)."""
    try:
        return json.loads(table_path(folder, levels).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"it": {}, "ru": {}}
