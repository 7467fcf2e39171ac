"""The bilingual term table: Italian and Russian stems that translate each other, learned from the archive's
own drafts. Every draft in the register is a parallel text (its Italian and Russian paragraphs in the same
order, section by section: drafting.docx.text_by_language); a pair of stems that keeps occurring in the
two halves of the same paragraph pairs, and rarely apart, is a translation (Dice's coefficient over the
distinct paragraph pairs, with a minimum count). An Italian query then also finds a document that exists
only in Russian, and a Russian query one only in Italian (search/crosslang.py).

It is derived data, rebuilt with the index and kept beside it (like the vocabulary): one table of every
draft (staff), and one of the drafts of public documents only (anonymous readers): learned from the drafts
whose reference is archived as a public document and which the register does not mark more restricted, so
that no word of a hidden or never-signed draft reaches a visitor's query."""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Iterable

from ..access import Level, is_public
from ..drafting.docx import text_by_language
from ..drafting.register import entries
from ..fsutil import atomic_write_text
from ..workspace import Workspace
from .analysis import WORD, italian_analyzer, russian_analyzer

TABLE_NAMES = {False: "terms-all.json", True: "terms-public.json"}
MIN_PAIRS = 2           # distinct paragraph pairs a pair of stems must share
MIN_DICE = 0.5          # 2·both / (italian + russian), over distinct paragraph pairs
NEAR_BEST = 0.8         # a stem's other translations must score at least this share of its best one
MAX_TRANSLATIONS = 3
MIN_STEM = 3            # shorter stems (articles, numbers) are not worth translating
WORDS = re.compile(WORD)


def table_path(folder: Path, public: bool) -> Path:
    return folder / TABLE_NAMES[public]


class Learner:
    """Counts stems over distinct aligned paragraph pairs; ``table`` gives the translations."""

    def __init__(self):
        self.analyzers = {"it": italian_analyzer(), "ru": russian_analyzer()}
        self.seen: set[tuple[str, str]] = set()
        self.single = {"it": Counter(), "ru": Counter()}
        self.pairs: Counter = Counter()
        self.forms = {"it": {}, "ru": {}}       # stem -> Counter of the words written

    def stems(self, text: str, lang: str) -> set[str]:
        found = set()
        for word in WORDS.findall(text):
            for token in self.analyzers[lang](word):
                stem = token.text
                if len(stem) >= MIN_STEM and not stem.isdigit():
                    found.add(stem)
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
        self.single["it"].update(it)
        self.single["ru"].update(ru)
        self.pairs.update((a, b) for a in it for b in ru)

    def table(self) -> dict:
        """{"it": {stem: [[ru stem, word, dice], ...]}, "ru": {...}, "paragraphs": n}."""
        scored = {"it": {}, "ru": {}}
        for (it, ru), both in self.pairs.items():
            if both < MIN_PAIRS:
                continue
            dice = 2 * both / (self.single["it"][it] + self.single["ru"][ru])
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


def draft_texts(ws: Workspace, public: bool, public_references: set[str]) -> Iterable[tuple[list[str], list[str]]]:
    """The parallel paragraphs of each draft in the register (each .docx once); ``public``: only those of
    public documents (their reference archived as public, the register's level public or unrecorded)."""
    done = set()
    for entry in entries(ws):
        if public and (entry.reference not in public_references or
                       (entry.confidentiality and not is_public(Level(entry.confidentiality)))):
            continue
        path = ws.home / entry.file
        if entry.file in done or not path.is_file():
            continue
        done.add(entry.file)
        try:
            texts = text_by_language(path)
        except Exception:  # noqa: BLE001 - a damaged or hand-edited .docx teaches nothing; the others still do
            continue
        yield texts["it"], texts["ru"]


def write_tables(ws: Workspace, folder: Path, records) -> dict:
    """Learn both tables (every draft; drafts of public documents) and write them into the index ``folder``."""
    public_references = {record.reference for record in records
                         if record.reference and is_public(record.confidentiality)}
    sizes = {}
    for public in (False, True):
        table = learn(draft_texts(ws, public, public_references))
        atomic_write_text(table_path(folder, public), json.dumps(table, ensure_ascii=False, sort_keys=True))
        sizes["visitors" if public else "staff"] = len(table["it"])
    return sizes


def read_table(folder: Path, public: bool) -> dict:
    """The table beside the index (empty when missing: an index built before it, or drafts never made)."""
    try:
        return json.loads(table_path(folder, public).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"it": {}, "ru": {}}
