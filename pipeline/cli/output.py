"""The one rendering function every command uses: a JSON document, a table, or a record."""
from __future__ import annotations

import json

import click

MAX_CELL = 60


def to_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        text = "; ".join(_cell(v) for v in value)
    elif _is_bilingual(value):
        text = f"{value['it']} / {value['ru']}"
    elif isinstance(value, dict):
        text = ", ".join(f"{k}={_cell(v)}" for k, v in value.items())
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def table(rows: list[dict], columns: list[str] | None = None) -> str:
    if not rows:
        return "(none)"
    columns = columns or list(rows[0])
    cells = [[_cell(row.get(col)) for col in columns] for row in rows]
    widths = [max(len(col), *(len(r[i]) for r in cells)) for i, col in enumerate(columns)]
    lines = ["  ".join(col.upper().ljust(w) for col, w in zip(columns, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    return "\n".join(lines)


def _is_bilingual(value) -> bool:
    return isinstance(value, dict) and set(value) == {"it", "ru"}


def _inline(value) -> str | None:
    """A one-line rendering of a scalar, a bilingual text or a list of those; None for nested data."""
    if _is_bilingual(value):
        return f"{value['it']} / {value['ru']}"
    if isinstance(value, (dict, list)):
        return None
    return "" if value is None else str(value)


def record(data: dict) -> str:
    width = max((len(str(k)) for k in data), default=0)
    lines = []
    for key, value in data.items():
        inline = _inline(value)
        if inline is not None:
            lines.append(f"{str(key).ljust(width)}  {inline}".rstrip())
        elif isinstance(value, dict):
            lines.append(f"{key}:")
            lines += ["  " + line for line in record(value).splitlines()]
        else:
            lines.append(f"{key}:" + ("" if value else "  (none)"))
            for item in value:
                inner = _inline(item)
                block = [inner] if inner is not None else record(item).splitlines()
                lines += [("  - " if n == 0 else "    ") + line for n, line in enumerate(block)]
    return "\n".join(lines)


def emit(data, as_json: bool = False, columns: list[str] | None = None) -> None:
    """Print ``data``: one JSON document with --json; otherwise a table (a list) or a record (a dict)."""
    if as_json:
        click.echo(to_json(data))
    elif isinstance(data, list):
        click.echo(table(data, columns))
    elif isinstance(data, dict):
        click.echo(record(data))
    else:
        click.echo(str(data))


json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON document instead of a table.")
# shared by `ingest` and `demo`, whose ingest is the same library call
jobs_option = click.option("--jobs", type=click.IntRange(min=1), default=None,
                           help="Files prepared at once (copy, text, OCR, signatures), default: the usable CPUs; "
                                "they are archived in the input's order whatever the number. 1: one at a time.")
