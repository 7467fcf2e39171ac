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

A hostile or merely huge PDF must not take the server down (issue 26): a page's image is made at PAGE_DPI up to
MAX_PAGE_PIXELS, at a lower resolution beyond (its size is read first with ``pdfinfo``,
pipeline/pdf/pagesize.py); ``pdfinfo`` and ``pdftoppm`` run with a memory and CPU limit in the child and a
wall-clock limit; at most RENDERS_AT_ONCE run at a time in the process; and a failure is remembered like a
success, as a ``.failed`` file beside where the image would be, for which the placeholder image is served:
the next request neither renders again nor waits. Deleting the folder forgets the failures too.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import threading
import zlib
from pathlib import Path

from ..errors import BusyError, NotFoundError, ToolFailedError, ToolMissingError
from ..fsutil import atomic_write_bytes
from ..pdf.pagesize import render_dpi
from ..workspace import Workspace

FOLDER = "previews"               # below the workspace's index/
THUMB_PIXELS = 240                # the long side of the first-page thumbnail (shown at 80 CSS pixels, sharp at 3x)
SECONDS = 30.0                    # one pdftoppm run (one page), wall clock; its CPU time is limited alike
MEMORY_BYTES = 1024 * 1024 * 1024  # address space of one pdftoppm or pdfinfo run (a page at the pixel cap: ~50 MB)
RENDERS_AT_ONCE = 2               # pdftoppm runs of this process at a time; a request waits up to SECONDS for one
SHA256 = re.compile(r"^[0-9a-f]{64}$")
FAILED = ".failed"                # beside an image that could not be made: why (the placeholder is served)
PLACEHOLDER = Path(__file__).resolve().parent / "static" / "no-image.png"
PAGE_SIZE = re.compile(r"^Page\s+\d+\s+size:\s+([\d.]+)\s+x\s+([\d.]+)\s+pts", re.M)
PAGE_ROTATION = re.compile(r"^Page\s+\d+\s+rot:\s+(\d+)", re.M)

# striped locks: one image is made once at a time in this process, with a bounded number of locks
_LOCKS = [threading.Lock() for _ in range(64)]
_SLOTS = threading.BoundedSemaphore(RENDERS_AT_ONCE)


def previews_root(ws: Workspace) -> Path:
    return ws.index / FOLDER


def folder_for(ws: Workspace, sha256: str) -> Path:
    if not SHA256.match(sha256 or ""):
        raise NotFoundError(f"no page images for a document without a SHA-256 ({sha256!r})")
    return previews_root(ws) / sha256


def page_name(number: int) -> str:
    return f"page-{number:04d}.png"


THUMB_NAME = "thumb.png"


def available() -> bool:
    """Whether page images can be made at all (pdftoppm is installed)."""
    return shutil.which("pdftoppm") is not None


def page_image(ws: Workspace, original: Path, sha256: str, number: int, pages: int) -> Path:
    """The image of page ``number`` (1-based) of the archived ``original``, made now when missing; the
    placeholder when it cannot be made (now or before: see the module's note).

    NotFoundError when the document has no such page; ToolMissingError without pdftoppm; BusyError when no
    render slot frees up in time."""
    if not 1 <= number <= pages:
        raise NotFoundError(f"the document has {pages} pages, not a page {number}")
    target = folder_for(ws, sha256) / page_name(number)

    def options() -> list[str]:
        width, height = page_size(original, number)
        return ["-r", f"{render_dpi(width, height):g}", "-f", str(number), "-l", str(number)]
    return _made(target, original, options)


def thumbnail(ws: Workspace, original: Path, sha256: str) -> Path:
    """A small image of the first page (the long side THUMB_PIXELS), made now when missing; the placeholder
    when it cannot be made. Its size is bounded whatever the page's: no size check."""
    target = folder_for(ws, sha256) / THUMB_NAME
    return _made(target, original, lambda: ["-scale-to", str(THUMB_PIXELS), "-f", "1", "-l", "1"])


def cached(ws: Workspace, sha256: str, name: str = THUMB_NAME) -> bool:
    """Whether an image is made already (no rendering)."""
    try:
        return (folder_for(ws, sha256) / name).is_file()
    except NotFoundError:
        return False


def failure(target: Path) -> Path:
    return target.with_name(target.name + FAILED)


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


def _made(target: Path, original: Path, options) -> Path:
    if target.is_file():
        return target
    if failure(target).is_file():
        return PLACEHOLDER
    with _lock_for(str(target)):
        if target.is_file():                        # made by another thread meanwhile
            return target
        if failure(target).is_file():
            return PLACEHOLDER
        if not _SLOTS.acquire(timeout=SECONDS):
            raise BusyError(f"{RENDERS_AT_ONCE} page images are being made; try again in a moment")
        try:
            data = _render(original, options())
        except ToolFailedError as err:             # remembered: the next request gets the placeholder at once
            atomic_write_bytes(failure(target), (err.message + "\n").encode("utf-8"))
            return PLACEHOLDER
        finally:
            _SLOTS.release()
        atomic_write_bytes(target, data)
    return target


def _run(command: list[str], what: str, original: Path) -> subprocess.CompletedProcess:
    """``command`` run with its memory and CPU time bounded (a huge page or image fails fast) and a wall-clock
    limit. The limits are set by a shell in the child before it becomes the program (``preexec_fn`` is not
    safe in a threaded server such as waitress)."""
    limited = ["/bin/sh", "-c", f"ulimit -v {MEMORY_BYTES // 1024} && ulimit -t {int(SECONDS) + 1} && "
               f'exec "$0" "$@"', *command]
    try:
        return subprocess.run(limited, capture_output=True, timeout=SECONDS, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise ToolFailedError(f"{what} took longer than {SECONDS:g} s on {original}") from None


def page_size(original: Path, number: int) -> tuple[float, float]:
    """The size in points of page ``number`` as shown (turned by its rotation), read with pdfinfo."""
    program = shutil.which("pdfinfo")
    if program is None:
        raise ToolMissingError("page images need pdfinfo: install the Debian package poppler-utils")
    result = _run([program, "-f", str(number), "-l", str(number), str(original)], "pdfinfo", original)
    output = result.stdout.decode("utf-8", errors="replace")
    size, rotation = PAGE_SIZE.search(output), PAGE_ROTATION.search(output)
    if result.returncode != 0 or size is None:
        raise ToolFailedError(f"pdfinfo could not read the size of page {number} of {original}")
    width, height = float(size[1]), float(size[2])
    return (height, width) if rotation and int(rotation[1]) % 180 == 90 else (width, height)


def _render(original: Path, options: list[str]) -> bytes:
    program = shutil.which("pdftoppm")
    if program is None:
        raise ToolMissingError("page images need pdftoppm: install the Debian package poppler-utils")
    with tempfile.TemporaryDirectory(prefix="taskforce-preview-") as folder:
        prefix = Path(folder) / "image"
        command = [program, "-png", "-singlefile", *options, str(original), str(prefix)]
        result = _run(command, "pdftoppm", original)
        image = prefix.with_suffix(".png")
        if result.returncode != 0 or not image.is_file():
            lines = result.stderr.decode("utf-8", errors="replace").strip().splitlines()
            raise ToolFailedError(f"pdftoppm could not render {original}: "
                                  f"{lines[-1] if lines else f'exit status {result.returncode}'}")
        return image.read_bytes()
