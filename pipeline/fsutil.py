"""Atomic file writes: a temporary file in the destination folder, fsync, rename, fsync of the folder.

A reader (or a crash) sees either the old file or the complete new one, never a partial write.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

TEMP_PREFIX = ".tmp-"


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes, *, overwrite: bool = True, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` atomically. With ``overwrite=False`` an existing file is an error
    (FileExistsError) and is left untouched: the rename is replaced by a hard link, which fails if the
    name is taken."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        if overwrite:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)
            tmp.unlink()
        fsync_dir(path.parent)
    finally:
        if tmp.exists():
            tmp.unlink()


def atomic_write_text(path: Path, text: str, **kwargs) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), **kwargs)


def atomic_write_json(path: Path, data, **kwargs) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n"
    atomic_write_text(path, text, **kwargs)


CRASH_ENV = "TASKFORCE_CRASH_AT"


def checkpoint(name: str) -> None:
    """The crash-test hook: when $TASKFORCE_CRASH_AT names this point, the process kills itself with
    SIGKILL here, as a power cut or `kill -9` would. It does nothing otherwise; the tests use it to prove
    that a crash at any step of a commit leaves all or nothing."""
    if os.environ.get(CRASH_ENV) == name:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)
