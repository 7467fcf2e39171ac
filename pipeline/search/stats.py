"""Counts of archived (signed) documents by session, year, sector, type or host country, and their chart.

Counted from the archive's own metadata, not from the search index, so that the numbers hold even when the
index is out of date.
"""
from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

from ..access import STAFF, Reader
from ..archive.document import Document
from ..archive.reading import ArchiveReader
from ..errors import ValidationError
from ..fsutil import atomic_write_bytes
from ..sessions.registry import readable_sessions
from ..workspace import Workspace
from .labels import add_names, completed

DIMENSIONS = ("session", "year", "sector", "type", "country")
LABELS = {"session": "Session", "year": "Year of signature", "sector": "Sector", "type": "Type of document",
          "country": "Host country of the session"}


def count_documents(ws: Workspace, by: str = "session", reader: Reader = STAFF) -> dict:
    """Counts by ``by`` of the documents ``reader`` may see (pipeline/access.py: the web page's anonymous
    visitors see public ones). By sector, also ``names``: each sector's {"it", "ru"} (pipeline/search/labels.py)."""
    return count_by(ws, (by,), reader)[by]


def count_by(ws: Workspace, dimensions, reader: Reader = STAFF) -> dict[str, dict]:
    """``count_documents`` of each of ``dimensions``, the archive's records read once for all of them."""
    for by in dimensions:
        if by not in DIMENSIONS:
            raise ValidationError("value.choice", field="by", value=by, allowed=", ".join(DIMENSIONS))
    records, problems = ArchiveReader(ws).records()
    documents = [Document.from_record(record) for record in records if reader.may_see(record.confidentiality)
                 and not record.withdrawn]   # withdrawn: counted for no one, as if it did not exist
    countries = {s.number: s.country for s in readable_sessions(ws)}
    return {by: _counted(by, documents, problems, countries) for by in dimensions}


def _counted(by: str, documents: list[Document], problems, countries: dict) -> dict:
    counts: Counter = Counter()
    names: dict = {}
    for document in documents:
        if by == "session":
            counts[document.session] += 1
        elif by == "year":
            counts[document.year or "undated"] += 1
        elif by == "sector":
            for sector in document.sectors or ["(none)"]:
                counts[sector] += 1
            add_names(names, document)
        elif by == "type":
            counts[document.type] += 1
        else:
            counts[countries.get(document.session, "unknown")] += 1
    numeric = by in ("session", "year")
    ordered = sorted(counts.items(), key=(lambda kv: (isinstance(kv[0], str), kv[0])) if numeric
                     else (lambda kv: (-kv[1], str(kv[0]))))
    result = {"by": by, "documents": len(documents), "counts": [{by: key, "documents": n} for key, n in ordered],
              "unreadable": [p.as_dict() for p in problems]}
    if by == "sector":          # each sector's names in both languages, as far as the visible documents know
        result["names"] = completed(names)
    return result


def draw_chart(result: dict, path: Path) -> Path:
    """A labelled bar chart of ``count_documents``'s result, written atomically as PNG."""
    if Path(path).suffix.lower() != ".png":
        raise ValidationError(f"{path}: the chart is a PNG file; give a name ending in .png")
    atomic_write_bytes(Path(path), chart_png(result))
    return Path(path)


def chart_png(result: dict, title: str | None = None, xlabel: str | None = None,
              ylabel: str = "Signed documents") -> bytes:
    """The bar chart of ``count_documents``'s result as PNG bytes (labels may be given in another language)."""
    from matplotlib.figure import Figure   # no pyplot: no global state, safe in a threaded web server

    by = result["by"]
    labels = [str(row[by]) for row in result["counts"]]
    values = [row["documents"] for row in result["counts"]]
    width = max(6.0, min(24.0, 0.35 * len(labels) + 2))
    figure = Figure(figsize=(width, 4.5), dpi=100)
    axes = figure.subplots()
    bars = axes.bar(range(len(values)), values, color="#2b5d8a")
    axes.set_xticks(range(len(labels)), labels, rotation=0 if by in ("session", "year", "country") and
                    len(labels) < 25 else 60, ha="center" if len(labels) < 25 else "right", fontsize=8)
    axes.bar_label(bars, fontsize=7)
    axes.set_xlabel(xlabel or LABELS[by])
    axes.set_ylabel(ylabel)
    axes.set_title(title or f"Italy–Russia Task Force: signed documents by {by} ({result['documents']} in all)")
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
