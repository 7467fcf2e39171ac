"""What a process derives from content, kept under a key naming that content, and one way to forget it all.

A cache here is keyed on what it was derived from: the sha256 of the bytes read (:func:`content_key`), or a
file's identity, (inode, size, mtime in ns) (:func:`file_key`, :func:`folder_key`), so an edited, replaced or
appended file has a new key and a stale value cannot be served. Each :class:`ContentCache` is bounded (oldest
used first out), safe to use from threads (ingest prepares files on threads), and can hand each caller its own
copy of a value that callers may change.

Tests reset every cache of the process with :func:`clear_all` (a module's private name, patched away by
name, silently stopped being reset when it was renamed). Memo tables on hot paths that are plain dicts or
``functools.lru_cache`` functions (words and their stems) register their own clearing with :func:`on_clear`.
"""
from __future__ import annotations

import hashlib
import os
import stat
import threading
from collections import OrderedDict
from typing import Callable, Hashable, TypeVar

V = TypeVar("V")

_REGISTRY: dict[str, "ContentCache"] = {}
_CLEARERS: list[Callable[[], None]] = []
_MISSING = object()


class ContentCache:
    """Values made from content, under keys that name the content (see the module's docstring).

    ``get(key, make)`` returns the value kept under ``key``, or calls ``make()``, keeps its result and returns
    it. ``copy`` (e.g. ``copy.deepcopy``) is applied to what is handed out, so a caller changing its value
    does not change the kept one. ``make`` runs outside the lock (it may be slow): two threads may both make
    a missing value, and the later one is kept. A ``make`` that raises keeps nothing."""

    def __init__(self, name: str, limit: int = 64, copy: Callable[[V], V] | None = None):
        self.name = name
        self.limit = limit
        self.copy = copy
        self._values: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        _REGISTRY[name] = self       # a module imported again replaces its caches

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        with self._lock:
            value = self._values.get(key, _MISSING)
            if value is not _MISSING:
                self._values.move_to_end(key)
        if value is _MISSING:
            value = make()
            self.put(key, value)
        return self.copy(value) if self.copy is not None else value

    def put(self, key: Hashable, value) -> None:
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.limit:
                self._values.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"ContentCache({self.name!r}, {len(self)}/{self.limit})"


def content_key(data: bytes, *context: Hashable) -> tuple:
    """The key of a value derived from ``data`` (its sha256), with whatever else it depends on."""
    return (hashlib.sha256(data).digest(), *context)


def file_key(path) -> tuple | None:
    """The identity of a regular file as it is now, (path, inode, size, mtime in ns); None when there is no
    regular file at ``path`` (another error, a permission denied, is raised: it is no empty file). An append,
    a cut-back line or a file replaced by a rename changes it."""
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return (str(path), info.st_ino, info.st_size, info.st_mtime_ns)


def folder_key(folder) -> tuple | None:
    """The identity of a folder's entries as they are now (each one's name, size and mtime in ns); None when
    the folder cannot be read. Adding, removing, editing or replacing a file changes it."""
    try:
        entries = []
        with os.scandir(folder) as found:
            for entry in found:
                info = entry.stat()
                entries.append((entry.name, info.st_mtime_ns, info.st_size))
    except OSError:
        return None
    return (str(folder), tuple(sorted(entries)))


def on_clear(clear: Callable[[], None]) -> Callable[[], None]:
    """Have :func:`clear_all` call ``clear`` too (a memo table kept outside a ContentCache)."""
    _CLEARERS.append(clear)
    return clear


def memo_table() -> dict:
    """A plain dict for a memo on a hot path (a word and its stem: a method call per word would cost more than
    the lookup), emptied by :func:`clear_all` like the ContentCaches. Its owner bounds its size."""
    table: dict = {}
    on_clear(table.clear)
    return table


def caches() -> dict[str, ContentCache]:
    """Every ContentCache of the process, by name (created so far: a module makes its caches on import)."""
    return dict(_REGISTRY)


def clear_all() -> None:
    """Forget everything every cache of the process derived (tests call it between tests)."""
    for cache in list(_REGISTRY.values()):
        cache.clear()
    for clear in list(_CLEARERS):
        clear()
