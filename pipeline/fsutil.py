"""Atomic file writes: a temporary file in the destination folder, fsync, rename, fsync of the folder.

A reader (or a crash) sees either the old file or the complete new one, never a partial write.
"""
from __future__ import annotations

import errno
import json
import os
import tempfile
from pathlib import Path

from .errors import StorageError

TEMP_PREFIX = ".tmp-"


def os_reason(err: OSError) -> str:
    """Why a write failed, in words a user acts on."""
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full (No space left on device)"
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS) or isinstance(err, PermissionError):
        return f"permission denied ({err.strerror})" if err.errno == errno.EROFS else "permission denied"
    return err.strerror or str(err)


def storage_error(err: OSError, what: str, state: str = "", action: str = "write") -> StorageError:
    """A StorageError for ``err`` raised while writing (``action``) ``what``; ``state`` says what was (not)
    kept."""
    where = f" ({err.filename})" if err.filename else ""
    return StorageError(f"cannot {action} {what}: {os_reason(err)}{where}" + (f"; {state}" if state else ""))


def write_all(fd: int, data: bytes) -> None:
    """os.write until every byte is written (a write may be short, e.g. on a nearly full disk)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        view = view[written:]


def append_durably(path: Path, data: bytes) -> None:
    """Append ``data`` to ``path`` in full and fsync it, or leave the file as it was: on any error the
    bytes written so far are cut off again (a torn line would break the next appended one)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        size = os.fstat(fd).st_size
        try:
            write_all(fd, data)
            os.fsync(fd)
        except OSError:
            try:
                os.ftruncate(fd, size)
                os.fsync(fd)
            except OSError:
                pass  # the reader's recovery drops a torn last line
            raise
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def current_umask() -> int:
    """The process's umask, read without changing it (os.umask can only be read by setting it, which
    would race with the web server's threads)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def atomic_write_bytes(path: Path, data: bytes, *, overwrite: bool = True, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` atomically. With ``overwrite=False`` an existing file is an error
    (FileExistsError) and is left untouched: the rename is replaced by a hard link, which fails if the
    name is taken. Without ``mode`` the file gets the permissions a plain open() would give it (0666 less
    the umask): the temporary file it starts as is private (0600), which a draft or a chart must not stay."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode if mode is not None else 0o666 & ~current_umask())
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
_passes: dict[str, int] = {}


def checkpoint(name: str) -> None:
    """The crash-test hook: when $TASKFORCE_CRASH_AT names this point, the process kills itself with
    SIGKILL here, as a power cut or `kill -9` would. ``NAME@N`` kills at the N-th pass through the point
    (``renamed@3``: while committing the third file of a batch). It does nothing otherwise; the tests use
    it to prove that a crash at any step of a commit leaves all or nothing."""
    wanted = os.environ.get(CRASH_ENV)
    if not wanted:
        return
    point, _, count = wanted.partition("@")
    if point != name:
        return
    _passes[name] = _passes.get(name, 0) + 1
    if _passes[name] >= (int(count) if count.isdigit() else 1):
        import signal

        os.kill(os.getpid(), signal.SIGKILL)
