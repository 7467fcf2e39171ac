"""The changed words inside a changed paragraph, and context cut at word boundaries, for every redline.

A paragraph that changed is shown once, its changed words marked, as Word's track changes and ``git diff
--word-diff`` show them: ``[-5 (cinque)-]{+10 (dieci)+}`` in a terminal, ``<del>``/``<ins>`` on the web page.
Words are compared by their comparison key (:func:`.signedtext.tokens`: quote styles, dashes and case do not
count); they are shown as the text prints them. Long unchanged stretches are shortened to a few words on
each side of a change, never inside a word.
"""
from __future__ import annotations

import difflib

from . import signedtext

CONTEXT_WORDS = 20      # unchanged words kept on each side of a change
ELLIPSIS = "…"


def word_changes(old: str, new: str) -> list[tuple[str, str]]:
    """The paragraph as segments (op, text), op "equal", "delete" (only in ``old``) or "insert" (only in
    ``new``), in reading order; equal text as ``new`` prints it."""
    old_words, new_words = old.split(), new.split()
    keys_old = [" ".join(signedtext.tokens(word)) or word for word in old_words]
    keys_new = [" ".join(signedtext.tokens(word)) or word for word in new_words]
    segments: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=keys_old, b=keys_new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(("equal", " ".join(new_words[b1:b2])))
            continue
        if a2 > a1:
            segments.append(("delete", " ".join(old_words[a1:a2])))
        if b2 > b1:
            segments.append(("insert", " ".join(new_words[b1:b2])))
    return shortened(segments)


def shortened(segments: list[tuple[str, str]], context: int = CONTEXT_WORDS) -> list[tuple[str, str]]:
    """Equal stretches cut to ``context`` words next to each change (whole words, ``…`` where cut)."""
    result = []
    for index, (op, text) in enumerate(segments):
        if op != "equal":
            result.append((op, text))
            continue
        words = text.split()
        keep_head = context if index + 1 < len(segments) else 0       # words before the next change
        keep_tail = context if index > 0 else 0                       # words after the previous change
        if len(words) <= keep_head + keep_tail + 1 or (not keep_head and not keep_tail):
            result.append((op, text))
            continue
        tail = words[:keep_tail]
        head = words[len(words) - keep_head:] if keep_head else []
        result.append((op, " ".join(tail + [ELLIPSIS] + head).strip()))
    return result


def marked(segments: list[tuple[str, str]]) -> str:
    """The segments on one line, for a terminal: ``[-old-]{+new+}``."""
    line = ""
    for index, (op, text) in enumerate(segments):
        part = text if op == "equal" else f"[-{text}-]" if op == "delete" else f"{{+{text}+}}"
        replacing = op == "insert" and index and segments[index - 1][0] == "delete"   # [-old-]{+new+}
        line += part if not line or replacing else f" {part}"
    return line


def shorten(text: str, width: int = 70) -> str:
    """``text`` in at most about ``width`` characters, cut after a whole word, ``…`` where cut."""
    if len(text) <= width:
        return text
    cut = text[:width + 1].rsplit(None, 1)[0] if " " in text[:width + 1] else text.split()[0]
    return cut.rstrip(",;:") + " " + ELLIPSIS


def paired(change: dict) -> tuple[list[list[tuple[str, str]]], list[str], list[str]]:
    """A change's paragraphs as draft/signed pairs with their words marked, and the paragraphs left over
    (only removed, only added): a changed block of two paragraphs and three is two pairs and one added."""
    count = min(len(change["old"]), len(change["new"]))
    pairs = [word_changes(change["old"][i], change["new"][i]) for i in range(count)]
    return pairs, change["old"][count:], change["new"][count:]
