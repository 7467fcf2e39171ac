"""The progress line of ``ingest`` and ``watch`` on a terminal: "file n of m" and, while a scan is read,
"OCR page n of m, about S s left". It is redrawn in place on standard error and cleared before each
result line, so that standard output keeps one line per file; nothing is drawn when standard error is not a
terminal (a log, a pipe, cron) or with --json. When the first scan's OCR starts without OCRmyPDF (not
installed), a note says so, once, whatever the output."""
from __future__ import annotations

import sys
import threading
import time

import click

from ..pdf.text import ocr_fallback_reason


class ProgressLine:
    def __init__(self, enabled: bool, stream=None):
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.lock = threading.Lock()       # OCR progress comes from the threads preparing the files
        self.file = ""
        self.ocr = ""
        self.started: dict[str, float] = {}
        self.shown = False
        self.engine_said = False

    def file_started(self, number: int, total: int, name: str = "") -> None:
        with self.lock:
            self.file = f"file {number} of {total}" + (f": {name}" if name else "")
            self._draw()

    def ocr_page(self, name: str, done: int, total: int) -> None:
        """The OCR of ``name``: ``done`` pages of ``total`` read; the time left is estimated from the pace so far."""
        with self.lock:
            if not self.engine_said:       # once per command: the scans are read without OCRmyPDF, and why
                self.engine_said = True
                reason = ocr_fallback_reason()
                if reason:
                    self._clear()
                    click.echo(f"Note: {reason}", err=True)
            now = time.monotonic()
            started = self.started.setdefault(name, now)
            if done >= total:
                self.started.pop(name, None)
                self.ocr = ""
            else:
                left = f", about {(now - started) / done * (total - done):.0f} s left" if done else ""
                self.ocr = f"{name}: OCR page {done + 1} of {total}{left}"
            self._draw()

    def echo(self, line: str, err: bool = False) -> None:
        """Print a result line (the progress line is cleared first and drawn again after it)."""
        with self.lock:
            self._clear()
            click.echo(line, err=err)
            self._draw()

    def close(self) -> None:
        with self.lock:
            self._clear()
            self.enabled = False

    def _draw(self) -> None:
        if not self.enabled:
            return
        text = " · ".join(part for part in (self.file, self.ocr) if part)
        if text:
            width = 120
            self.stream.write("\r\x1b[K" + text[:width])
            self.stream.flush()
            self.shown = True

    def _clear(self) -> None:
        if self.enabled and self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False
