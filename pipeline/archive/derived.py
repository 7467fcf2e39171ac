"""The searchable PDF/A copy of a scan (OCRmyPDF's, pipeline/pdf/searchable.py), kept as derived data outside
the write-once archive: ``index/searchable/<SHA-256 of the original>.pdf``. Named by the original's hash, a
copy can only describe the bytes it was made from; keeping it is best effort (it is made again on demand),
so a failure to keep it never fails the ingest."""
from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from ..fsutil import fsync_dir
from ..pdf.searchable import copy_path
from ..workspace import Workspace

log = logging.getLogger("taskforce.archive")


def keep_searchable_copy(ws: Workspace, made: Path, sha256: str) -> Path | None:
    """Move the copy ``made`` (in the scratch folder) to its place; the place, or None when it could not be
    kept."""
    target = copy_path(ws, sha256)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(made, target)             # the scratch folder and index/ share the workspace's disk
        except OSError:                          # index/ mounted elsewhere: copy, then rename in place
            temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            shutil.copyfile(made, temporary)
            os.replace(temporary, target)
        fsync_dir(target.parent)
    except OSError as err:
        log.warning("the searchable copy of %s was not kept (%s); it is made again when asked for", sha256, err)
        return None
    return target
