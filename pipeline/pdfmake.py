"""Making real PDFs: bilingual text pages (reportlab, DejaVu), a throwaway signer, signing (pyHanko), an
image-only "scanned" copy and encrypted copies.

The demo command and the test suite both use it, so it is library code with its heavy imports inside the
functions.
"""
from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import ToolFailedError, ToolMissingError
from .fsutil import atomic_write_bytes

FONT_FOLDER = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {"DejaVuSans": "DejaVuSans.ttf", "DejaVuSans-Bold": "DejaVuSans-Bold.ttf"}
PAGE_MARGIN = 56  # points: about 2 cm
BODY_SIZE = 11
FOOTER_SIZE = 8


def register_fonts() -> None:
    """Register DejaVu Sans (regular, bold) with reportlab once; Latin and Cyrillic in one font."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, file_name in FONT_FILES.items():
        if name in registered:
            continue
        font_path = FONT_FOLDER / file_name
        if not font_path.is_file():
            raise ToolMissingError(f"font {font_path} is missing: install the Debian package fonts-dejavu-core")
        pdfmetrics.registerFont(TTFont(name, str(font_path)))


def text_to_pdf(path, pages: list[str], footer: str | None = None, title: str | None = None, *,
                author: str | None = None, subject: str | None = None, keywords: str | None = None,
                font_size: float = BODY_SIZE, reproducible: bool = False) -> Path:
    """Write an A4 PDF with a real text layer: each string of ``pages`` starts a new page (text that does
    not fit continues on the next one), lines wrapped to the margins, blank lines kept as paragraph breaks.
    ``title`` is printed in bold on the first page and stored as the PDF title; ``footer`` (e.g. the
    reference code) is printed at the bottom of every page with the page number. ``reproducible`` fixes
    the dates and ids so that the same input gives the same bytes. The file is written atomically."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    register_fonts()
    width, height = A4
    text_width = width - 2 * PAGE_MARGIN
    leading = font_size * 1.35
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1 if reproducible else 0)
    pdf.setTitle(title or "")
    pdf.setAuthor(author or "")
    pdf.setSubject(subject or "")
    pdf.setKeywords(keywords or "")
    pdf.setCreator("taskforce")
    bottom = PAGE_MARGIN + 2 * FOOTER_SIZE
    state = {"page": 0, "y": 0.0}

    def finish_page() -> None:
        # drawn last so that text extraction reads the footer after the body
        pdf.setFont("DejaVuSans", FOOTER_SIZE)
        label = f"{footer} · {state['page']}" if footer else str(state["page"])
        pdf.drawCentredString(width / 2, PAGE_MARGIN, label)
        pdf.showPage()

    def new_page() -> None:
        if state["page"]:
            finish_page()
        state["page"] += 1
        state["y"] = height - PAGE_MARGIN

    def write_line(line: str, font: str, size: float, line_leading: float) -> None:
        if state["y"] - line_leading < bottom:
            new_page()
        state["y"] -= line_leading
        pdf.setFont(font, size)
        pdf.drawString(PAGE_MARGIN, state["y"], line)

    for page_index, page_text in enumerate(pages or [""]):
        new_page()
        if page_index == 0 and title:
            for line in simpleSplit(title, "DejaVuSans-Bold", font_size + 3, text_width):
                write_line(line, "DejaVuSans-Bold", font_size + 3, (font_size + 3) * 1.35)
            state["y"] -= leading / 2
        for paragraph in page_text.split("\n"):
            lines = simpleSplit(paragraph, "DejaVuSans", font_size, text_width) or [""]
            for line in lines:
                write_line(line, "DejaVuSans", font_size, leading)
    finish_page()
    pdf.save()
    path = Path(path)
    atomic_write_bytes(path, buffer.getvalue())
    return path


def require_program(name: str, package: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise ToolMissingError(f"{name} is not installed: install the Debian package {package}")
    return found


def run_program(command: list[str], what: str, timeout: float = 300) -> None:
    try:
        result = subprocess.run(command, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise ToolFailedError(f"{what} took longer than {timeout:g} s") from None
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", errors="replace").strip() or f"exit status {result.returncode}"
        raise ToolFailedError(f"{what} failed: {detail}")


def scratch_folder():
    return tempfile.TemporaryDirectory(prefix="taskforce-pdfmake-")
