"""Compare a signed PDF's text with a version of its draft: is what was signed what was approved?

The signed side is the PDF's page text (its text layer, or OCR of a scan); the draft side is a version's
.docx from the drafts register, read paragraph by paragraph and per language (:func:`text_by_language`).
Both are normalised (:mod:`.signedtext`), then compared per language in three steps:

1. **Compare the words.** The signed text of one language is a stream of lines; the draft a list of
   paragraphs. Their token sequences (words and marks in reading order: line ends, hyphenation and the
   spacing around dashes are gone, :func:`.signedtext.tokens`) are compared first: the same sequence is the
   same text, whatever the layout. Otherwise they are aligned (:mod:`.align`: difflib's opcodes, anchored
   on the words found once on each side), and the changes located in paragraphs:
2. **Rebuild the signed paragraphs.** A PDF keeps no paragraph marks, only line ends, and a paragraph
   always ends at a line end. A line end becomes a paragraph end where the alignment maps it onto the start
   of a draft paragraph (inside an edited passage, by proportion); inside text the draft does not have, a
   line that ends a sentence before one that begins another ends a paragraph. An identical document is so
   cut exactly as its draft.
3. **Compare paragraphs.** difflib on the paragraphs' keys; what is left unequal is aligned once more,
   letting one paragraph match two (a paragraph cut in two, or OCR that moved a line), and reported as
   changed, added or removed paragraphs with a redline in the format of ``taskforce draft diff``
   (``~`` a changed paragraph with its changed words marked, :mod:`.words`; ``-`` only in the draft, ``+``
   only in the signed text).

Text-layer paragraphs must be equal after normalisation. OCR paragraphs count as equal when their
similarity is at least ``tolerance`` (0.9): the greater of difflib's ratio over the characters and the
overlap of their words (tesseract reads a justified line's words out of order), so a scan of the same text
compares as identical "within the tolerance", and the result says so in ``method``.

Which draft: the newest **final** version of the reference in the drafts register, else its newest
version (and the result says which and why), or the version asked for; of that version, the layout the
signed copy is (Italian first or Russian first, :func:`.drafts.layout_files`): the one it matches, else the one
with the fewest differences.
"""
from __future__ import annotations

import bisect
import difflib
import zipfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from docx.opc.exceptions import PackageNotFoundError

from ..cache import ContentCache, content_key
from ..drafting.docx import text_by_language
from ..errors import NotFoundError, ValidationError
from ..vocab import LANGUAGES
from ..workspace import Workspace
from . import align, signedtext
from .drafts import choose_version, find_reference, layout_files
from .signedtext import Line, find_draft_mark, footer_versions
from .words import marked, paired, shorten

LANGUAGE_LABELS = {"it": "italiano", "ru": "русский"}
TOLERANCE = 0.9
MAX_FUZZY_CELLS = 2_500   # a larger unequal block is reported as changed without a paragraph-by-paragraph match
DRAFTS_KEPT = 64          # drafts' paragraphs kept per process by read_draft, newest used last
_DRAFTS = ContentCache("compare.draft_paragraphs", DRAFTS_KEPT,
                       copy=lambda texts: {code: list(paragraphs) for code, paragraphs in texts.items()})


@dataclass
class LanguageComparison:
    """One language: counts of paragraphs, and the changes as ``draft diff`` gives them:
    ``{"op": changed|added|removed, "after": draft paragraph before it or None, "old": [draft], "new": [signed],
    "words": [segments of each draft/signed pair, :func:`.words.paired`]}``."""

    language: str
    changed: int = 0
    added: int = 0
    removed: int = 0
    draft_paragraphs: int = 0
    signed_paragraphs: int = 0
    tolerated: int = 0     # paragraphs equal only within the OCR tolerance
    changes: list[dict] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not self.changes

    def counts(self) -> dict:
        return {"changed": self.changed, "added": self.added, "removed": self.removed}


@dataclass
class Comparison:
    reference: str
    version: int
    state: str                 # the compared version's state: "final" or "draft"
    version_choice: str        # why this version: "newest final version", …
    method: str                # "text layer" or "OCR (similarity ≥ 0.90)"
    identical: bool
    languages: dict[str, LanguageComparison]
    draft_mark: str | None = None
    warnings: list[str] = field(default_factory=list)
    draft_file: str = ""

    def differing_paragraphs(self) -> int:
        return sum(lang.changed + lang.added + lang.removed for lang in self.languages.values())

    def summary(self) -> dict:
        """What the archive keeps in a sidecar: no text, only what was compared and the counts."""
        return {"reference": self.reference, "version": self.version, "state": self.state,
                "version_choice": self.version_choice, "method": self.method, "identical": self.identical,
                "languages": {code: lang.counts() for code, lang in self.languages.items()},
                "draft_mark": self.draft_mark}

    def as_dict(self) -> dict:
        data = asdict(self)
        for code, lang in self.languages.items():
            data["languages"][code]["identical"] = lang.identical
        return data

    def verdict(self) -> str:
        """One line: "matches final draft v3" / "differs from final draft v3 in 2 paragraphs"."""
        return verdict(self.summary())

    def redline(self) -> list[str]:
        """The redline as ``taskforce draft diff`` prints it, Italian then Russian."""
        lines = [f"{self.reference}: {draft_label(self.state, self.version)} → signed text ({self.method})"]
        if self.identical:
            lines.append("No differences in the text.")
        for code in LANGUAGES:
            lang = self.languages[code]
            if not lang.changes:
                continue
            lines.append(f"=== {LANGUAGE_LABELS[code]}")
            for change in lang.changes:
                lines += redline_lines(change)
        return lines


def redline_lines(change: dict) -> list[str]:
    """One change of a redline in a terminal: ``@@ after:`` the draft paragraph before it; ``~`` a changed
    paragraph with its changed words marked ``[-draft-]{+signed+}``; ``-`` a paragraph only in the draft,
    ``+`` one only in the signed text (the format of ``taskforce draft diff`` too)."""
    lines = [f"@@ after: {shorten(change['after'])}"] if change["after"] else []
    pairs, removed, added = paired(change)
    return (lines + [f"~ {marked(segments)}" for segments in pairs]
            + [f"- {text}" for text in removed] + [f"+ {text}" for text in added])


def draft_label(state: str, version: int) -> str:
    return f"{'final ' if state == 'final' else ''}draft v{version}"


def verdict(summary: dict | None) -> str | None:
    """The one-line verdict of a comparison's summary (as a sidecar keeps it); None without one."""
    if not summary:
        return None
    label = draft_label(summary["state"], summary["version"])
    if summary["identical"]:
        return f"matches {label}" + (" (within the OCR tolerance)" if summary["method"] != "text layer" else "")
    count = sum(sum(counts.values()) for counts in summary["languages"].values())
    return f"differs from {label} in {count} paragraph{'s' if count != 1 else ''}"


def compare_signed(ws: Workspace, pages: list[str], page_sources: list[str] | None = None,
                   reference: str | None = None, version: int | None = None,
                   tolerance: float = TOLERANCE) -> Comparison:
    """Compare a signed PDF's page texts with a version of its draft (see the module's doc).

    ``page_sources`` are :class:`PdfContent`'s ("text", "ocr", "none"): any OCR page makes the comparison
    tolerant. Without ``reference``, the one in the text is used."""
    reference = reference or find_reference(ws, pages)
    if reference is None:
        raise NotFoundError("the signed text carries no reference code that the drafts register knows "
                            "(such as TF25-AGR-001): give one to compare with")
    entry, why = choose_version(ws, reference, version)
    ocr = any(source == "ocr" for source in page_sources or [])
    result, draft_file = None, None
    for file in layout_files(entry):
        path = ws.home / file
        if not path.is_file():
            if file == entry.file:
                raise NotFoundError(f"{path} (version {entry.version} of {reference}) is missing from the "
                                    f"drafts folder")
            continue
        candidate = compare_texts(pages, read_draft(path), ocr=ocr, tolerance=tolerance)
        if result is None or candidate.differing_paragraphs() < result.differing_paragraphs():
            result, draft_file = candidate, file
        if result.identical:
            break
    result.reference, result.version, result.state = reference, entry.version, entry.state
    result.version_choice, result.draft_file = why, draft_file
    if result.state != "final" and version is None:
        result.warnings.append(f"{reference} has no final version in the drafts register: compared with "
                               f"draft v{entry.version}")
    printed = {v for ref, v in footer_versions(pages) if ref == reference}
    if printed and entry.version not in printed:
        result.warnings.append(f"the PDF's footer names {reference} v{', v'.join(map(str, sorted(printed)))}; "
                               f"compared with v{entry.version} ({why})")
    return result


# --- comparing --------------------------------------------------------------------------------------------
def compare_texts(pages: list[str], draft: dict[str, list[str]], ocr: bool = False,
                  tolerance: float = TOLERANCE) -> Comparison:
    """Compare page texts with a draft's paragraphs per language (``text_by_language``'s shape)."""
    if not any(page.strip() for page in pages):
        raise ValidationError("the PDF has no text to compare (a scan read without OCR?)")
    if not 0 < tolerance <= 1:
        raise ValidationError(f"the tolerance must be above 0 and at most 1, not {tolerance}")
    lines, _ = signedtext.clean_lines(pages)
    columns = signedtext.split_languages(lines, draft, ocr)
    mark = find_draft_mark(pages)
    warnings = []
    if mark:
        warnings.append(f"the PDF still carries the draft mark '{mark}': a draft archived as if it were signed?")
    languages = {}
    for code in LANGUAGES:
        paragraphs = list(draft.get(code, []))
        languages[code] = compare_language(code, columns[code], paragraphs, ocr, tolerance)
        if paragraphs and not columns[code]:
            warnings.append(f"the PDF has no {LANGUAGE_LABELS[code]} text")
    method = f"OCR (similarity ≥ {tolerance:.2f})" if ocr else "text layer"
    return Comparison(reference="", version=0, state="", version_choice="", method=method,
                      identical=all(lang.identical for lang in languages.values()), languages=languages,
                      draft_mark=mark, warnings=warnings)


def compare_language(code: str, lines: list[Line], paragraphs: list[str], ocr: bool,
                     tolerance: float) -> LanguageComparison:
    draft_keys = [signedtext.tokens(p, ocr) for p in paragraphs]
    kept = [(p, k) for p, k in zip(paragraphs, draft_keys) if k]
    paragraphs, draft_keys = [p for p, _ in kept], [k for _, k in kept]
    stream = signedtext.make_stream(lines, ocr)
    if [token for key in draft_keys for token in key] == stream.tokens:
        # the same words in the same order: whatever the layout did with lines, the text is the approved one
        return LanguageComparison(code, draft_paragraphs=len(paragraphs), signed_paragraphs=len(paragraphs))
    groups = _signed_paragraphs(stream, draft_keys)
    hyphenated = signedtext.hyphenated_words(paragraphs)
    signed = [(signedtext.display_text(group_lines, hyphenated), stream.tokens[t0:t1]) for t0, t1, group_lines in groups]
    signed = [(text, key) for text, key in signed if key]
    result = LanguageComparison(code, draft_paragraphs=len(paragraphs), signed_paragraphs=len(signed))
    old_keys = [" ".join(k) for k in draft_keys]
    new_keys = [" ".join(k) for _, k in signed]
    same = _Similar(ocr, tolerance)
    pairs: list[tuple[list[int], list[int]]] = []     # matched (draft indexes, signed indexes), in order
    for op, a1, a2, b1, b2 in align.opcodes(old_keys, new_keys):
        if op == "equal":
            pairs += [([a1 + i], [b1 + i]) for i in range(a2 - a1)]
        else:
            pairs += _fuzzy_pairs(old_keys, new_keys, a1, a2, b1, b2, same)
    result.tolerated = sum(1 for a, b in pairs if " ".join(old_keys[i] for i in a) != " ".join(new_keys[j] for j in b))
    moved_old, moved_new = _moved(old_keys, new_keys, pairs, same) if ocr else (set(), set())
    result.tolerated += len(moved_old)
    if ocr:
        displaced = _displaced(old_keys, new_keys, pairs, moved_new)
        moved_new |= displaced
        result.tolerated += len(displaced)
    _report(result, paragraphs, [text for text, _ in signed], pairs, moved_old, moved_new)
    return result


class _Similar:
    """Paragraph equality: exact keys for a text layer; similarity ≥ tolerance for OCR."""

    def __init__(self, ocr: bool, tolerance: float):
        self.ocr, self.tolerance = ocr, tolerance

    def __call__(self, a: str, b: str) -> bool:
        if a == b:
            return True
        if not self.ocr or min(len(a), len(b)) < self.tolerance * max(len(a), len(b)):
            return False
        words_a, words_b = Counter(a.split()), Counter(b.split())
        overlap = 2 * sum((words_a & words_b).values()) / (sum(words_a.values()) + sum(words_b.values()))
        if overlap >= self.tolerance:
            return True
        matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
        return matcher.real_quick_ratio() >= self.tolerance and matcher.quick_ratio() >= self.tolerance \
            and matcher.ratio() >= self.tolerance


def _fuzzy_pairs(old: list[str], new: list[str], a1: int, a2: int, b1: int, b2: int, same) -> list:
    """Match the paragraphs of an unequal block: 1:1 by similarity, or one paragraph with two joined (a
    paragraph cut in two, or OCR that moved a line); the best-covering monotone matching."""
    n, m = a2 - a1, b2 - b1
    if n == 0 or m == 0 or n * m > MAX_FUZZY_CELLS:
        return []
    # score[i][j]: best score for old[a1+i:] against new[b1+j:]; a 1:1 match outweighs a merge
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    step: dict[tuple[int, int], tuple[int, int]] = {}
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best, move = max((score[i + 1][j], (1, 0)), (score[i][j + 1], (0, 1)))
            options = [(1, 1, 2.0), (1, 2, 1.9), (2, 1, 1.9)]
            for di, dj, gain in options:
                if i + di > n or j + dj > m or score[i + di][j + dj] + gain <= best:
                    continue
                if same(" ".join(old[a1 + i:a1 + i + di]), " ".join(new[b1 + j:b1 + j + dj])):
                    best, move = score[i + di][j + dj] + gain, (di, dj)
            score[i][j] = best
            step[(i, j)] = move
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        di, dj = step[(i, j)]
        if di and dj:
            pairs.append((list(range(a1 + i, a1 + i + di)), list(range(b1 + j, b1 + j + dj))))
        i, j = i + di, j + dj
    return pairs


def _moved(old: list[str], new: list[str], pairs: list, same) -> tuple[set[int], set[int]]:
    """Unmatched paragraphs found on both sides in another order: for OCR, which may read a table's cells
    in another order than the document's, they are not a difference."""
    matched_old = {i for olds, _ in pairs for i in olds}
    matched_new = {j for _, news in pairs for j in news}
    left = [j for j in range(len(new)) if j not in matched_new]
    missing = [i for i in range(len(old)) if i not in matched_old]
    moved_old, moved_new = set(), set()
    if len(left) * len(missing) > MAX_FUZZY_CELLS:
        return moved_old, moved_new
    for i in missing:
        j = next((j for j in left if j not in moved_new and same(old[i], new[j])), None)
        if j is not None:
            moved_old.add(i)
            moved_new.add(j)
    return moved_old, moved_new


def _displaced(old: list[str], new: list[str], pairs: list, moved_new: set[int]) -> set[int]:
    """OCR only: the unmatched signed paragraphs right after or before a matched pair whose words are all words
    that pair's draft paragraph has and its signed text lacks. tesseract may read a word of a justified line
    after the paragraph's end ("Стороны конфиденциальность … Стороны." then "сохраняют"): the words are there,
    one in another place, which OCR's reading order does not make a change of the text."""
    matched = {j for _, news in pairs for j in news} | moved_new
    found: set[int] = set()
    for olds, news in pairs:
        missing = Counter(" ".join(old[i] for i in olds).split()) - Counter(" ".join(new[j] for j in news).split())
        for j in (news[-1] + 1, news[0] - 1):
            if not missing or not 0 <= j < len(new) or j in matched or j in found:
                continue
            words = Counter(new[j].split())
            if words and not words - missing:
                found.add(j)
                missing -= words
    return found


def _report(result: LanguageComparison, old: list[str], new: list[str], pairs: list,
            moved_old: set[int] = frozenset(), moved_new: set[int] = frozenset()) -> None:
    """Turn the matched pairs into counts and ``draft diff`` changes: what lies between two matches
    (paragraphs in ``moved_old``/``moved_new`` left out)."""
    a = b = 0
    for olds, news in pairs + [([len(old)], [len(new)])]:
        gone = [old[i] for i in range(a, olds[0]) if i not in moved_old]
        came = [new[j] for j in range(b, news[0]) if j not in moved_new]
        if gone or came:
            op = "changed" if gone and came else "removed" if gone else "added"
            result.changes.append({"op": op, "after": old[a - 1] if a > 0 else None, "old": gone, "new": came,
                                   "words": paired({"old": gone, "new": came})[0]})
            result.changed += min(len(gone), len(came))
            result.removed += max(0, len(gone) - len(came))
            result.added += max(0, len(came) - len(gone))
        a, b = olds[-1] + 1, news[-1] + 1


def _signed_paragraphs(stream: signedtext.Stream, draft_keys: list[list[str]]) -> list[tuple[int, int, list[Line]]]:
    """Cut the signed stream into paragraphs, guided by the draft: (first token, end token, lines) each."""
    draft_tokens = [token for key in draft_keys for token in key]
    ordered, position = [], 0
    for key in draft_keys:
        ordered.append(position)
        position += len(key)
    starts = set(ordered) | {position}    # the draft's end too: text after it is a paragraph of its own
    breaks = stream.breaks()
    cuts = set()
    sentence_ends = stream.sentence_ends()
    for op, a1, a2, b1, b2 in align.opcodes(draft_tokens, stream.tokens):
        if op == "equal":
            edges = breaks[bisect.bisect_left(breaks, b1):bisect.bisect_right(breaks, b2)]
            cuts.update(j for j in edges if a1 + (j - b1) in starts)
            continue
        inside = breaks[bisect.bisect_right(breaks, b1):bisect.bisect_left(breaks, b2)]
        if a2 > a1 and inside:     # an edited passage: draft paragraph starts carried over by proportion
            for p in ordered[bisect.bisect_right(ordered, a1):bisect.bisect_left(ordered, a2)]:
                target = b1 + (p - a1) * (b2 - b1) / (a2 - a1)
                cuts.add(min(inside, key=lambda j: abs(j - target)))
        elif a2 == a1:               # text the draft does not have: cut where a sentence ends a line
            cuts.update(j for j in inside if j in sentence_ends)
    bounds = [0] + sorted(cuts - {0, len(stream.tokens)}) + [len(stream.tokens)]
    groups: list[tuple[int, int, list[Line]]] = [(t0, t1, []) for t0, t1 in zip(bounds, bounds[1:])]
    index = 0
    for line, start in zip(stream.lines, stream.starts):
        while index + 1 < len(groups) and start >= groups[index][1]:
            index += 1
        if groups:
            groups[index][2].append(line)
    return groups


def compare_file(pdf_pages: list[str], docx: Path | bytes, ocr: bool = False, tolerance: float = TOLERANCE) -> Comparison:
    """Compare page texts with a .docx directly, without the register (reference and version unknown)."""
    return compare_texts(pdf_pages, read_draft(docx), ocr=ocr, tolerance=tolerance)


def read_draft(docx: Path | bytes) -> dict[str, list[str]]:
    """A draft's paragraphs per language; a missing or unreadable file is a clear error. A process reads
    each content once (an ingest compares, then dates, the same drafts file after file): the parse is kept
    under the bytes' sha256, so a file changed on disk is read again, and each caller gets its own lists."""
    if isinstance(docx, Path) and not docx.is_file():
        raise NotFoundError(f"{docx}: no such draft file")
    data = docx.read_bytes() if isinstance(docx, Path) else docx
    return _DRAFTS.get(content_key(data), lambda: _parse_draft(docx, data))


def _parse_draft(docx: Path | bytes, data: bytes) -> dict[str, list[str]]:
    try:
        return text_by_language(data)
    except (KeyError, ValueError, zipfile.BadZipFile, PackageNotFoundError) as err:
        raise ValidationError(f"{docx if isinstance(docx, Path) else 'the draft'}: not a readable .docx ({err})") from None
