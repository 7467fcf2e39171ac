"""What one search may cost: a phrase's slop, the words a wildcard or prefix stands for, and its time.

Whoosh matches a phrase with slop by comparing word positions, quadratically: ``"accordo cooperazione"~1000``
took 7.7 s in process and 426 s on the web page, where the snippet matched it again, and eight of them
took every worker thread. So a phrase may allow at most MAX_SLOP words between its words, a wildcard or
prefix may stand for at most MAX_EXPANSION words of the index, and a search stops after TIME_BUDGET seconds
with a clear error: its collector checks a deadline at each document it collects (Whoosh's
TimeLimitCollector with a deadline instead of a timer thread and SIGALRM, which only a process's main
thread may use: the web page searches in waitress's worker threads), and so do the snippets' phrase checks.
"""
from __future__ import annotations

import itertools
import time
from typing import Callable

from whoosh import collectors, query

from ..errors import QueryTooCostlyError, SearchTimeLimitError

MAX_SLOP = 10              # words allowed between a phrase's words ("a b"~10); Whoosh's cost grows as its square
MAX_EXPANSION = 1000       # words of the index a wildcard, prefix or range of the query may stand for
TIME_BUDGET = 5.0          # seconds one search may take before it is stopped (a normal one takes ~0.02 s)


class Budget:
    """The deadline of one search. ``clock`` is replaceable (tests)."""

    def __init__(self, seconds: float | None = TIME_BUDGET, clock: Callable[[], float] = time.monotonic):
        self.seconds, self.clock = seconds, clock
        self.deadline = None if seconds is None else clock() + seconds

    def spent(self) -> bool:
        return self.deadline is not None and self.clock() > self.deadline

    def check(self) -> None:
        """SearchTimeLimitError once the deadline has passed."""
        if self.spent():
            raise over_time(self.seconds)


def over_time(seconds: float) -> SearchTimeLimitError:
    return SearchTimeLimitError("search.time_budget", field="query", seconds=f"{seconds:g}")


class DeadlineCollector(collectors.TimeLimitCollector):
    """Whoosh's TimeLimitCollector around ``child``, timed by ``budget``: raises collectors.TimeLimit when a
    document is matched after the deadline. The deadline is read in ``matches``, so that a FilterCollector
    around this one (which drives the loop itself) is stopped too; Whoosh's own reads its flag in
    ``collect_matches``, which a FilterCollector around it bypasses."""

    def __init__(self, child, budget: Budget):
        super().__init__(child, budget.seconds or 0, use_alarm=False)
        self.budget = budget

    def prepare(self, top_searcher, q, context):
        self.child.prepare(top_searcher, q, context)      # no timer thread: the deadline is read at each match
        self.timedout = False

    def matches(self):
        budget = self.budget
        for sub_docnum in self.child.matches():
            if budget.spent():
                self.timedout = True
                raise collectors.TimeLimit
            yield sub_docnum

    def collect_matches(self):
        collect = self.child.collect
        for sub_docnum in self.matches():
            collect(sub_docnum)

    def finish(self):
        self.child.finish()


def search_within(searcher, q, budget: Budget, *, filter=None, **options):
    """``searcher.search(q, filter=filter, **options)`` stopped at the budget's deadline (SearchTimeLimitError):
    the collector ``searcher.collector`` builds, with the deadline between it and the filter."""
    collector = DeadlineCollector(searcher.collector(**options), budget)
    if filter:
        collector = collectors.FilterCollector(collector, filter)
    try:
        searcher.search_with_collector(q, collector)
    except collectors.TimeLimit:
        raise over_time(budget.seconds) from None
    return collector.results()


def check_slop(parsed) -> None:
    """QueryTooCostlyError when a phrase of the parsed query allows more than MAX_SLOP words between its words."""
    for q in _all(parsed):
        if isinstance(q, query.Phrase) and q.slop > MAX_SLOP:
            raise QueryTooCostlyError("query.slop", field="query", slop=q.slop, limit=MAX_SLOP)


def check_expansion(q, reader) -> None:
    """QueryTooCostlyError when a wildcard, prefix or range of ``q`` stands for more than MAX_EXPANSION words
    of the index (counted up to one more than the limit)."""
    for leaf in q.leaves():
        if isinstance(leaf, query.MultiTerm):
            try:
                words = sum(1 for _ in itertools.islice(leaf._btexts(reader), MAX_EXPANSION + 1))
            except (KeyError, ValueError, TypeError):
                continue             # a field this index does not have: it stands for nothing
            if words > MAX_EXPANSION:
                shown = getattr(leaf, "text", None) or str(leaf)
                raise QueryTooCostlyError("query.expansion", field="query", pattern=shown, limit=MAX_EXPANSION)


def _all(q):
    yield q
    for child in q.children():
        yield from _all(child)
