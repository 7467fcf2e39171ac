"""The sections of an archived text: a Protocol's next session, its thematic tables, projects and annex; an
agreement's Articles. The archived text is a PDF's text, not the .docx: headings are found in its lines, in
each language apart (a bilingual text has its languages on alternating lines, or side by side on one line
read across the two columns: each line is split into its runs of one script first, as the comparison with
the drafts does).

A section is (title, language, body); the text before the first heading is no section. The index keeps the
titles (``section:`` in queries), a snippet names the section its words come from, the document page lists
them with anchors."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ..cache import memo_table

# A run of one script: letters of it with the digits, spaces and punctuation after them (readable.py's runs)
_LATIN = "A-Za-zÀ-ÖØ-öø-ɏ"
_CYRILLIC = "Ѐ-ӿ"
RUNS = re.compile(rf"(?:[^{_LATIN}{_CYRILLIC}]*[{_LATIN}][^{_CYRILLIC}]*)|"
                  rf"(?:[^{_LATIN}{_CYRILLIC}]*[{_CYRILLIC}][^{_LATIN}]*)")
HEADINGS = {
    "it": re.compile(r"^(?:(?:Articolo|Art\.)\s+\d{1,3}\b.{0,70}"
                     r"|\d{1,2}\.\s+Tavolo tematico\b.{0,90}"
                     r"|Prossima sessione|Progetti presentati|Accordi sottoscritti|Premesse"
                     r"|Allegato\b.{0,90})$"),
    "ru": re.compile(r"^(?:Статья\s+\d{1,3}\b.{0,70}"
                     r"|\d{1,2}\.\s+Тематический круглый стол\b.{0,90}"
                     r"|Следующее заседание|Представленные проекты|Подписанные соглашения"
                     r"|Приложение\b.{0,90})$"),
}
MAX_HEADING = 110
_HAS_LATIN = re.compile(f"[{_LATIN}]")
_HAS_CYRILLIC = re.compile(f"[{_CYRILLIC}]")


@dataclass(frozen=True)
class Section:
    title: str
    lang: str
    body: str          # its lines in its language, as the text has them (one line a line)


def script_of(text: str) -> str | None:
    if _HAS_CYRILLIC.search(text):
        return "ru"
    return "it" if _HAS_LATIN.search(text) else None


def lines_in(text: str, lang: str) -> list[str]:
    """The lines and the parts of lines of ``text`` in ``lang``'s script, one part a line."""
    kept = []
    for line in text.splitlines():
        if not (_HAS_LATIN.search(line) and _HAS_CYRILLIC.search(line)):   # one script (most lines): whole
            if script_of(line) == lang:
                line = " ".join(line.split())
                if line:
                    kept.append(line)
            continue
        for run in RUNS.findall(line):
            run = " ".join(run.split())
            if run and script_of(run) == lang:
                kept.append(run)
    return kept


def heading_of(line: str, lang: str) -> str | None:
    """The heading ``line`` is (spaces made single), or None."""
    line = " ".join(line.split()).strip(" :")
    if len(line) > MAX_HEADING:
        return None
    return line if HEADINGS[lang].match(line) else None


def _continues(heading: str, line: str) -> bool:
    """Whether ``line`` is the rest of ``heading``, which the layout wrapped: a quotation left open
    ("3. Тематический круглый стол «Дом" / "и интерьер»"), or a short line in lower case after a heading
    without a closing mark ("Allegato. Accordi e memorandum d’intesa" / "sottoscritti nel corso della sessione"),
    or the quoted name of a table on the next line ("1. Тематический круглый стол" / "«Машиностроение…»")."""
    if heading.count("«") > heading.count("»") or (line.startswith("«") and "«" not in heading):
        return True
    return bool(line) and line[0].islower() and len(line) <= 60 and not heading.endswith((".", ":", ";", "»"))


def headed_lines(lines: list[str], lang: str):
    """(heading, None) for each heading of ``lines`` (its wrapped rest joined to it), (None, line) for the
    others."""
    pending = None
    for line in lines:
        if pending is not None:
            if _continues(pending, line) and len(pending) + len(line) < MAX_HEADING:
                pending = f"{pending} {line}"
                continue
            yield pending, None
            pending = None
        heading = heading_of(line, lang)
        if heading:
            pending = heading
        else:
            yield None, line
    if pending is not None:
        yield pending, None


# a word every heading starts with: a text without any has no section (most letters), checked at once
HEADING_WORDS = re.compile(r"Articolo|Art\.|Tavolo tematico|Prossima sessione|Progetti presentati|Accordi sottoscritti"
                           r"|Premesse|Allegato|Статья|круглый стол|Следующее заседание|Представленные проекты"
                           r"|Подписанные соглашения|Приложение")


_FOUND: dict = memo_table()       # digest of a text -> its sections (a page of hits meets the same texts again)
FOUND_LIMIT = 5000


def find_sections(text: str, languages=("it", "ru")) -> list[Section]:
    """Every section of ``text`` in each language, in the text's order within each language."""
    if not HEADING_WORDS.search(text):
        return []
    key = (hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest(), tuple(languages))
    found = _FOUND.get(key)
    if found is None:
        if len(_FOUND) >= FOUND_LIMIT:
            _FOUND.clear()
        found = _FOUND[key] = _find_sections(text, languages)
    return list(found)


def _find_sections(text: str, languages) -> list[Section]:
    sections = []
    for lang in languages:
        title, body = None, []
        for heading, line in headed_lines(lines_in(text, lang), lang):
            if heading:
                if title:
                    sections.append(Section(title, lang, "\n".join(body)))
                title, body = heading, []
            elif title:
                body.append(line)
        if title:
            sections.append(Section(title, lang, "\n".join(body)))
    return sections


def section_titles(text: str) -> list[str]:
    """The titles of the sections of ``text`` (each once): what ``section:`` in a query matches."""
    return list(dict.fromkeys(section.title for section in find_sections(text)))
