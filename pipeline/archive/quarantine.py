"""The quarantine folder: a copy of each rejected file with NAME.reason.txt beside it, so that an archivist
can see, fix and send again what the archive refused. Nothing here touches the archive itself."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from . import eventlog
from ..fsutil import atomic_write_bytes
from ..sessions.fields import safe_name
from .eventlog import utc_now

def quarantine_file(source: Path, reason: str, folder: Path) -> Path:
    """Copy a rejected file into ``folder`` (a free name) with NAME.reason.txt beside it; return the copy."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    name = _fitting_name(source.name or "unnamed")
    target = folder / name
    counter = 1
    while target.exists() or target.with_name(target.name + ".reason.txt").exists():
        counter += 1
        target = folder / f"{Path(name).stem}-{counter}{Path(name).suffix}"
    lines = [f"file: {safe_name(source)}", f"rejected: {reason}", f"time: {utc_now()}", f"agent: {eventlog.agent()}"]
    try:
        if source.is_file():
            shutil.copyfile(source, target)
        else:
            lines.append("the file itself could not be copied: it is not a regular file")
    except OSError as err:
        lines.append(f"the file itself could not be copied: {err.strerror}")
    atomic_write_bytes(target.with_name(target.name + ".reason.txt"), ("\n".join(lines) + "\n").encode("utf-8"))
    return target


NAME_MAX = 255   # bytes in one file name (ext4, xfs, btrfs)


def _fitting_name(name: str) -> str:
    """``name``, its stem shortened when needed so that NAME-NNNN.reason.txt still fits in a file name
    (the bytes of a name that is not UTF-8 are kept as they are)."""
    room = NAME_MAX - len(".reason.txt") - len("-9999")
    raw = os.fsencode(name)
    if len(raw) <= room:
        return name
    stem, suffix = os.fsencode(Path(name).stem), os.fsencode(Path(name).suffix)[:16]
    stem = stem[: room - len(suffix)]
    while stem:   # do not cut a UTF-8 character in two
        try:
            stem.decode("utf-8")
            break
        except UnicodeDecodeError as err:
            if err.start < len(stem) - 4:
                break   # not UTF-8 anyway: keep the bytes
            stem = stem[:-1]
    return os.fsdecode(stem + suffix)
