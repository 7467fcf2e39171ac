"""Page images of archived PDFs, for readers whose browser shows no PDF (phones, headless browsers).

They are derived data: made with poppler's ``pdftoppm`` from the archived original the first time they are
asked for, then kept as files and served as they are. They live outside the write-once archive, in
``index/previews/<SHA-256 of the original>/`` of the workspace, because

- the fixity check (pipeline/archive/fixity.py) reports every file of a document folder that no event of
  the log created ("untracked"), and every top-level entry of archive/ that is not a document; an image
  made at first view is neither logged nor write-once, and an export or a bag must not carry it;
- index/ already holds what is derived from the archive and can be deleted and made again.

The folder is named by the original's SHA-256, not by the document id: an image is a function of the PDF's
bytes alone, so a folder can never describe another file than the one archived (a restored or rebuilt
archive cannot meet stale images), and the hash is also the images' HTTP ETag. Deleting
``index/previews/`` loses nothing; ``prune`` removes the folders of originals no longer archived.

Each image is written atomically (pipeline/fsutil.py): a reader sees a whole PNG or none. Two requests for
the same missing image in one process make it once (a lock per image, striped); two processes may both make it,
and the second rename replaces the first with identical bytes.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import threading
import zlib
from pathlib import Path

from ..errors import NotFoundError, ToolFailedError, ToolMissingError
from ..fsutil import atomic_write_bytes
from ..workspace import Workspace

FOLDER = "previews"               # below the workspace's index/
PAGE_DPI = 110                    # an A4 page is 910 x 1286 pixels: readable on a phone, 50-200 KB
THUMB_PIXELS = 240                # the long side of the first-page thumbnail (shown at 80 CSS pixels, sharp at 3x)
SECONDS = 30.0                    # one pdftoppm run (one page)
SHA256 = re.compile(r"^[0-9a-f]{64}$")

# striped locks: one image is made once at a time in this process, with a bounded number of locks
_LOCKS = [threading.Lock() for _ in range(64)]


def previews_root(ws: Workspace) -> Path:
    return ws.index / FOLDER


def folder_for(ws: Workspace, sha256: str) -> Path:
    if not SHA256.match(sha256 or ""):
        raise NotFoundError(f"no page images for a document without a SHA-256 ({sha256!r})")
    return previews_root(ws) / sha256


def page_name(number: int) -> str:
    return f"page-{number:04d}.png"


THUMB_NAME = "thumb.png"


def page_image(ws: Workspace, original: Path, sha256: str, number: int, pages: int) -> Path:
    """The image of page ``number`` (1-based) of the archived ``original``, made now when missing.

    NotFoundError when the document has no such page; ToolMissingError without pdftoppm; ToolFailedError
    when pdftoppm cannot render the page (an encrypted original: its password is not kept)."""
    if not 1 <= number <= pages:
        raise NotFoundError(f"the document has {pages} pages, not a page {number}")
    target = folder_for(ws, sha256) / page_name(number)
    return _made(target, original, ["-r", str(PAGE_DPI), "-f", str(number), "-l", str(number)])


def thumbnail(ws: Workspace, original: Path, sha256: str) -> Path:
    """A small image of the first page (the long side THUMB_PIXELS), made now when missing."""
    target = folder_for(ws, sha256) / THUMB_NAME
    return _made(target, original, ["-scale-to", str(THUMB_PIXELS), "-f", "1", "-l", "1"])


def cached(ws: Workspace, sha256: str, name: str = THUMB_NAME) -> bool:
    """Whether an image is made already (no rendering)."""
    try:
        return (folder_for(ws, sha256) / name).is_file()
    except NotFoundError:
        return False


def prune(ws: Workspace, keep: set[str]) -> list[str]:
    """Remove the image folders of originals whose SHA-256 is not in ``keep``; the names removed."""
    root = previews_root(ws)
    removed = []
    if root.is_dir():
        for entry in sorted(root.iterdir()):
            if entry.is_dir() and entry.name not in keep:
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry.name)
    return removed


def _lock_for(key: str) -> threading.Lock:
    return _LOCKS[zlib.crc32(key.encode("utf-8")) % len(_LOCKS)]


def _made(target: Path, original: Path, options: list[str]) -> Path:
    if target.is_file():
        return target
    with _lock_for(str(target)):
        if target.is_file():                        # made by another thread meanwhile
            return target
        data = _render(original, options)
        atomic_write_bytes(target, data)
    return target


def _render(original: Path, options: list[str]) -> bytes:
    program = shutil.which("pdftoppm")
    if program is None:
        raise ToolMissingError("page images need pdftoppm: install the Debian package poppler-utils")
    with tempfile.TemporaryDirectory(prefix="taskforce-preview-") as folder:
        prefix = Path(folder) / "image"
        command = [program, "-png", "-singlefile", *options, str(original), str(prefix)]
        try:
            result = subprocess.run(command, capture_output=True, timeout=SECONDS, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise ToolFailedError(f"pdftoppm took longer than {SECONDS:g} s on {original}") from None
        image = prefix.with_suffix(".png")
        if result.returncode != 0 or not image.is_file():
            lines = result.stderr.decode("utf-8", errors="replace").strip().splitlines()
            raise ToolFailedError(f"pdftoppm could not render {original}: "
                                  f"{lines[-1] if lines else f'exit status {result.returncode}'}")
        return image.read_bytes()
