"""The statistics page's counts and charts, kept until the archive changes.

Counting reads every document's metadata, and drawing a chart takes matplotlib a tenth of a second or more: 16
clients asking for one chart in a loop slowed every search to 2.2 s (issue 26). Both depend only on the
archive (every change to it appends to its event log: pipeline/archive/eventlog.py), the sessions registry
(the host countries), who is asking (public or staff) and, for a chart, the page's language; they are kept
per process under that key, a few dozen at most, and made again when the key changes.
"""
from __future__ import annotations

import os
from typing import Callable

from ..archive.layout import HEAD_NAME, LOG_NAME
from ..cache import ContentCache
from ..workspace import Workspace

KEPT = 64                  # answers kept (dimensions x languages x readers x a few archive states)

_KEPT = ContentCache("web.charts", KEPT)


def archive_state(ws: Workspace) -> tuple:
    """Changes whenever the archive or the sessions registry does: the event log's and its head's size and time,
    and each session file's."""
    state = []
    for path in (ws.archive / LOG_NAME, ws.archive / HEAD_NAME):
        try:
            stat = path.stat()
            state.append((path.name, stat.st_size, stat.st_mtime_ns, stat.st_ino))
        except OSError:
            state.append((path.name, None))
    try:
        with os.scandir(ws.sessions) as entries:
            state += sorted((entry.name, entry.stat().st_size, entry.stat().st_mtime_ns) for entry in entries)
    except OSError:
        pass
    return tuple(state)


def kept(ws: Workspace, what: tuple, make: Callable[[], object]):
    """``make()``'s answer for ``what`` (a hashable description: the kind, the reader, the language…), made once
    per state of the archive (two requests at once may both make it, once each)."""
    return _KEPT.get((str(ws.home), archive_state(ws), what), make)
