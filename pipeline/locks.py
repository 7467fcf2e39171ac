"""The one way taskforce processes take turns: a file lock with a bounded wait and a clear 'busy' error.

Every shared file that more than one process may change (the archive, the search index, the drafts
register, the staff accounts) is guarded by a lock file beside it. The kernel releases the lock when a
process dies, so a crashed process never leaves the workspace locked.
"""
from __future__ import annotations

import contextlib
from pathlib import Path

from .errors import BusyError


@contextlib.contextmanager
def held(path: Path, timeout: float, doing: str, advice: str = "wait for it to finish and try again"):
    """Hold the lock file ``path`` (its folder is created) for the ``with`` block. After ``timeout``
    seconds of waiting, raise BusyError: "another taskforce process is <doing> (lock PATH) and did not
    finish within N s; <advice>"."""
    # filelock (with its twenty modules) is imported when a lock is first taken: a search that takes none
    # does not pay for it at start-up
    from filelock import FileLock, Timeout

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise BusyError(f"another taskforce process is {doing} (lock {path}) and did not finish within "
                        f"{timeout:g} s; {advice}") from None
    try:
        yield
    finally:
        lock.release()
