"""Opening an untrusted PDF, shared by text extraction and signature validation: the limits for one file,
the checks that need no parser, pypdf's errors turned into rejections, and the signature fields a reader
sees. :mod:`pipeline.pdf.text` and :mod:`pipeline.pdf.signatures` both build on this module, and neither
needs the other.

pypdf is imported where it is used (it is third-party and takes ~0.1 s to import): the parent process
only checks bytes, and the sandbox's children, which parse, have it preloaded.
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import PdfRejected
from .sandbox import MIB

HEADER_WINDOW = 1024  # the PDF spec allows junk before %PDF-; readers accept it within the first KiB
EOF_WINDOW = 1024  # likewise trailing junk after %%EOF


@dataclass(frozen=True)
class ExtractLimits:
    """Limits for one file. The defaults suit the archive: a 2002 scan of 200 pages at 300 dpi is far
    below them, a hostile file is cut off."""

    max_bytes: int = 500 * MIB
    max_pages: int = 5000
    seconds_per_file: float = 120.0  # text-layer extraction, wall clock, OCR not included
    memory_bytes: int = 2048 * MIB  # address space of the extraction child
    ocr: bool = True
    ocr_seconds_per_page: float = 180.0  # rendering plus recognition of one page, wall clock
    ocr_workers: int = 2
    ocr_dpi: int = 300
    ocr_languages: str = "ita+rus"
    # "ocrmypdf": OCRmyPDF reads the scanned pages and makes the searchable PDF/A copy (pipeline/pdf/searchable.py),
    # when it and Ghostscript are installed; "tesseract": pdftoppm and tesseract page by page, no copy
    ocr_engine: str = "ocrmypdf"
    # a short page with no image on it (the end of a born-digital text) has nothing for OCR to read
    ocr_pages_without_images: bool = False
    min_chars: int = 50
    min_letter_share: float = 0.5


def check_bytes(path: Path, limits: ExtractLimits) -> None:
    """The checks that need no parser: the file exists, is not empty or too big, starts like a PDF and
    ends like one (a truncated download lacks the final %%EOF)."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise PdfRejected("not a regular file", path)
        with path.open("rb") as handle:
            head = handle.read(HEADER_WINDOW)
            handle.seek(max(0, size - EOF_WINDOW))
            tail = handle.read(EOF_WINDOW)
    except FileNotFoundError:
        raise PdfRejected("no such file", path) from None
    except OSError as err:
        raise PdfRejected(f"cannot read the file: {err.strerror}", path) from None
    if size == 0:
        raise PdfRejected("empty file (0 bytes)", path)
    if size > limits.max_bytes:
        raise PdfRejected(f"too big: {size / MIB:.1f} MiB, the limit is {limits.max_bytes / MIB:.0f} MiB", path)
    if b"%PDF-" not in head:
        raise PdfRejected(f"not a PDF: no %PDF- header in the first {HEADER_WINDOW} bytes", path)
    if b"%%EOF" not in tail:
        raise PdfRejected(f"truncated: no %%EOF marker in the last {EOF_WINDOW} bytes", path)


@contextlib.contextmanager
def rejecting_unreadable():
    """Turn what pypdf raises on a damaged or unsupported file into :class:`PdfRejected`."""
    from pypdf.errors import PyPdfError

    try:
        yield
    except NotImplementedError as err:
        # pypdf implements only the standard (password) security handler; /Adobe.PubSec and others end here
        raise PdfRejected(f"encrypted with a certificate or an unknown security handler, which pypdf cannot "
                          f"open ({err}); ask the sender for an unencrypted copy") from None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError,
            UnicodeError, OSError) as err:
        raise PdfRejected(f"damaged PDF: pypdf cannot read it ({type(err).__name__}: {err})") from None


def open_pdf(path: str, password: str | None):
    """(pypdf reader, the password that opened it or None), decrypted with the empty user password or
    ``password``; raise :class:`PdfRejected` when it cannot be opened. Call inside
    :func:`rejecting_unreadable`, with any further reading."""
    from pypdf import PasswordType, PdfReader

    reader = PdfReader(path, strict=False)
    if not reader.is_encrypted or reader.decrypt("") != PasswordType.NOT_DECRYPTED:
        return reader, None
    if password is None:
        raise PdfRejected("pdf.password_needed", field="password")
    if reader.decrypt(password) == PasswordType.NOT_DECRYPTED:
        raise PdfRejected("pdf.password_wrong", field="password")
    return reader, password


def find_signature_fields(reader) -> list[dict]:
    """[{"field": name, "kind": "signature" | "timestamp"}] for every signed field of a pypdf reader;
    empty (unsigned) signature fields are left out."""
    found = []
    for name, field in (reader.get_fields() or {}).items():
        if field.get("/FT") != "/Sig":
            continue
        value = field.get("/V")
        if value is None:
            continue
        value = value.get_object()
        if not hasattr(value, "get"):
            continue
        kind = "timestamp" if value.get("/Type") == "/DocTimeStamp" else "signature"
        found.append({"field": str(name), "kind": kind})
    return found
