"""The staging area of the browser's intake: uploaded files waiting for an archivist's review, OUTSIDE the
write-once archive (WORKSPACE/intake/<batch id>/), so that nothing staged reaches the archive or the index
before it is confirmed.

Every folder is owner-only (0700) and every file 0600. The names on disk are generated here (``f001.pdf``,
``manifest.csv``, ``state.json``); the name the user's browser gave a file is kept as data in the batch's
state, never used as a path. The state is a JSON file rewritten atomically, so a batch survives a restart of
the server and a preparation stopped half-way is taken up again where it stopped.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import secrets
import shutil
import time
from pathlib import Path
from typing import BinaryIO, Iterator

from ..errors import NotFoundError
from ..fsutil import atomic_write_bytes, fsync_dir
from ..workspace import Workspace

FOLDER = "intake"
STATE = "state.json"
MANIFEST = "manifest.csv"
PREPARING_LOCK = "preparing.lock"
STATE_LOCK = "state.lock"
BATCH_ID = re.compile(r"[a-z0-9]{16}")
PRIVATE_FOLDER, PRIVATE_FILE = 0o700, 0o600


def staging_root(ws: Workspace) -> Path:
    root = ws.home / FOLDER
    root.mkdir(mode=PRIVATE_FOLDER, exist_ok=True)
    os.chmod(root, PRIVATE_FOLDER)
    return root


def file_name(number: int) -> str:
    """The generated name of a batch's file ``number`` (from 1)."""
    return f"f{number:03d}.pdf"


def batch_folder(ws: Workspace, batch_id: str) -> Path:
    """The folder of an existing batch; NotFoundError for an id that is not one (never a path made of it)."""
    if not BATCH_ID.fullmatch(batch_id or ""):
        raise NotFoundError("intake.no_batch", batch=batch_id)
    folder = staging_root(ws) / batch_id
    if not (folder / STATE).is_file():
        raise NotFoundError("intake.no_batch", batch=batch_id)
    return folder


def _write_private(path: Path, data: bytes) -> None:
    atomic_write_bytes(path, data, mode=PRIVATE_FILE)


def _write_stream(path: Path, stream: BinaryIO) -> int:
    """Copy ``stream`` into the new private file ``path``; its size."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    with os.fdopen(fd, "wb") as handle:
        shutil.copyfileobj(stream, handle)
        handle.flush()
        os.fsync(handle.fileno())
        return handle.tell()


def new_batch(ws: Workspace, uploads: list[tuple[str, BinaryIO]], manifest: bytes | None, user: str) -> str:
    """Stage ``uploads`` [(the user's file name, a stream of its bytes)] and the manifest; the new batch's id."""
    batch_id = secrets.token_hex(8)
    folder = staging_root(ws) / batch_id
    folder.mkdir(mode=PRIVATE_FOLDER)
    files = []
    for number, (name, data) in enumerate(uploads, start=1):
        size = _write_stream(folder / file_name(number), data)
        files.append({"n": number, "name": name, "size": size, "status": "waiting"})
    if manifest is not None:
        _write_private(folder / MANIFEST, manifest)
    state = {"id": batch_id, "user": user, "created": time.time(), "files": files, "manifest": manifest is not None,
             "progress": {"file": 0, "files": len(files)}}
    write_state(folder, state)
    fsync_dir(folder)
    return batch_id


def read_state(folder: Path) -> dict:
    return json.loads((folder / STATE).read_text(encoding="utf-8"))


def write_state(folder: Path, state: dict) -> None:
    _write_private(folder / STATE, json.dumps(state, ensure_ascii=False, indent=1, default=str).encode("utf-8"))


@contextlib.contextmanager
def changing(folder: Path) -> Iterator[dict]:
    """The batch's state to change, written back when the block ends; one changer at a time (the preparing
    thread and the archivist's clicks)."""
    fd = os.open(folder / STATE_LOCK, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        state = read_state(folder)
        yield state
        write_state(folder, state)
    finally:
        os.close(fd)


def batches(ws: Workspace) -> list[dict]:
    """The state of every staged batch, newest first."""
    found = []
    for folder in staging_root(ws).iterdir():
        if BATCH_ID.fullmatch(folder.name) and (folder / STATE).is_file():
            with contextlib.suppress(OSError, ValueError):
                found.append(read_state(folder))
    return sorted(found, key=lambda state: state.get("created", 0), reverse=True)


@contextlib.contextmanager
def preparing(folder: Path) -> Iterator[bool]:
    """Hold the batch's preparation lock: True when this caller prepares, False when another thread or
    process already does (the lock dies with its process: a server restarted mid-way takes the batch up)."""
    fd = os.open(folder / PREPARING_LOCK, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def is_preparing(folder: Path) -> bool:
    with preparing(folder) as mine:
        return not mine


def remove_file(folder: Path, number: int) -> None:
    """Remove a staged file (discarded, or archived: the archive holds its own copy)."""
    (folder / file_name(number)).unlink(missing_ok=True)


def remove_batch_if_done(folder: Path, state: dict) -> bool:
    """Remove the batch's folder once none of its files waits for a decision."""
    if any(item["status"] not in ("archived", "discarded") for item in state["files"]):
        return False
    for child in folder.iterdir():
        child.unlink()
    folder.rmdir()
    return True
