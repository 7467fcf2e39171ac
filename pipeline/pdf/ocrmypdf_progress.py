"""An OCRmyPDF plugin (loaded by :mod:`pipeline.pdf.searchable` in the sandbox's child): its "progress bar"
passes the pages read to the parent process instead of drawing, so that ``ingest`` and ``watch`` show
"OCR page n of m" on a terminal."""
from __future__ import annotations

from ocrmypdf import hookimpl

from .sandbox import report_progress


class PagesRead:
    """OCRmyPDF's ProgressBar protocol; only the OCR step (counted in pages) is reported."""

    def __init__(self, *, total=None, desc=None, unit=None, disable=False, **_):
        self.total = int(total or 0)
        self.reporting = desc == "OCR" and unit == "page" and self.total > 0
        self.done = 0.0

    def __enter__(self):
        if self.reporting:
            report_progress((0, self.total))
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n=1, *, completed=None):
        before = int(self.done)
        self.done = float(completed) if completed is not None else self.done + float(n or 0)
        if self.reporting and int(self.done) != before:
            report_progress((min(int(self.done), self.total), self.total))


@hookimpl
def get_progressbar_class():
    return PagesRead
