"""The text of a signed bilingual PDF, made comparable with its draft: cleaned, split by language, normalised.

What a PDF changes and a signature does not is taken out before anything is compared:

* running footers and headers: the draft footer ``TF25-AGR-003 · v2 · BOZZA / ПРОЕКТ · 1`` (in any form
  OCR gives it), bare page numbers and "Pagina 1 di 3" / "Стр. 1 из 3" at a page's edges, and lines that
  repeat at the same edge of most pages of a longer document;
* the draft mark BOZZA / ПРОЕКТ (its presence is reported, see :func:`find_draft_mark`);
* the two columns: pypdf (and tesseract) read LibreOffice's bilingual table cell by cell, so every line
  belongs to one language; a line goes to Italian or Russian by the script of most of its letters, a line
  without letters (a number, a dash) to the language of the line before it;
* within the text: Unicode compatibility forms (NFKC: the ligatures ﬁ ﬂ, no-break spaces), soft hyphens,
  every quote style (« » “ ” „ → "), every apostrophe (’ ‘ → '), letter case, and spacing (a justified
  line's wide gaps, a space before punctuation, around a dash);
* hyphens and dashes, which a layout moves: a hyphen between two letters joins a compound word
  (``italo-russa``), so that it and the word broken there at a line end compare alike; a line that ends in
  a hyphen after a letter, before a line that begins with one, is a word hyphenated by the layout; every
  other hyphen or dash (– — − ‒, and a hyphen between digits: ``10–12``, ``10-12``) is a mark of its own,
  so that a range broken after its dash (``10–`` / ``12 maggio``, as LibreOffice breaks) is the same words;
* for OCR also punctuation and the Latin/Cyrillic look-alike letters (о/o, р/p, г/r, 0/o …), which
  tesseract confuses; a line whose letters could be of either script (``2015 r.);``, the ``г.`` read as a
  Latin ``r``) has no script of its own: it goes where the draft has it, else with its neighbours.

A line keeps its page and position; keys are lists of tokens (words and punctuation marks).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

QUOTES = dict.fromkeys(map(ord, "«»“”„‟〝〞＂‹›"), '"') | dict.fromkeys(map(ord, "’‘‚‛`´′＇"), "'")
HYPHENS = dict.fromkeys(map(ord, "‐‑"), "-")                     # the hyphen of a compound word
DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−﹘﹣－"), "-")             # every hyphen and dash, as a reader sees it
RANGE_DASHES = dict.fromkeys(map(ord, "‒–—―−﹘﹣－"), " - ")        # a dash: a mark of its own, spaced
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
# letters tesseract reads in the other script (and 0 for o), folded to one form for OCR comparison only
LOOKALIKES = str.maketrans("авеёкмнорстухгпі0", "abeekmhopctyxrnio")
REFERENCE_CODE = r"TF\s?\d{1,3}\s?-\s?(?:PROT|AGR|MOU)(?:\s?-\s?\d{3})?"
# the footer our templates print: REF · vN[ · mark][ · page]; OCR reads "·" as "-", "." or "»", "v1" as "vl",
# and may join the footer to the last line of the body ("Direttore generale TF25-MOU-001 - vl - 2")
FOOTER_TAIL = (rf"(?P<reference>{REFERENCE_CODE})\s*\S{{0,2}}\s*[vV]\s?(?P<version>[0-9lIi|]{{1,3}})(?![\w/]|-[^\d\s])"
               rf"[^\n]{{0,40}}$")
FOOTER = re.compile(rf"^\W*{FOOTER_TAIL}")
# at a page's edge, a footer whose code OCR garbled too ("ТЕ!-АСВ-001 - vl - 2")
OCR_FOOTER = re.compile(r"^\S{2,8}-\S{2,4}(?:-\S{1,4})?\s+\S{0,2}\s*[vV][0-9lIi|!]{1,3}\b.{0,30}$")
FOOTER_AT_END = re.compile(rf"\s{FOOTER_TAIL}")
# at a page's edge, a line that is a reference code and a short tail OCR garbled ("TF13-AGR-001- \1.4")
EDGE_REFERENCE = re.compile(rf"^\W*{REFERENCE_CODE}(?:[^\w\n]\S{{0,5}}){{0,6}}\s*$")
DRAFT_MARK = re.compile(r"BOZZA\s*/\s*ПРОЕКТ|ПРОЕКТ\s*/\s*BOZZA|\bBOZZA\b")
MARK_ONLY = re.compile(r"^\W*(?:BOZZA|ПРОЕКТ)(?:\s*/\s*(?:BOZZA|ПРОЕКТ))?\W*$")
# a page number: "2", "- 2 -", "2/5", "Pagina 2 di 5", "Стр. 2 из 5"; it must be the page's own number
PAGE_NUMBER = re.compile(r"^[\s\-–—]*(?:(?:pag(?:ina|\.)?|page|p\.|стр(?:аница|\.)?|с\.)\s*)?(?P<number>\d{1,4})"
                         r"(?:\s*(?:/|di|of|из)\s*\d{1,4})?[\s\-–—.]*$", re.IGNORECASE)
LEADERS = re.compile(r"[_.…\-=*]{3,}")       # underscores or dots to write on, inside a line
TOKEN = re.compile(r"[^\W_]+|[^\w\s]")
WORD = re.compile(r"[^\W_]+")
LETTER = r"[^\W\d_]"
INNER_HYPHEN = re.compile(rf"(?<={LETTER})-(?={LETTER})")
LINE_END_HYPHEN = re.compile(rf"(?<={LETTER})[-\u00ad\u2010\u2011]\s*$")
# the letters script_of counts, as character classes: a line without one of each cannot hold two runs
LATIN_LETTER = re.compile("[" + "".join(re.escape(chr(c)) for c in range(0x250) if chr(c).isalpha()) + "]")
CYRILLIC_LETTER = re.compile("[" + "".join(re.escape(chr(c)) for c in range(0x400, 0x530) if chr(c).isalpha()) + "]")
EDGE_LINES = 2   # how many lines at the top and bottom of a page may be a header, footer or page number


@dataclass
class Line:
    text: str
    page: int          # 0-based


def script_of(text: str) -> str | None:
    """"ru" when most letters are Cyrillic, "it" when most are Latin, None without letters."""
    latin = cyrillic = 0
    for char in text:
        if char.isalpha():
            if "\u0400" <= char <= "\u052f":
                cyrillic += 1
            elif char < "\u0250":
                latin += 1
    if not latin and not cyrillic:
        return None
    return "ru" if cyrillic > latin else "it"


def readable(text: str) -> str:
    """The text for a reader of a redline: NFKC, no invisible characters, single spaces; its own quotes."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(INVISIBLE).split())


def plain(text: str) -> str:
    """The text as a reader sees it: NFKC, one quote and dash style, no invisible characters, single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(INVISIBLE).translate(QUOTES).translate(DASHES)
    return " ".join(text.split())


def tokens(text: str, ocr: bool = False) -> list[str]:
    """The comparison key of a text: its words and punctuation marks, normalised (see the module's doc)."""
    text = unicodedata.normalize("NFKC", text).translate(INVISIBLE).translate(QUOTES).translate(HYPHENS)
    text = LEADERS.sub(" ", INNER_HYPHEN.sub("", text).translate(RANGE_DASHES)).casefold()
    if ocr:
        return [word.translate(LOOKALIKES) for word in WORD.findall(text)]
    return TOKEN.findall(text)


def find_draft_mark(pages: list[str]) -> str | None:
    """The draft mark (BOZZA / ПРОЕКТ) as the PDF prints it, or None."""
    for page in pages:
        match = DRAFT_MARK.search(unicodedata.normalize("NFKC", page))
        if match:
            return match.group(0)
    return None


def _ocr_number(text: str) -> int:
    return int(text.translate(str.maketrans("lIi|", "1111")))


def footer_versions(pages: list[str]) -> list[tuple[str, int]]:
    """(reference, version) of every draft-style footer line, in page order."""
    found = []
    for page in pages:
        for line in page.splitlines():
            line = unicodedata.normalize("NFKC", line).strip()
            match = FOOTER.match(line) or FOOTER_AT_END.search(line)
            if match:
                found.append((re.sub(r"\s", "", match["reference"]), _ocr_number(match["version"])))
    return found


def clean_lines(pages: list[str]) -> tuple[list[Line], list[str]]:
    """The body lines of the pages, in reading order, without footers, headers, page numbers and the draft
    mark; and the lines taken out (for the record)."""
    per_page = [[line.strip() for line in unicodedata.normalize("NFKC", page).splitlines() if line.strip()]
                for page in pages]
    repeated = _running_lines(per_page)
    kept, removed = [], []
    for number, lines in enumerate(per_page):
        for index, line in enumerate(lines):
            at_edge = index < EDGE_LINES or index >= len(lines) - EDGE_LINES
            tail = FOOTER_AT_END.search(line) if at_edge and not FOOTER.match(line) else None
            if tail:    # OCR joined the footer to the body's last line
                removed.append(line[tail.start():].strip())
                line = line[:tail.start()].rstrip()
            number_line = PAGE_NUMBER.match(line)
            if (FOOTER.match(line) or MARK_ONLY.match(line) and (at_edge or "BOZZA" in line)
                    or at_edge and (OCR_FOOTER.match(line) or EDGE_REFERENCE.match(line) or number_line and int(number_line["number"]) == number + 1
                                    or _shape(line) in repeated)):
                removed.append(line)
            else:
                kept.append(Line(line, number))
    return kept, removed


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", line.casefold())


def _running_lines(per_page: list[list[str]]) -> set[str]:
    """Lines (digits ignored) at the edge of most pages of a document of three pages or more."""
    if len(per_page) < 3:
        return set()
    counts: dict[str, int] = {}
    for lines in per_page:
        for shape in {_shape(line) for line in lines[:EDGE_LINES] + lines[-EDGE_LINES:] if script_of(line)}:
            counts[shape] = counts.get(shape, 0) + 1
    return {shape for shape, count in counts.items() if count >= max(3, 0.6 * len(per_page))}


def split_languages(lines: list[Line], draft: dict[str, list[str]] | None = None,
                    ocr: bool = False) -> dict[str, list[Line]]:
    """The lines of each column, by the script of their letters.

    A line without letters (``2014.``, ``(3)``) goes with its neighbours when they agree; between the two
    columns, with the line after it when it opens a page or follows a finished sentence (the start of the
    next cell), else with the line before it (the tail of that line's paragraph).

    A line of two runs, one in each script, is two columns that pypdf read as one line (the first line of
    a table row continued on a new page): it is cut in two, unless the whole line is in the ``draft``'s
    paragraphs of one language, which it then goes to (a Latin name inside Russian text)."""
    drafted = {lang: " " + " ".join(" ".join(tokens(p, ocr)) for p in texts) + " "
               for lang, texts in (draft or {}).items()}
    pieces: list[tuple[Line, str | None]] = []
    for line in lines:
        runs = _two_runs(line.text)
        if runs:
            key = tokens(LINE_END_HYPHEN.sub("", line.text), ocr)[:-1 if LINE_END_HYPHEN.search(line.text) else None]
            whole = [lang for lang, text in drafted.items() if f" {' '.join(key)} " in text]
            if whole:
                pieces.append((line, whole[0]))
            else:
                pieces += [(Line(text, line.page), language) for language, text in runs]
        else:
            pieces.append((line, _line_language(line.text, drafted, ocr)))
    if ocr and drafted:
        pieces = _continuations(pieces, drafted, ocr)
    by_language: dict[str, list[Line]] = {"it": [], "ru": []}
    previous = None
    for index, (line, language) in enumerate(pieces):
        if language is None:
            following = next((lang for _, lang in pieces[index + 1:] if lang), None)
            opens_page = index == 0 or pieces[index - 1][0].page != line.page
            after_sentence = index > 0 and pieces[index - 1][0].text.rstrip()[-1:] in ".;:!?"
            language = (following if previous is None or previous == following
                        or following and (opens_page or after_sentence) else previous) or "it"
        else:
            previous = language
        by_language[language].append(line)
    return by_language


LOOKALIKE_LETTERS = set("ABEKMHOPCTXaeopcyxАВЕКМНОРСТХаеорсух")
# letters OCR reads in either script: every letter of LOOKALIKES, both sides, in both cases
OCR_LOOKALIKE_LETTERS = set("авеёкмнорстухгпіabekmhopctyxrni") | set("авеёкмнорстухгпіabekmhopctyxrni".upper())


def _continuations(pieces: list[tuple[Line, str | None]], drafted: dict[str, str],
                   ocr: bool) -> list[tuple[Line, str | None]]:
    """In OCR text, a line after a word broken at a line end (``соглаше-``) is that word's rest, in the same
    column: when tesseract read it in the other script (``ниями.`` as ``HUSMH.``) and the draft of that
    other language does not have it, it goes with the line before it."""
    result = list(pieces)
    for index in range(1, len(result)):
        (before, language_before), (line, language) = result[index - 1], result[index]
        if (language and language_before and language != language_before and before.page == line.page
                and LINE_END_HYPHEN.search(before.text)):
            key = " ".join(tokens(line.text, ocr))
            if key and f" {key} " not in drafted.get(language, ""):
                result[index] = (line, language_before)
    return result


def _line_language(text: str, drafted: dict[str, str], ocr: bool) -> str | None:
    """The language of a line of one script. In OCR text, a line whose letters could all be either script
    (``2015 r.);``: tesseract read the Russian ``г.`` as a Latin ``r``) has none of its own: the draft's
    language whose text holds it, when only one does, else None (it goes with its neighbours)."""
    language = script_of(text)
    if not ocr or language is None or any(c.isalpha() and c not in OCR_LOOKALIKE_LETTERS for c in text):
        return language
    key = " ".join(tokens(text, ocr))
    holding = [lang for lang, drafted_text in drafted.items() if key and f" {key} " in drafted_text]
    return holding[0] if len(holding) == 1 else None
MIN_RUN_LETTERS = 5


def _word_script(word: str) -> str | None:
    """A word's script; None without letters, for a code with digits (TF25-MOU-001), or when every letter
    looks alike in both scripts (О/O, Ha/На)."""
    if any(char.isdigit() for char in word) or all(char in LOOKALIKE_LETTERS for char in word if char.isalpha()):
        return None
    return script_of(word)


def _two_runs(text: str) -> list[tuple[str, str]] | None:
    """[(language, text), (language, text)] when the line is one run of each script, each of at least
    MIN_RUN_LETTERS letters; words without a clear script go with the run before them."""
    if not (CYRILLIC_LETTER.search(text) and LATIN_LETTER.search(text)):
        return None   # most lines: one script only (the same answer, without a look at each word)
    runs: list[list] = []
    for word in text.split():
        script = _word_script(word)
        if runs and (script is None or script == runs[-1][0]):
            runs[-1][1].append(word)
        elif script is None:
            runs.append([None, [word]])
        elif runs and runs[-1][0] is None:
            runs[-1][0] = script
            runs[-1][1].append(word)
        else:
            runs.append([script, [word]])
    if len(runs) != 2 or any(sum(c.isalpha() for w in words for c in w) < MIN_RUN_LETTERS for _, words in runs):
        return None
    return [(script, " ".join(words)) for script, words in runs]


@dataclass
class Stream:
    """One language of the signed text as a token sequence. ``starts[k]`` is the token where line k begins;
    ``joined[k]`` says line k ends in a hyphen that joins its last word to the next line's first."""

    lines: list[Line]
    tokens: list[str]
    starts: list[int]
    joined: list[bool]

    def breaks(self) -> list[int]:
        """Token positions where a paragraph may end: every line end that does not split a word."""
        return sorted({self.starts[k + 1] for k in range(len(self.lines) - 1) if not self.joined[k]}
                      - {0, len(self.tokens)})

    def sentence_ends(self) -> set[int]:
        """Token positions after a line that ends a sentence, when the next line begins one."""
        ends = set()
        for k in range(len(self.lines) - 1):
            following = self.lines[k + 1].text.lstrip()
            if (not self.joined[k] and self.lines[k].text.rstrip()[-1:] in ".;:!?"
                    and (following[:1].isupper() or following[:1].isdigit() or following[:1] in "-–—•")):
                ends.add(self.starts[k + 1])
        return ends


def make_stream(lines: list[Line], ocr: bool = False) -> Stream:
    stream = Stream(lines=list(lines), tokens=[], starts=[], joined=[])
    for k, line in enumerate(stream.lines):
        text = line.text
        following = stream.lines[k + 1].text.lstrip() if k + 1 < len(stream.lines) else ""
        joins = bool(LINE_END_HYPHEN.search(text)) and following[:1].isalpha()
        if joins:
            text = LINE_END_HYPHEN.sub("", text)
        words = tokens(text, ocr)
        if k and stream.joined[k - 1] and words and stream.tokens:
            stream.tokens[-1] += words.pop(0)
        stream.starts.append(len(stream.tokens))
        stream.tokens.extend(words)
        stream.joined.append(joins)
    return stream


def display_text(lines: list[Line], hyphenated: set[str]) -> str:
    """Lines joined into one paragraph for a redline. A hyphen at a line end stays when the draft has that
    hyphenated word (``italo-russa``), and goes when it only broke the word."""
    text = ""
    for line in lines:
        piece = readable(line.text)
        if not text:
            text = piece
        elif text.endswith("-") and text[-2:-1].isalpha() and piece[:1].isalpha():
            head = re.search(r"(\w+)-$", text)
            tail = re.match(r"\w+", piece)
            word = f"{head.group(1)}-{tail.group(0)}".casefold() if head and tail else ""
            text = (text if word in hyphenated else text[:-1]) + piece
        else:
            text = f"{text} {piece}"
    return text


def hyphenated_words(paragraphs: list[str]) -> set[str]:
    return {match.group(0).casefold() for paragraph in paragraphs
            for match in re.finditer(r"\w+-\w+", readable(paragraph))}
