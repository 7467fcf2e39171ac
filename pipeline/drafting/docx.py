"""Render a .docx template safely, post-process it, read it back, convert it to PDF.

Safety rules learned the hard way: docxtpl without autoescape silently truncates the document at ``&`` or
``<`` in a value, and without StrictUndefined a missing value renders as empty text. Both are on here.
"""
from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..cache import ContentCache, content_key, on_clear
from ..errors import Finding, ToolFailedError, ToolMissingError, ValidationError
from .typography import NBSP, WORD_JOINER, polish

LANG_TAGS = {"it-IT": "it", "ru-RU": "ru"}
LEFTOVER_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
MAX_PROPERTY = 255
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def jinja_environment():
    """A fresh Jinja environment with the safety rules (strict undefined values, autoescape)."""
    import jinja2

    return jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)


_RENDERING: list = []   # the one caching environment of this process (sources compiled by it), made on first use
on_clear(_RENDERING.clear)


def rendering_environment():
    """The environment :func:`render` uses: :func:`jinja_environment`'s rules, and every template source
    compiled once per process (docxtpl compiles each part's XML at each render; the XML of a template's part
    is the same at every render, and compiling it took half of a render's time)."""
    if not _RENDERING:
        import jinja2

        class CachingEnvironment(jinja2.Environment):
            compiled_limit = 64

            def from_string(self, source, globals=None, template_class=None):
                if globals is not None or template_class is not None or not isinstance(source, str):
                    return super().from_string(source, globals, template_class)
                compiled = self._compiled.get(source)
                if compiled is None:
                    if len(self._compiled) >= self.compiled_limit:
                        self._compiled.pop(next(iter(self._compiled)))
                    compiled = self._compiled[source] = super().from_string(source)
                return compiled

        environment = CachingEnvironment(undefined=jinja2.StrictUndefined, autoescape=True)
        environment._compiled = {}
        _RENDERING.append(environment)
    return _RENDERING[0]


def load_template(path: Path, data: bytes | None = None):
    """The template at ``path`` (``data``: its bytes, when already read)."""
    from docx.opc.exceptions import PackageNotFoundError
    from docxtpl import DocxTemplate

    try:
        template = DocxTemplate(str(path) if data is None else io.BytesIO(data))
        template.init_docx()
        return template
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as err:
        raise ValidationError(f"{path}: not a Word .docx file ({err}); save it from Word as .docx") from None


TAG_PAIRS = (("{{", "}}"), ("{%", "%}"), ("{#", "#}"))


def unbalanced_tags(document, name: str) -> list[str]:
    """Tags that do not open and close within one paragraph, in a template's body, tables, headers and
    footers. docxtpl joins the XML between an opening and the next closing mark, so a tag missing a brace
    ("{{ title.ru }") silently swallows the text, cells and rows up to the next tag: found here instead."""
    paragraphs = list(_all_paragraphs(document))
    for section in document.sections:
        for part in (section.header, section.footer):
            paragraphs += list(part.paragraphs)
    problems = []
    for number, paragraph in enumerate(paragraphs, start=1):
        text = paragraph.text
        position, open_mark = 0, None
        while position < len(text):
            if open_mark is None:
                opened = next((pair for pair in TAG_PAIRS if text.startswith(pair[0], position)), None)
                closed = next((pair for pair in TAG_PAIRS if text.startswith(pair[1], position)), None)
                if opened:
                    open_mark, position = opened, position + 2
                    continue
                if closed:
                    problems.append(f"{name}: paragraph {number} «{text.strip()[:60]}»: '{closed[1]}' closes no tag")
                    position += 2
                    continue
            elif text.startswith(open_mark[1], position):
                open_mark, position = None, position + 2
                continue
            position += 1
        if open_mark is not None:
            problems.append(f"{name}: paragraph {number} «{text.strip()[:60]}»: '{open_mark[0]}' is not closed by "
                            f"'{open_mark[1]}' in the same paragraph")
    return problems


def template_variables(path: Path) -> set[str]:
    """The top-level variables a template uses (loop variables excluded)."""
    import jinja2

    template = load_template(path)
    try:
        return set(template.get_undeclared_template_variables(jinja_environment()))
    except jinja2.TemplateSyntaxError as err:
        raise ValidationError(f"{path}: template syntax error: {err.message}; check the {{{{ }}}} and "
                              f"{{% %}} tags near it") from None


@dataclass
class Properties:
    """Document properties (File > Properties in Word), set on every rendered document."""

    title: str
    subject: str
    keywords: tuple[str, ...]   # whole values: "sessione 25", "Sistema casa"
    identifier: str
    version: str
    status: str
    category: str
    comments: str
    author: str = "Task Force italo-russa sui distretti industriali e le PMI"


def render(template_path: Path, context: dict, properties: Properties, swap_columns: bool = False,
           names: list[str] = ()) -> bytes:
    """The rendered document as bytes. Undefined variables and syntax errors become ValidationError.
    ``names``: the names of parties and people it prints, never hyphenated (typography.polish)."""
    import jinja2

    try:
        data = Path(template_path).read_bytes()
    except OSError:
        data = None   # load_template says what is wrong with it
    template = load_template(template_path, data)
    damaged = _checked_tags(template, template_path.name, data)
    if damaged:
        raise ValidationError(f"the template {template_path} has a broken tag (a brace missing?); fix it in Word "
                              f"and run 'taskforce templates check {template_path}'", [Finding("", problem)
                                                                                       for problem in damaged])
    try:
        template.render(context, rendering_environment())
    except jinja2.UndefinedError as err:
        raise ValidationError(f"{template_path.name}: the template uses a value the data does not give "
                              f"({err.message}); see templates/README.md for the variables") from None
    except jinja2.TemplateSyntaxError as err:
        raise ValidationError(f"{template_path.name}: template syntax error: {err.message}") from None
    document = template.docx
    polish(document, names)
    if swap_columns:
        swap_bilingual_columns(document)
    _set_properties(document, properties)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_CHECKED = ContentCache("drafting.template_tags", 64, copy=list)   # (template's sha256, name) -> unbalanced tags


def _checked_tags(template, name: str, data: bytes | None) -> list[str]:
    """:func:`unbalanced_tags` of a template, found once per content and process (the check walked every
    paragraph at each render: a tenth of rendering a session pack)."""
    if data is None:
        return unbalanced_tags(template.docx, name)
    return _CHECKED.get(content_key(data, name), lambda: unbalanced_tags(template.docx, name))


def swap_bilingual_columns(document) -> None:
    """Put the right-hand column first in every two-column table (``--order ru-it``)."""
    tc = f"{{{W_NS}}}tc"
    for row in document.element.body.iter(f"{{{W_NS}}}tr"):
        cells = row.findall(tc)
        if len(cells) == 2:
            row.remove(cells[1])
            cells[0].addprevious(cells[1])


def keywords_property(keywords) -> str:
    """The keywords as one property, each kept whole: LibreOffice splits a .docx's keywords at every space (and
    comma) when it makes the PDF ("sessione, 25, Sistema, casa"), not at a no-break space, which readers show as
    a space."""
    return "; ".join("\u00a0".join(keyword.split()) for keyword in keywords)


def _set_properties(document, properties: Properties) -> None:
    import datetime as dt

    def fit(text: str) -> str:   # Word's core properties hold at most 255 characters
        return text if len(text) <= MAX_PROPERTY else text[: MAX_PROPERTY - 1] + "…"

    core = document.core_properties
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    core.title = fit(properties.title)
    core.subject = fit(properties.subject)
    core.author = properties.author
    core.last_modified_by = properties.author
    core.keywords = fit(keywords_property(properties.keywords))
    core.identifier = fit(properties.identifier)
    core.version = fit(properties.version)
    core.content_status = fit(properties.status)
    core.category = fit(properties.category)
    core.comments = fit(properties.comments)
    core.language = "it-IT, ru-RU"
    core.created = now
    core.modified = now
    core.revision = 1


def leftover_tags(docx: bytes, allowed: tuple[str, ...] = ()) -> list[str]:
    """Template tags left in the document's XML parts, as ``part: tag``. Text in ``allowed`` (values that
    legitimately contain braces, such as a party literally named ``{{ x }}``) is not counted."""
    found = []
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        for name in archive.namelist():
            if not (name.startswith("word/") and name.endswith(".xml")) and name != "docProps/core.xml":
                continue
            text = archive.read(name).decode("utf-8")
            for value in allowed:
                text = text.replace(_xml_escape(value), "").replace(value, "")
            found += [f"{name}: {match.group(0)[:60]}" for match in LEFTOVER_TAG.finditer(text)]
    return found


def _xml_escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _paragraph_language(paragraph) -> str | None:
    counts: dict[str, int] = {}
    for lang in paragraph._p.iter(f"{{{W_NS}}}lang"):
        code = LANG_TAGS.get(lang.get(f"{{{W_NS}}}val"))
        if code:
            counts[code] = counts.get(code, 0) + 1
    return max(counts, key=counts.get) if counts else None


def _all_paragraphs(document):
    """Body paragraphs and table-cell paragraphs in reading order (tables nested in cells included)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    def walk(parent, element):
        for child in element.iterchildren():
            if child.tag == f"{{{W_NS}}}p":
                yield Paragraph(child, parent)
            elif child.tag == f"{{{W_NS}}}tbl":
                table = Table(child, parent)
                for row in table.rows:
                    seen = set()
                    for cell in row.cells:   # a merged cell is listed once per column it spans: read it once
                        if id(cell._tc) not in seen:
                            seen.add(id(cell._tc))
                            yield from walk(cell, cell._tc)

    yield from walk(document, document.element.body)


def as_read(text: str) -> str:
    """A paragraph's text as a reader (or a PDF's text layer) has it: no-break spaces are spaces, word
    joiners are nothing (typography.py puts them there to steer the line breaks)."""
    return text.replace(WORD_JOINER, "").replace(NBSP, " ")


def text_by_language(source: bytes | Path) -> dict[str, list[str]]:
    """The non-empty paragraphs of a rendered document, per language (by the runs' ``w:lang``; a run without
    language, such as a name kept from hyphenation, counts for none), as read (:func:`as_read`)."""
    from docx import Document

    document = Document(io.BytesIO(source) if isinstance(source, bytes) else str(source))
    texts: dict[str, list[str]] = {"it": [], "ru": []}
    for paragraph in _all_paragraphs(document):
        text = as_read(paragraph.text).strip()
        lang = _paragraph_language(paragraph)
        if text and lang:
            texts[lang].append(text)
    return texts


def full_text(source: bytes | Path) -> str:
    """Every paragraph of body, tables, headers and footers, one per line (for checks and search), as read
    (:func:`as_read`)."""
    from docx import Document

    document = Document(io.BytesIO(source) if isinstance(source, bytes) else str(source))
    lines = [p.text for p in _all_paragraphs(document)]
    for section in document.sections:
        for part in (section.header, section.footer):
            lines += [p.text for p in part.paragraphs]
    return as_read("\n".join(lines))


# --- PDF through LibreOffice ------------------------------------------------------------------------------
SOFFICE_NAMES = ("soffice", "libreoffice")


def find_soffice() -> str:
    for name in SOFFICE_NAMES:
        path = shutil.which(name)
        if path:
            return path
    raise ToolMissingError("render.libreoffice_missing", field="pdf")


def convert_to_pdf(docx: Path, timeout: float = 180) -> bytes:
    """The PDF of ``docx`` made by LibreOffice in a private profile (parallel runs do not share its lock)."""
    with tempfile.TemporaryDirectory(prefix="taskforce-pdf-") as out:
        return convert_many_to_pdf([docx], Path(out), timeout)[0].read_bytes()


def convert_many_to_pdf(sources: list[Path], outdir: Path, timeout: float | None = None,
                        on_each=None) -> list[Path]:
    """PDFs of several .docx files, named after them in ``outdir``, made by one LibreOffice process with a
    private profile (its start-up, a few seconds, is paid once). ``on_each(count)`` is called while it runs,
    each time more outputs have appeared (for a progress bar). ``timeout`` defaults to one minute plus ten
    seconds a file. Each output is checked to exist, be non-empty and start like a PDF."""
    soffice = find_soffice()
    outdir.mkdir(parents=True, exist_ok=True)
    timeout = 60 + 10 * len(sources) if timeout is None else timeout
    with tempfile.TemporaryDirectory(prefix="taskforce-soffice-") as tmp:
        tmp_path = Path(tmp)
        made_dir = tmp_path / "out"
        command = [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", str(made_dir), *map(str, sources)]
        env = {**os.environ, "HOME": str(tmp_path)}
        names = ", ".join(p.name for p in sources[:3]) + ("…" if len(sources) > 3 else "")
        returncode, detail = _run_soffice(command, env, timeout, made_dir, on_each, names)
        made = []
        for source in sources:
            output = made_dir / f"{source.stem}.pdf"
            if not output.is_file() or output.stat().st_size == 0:
                raise ToolFailedError(f"LibreOffice made no PDF of {source.name} (exit status {returncode}"
                                      f"{': ' + detail if detail else ''})")
            with open(output, "rb") as handle:
                if handle.read(5) != b"%PDF-":
                    raise ToolFailedError(f"LibreOffice's output for {source.name} is not a PDF")
            target = outdir / output.name
            shutil.move(str(output), target)
            made.append(target)
        return made


def _run_soffice(command: list[str], env: dict, timeout: float, made_dir: Path, on_each, names: str
                 ) -> tuple[int, str]:
    """Run LibreOffice, counting its outputs every half second for ``on_each``; (exit status, the end of its
    messages). On timeout its whole process group is killed."""
    import signal
    import time

    deadline = time.monotonic() + timeout
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        seen = 0
        while True:
            try:
                process.wait(timeout=0.5)
                finished = True
            except subprocess.TimeoutExpired:
                finished = False
            if on_each is not None:
                count = len(list(made_dir.glob("*.pdf"))) if made_dir.is_dir() else 0
                if count > seen:
                    seen = count
                    on_each(count)
            if finished:
                break
            if time.monotonic() > deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                raise ToolFailedError(f"LibreOffice did not convert {names} to PDF within {timeout:.0f} s; try "
                                      f"again, or check that no stuck soffice process is running")
        log.seek(0)
        return process.returncode, log.read().decode("utf-8", "replace").strip()[-300:]
