"""Snippets a person can read: fragments of one language, cut at word boundaries, joined with " … ",
without the title repeated at their start, at most about LIMIT characters.

The archived text of a bilingual document has both languages, often on alternating lines or side by side
on one line (two columns read across). A snippet of the Italian match shows the Italian parts only, a
snippet of the Russian match the Russian parts: ``in_language`` keeps the runs of text written in the
language's script (Latin or Cyrillic); digits and punctuation stay with the run they are in.

``tidy`` takes the highlighter's output (fragments joined by " … ", matched words between the two marks)
and makes it short and clean; ``lead`` is the snippet of a hit without matched words (an empty query).
Both keep the marks balanced.
"""
from __future__ import annotations

import re
from typing import Sequence

from ..vocab import LANGUAGES

LIMIT = 240
BETWEEN = " … "
ELLIPSIS = "…"
LATIN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ɏ]")
CYRILLIC = re.compile(r"[Ѐ-ӿ]")
# A run of text in one script: letters of that script, with the digits, spaces and punctuation after them
_RUNS = re.compile(r"(?:[^A-Za-zÀ-ÖØ-öø-ɏЀ-ӿ]*[A-Za-zÀ-ÖØ-öø-ɏ][^Ѐ-ӿ]*)|"
                   r"(?:[^A-Za-zÀ-ÖØ-öø-ɏЀ-ӿ]*[Ѐ-ӿ][^A-Za-zÀ-ÖØ-öø-ɏ]*)|"
                   r"(?:[^A-Za-zÀ-ÖØ-öø-ɏЀ-ӿ]+)")


def script_of(text: str) -> str | None:
    """"it" for Latin letters, "ru" for Cyrillic ones, None without letters."""
    if CYRILLIC.search(text):
        return "ru"
    return "it" if LATIN.search(text) else None


def in_language(text: str, lang: str | None) -> str:
    """The lines and parts of lines of ``text`` written in ``lang``'s script, one part a line. Text without
    letters (numbers) is dropped; ``lang`` None keeps everything."""
    if lang not in LANGUAGES:
        return text
    kept = []
    for line in text.splitlines():
        for run in _RUNS.findall(line):
            if script_of(run) == lang and run.strip():
                kept.append(run.strip())
    return "\n".join(kept)


def without_marks(text: str, mark: tuple[str, str]) -> str:
    """``text`` without the marks put around its matched words."""
    for token in mark:
        if token:
            text = text.replace(token, "")
    return text


def _balanced(text: str, mark: tuple[str, str]) -> str:
    """Close a mark left open (a fragment cut inside a matched word's marks), drop a dangling close."""
    start, end = mark
    if not start or not end:
        return text
    if start == end:                                     # "**word**": an odd count leaves one open
        if text.count(start) % 2 == 0:
            return text
        return text[: -len(start)].rstrip() if text.endswith(start) else text + end   # a dangling mark goes
    depth, out, i = 0, [], 0
    while i < len(text):
        if text.startswith(start, i):
            depth += 1
            out.append(start)
            i += len(start)
        elif text.startswith(end, i):
            if depth:
                depth -= 1
                out.append(end)
            i += len(end)
        else:
            out.append(text[i])
            i += 1
    return "".join(out) + end * depth


def _without_title(fragment: str, title: str | Sequence[str] | None, mark: tuple[str, str]) -> str:
    """``fragment`` without a repetition of the title at its start (kept when it is all there is).
    ``title`` may be several forms (the Italian and the Russian title): the first that starts it goes."""
    if not title:
        return fragment
    if not isinstance(title, str):
        for form in dict.fromkeys(form for form in title if form):
            shorter = _without_title(fragment, form, mark)
            if shorter != fragment:
                return shorter
        return fragment
    wanted = " ".join(title.split()).casefold()
    plain = without_marks(fragment, mark)
    if not plain.casefold().startswith(wanted) or len(plain.strip()) <= len(wanted) + 3:
        return fragment
    # walk the marked text until the title's characters are consumed
    consumed, i = 0, 0
    while i < len(fragment) and consumed < len(wanted):
        token = next((t for t in mark if t and fragment.startswith(t, i)), None)
        if token:
            i += len(token)
            continue
        consumed += 1
        i += 1
    rest, before = fragment[i:], fragment[:i]
    start, end = mark
    if start and start == end:
        still_open = before.count(start) % 2 == 1
    else:
        still_open = bool(start) and before.count(start) > before.count(end)
    if still_open and end and rest.startswith(end):     # the title was the whole matched span: no empty "****"
        rest, still_open = rest[len(end):], False
    prefix = start if still_open else ""
    return (prefix + rest.lstrip(" .,;:—–-")).strip()


def _cut(fragment: str, room: int, mark: tuple[str, str]) -> str:
    """The start of ``fragment`` that fits ``room`` visible characters, cut at a word boundary outside the
    marks: before a matched span that would not fit ("**Accordo** di…", never "**Accordo** di **cooperazione**…"
    of "**cooperazione industriale**"), unless the span is all there is (then it is closed where it is cut). One
    ellipsis at the end, even when the text had its own ("firma e…", not "firma e… …")."""
    if len(without_marks(fragment, mark)) <= room:
        return fragment
    start, end = mark
    visible, i, depth = 0, 0, 0
    outside, anywhere = None, None              # the last space outside the marks, and the last space at all
    while i < len(fragment) and visible <= room:
        if end and depth and fragment.startswith(end, i):
            depth -= 1
            i += len(end)
            continue
        if start and fragment.startswith(start, i):
            depth += 1
            i += len(start)
            continue
        if end and fragment.startswith(end, i):    # a close without an open: not text either
            i += len(end)
            continue
        if fragment[i].isspace():
            anywhere = i
            if not depth:
                outside = i
        visible += 1
        i += 1
    cut_at = outside or anywhere or min(i, len(fragment))
    cut = fragment[:cut_at].rstrip(" ,;:—–-")
    cut = _balanced(cut, mark).rstrip(ELLIPSIS)
    return cut + ELLIPSIS


def tidy(highlighted: str, mark: tuple[str, str], title: str | Sequence[str] | None = None, limit: int = LIMIT,
         between: str = BETWEEN) -> str:
    """The highlighter's fragments (joined by ``between``) made readable: each on one line, without the
    title at its start, the whole at most ``limit`` visible characters (cut at a word), joined by " … "."""
    pieces, used = [], 0
    for fragment in (highlighted or "").split(between.strip()):
        fragment = _balanced(" ".join(fragment.split()), mark)
        fragment = _without_title(fragment, title, mark)
        if not without_marks(fragment, mark).strip(" .,;:"):
            continue
        room = limit - used - (len(BETWEEN) if pieces else 0)
        if room < 20:       # more text than room: say so, once
            if pieces and not pieces[-1].endswith(ELLIPSIS):
                pieces[-1] += ELLIPSIS
            break
        fragment = _cut(fragment, room, mark)
        pieces.append(fragment)
        used += len(without_marks(fragment, mark)) + (len(BETWEEN) if len(pieces) > 1 else 0)
        if fragment.endswith(ELLIPSIS):
            break
    return BETWEEN.join(pieces)


def lead(text: str, title: str | Sequence[str] | None = None, lang: str | None = None, limit: int = LIMIT) -> str:
    """The start of the text (in ``lang`` when given) without the title, at most ``limit`` characters."""
    body = in_language(text, lang) if lang else text
    body = " ".join(body.split())
    body = _without_title(body, title, ("", ""))
    return _cut(body, limit, ("", ""))
