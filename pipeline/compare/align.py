"""Align two token sequences quickly: difflib's opcodes, found the patience way.

difflib's SequenceMatcher without autojunk is quadratic in the frequent tokens (commas, "di", "и"): a
120-page protocol took a minute. Here the common head and tail are matched first, then the tokens that
occur exactly once on each side anchor the alignment (their longest increasing run), and only the gaps
between anchors, which are short, go to SequenceMatcher. The result has difflib's opcode format.
"""
from __future__ import annotations

import bisect
import difflib
from collections import Counter

ANCHOR_LENGTHS = (1, 2, 4, 8, 16)
MAX_GAP_CELLS = 4_000_000   # a gap without anchors bigger than this is left unmatched (a rewritten passage)


def opcodes(a: list, b: list) -> list[tuple[str, int, int, int, int]]:
    """``difflib.SequenceMatcher(a=a, b=b).get_opcodes()``, up to ties, in near-linear time."""
    blocks = _blocks(_pairs(a, b))
    result, i, j = [], 0, 0
    for ai, bj, size in blocks + [(len(a), len(b), 0)]:
        if i < ai and j < bj:
            result.append(("replace", i, ai, j, bj))
        elif i < ai:
            result.append(("delete", i, ai, j, j))
        elif j < bj:
            result.append(("insert", i, i, j, bj))
        if size:
            result.append(("equal", ai, ai + size, bj, bj + size))
        i, j = ai + size, bj + size
    return result


def _pairs(a: list, b: list) -> list[tuple[int, int]]:
    pairs = []
    stack = [(0, len(a), 0, len(b))]
    while stack:
        a1, a2, b1, b2 = stack.pop()
        while a1 < a2 and b1 < b2 and a[a1] == b[b1]:
            pairs.append((a1, b1))
            a1, b1 = a1 + 1, b1 + 1
        while a1 < a2 and b1 < b2 and a[a2 - 1] == b[b2 - 1]:
            a2, b2 = a2 - 1, b2 - 1
            pairs.append((a2, b2))
        if a1 == a2 or b1 == b2:
            continue
        anchors = _unique_anchors(a, a1, a2, b, b1, b2)
        if not anchors:
            if (a2 - a1) * (b2 - b1) <= MAX_GAP_CELLS:
                matcher = difflib.SequenceMatcher(a=a[a1:a2], b=b[b1:b2], autojunk=False)
                pairs += [(a1 + i + k, b1 + j + k) for i, j, size in matcher.get_matching_blocks() for k in range(size)]
            continue
        previous_a, previous_b = a1, b1
        for i, j in anchors:
            stack.append((previous_a, i, previous_b, j))
            pairs.append((i, j))
            previous_a, previous_b = i + 1, j + 1
        stack.append((previous_a, a2, previous_b, b2))
    return sorted(pairs)


def _unique_anchors(a, a1, a2, b, b1, b2) -> list[tuple[int, int]]:
    """Runs of ``k`` tokens found exactly once in a[a1:a2] and once in b[b1:b2] (k = 1, then 2, 4, … when a
    repetitive text has no unique word), as (i, j) of their first tokens, the longest chain increasing in both."""
    for k in ANCHOR_LENGTHS:
        if min(a2 - a1, b2 - b1) < k:
            break
        keys_a = [tuple(a[i:i + k]) for i in range(a1, a2 - k + 1)]
        keys_b = [tuple(b[j:j + k]) for j in range(b1, b2 - k + 1)]
        count_a, count_b = Counter(keys_a), Counter(keys_b)
        where_b = {key: b1 + j for j, key in enumerate(keys_b) if count_b[key] == 1 and count_a.get(key) == 1}
        candidates = [(a1 + i, where_b[key]) for i, key in enumerate(keys_a) if key in where_b]
        if candidates:
            return _longest_chain(candidates)
    return []


def _longest_chain(candidates: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of (i, j), ordered by i, whose j increase too (patience sorting)."""
    tails, tail_index, previous = [], [], [-1] * len(candidates)
    for index, (_, j) in enumerate(candidates):
        position = bisect.bisect_left(tails, j)
        if position == len(tails):
            tails.append(j)
            tail_index.append(index)
        else:
            tails[position], tail_index[position] = j, index
        previous[index] = tail_index[position - 1] if position else -1
    run, index = [], tail_index[-1] if tail_index else -1
    while index != -1:
        run.append(candidates[index])
        index = previous[index]
    return run[::-1]


def _blocks(pairs: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    blocks: list[list[int]] = []
    for i, j in pairs:
        if blocks and blocks[-1][0] + blocks[-1][2] == i and blocks[-1][1] + blocks[-1][2] == j:
            blocks[-1][2] += 1
        else:
            blocks.append([i, j, 1])
    return [tuple(block) for block in blocks]
