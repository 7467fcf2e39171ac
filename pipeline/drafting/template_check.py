"""The templates in use and their check: parse, list the variables, render with the sample data, and report
unknown variables, syntax errors and tags left in the output."""
from __future__ import annotations

import io
from pathlib import Path

from . import agreements, forms
from .docx import Properties, leftover_tags, load_template, render, template_variables, unbalanced_tags
from ..errors import NotFoundError, ValidationError
from ..sessions.registry import read_session_file
from ..workspace import SAMPLE_SESSIONS, Workspace
from .contexts import EXAMPLE_DATA, KIND_LABELS, TEMPLATE_NAMES, TEMPLATE_VARIABLES, agreement_context, footer_text, protocol_context



def _fixed_rows(document) -> list[int]:
    """Per body table, its rows that no {%tr %} block repeats or leaves out: each must be in any rendering."""
    counts = []
    for table in document.tables:
        depth, fixed = 0, 0
        for row in table.rows:
            text = "".join(cell.text for cell in row.cells)
            if "{%tr" in text:
                depth += text.count("{%tr for") + text.count("{%tr if") - text.count("{%tr endfor") - text.count("{%tr endif")
            elif depth == 0:
                fixed += 1
        counts.append(fixed)
    return counts


def lost_rows(template_path: Path, rendered: bytes) -> list[str]:
    """Tables, rows or cells a rendering lost against its template: a damaged tag swallows the XML up to the
    next tag, which takes rows away and glues the cells of two rows into one."""
    from docx import Document

    template = load_template(template_path).docx
    expected = _fixed_rows(template)
    widths = [len(table.columns) for table in template.tables]
    tables = Document(io.BytesIO(rendered)).tables
    if len(tables) < len(expected):
        return [f"{template_path.name}: the rendered document has {len(tables)} table(s), the template "
                f"{len(expected)}: a tag swallowed the text between them"]
    problems = []
    for number, (fixed, width, table) in enumerate(zip(expected, widths, tables), start=1):
        if len(table.rows) < fixed:
            problems.append(f"{template_path.name}: table {number} has {len(table.rows)} row(s) once rendered, "
                            f"fewer than the {fixed} the template always has: a tag swallowed some")
        for row_number, row in enumerate(table.rows, start=1):
            cells = len(row._tr.tc_lst)
            if cells > width:
                problems.append(f"{template_path.name}: table {number}, row {row_number} has {cells} cells once "
                                f"rendered, the template's table {width}: a tag joined two rows")
    return problems


def list_templates(ws: Workspace) -> list[dict]:
    rows = []
    for name in TEMPLATE_NAMES:
        path = ws.template_path(name)
        rows.append({"name": name, "source": "workspace" if path.parent == ws.templates else "shipped",
                     "path": str(path), "variables": len(TEMPLATE_VARIABLES[name])})
    return rows


def sample_context(name: str, annex_size: int = 2) -> dict:
    """Context for checking a template: the sample session (25th) and the example agreement data."""
    session = read_session_file(SAMPLE_SESSIONS / "session-025.yaml")
    data = agreements.read_agreement_file(EXAMPLE_DATA, "memorandum" if name == "memorandum" else "agreement")
    if name == "protocol":
        between = forms.between(data["parties"], forms.FormLog(str(EXAMPLE_DATA)))
        context = protocol_context(session, [
            {"reference": f"TF25-AGR-{n:03d}", "kind": KIND_LABELS["agreement"], "parties": between,
             "subject": data["subject"]} for n in range(1, annex_size + 1)])
    else:
        context = agreement_context(session, data)
    return {**context, "footer": footer_text(f"TF25-{'PROT' if name == 'protocol' else 'AGR-001'}", 1, False, "it-ru")}


def check_template(ws: Workspace, target: str, kind: str | None = None) -> dict:
    """Parse a template, list its variables, render it with sample data, look for leftover tags."""
    path = Path(target)
    if target in TEMPLATE_NAMES and not path.exists():
        path = ws.template_path(target)
    if not path.is_file():
        raise NotFoundError(f"{target}: no such template file (give a .docx path or one of {', '.join(TEMPLATE_NAMES)})")
    kind = kind or (path.stem if path.stem in TEMPLATE_NAMES else None)
    if kind is None:
        raise ValidationError("template.kind_unknown", name=path.name, field="kind")
    problems = []
    variables: set[str] = set()
    try:
        problems += unbalanced_tags(load_template(path).docx, path.name)
        variables = template_variables(path)
    except ValidationError as err:
        problems.append(err.message)
    documented = TEMPLATE_VARIABLES[kind]
    for unknown in sorted(variables - set(documented)):
        problems.append(f"unknown variable '{unknown}': a {kind} template knows {', '.join(sorted(documented))}")
    if not problems:
        props = Properties(title="check", subject="check", keywords=("check",), identifier="TF25-CHECK", version="1",
                           status="check", category=kind, comments="check")
        try:
            rendered = render(path, sample_context(kind), props)
            problems += [f"tag left after rendering in {tag}" for tag in leftover_tags(rendered)]
            problems += lost_rows(path, rendered)
        except ValidationError as err:
            problems.append(err.message)
    return {"template": str(path), "kind": kind, "variables": sorted(variables),
            "unused": sorted(set(documented) - variables), "problems": problems, "ok": not problems}
