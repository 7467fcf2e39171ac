"""The hits as a CSV table: one row builder for both exports, ``taskforce search --csv`` and the web page's
``format=csv`` download (they differ only in their line ends and the web's byte-order mark)."""
from __future__ import annotations

import csv
from typing import IO, Iterable

from ..csvsafe import safe_row
from ..vocab import CSV_COLUMNS
from .readable import without_marks


def csv_row(hit: dict, mark: tuple[str, str]) -> dict:
    """One hit as a row of CSV_COLUMNS: parties and sectors joined by "; ", the snippet without the marks of
    its matched words (``mark``), every cell safe from a spreadsheet's formulas."""
    life = hit.get("life") or {}            # an agreement's status on the day of the search (issue 25)
    return safe_row({**hit, "parties": "; ".join(hit["parties"]), "sectors": "; ".join(hit["sectors"]),
                     "snippet": without_marks(hit.get("snippet") or "", mark), "status": life.get("status") or "",
                     "in_force_on": life.get("in_force_on") or "", "expires_on": life.get("expires_on") or ""})


def write_csv(out: IO[str], hits: Iterable[dict], mark: tuple[str, str], lineterminator: str = "\n") -> None:
    """The header and one row per hit, written to ``out``."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator=lineterminator)
    writer.writeheader()
    for hit in hits:
        writer.writerow(csv_row(hit, mark))
