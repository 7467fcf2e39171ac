"""The index on disk: one folder (index/whoosh) holding two Whoosh indexes with the same schema, MAIN with
every archived document and PUBLIC with the public ones only (anonymous readers' scores come from it, so
that no statistic of a hidden document reaches them), and the spelling vocabulary by level (vocabulary.py);
the schema file beside it. Also: what counts as a damaged index, and how a reader tells a damaged index
from one being rewritten."""
from __future__ import annotations

import datetime as dt
import errno
import json
import pickle
import sqlite3
import struct
import zlib
from pathlib import Path

from whoosh import index
from whoosh.filedb.filetables import FileFormatError

from ..errors import IndexDamagedError
from ..fsutil import atomic_write_text
from ..workspace import Workspace
from . import schema
from .vocabulary import vocabulary_path

INDEX_FOLDER = "whoosh"
MAIN = "MAIN"               # Whoosh's default index name: every document
PUBLIC = "PUBLIC"           # the public documents only
INDEX_NAMES = (MAIN, PUBLIC)
SENTINEL = "schema.json"
LOCK_NAME = ".write.lock"
REBUILD_ADVICE = "run 'taskforce index rebuild', which makes it again from the archive"

# What Whoosh raises on a damaged or vanished index file: a missing segment (OSError), a truncated one
# (EOFError, struct.error, an unpickling error), a garbled table of contents. Segment files are opened
# lazily: one that a rebuild swapped away meanwhile comes back as None, and the first use of it raises
# TypeError or AttributeError (the search then retries on the new index). A segment file emptied or garbled
# is a FileFormatError; a schema whose analyzer classes are no longer where it was pickled from, ImportError.
# The vocabulary file (vocabulary.py) missing or garbled is an sqlite3.Error.
UNREADABLE = (OSError, EOFError, struct.error, pickle.UnpicklingError, zlib.error, index.IndexError, ValueError,
              KeyError, IndexError, TypeError, AttributeError, ImportError, FileFormatError, sqlite3.Error)
WRITE_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EROFS)


class IndexUnreadable(Exception):
    """Internal: reading the index failed; the search decides whether it is damaged or being rebuilt."""


def index_dir(ws: Workspace) -> Path:
    return ws.index / INDEX_FOLDER


def index_name(public: bool) -> str:
    return PUBLIC if public else MAIN


def sentinel_path(ws: Workspace) -> Path:
    return ws.index / SENTINEL


def read_sentinel(ws: Workspace) -> dict | None:
    try:
        return json.loads(sentinel_path(ws).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError):
        return None


def write_sentinel(ws: Workspace, documents: int) -> None:
    atomic_write_text(sentinel_path(ws), json.dumps({
        "schema_version": schema.SCHEMA_VERSION, "fingerprint": schema.schema_fingerprint(), "engine": "whoosh",
        "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "documents": documents,
    }, indent=2) + "\n")


def is_current(ws: Workspace) -> bool:
    """The index exists and was built with this schema and these analyzers, with its vocabulary (removed
    when committing it failed). A table of contents that cannot be read is an IndexDamagedError."""
    sentinel = read_sentinel(ws)
    return (sentinel is not None and sentinel.get("fingerprint") == schema.schema_fingerprint()
            and index_exists(ws) and vocabulary_path(index_dir(ws)).exists())


def index_exists(ws: Workspace) -> bool:
    """Both indexes (every document, public documents) are in the folder."""
    try:
        return all(index.exists_in(str(index_dir(ws)), indexname=name) for name in INDEX_NAMES)
    except UNREADABLE as err:
        raise damaged_error(ws, err) from None


def open_dir(ws: Workspace, public: bool = False):
    """One of the two indexes as it is (no rebuild); Whoosh's errors as they come."""
    return index.open_dir(str(index_dir(ws)), indexname=index_name(public))


def writer_active(ws: Workspace) -> bool:
    """True when another process holds the index write lock (a rebuild or an update is running)."""
    from filelock import FileLock, Timeout     # only when asked (see pipeline/locks.py)

    path = ws.index / LOCK_NAME
    if not path.exists():
        return False
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return True
    except OSError:
        return False
    lock.release()
    return False


def generation(ws: Workspace):
    """Changes when a rebuild swaps a new index in, or a writer commits."""
    try:
        folder = index_dir(ws).stat()
        tocs = sorted(p.name for p in index_dir(ws).glob("_*.toc"))
        return folder.st_ino, tocs
    except OSError:
        return None


def _unreadable(err: BaseException) -> str:
    detail = f"{type(err).__name__}: {err}" if str(err) else type(err).__name__
    return detail if not isinstance(err, OSError) or not err.filename else \
        f"{err.strerror or type(err).__name__}: {Path(err.filename).name}"


def damaged_error(ws: Workspace, err: BaseException) -> IndexDamagedError:
    return IndexDamagedError(f"the search index in {index_dir(ws)} is damaged or unreadable ({_unreadable(err)}); "
                             f"{REBUILD_ADVICE}")
