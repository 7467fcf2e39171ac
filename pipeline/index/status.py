"""What the index holds, and whether it agrees with the archive (``taskforce index status``)."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from ..access import is_public
from ..archive.reading import ArchiveReader
from ..errors import IndexDamagedError
from ..workspace import Workspace
from .storage import UNREADABLE, damaged_error, index_dir, index_exists, is_current, open_dir, read_sentinel


def _indexed(ws: Workspace, public: bool) -> dict[str, tuple[int, str]]:
    """doc_id -> (revision, sha256) of every document in one of the two indexes."""
    indexed = {}
    ix = open_dir(ws, public)
    try:
        with ix.searcher() as searcher:
            for stored in searcher.all_stored_fields():
                indexed[stored["doc_id"]] = (stored.get("revision"), stored.get("sha256"))
    finally:
        ix.close()
    return indexed


def _file_stats(folder: Path, attempts: int = 5) -> list[os.stat_result]:
    """The files of the index folder, listed and measured in one opened directory. A rebuild may swap a new
    folder in and delete the old one's files at any moment (a name listed, then looked up by path, was gone:
    the status crashed now and then during a rebuild); a listing whose files vanish is taken again."""
    stats: list[os.stat_result] = []
    for _ in range(attempts):
        try:
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            continue                       # between the rename of the old folder and of the new one
        stats, vanished = [], False
        try:
            with os.scandir(fd) as entries:
                for entry in entries:
                    try:
                        if entry.is_file(follow_symlinks=False):
                            stats.append(entry.stat(follow_symlinks=False))
                    except FileNotFoundError:
                        vanished = True
            try:
                vanished = vanished or os.stat(folder).st_ino != os.fstat(fd).st_ino   # swapped meanwhile
            except OSError:
                vanished = True
        finally:
            os.close(fd)
        if not vanished:
            break
    return stats


def status(ws: Workspace) -> dict:
    """What the index holds, and whether it agrees with the archive. Both indexes are read: every document,
    and the public ones (which must be exactly the archive's public documents)."""
    folder = index_dir(ws)
    sentinel = read_sentinel(ws)
    indexed: dict[str, tuple[int, str]] = {}
    public: dict[str, tuple[int, str]] = {}
    damaged = None
    try:
        exists = index_exists(ws)
    except IndexDamagedError as err:
        exists, damaged = True, err.message
    if exists and not damaged:
        try:
            indexed, public = _indexed(ws, False), _indexed(ws, True)
        except UNREADABLE as err:
            damaged = damaged_error(ws, err).message
            indexed, public = {}, {}
    records, problems = ArchiveReader(ws).records()
    archived = {r.doc_id: (r.revision, r.sha256) for r in records}
    missing = sorted(set(archived) - set(indexed))
    stale = sorted(d for d in set(archived) & set(indexed) if archived[d] != indexed[d])
    extra = sorted(set(indexed) - set(archived))
    if exists and not damaged:
        # the public index out of step: reported as stale (a rebuild repairs both)
        public_archived = {r.doc_id: (r.revision, r.sha256) for r in records
                           if is_public(r.confidentiality) and not r.withdrawn}
        stale = sorted(set(stale) | {d for d in set(public_archived) | set(public)
                                     if d in archived and d in indexed and public_archived.get(d) != public.get(d)})
    current = not damaged and is_current(ws)
    files = _file_stats(folder) if exists else []
    size = sum(stat.st_size for stat in files)
    ok = exists and current and not damaged and not (missing or stale or extra)
    advice = None
    if not exists:
        advice = "there is no index yet: run 'taskforce index rebuild'"
    elif damaged:
        advice = damaged
    elif not ok:
        advice = "run 'taskforce index rebuild' to bring the index in step with the archive"
    return {"index": str(folder), "exists": exists, "documents": len(indexed), "size_bytes": size,
            "last_update": dt.datetime.fromtimestamp(max((stat.st_mtime for stat in files), default=0),
                                                     dt.timezone.utc).isoformat(timespec="seconds") if exists else None,
            "schema_version": (sentinel or {}).get("schema_version"), "schema_current": current,
            "archive_documents": len(archived), "missing": missing, "stale": stale, "extra": extra,
            "unreadable_sidecars": [f.as_dict() for f in problems], "damaged": damaged, "ok": ok, "advice": advice}
