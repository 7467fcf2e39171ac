"""CSV cells that a spreadsheet will not run as formulas (CSV or "formula" injection).

A document's title, parties or place come from the PDF or from whoever ingested it; opened in Excel or
LibreOffice, a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before one)
is a formula: ``=HYPERLINK(...)`` becomes a live link, ``=cmd|...`` a command on old Excel. OWASP's rule:
such a cell gets a leading single quote, which the spreadsheet shows as text. Genuine numbers (an int or
float, or text that is a plain decimal number such as ``-3`` or ``+7.25``) are left as they are.

Used by both exports: the web page's ``format=csv`` and ``taskforce search --csv``.
"""
from __future__ import annotations

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def safe_cell(value):
    """``value`` for a CSV cell: None as empty, numbers unchanged, text that could start a formula quoted."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    if text.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def safe_row(row: dict) -> dict:
    """Every cell of ``row`` through safe_cell."""
    return {key: safe_cell(value) for key, value in row.items()}
