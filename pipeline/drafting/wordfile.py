"""An existing version's .docx changed without rendering it again: its footer and properties stamped for a new
version (the draft mark removed when it becomes final), and its other layout (the alternat) made from it.

Word splits a paragraph's text into runs anywhere, so text is found in a paragraph's whole text and replaced
in its ``w:t`` nodes, each keeping its run's formatting; a field (the page number) beside it is left alone.
"""
from __future__ import annotations

import datetime as dt
import io
import re

from .contexts import DRAFT_MARK, STATUS, footer_text
from .docx import W_NS, swap_bilingual_columns
from .legal_text import languages

W_T = f"{{{W_NS}}}t"
HYPHENS = "-\u2011\u2010"   # typography may print a reference with no-break hyphens
MARKS = "|".join(re.escape(mark) for mark in DRAFT_MARK.values())
OTHER = {"it-ru": "ru-it", "ru-it": "it-ru"}


def footer_pattern(reference: str) -> re.Pattern:
    """``REF · vN`` and the draft mark after it, if any, in a footer's text."""
    ref = "".join(f"[{HYPHENS}]" if char == "-" else re.escape(char) for char in reference)
    return re.compile(rf"{ref}\s*·\s*v(?P<version>\d+)(?:\s*·\s*(?P<mark>{MARKS}))?")


def replace_in_paragraph(paragraph, pattern: re.Pattern, replacement: str) -> bool:
    """Replace the first match of ``pattern`` in the paragraph's text (its ``w:t`` nodes joined) by
    ``replacement``, which goes into the first node the match touches; the other nodes lose the matched
    part. True when it matched."""
    nodes = [node for node in paragraph.iter(W_T)]
    texts = [node.text or "" for node in nodes]
    match = pattern.search("".join(texts))
    if not match:
        return False
    start, end, position, placed = match.start(), match.end(), 0, False
    for node, text in zip(nodes, texts):
        low, high = position, position + len(text)
        position = high
        if high <= start or low >= end or (low == high):
            continue
        keep_before = text[: max(0, start - low)]
        keep_after = text[max(0, end - low):] if end < high else ""
        node.text = keep_before + ("" if placed else replacement) + keep_after
        node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        placed = True
    return True


def _paragraphs_of_parts(document):
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer,
                     section.even_page_header, section.even_page_footer):
            if not part.is_linked_to_previous:
                yield from part._element.iter(f"{{{W_NS}}}p")


def stamp(docx: bytes, reference: str, version: int, final: bool, order: str) -> bytes:
    """The document as version ``version`` of ``reference`` in layout ``order``: the footer's ``REF · vN ·
    BOZZA / ПРОЕКТ`` becomes :func:`footer_text` (no mark when ``final``), the properties say the version,
    its status (Definitivo / Окончательный when final) and the footer; the text is left as it is."""
    from docx import Document

    document = Document(io.BytesIO(docx))
    pattern = footer_pattern(reference)
    footer = footer_text(reference, version, final, order)
    for paragraph in _paragraphs_of_parts(document):
        replace_in_paragraph(paragraph, pattern, footer)
    core = document.core_properties
    core.identifier = reference
    core.version = str(version)
    core.content_status = STATUS["final" if final else "draft"]
    core.comments = footer
    core.modified = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def other_layout(docx: bytes, order: str) -> bytes:
    """The same text with the other language first (the other party's original), from a document in layout
    ``order``: the bilingual table's columns swapped, the closing clause's languages named in the other order
    ('nelle lingue russa e italiana' / 'на русском и итальянском языках'), the footer's draft mark in the
    other order. What a render's two layouts differ in, nothing else."""
    from docx import Document

    document = Document(io.BytesIO(docx))
    swap_bilingual_columns(document)
    here, there = languages(order), languages(OTHER[order])
    body = list(document.element.body.iter(f"{{{W_NS}}}p"))
    for lang in ("it", "ru"):
        pattern = re.compile(r"\s+".join(map(re.escape, here[lang].split())).replace(r"\ ", " "))
        for paragraph in body:
            while replace_in_paragraph(paragraph, pattern, there[lang]):
                pass
    marks = {DRAFT_MARK[order]: DRAFT_MARK[OTHER[order]]}
    for paragraph in _paragraphs_of_parts(document):
        for old, new in marks.items():
            replace_in_paragraph(paragraph, re.compile(re.escape(old)), new)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
