"""A watched folder (``taskforce watch DIR``): every file dropped into DIR is ingested through the same use
case as ``taskforce ingest`` once it has stopped growing, then moved to DIR/done/ or DIR/rejected/ with a
NAME.reason.txt beside it.

Stopping at any moment loses no file and ingests none twice. The protocol, every step an atomic rename within
DIR (one file system):

1. a file whose size and modification time did not change over one interval is *claimed*: renamed into
   DIR/.inflight/ (a second watcher, or the archivist dropping a new file of the same name, cannot meet it);
2. it is ingested from there (:func:`pipeline.usecases.archiving.ingest`): the archive commits it, or refuses
   it as a byte-identical duplicate of an archived document, or rejects it;
3. its note is written (atomically) beside where it goes, then it is renamed into done/ or rejected/.

A watcher that starts finds in .inflight/ only what a stopped one claimed (one watcher per folder: a lock
file), and ingests those files first, without waiting: one committed before the stop comes back as a
duplicate of its archived document, and is moved to done/ saying so (its index entry is brought up to date
too, in case the stop came between the commit and the index's update). The archive's own journal finishes
or undoes a commit that was cut in the middle. No polling library is used: a plain ``os.scandir`` every
interval costs nothing at this scale (a folder of tens of files), works on network shares where inotify sees
nothing, and adds no dependency.
"""
from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from ..archive.eventlog import agent, utc_now
from ..archive.intake import Outcome
from ..archive.metadata import Given
from ..archive.quarantine import _fitting_name
from ..errors import BusyError, NotFoundError
from ..fsutil import atomic_write_bytes, checkpoint, fsync_dir
from ..workspace import Workspace
from . import archiving

DONE, REJECTED, INFLIGHT = "done", "rejected", ".inflight"
LOCK = ".taskforce-watch.lock"
NOTE = ".reason.txt"
DEFAULT_INTERVAL = 5.0


@dataclass
class Moved:
    """What became of one file of the watched folder: its ingest outcome and where it went."""

    outcome: Outcome
    moved_to: Path                     # done/NAME or rejected/NAME
    recovered: bool = False            # claimed by a watcher that was stopped before it could move it
    index_error: str | None = None


@dataclass
class Growth:
    """What each file looked like at the last scan: (size, mtime in ns) and when that was first seen."""

    seen: dict[str, tuple[tuple[int, int], float]] = field(default_factory=dict)

    def stable(self, entries: dict[str, tuple[int, int]], interval: float, now: float) -> list[str]:
        """The names whose size and modification time have not changed for ``interval`` seconds."""
        ready = []
        for name, shape in entries.items():
            before = self.seen.get(name)
            if before is None or before[0] != shape:
                self.seen[name] = (shape, now)
            elif now - before[1] >= interval:
                ready.append(name)
        for gone in set(self.seen) - set(entries):
            del self.seen[gone]
        return sorted(ready)


class Watcher:
    """The watched folder ``folder`` of workspace ``ws``: ``run_once`` and ``run`` ingest what is ready."""

    def __init__(self, ws: Workspace, folder: Path, options: Given = Given(), interval: float = DEFAULT_INTERVAL,
                 limits=None, on_each: Callable[[Moved], None] | None = None, on_progress=None,
                 on_file: Callable[[int, int, str], None] | None = None):
        """``on_each(moved)`` after each file; ``on_file(n, m, name)`` as the n-th of the m files ready starts;
        ``on_progress(name, pages done, pages to OCR)`` during a scan's OCR."""
        self.ws = ws.require()
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise NotFoundError(f"there is no folder {folder} to watch")
        self.options = options
        self.interval = interval
        self.limits = limits
        self.on_each = on_each or (lambda moved: None)
        self.on_progress = on_progress
        self.on_file = on_file or (lambda number, total, name: None)
        self.growth = Growth()
        self._lock_fd: int | None = None

    # --- one watcher per folder ---

    def __enter__(self):
        import fcntl

        fd = os.open(self.folder / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise BusyError(f"another 'taskforce watch' is watching {self.folder} (lock {self.folder / LOCK}); "
                            f"stop it first, or watch another folder") from None
        self._lock_fd = fd
        for name in (DONE, REJECTED, INFLIGHT):
            (self.folder / name).mkdir(exist_ok=True)
        return self

    def __exit__(self, *exc):
        if self._lock_fd is not None:
            os.close(self._lock_fd)     # closing releases the lock; the file stays (removing it would race)
            self._lock_fd = None

    # --- the loop ---

    def run(self, stop: Callable[[], bool] = lambda: False) -> None:
        """Watch until ``stop()`` is true (checked every interval), or for ever."""
        self.recover()
        while not stop():
            self.step(time.monotonic())
            time.sleep(self.interval)

    def run_once(self) -> list[Moved]:
        """Ingest what a stopped watcher left, then what is in the folder and stops growing over one interval;
        files still growing then are left for the next run."""
        moved = self.recover()
        self.step(time.monotonic())
        time.sleep(self.interval)
        moved += self.step(time.monotonic())
        return moved

    def recover(self) -> list[Moved]:
        """Finish the files a stopped watcher had claimed (in .inflight/)."""
        claimed = sorted(self._files(self.folder / INFLIGHT))
        moved = []
        for number, path in enumerate(claimed, start=1):
            self.on_file(number, len(claimed), path.name)
            moved.append(self._ingest(path, recovered=True))
        return moved

    def step(self, now: float) -> list[Moved]:
        """Look at the folder once; claim and ingest each file that stopped growing."""
        entries = {}
        for path in self._files(self.folder):
            try:
                info = path.stat()
            except FileNotFoundError:
                continue
            entries[path.name] = (info.st_size, info.st_mtime_ns)
        moved = []
        ready = self.growth.stable(entries, self.interval, now)
        for number, name in enumerate(ready, start=1):
            self.on_file(number, len(ready), name)
            claimed = self.folder / INFLIGHT / name
            try:
                os.rename(self.folder / name, claimed)      # atomic: the file is ours, whatever comes after
            except FileNotFoundError:
                continue
            fsync_dir(self.folder)
            checkpoint("watch-claimed")
            moved.append(self._ingest(claimed))
            del self.growth.seen[name]
        return moved

    @staticmethod
    def _files(folder: Path) -> Iterator[Path]:
        """The regular files of ``folder`` (not below it), hidden ones left out (a copy in progress, our lock)."""
        with os.scandir(folder) as entries:
            for entry in entries:
                if not entry.name.startswith(".") and entry.is_file(follow_symlinks=False):
                    yield Path(entry.path)

    # --- one file ---

    def _ingest(self, path: Path, recovered: bool = False) -> Moved:
        claimed_at = path.stat().st_ctime     # the claim's rename changed it; the ingest does not
        if path.suffix.lower() != ".pdf":
            outcome = Outcome(path.name, "rejected", reason="not a PDF: only files named .pdf are ingested")
            index_error = None
        else:
            report = archiving.ingest(self.ws, [path], self.options, limits=self.limits,
                                      on_progress=self.on_progress)
            outcome, index_error = report.outcomes[0], report.index_error
            outcome.file = path.name       # as dropped, not where it was claimed
        if recovered and outcome.outcome == "duplicate" and _archived_after_claim(self.ws, outcome.doc_id, claimed_at):
            # the stopped watcher committed it, maybe before the index's update: bring that entry up to date
            with archiving.archive_changes(self.ws) as changes:
                changes.committed(outcome.doc_id)
            index_error = changes.index_error
        else:
            recovered = False
        checkpoint("watch-ingested")
        target = self._place(path, REJECTED if outcome.outcome == "rejected" else DONE)
        atomic_write_bytes(target.with_name(target.name + NOTE), _note(outcome, recovered).encode("utf-8"))
        checkpoint("watch-noted")
        os.rename(path, target)
        fsync_dir(target.parent)
        fsync_dir(path.parent)
        moved = Moved(outcome, target, recovered, index_error)
        self.on_each(moved)
        return moved

    def _place(self, path: Path, where: str) -> Path:
        """A free name in done/ or rejected/ for ``path`` (NAME, NAME-2, ...). A note without its file (a stop
        between writing the note and the move) does not hold its name."""
        folder = self.folder / where
        name = _fitting_name(path.name)
        target, counter = folder / name, 1
        while target.exists():
            counter += 1
            target = folder / f"{Path(name).stem}-{counter}{Path(name).suffix}"
        return target


def _archived_after_claim(ws: Workspace, doc_id: str, claimed_at: float) -> bool:
    """Whether ``doc_id`` was archived after the file was claimed: then it is the stopped watcher's own commit,
    not an earlier copy of the same bytes."""
    ingested = archiving.document_details(ws, doc_id).get("ingested_at")
    try:
        return dt.datetime.fromisoformat(str(ingested).replace("Z", "+00:00")).timestamp() >= claimed_at - 1
    except ValueError:
        return False


def _note(outcome: Outcome, recovered: bool) -> str:
    if outcome.outcome == "archived":
        said = f"archived as {outcome.doc_id}"
    elif outcome.outcome == "duplicate":
        said = (f"archived as {outcome.doc_id} (the watch was stopped before moving it)" if recovered
                else f"not stored again: identical to the archived {outcome.doc_id}")
    else:
        said = f"rejected: {outcome.reason}"
    lines = [f"file: {outcome.file}", said, f"time: {utc_now()}", f"agent: {agent()}"]
    lines += [f"warning: {warning}" for warning in outcome.details.get("warnings", [])]
    return "\n".join(lines) + "\n"
