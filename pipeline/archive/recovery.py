"""Finishing or undoing what a crashed process left in the archive (called with the archive lock held).

A commit writes ``.journal.json`` (the files it requires and the events to log) before the rename that
commits; a crash after the rename leaves the journal, and the events it lists are appended here. A crash
before it leaves only scratch files: the journal is dropped and the scratch folder of the dead process
removed. Each live process holds an exclusive flock on its scratch folder's NAME.lock file; the kernel drops
it when the process dies, however it dies, which is how a dead process's folder is told from a live one's.
"""
from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path

from ..fsutil import TEMP_PREFIX, fsync_dir
from .eventlog import EventLog
from .layout import JOURNAL_NAME, SCRATCH, remove_tree


def finish_interrupted(root: Path, log: EventLog) -> list[str]:
    """Complete a commit whose files are all in place, discard one that had not taken place, and remove the
    temporary files of atomic writes. Returns what was done."""
    done = log.recover()
    journal = root / JOURNAL_NAME
    # temporary files of atomic writes: at the top, and in a document folder only during an edit,
    # which writes its journal first
    folders = [root]
    if journal.exists():
        try:
            pending = json.loads(journal.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError):
            pending = {"requires": [None], "events": []}  # cannot happen with atomic writes; drop it
        folders += [(root / name).parent for name in pending["requires"] if name]
        if all(name and (root / name).exists() for name in pending["requires"]):
            known = log.known_ids()
            missing = [event for event in pending["events"] if event["event_id"] not in known]
            log.append(missing)
            done.append(f"completed an interrupted commit ({', '.join(pending['requires'])})")
        else:
            done.append("discarded an interrupted commit that had not taken place")
        journal.unlink()
        fsync_dir(root)
    for folder in folders:
        for leftover in folder.glob(TEMP_PREFIX + "*"):
            leftover.unlink()
            done.append(f"removed the temporary file {leftover.name}")
    return done


def clean_scratch(root: Path, own: Path | None) -> list[str]:
    """Remove the scratch folders of processes that are gone (``own``, this process's, is kept)."""
    done = []
    scratch = root / SCRATCH
    if not scratch.is_dir():
        return done
    for entry in sorted(scratch.iterdir()):
        if own is not None and entry.name in (own.name, own.name + ".lock"):
            continue
        if entry.suffix == ".lock":
            # A live process closing its scratch (without the archive lock) may remove its folder and
            # lock file at any moment: a file gone meanwhile is its, and already cleaned.
            try:
                fd = os.open(entry, os.O_RDWR)
            except FileNotFoundError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue  # its process is alive
            try:
                remove_tree(entry.with_suffix(""))
                entry.unlink(missing_ok=True)
            finally:
                os.close(fd)
            done.append(f"removed the scratch folder of a stopped process ({entry.stem})")
        elif entry.is_dir() and not entry.with_name(entry.name + ".lock").exists():
            remove_tree(entry)
            done.append(f"removed an orphaned scratch folder ({entry.name})")
    return done
