"""A batch to ingest: the files named on the command line (folders walked), and the rows of a manifest CSV,
each with its layers of given metadata (the manifest row above the options)."""
from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import NotFoundError, ValidationError
from ..pdf.reader import HEADER_WINDOW
from .metadata import (Given, parse_confidentiality, parse_languages, parse_reference, parse_session,
                       parse_signed_on, parse_type)

# manifest columns: the ingest options without their dashes; several parties or sectors separated by ";"
MANIFEST_COLUMNS = ("file", "session", "type", "title", "party", "sector", "signed_on", "place", "lang",
                    "confidentiality", "ref", "password", "title_ru", "place_ru")
MANIFEST_ALIASES = {"path": "file", "parties": "party", "sectors": "sector", "signed-on": "signed_on",
                    "languages": "lang", "reference": "ref"}


@dataclass
class BatchItem:
    path: Path
    layers: list[tuple[Given, str]]  # highest precedence first, with the name of the source
    name: str | None = None          # the name to record, when not the file's own (an upload staged by intake)


def read_manifest(path: Path) -> list[tuple[Path | None, Given | None, str, str | None]]:
    """Rows of a manifest CSV as (file, given metadata, label, error). A row with a bad value keeps its
    error (that file is rejected); a manifest whose columns are wrong is a ValidationError."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise NotFoundError(f"manifest {path} does not exist") from None
    except UnicodeDecodeError:
        raise ValidationError(f"manifest {path} is not UTF-8 text: save it as CSV UTF-8") from None
    try:
        records = list(csv.reader(text.splitlines()))
    except csv.Error as err:   # a field longer than the csv module allows, a NUL byte
        raise ValidationError(f"manifest {path} cannot be read as CSV ({err}); save it again as CSV UTF-8") from None
    header = records[0] if records else []
    columns = [MANIFEST_ALIASES.get(name.strip().lower(), name.strip().lower()) for name in header]
    unknown = [name for name, column in zip(header, columns) if column not in MANIFEST_COLUMNS]
    if unknown:
        raise ValidationError(f"manifest {path}: unknown column(s) {', '.join(map(repr, unknown))}; "
                              f"the columns are {', '.join(MANIFEST_COLUMNS)}")
    if "file" not in columns:
        raise ValidationError(f"manifest {path}: no 'file' column; the columns are {', '.join(MANIFEST_COLUMNS)}")
    twice = sorted({column for column in columns if columns.count(column) > 1})
    if twice:
        raise ValidationError(f"manifest {path}: column(s) {', '.join(map(repr, twice))} appear more than once "
                              f"(aliases such as parties/party count as the same column)")
    rows = []
    for number, values in enumerate(records[1:], start=2):
        label = f"manifest {path.name} line {number}"
        if not any(value.strip() for value in values):
            continue
        row = {column: value.strip() for column, value in zip(columns, values)}
        if len(values) != len(columns):
            file = Path(row["file"]) if row.get("file") else None
            rows.append((None if file is None else (file if file.is_absolute() else path.parent / file), None, label,
                         f"{label}: {len(values)} value(s) for {len(columns)} column(s); check the commas and quotes"))
            continue
        if not row["file"]:
            rows.append((None, None, label, f"{label}: the file column is empty"))
            continue
        file = Path(row["file"])
        file = file if file.is_absolute() else path.parent / file
        try:
            rows.append((file, given_from_row(row), label, None))
        except ValidationError as err:
            rows.append((file, None, label, f"{label}: {err.message}"))
    return rows


def given_from_row(row: dict) -> Given:
    def items(name):
        return [item.strip() for item in row.get(name, "").split(";") if item.strip()]

    value = row.get
    return Given(
        session=parse_session(value("session")) if value("session") else None,
        type=parse_type(value("type")) if value("type") else None,
        title=value("title") or None,
        parties=items("party"), sectors=items("sector"),
        signed_on=parse_signed_on(value("signed_on")) if value("signed_on") else None,
        place=value("place") or None,
        languages=parse_languages(value("lang")) if value("lang") else [],
        confidentiality=parse_confidentiality(value("confidentiality")) if value("confidentiality") else None,
        reference=parse_reference(value("ref")) if value("ref") else None,
        password=value("password") or None,
        title_ru=value("title_ru") or None, place_ru=value("place_ru") or None,
    )


def collect_files(paths, skipped: list[Path] | None = None) -> list[Path]:
    """The files named, and every PDF below the folders named (recursively, in name order, hidden files and
    folders left out). A path that does not exist is kept, to be rejected with its reason; so is a file
    named on the command line that is not a PDF. A file inside a folder that is no PDF (a manifest.csv, a
    note) is left out, and added to ``skipped`` when given."""
    found = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for folder, subfolders, files in os.walk(path):
                subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    file = Path(folder) / name
                    if looks_like_pdf(file):
                        found.append(file)
                    elif skipped is not None:
                        skipped.append(file)
        else:
            found.append(path)
    return found


def looks_like_pdf(path: Path) -> bool:
    """Named .pdf, or starting as a PDF does whatever its name. A damaged file named .pdf counts, so that it is
    rejected with its reason rather than passed over."""
    if path.suffix.lower() == ".pdf":
        return True
    try:
        with open(path, "rb") as handle:
            return b"%PDF-" in handle.read(HEADER_WINDOW)
    except OSError:
        return True     # unreadable: let the ingest reject it, saying why


def plan_batch(paths, options: Given, manifest: Path | None = None,
               skipped: list[Path] | None = None, names: dict | None = None) -> tuple[list[BatchItem], list[tuple]]:
    """(items to ingest, [(path or None, label, reason)] rejected before ingesting: bad manifest rows). The
    files inside the folders that are no PDF are added to ``skipped`` when given. ``names`` {path: name}: the
    names to record for files staged under another name (the browser's intake)."""
    names = names or {}
    items = [BatchItem(path, [(options, "option")], names.get(Path(path))) for path in collect_files(paths, skipped)]
    early = []
    if manifest is not None:
        for file, given, label, error in read_manifest(manifest):
            if error:
                early.append((file, error))
            else:
                items.append(BatchItem(file, [(given, "manifest"), (options, "option")], names.get(file)))
    return items, early
