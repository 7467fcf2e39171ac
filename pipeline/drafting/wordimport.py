"""A draft edited in Word, taken back as the next version of its reference (``source: imported``).

The file is checked before anything is written, each refusal saying why (an error with a code, its ``field``
the upload):
- the package: a .docx (a zip holding a Word document, not a macro-enabled one), at most MAX_BYTES, its
  parts bounded in number and unpacked size (no zip bomb), no external relationship other than a hyperlink
  (linked images, frames and objects are never fetched: such a file is refused);
- its reference (the core properties' ``identifier``, else the footer's ``TF25-AGR-003 · v2``) is the one
  asked for;
- no tracked change (w:ins, w:del, w:moveFrom, w:moveTo) and no comment, each listed;
- the bilingual table: every row the same section in both columns, each language in its column (by the
  script of its letters: runs typed in Word may carry no language), article numbers alike; a row unchanged
  since the version it came from is not judged again.
Text is read by paragraphs (Word splits runs anywhere). Then the warnings: each section changed in one
language only ("Articolo 3 – Durata: changed in Italian, not in Russian").
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from .docx import W_NS, as_read
from .register import REFERENCE_PATTERN
from .wordfile import footer_pattern
from ..errors import Finding, ValidationError

MAX_BYTES = 20 * 1024 * 1024          # a bilingual agreement is well under 1 MB; images make it more
MAX_PARTS = 1000
# all parts together, as their headers declare (zipfile holds each part to its declared size when it is read):
# what python-docx holds in memory at most
MAX_UNPACKED = 100 * 1024 * 1024
MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
REVISIONS = {"ins": "inserted", "del": "deleted", "moveFrom": "moved from", "moveTo": "moved to"}
LANGUAGE_NAMES = {"it": "Italian", "ru": "Russian"}
LAYOUT_LANGUAGES = {"it-ru": ("it", "ru"), "ru-it": ("ru", "it")}
FIELD = "file"


def refused(code: str, name: str, findings: list[Finding] | None = None, **params) -> ValidationError:
    return ValidationError(code, findings, field=FIELD, name=name, **params)


def safe_name(filename: str) -> str:
    """The upload's own name, to be shown and recorded (never a path): its last component, printable, short."""
    last = re.split(r"[\\/]", filename or "")[-1]
    cleaned = "".join(char for char in last if char.isprintable()).strip()
    return cleaned[:120] or "document.docx"


def _xml(data: bytes):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    return etree.fromstring(data, parser)


def check_package(data: bytes, name: str) -> None:
    """Refuse what is not a plain .docx of bounded size (see the module's doc)."""
    if len(data) > MAX_BYTES:
        raise refused("import.too_large", name, size=f"{len(data) / 2**20:.1f}", limit=MAX_BYTES // 2**20)
    if not name.lower().endswith(".docx"):
        raise refused("import.not_docx", name, detail="its name does not end in .docx")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as err:
        raise refused("import.not_docx", name, detail=f"not a zip package: {err}") from None
    if len(infos) > MAX_PARTS:
        raise refused("import.too_big_unpacked", name, detail=f"{len(infos)} parts", limit=f"{MAX_PARTS} parts")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNPACKED:
        raise refused("import.too_big_unpacked", name, detail=f"{total / 2**20:.0f} MB",
                      limit=f"{MAX_UNPACKED // 2**20} MB")
    names = {info.filename for info in infos}
    try:
        if "[Content_Types].xml" not in names or "word/document.xml" not in names:
            raise refused("import.not_docx", name, detail="no Word document inside")
        types = _xml(archive.read("[Content_Types].xml"))
        main = next((o.get("ContentType") for o in types.iter(f"{{{CT_NS}}}Override")
                     if o.get("PartName") == "/word/document.xml"), None)
        if main != MAIN_TYPE:
            detail = "a macro-enabled document (.docm)" if main and "macroEnabled" in main else \
                f"its main part is {main or 'of no declared type'}"
            raise refused("import.not_docx", name, detail=detail)
        links = []
        for part in sorted(n for n in names if n.endswith(".rels")):
            for relation in _xml(archive.read(part)).iter(f"{{{REL_NS}}}Relationship"):
                if relation.get("TargetMode") == "External" and not relation.get("Type", "").endswith("/hyperlink"):
                    links.append(f"{relation.get('Type', '').rsplit('/', 1)[-1]}: {relation.get('Target', '')[:80]}")
    except ValidationError:
        raise
    except Exception as err:   # a damaged part: zlib, CRC, XML syntax, ... (the file is hostile or broken)
        raise refused("import.not_docx", name, detail=f"damaged: {type(err).__name__}") from None
    if links:
        raise refused("import.external_links", name, links="; ".join(links[:5]))


def revisions(data: bytes) -> list[Finding]:
    """Every tracked change and comment of the document's text parts, as findings naming what and who."""
    from lxml import etree

    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = sorted(n for n in archive.namelist() if re.fullmatch(r"word/(document|header\d*|footer\d*|"
                                                                     r"footnotes|endnotes)\.xml", n))
        for part in parts:
            root = _xml(archive.read(part))
            for kind, label in REVISIONS.items():
                for element in root.iter(f"{{{W_NS}}}{kind}"):
                    if etree.QName(element.getparent()).localname == "rPr":
                        continue                           # a paragraph mark's revision: its text is listed
                    text = "".join(element.xpath(".//w:t/text()|.//w:delText/text()", namespaces={"w": W_NS}))
                    found.append(Finding(part, f"{label} by {element.get(f'{{{W_NS}}}author') or 'unknown'}: "
                                               f"«{_short(text)}»"))
        if "word/comments.xml" in archive.namelist():
            for comment in _xml(archive.read("word/comments.xml")).iter(f"{{{W_NS}}}comment"):
                text = "".join(comment.xpath(".//w:t/text()", namespaces={"w": W_NS}))
                found.append(Finding("word/comments.xml", f"comment by {comment.get(f'{{{W_NS}}}author') or 'unknown'}"
                                                          f": «{_short(text)}»"))
    return found


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def document_reference(document) -> tuple[str | None, int | None]:
    """The reference the document names (its properties' identifier, else its footer's) and the version its
    footer (else its properties) names."""
    identifier = (document.core_properties.identifier or "").replace("\u2011", "-").strip()
    footers = []
    for section in document.sections:
        for part in (section.footer, section.first_page_footer, section.even_page_footer):
            if not part.is_linked_to_previous:
                footers += [paragraph.text.replace("\u2011", "-") for paragraph in part.paragraphs]
    footer = "\n".join(footers)
    match = REFERENCE_PATTERN.fullmatch(identifier) or REFERENCE_PATTERN.search(footer)
    reference = match.group(0) if match else None
    version = None
    if reference:
        stamped = footer_pattern(reference).search(footer)
        if stamped:
            version = int(stamped["version"])
    if version is None and (document.core_properties.version or "").strip().isdigit():
        version = int(document.core_properties.version.strip())
    return reference, version


# --- the bilingual table --------------------------------------------------------------------------------------
@dataclass
class Row:
    number: int                       # 1-based, counting the rows of every table in order
    cells: list[str]                  # each cell's paragraphs, read, joined by a space
    languages: list[str | None]       # each cell's language by the script of its letters (None: no letters)
    headings: list[str]               # each cell's first paragraph with text ("Articolo 3 – Durata")

    @property
    def label(self) -> str:
        return _short(self.headings[0] if self.headings else "", 50)


def cell_language(text: str) -> str | None:
    latin = len(re.findall(r"[A-Za-zÀ-ÿ]", text))
    cyrillic = len(re.findall(r"[А-Яа-яЁё]", text))
    if not latin and not cyrillic:
        return None
    if min(latin, cyrillic) > 0.3 * max(latin, cyrillic):
        return "both"                 # a cell that holds both languages (a Protocol's signature block)
    return "it" if latin > cyrillic else "ru"


def table_rows(document) -> list[Row]:
    """The rows of the body's tables (not nested ones), each cell's text read by paragraphs."""
    from docx.text.paragraph import Paragraph

    rows = []
    for table in document.element.body.iterchildren(f"{{{W_NS}}}tbl"):
        for tr in table.iterchildren(f"{{{W_NS}}}tr"):
            cells, headings = [], []
            for tc in tr.iterchildren(f"{{{W_NS}}}tc"):
                paragraphs = [" ".join(as_read(Paragraph(p, None).text).split()) for p in tc.iter(f"{{{W_NS}}}p")]
                cells.append(" ".join(text for text in paragraphs if text))
                headings.append(next((text for text in paragraphs if text), ""))
            rows.append(Row(len(rows) + 1, cells, [cell_language(text) for text in cells], headings))
    return rows


def first_heading(text: str) -> tuple[str, int] | None:
    match = re.match(r"(Articolo|Статья)\s+(\d+)", text)
    return (match[1], int(match[2])) if match else None


def layout_of(rows: list[Row]) -> str | None:
    votes = {"it-ru": 0, "ru-it": 0}
    for row in rows:
        if len(row.cells) == 2 and tuple(row.languages) in (("it", "ru"), ("ru", "it")):
            votes["-".join(row.languages)] += 1
    if not any(votes.values()):
        return None
    return max(votes, key=votes.get)


def table_problems(rows: list[Row], layout: str, before: list[Row]) -> list[Finding]:
    """What is wrong with each changed row of the bilingual table, the row named."""
    unchanged = {tuple(row.cells) for row in before}
    first, second = LAYOUT_LANGUAGES[layout]
    problems = []
    for row in rows:
        if tuple(row.cells) in unchanged:
            continue
        where = f"row {row.number} «{row.label}»"
        if len(row.cells) != 2:
            if any(row.languages):
                problems.append(Finding(where, f"{len(row.cells)} cell(s) where the Italian and the Russian text "
                                               f"stand side by side in two"))
            continue
        left, right = row.languages
        if left is None and right is None or "both" in (left, right):
            continue
        if left is None or right is None:
            there = left or right
            missing = second if left else first
            problems.append(Finding(where, f"text in {LANGUAGE_NAMES[there]} only: the {LANGUAGE_NAMES[missing]} "
                                           f"column is empty"))
        elif (left, right) != (first, second):
            problems.append(Finding(where, f"the {LANGUAGE_NAMES[first]} column holds {LANGUAGE_NAMES[left]} text "
                                           f"and the {LANGUAGE_NAMES[second]} column {LANGUAGE_NAMES[right]} text"))
        else:
            headings = [first_heading(text) for text in row.cells]
            numbers = [heading[1] if heading else None for heading in headings]
            if any(numbers) and numbers[0] != numbers[1]:
                said = " and ".join(f"{heading[0]} {heading[1]}" if heading else f"no article number in "
                                    f"{LANGUAGE_NAMES[lang]}" for heading, lang in zip(headings, (first, second)))
                problems.append(Finding(where, f"not the same section in both columns: {said}"))
    return problems


def one_language_changes(rows: list[Row], before: list[Row], layout: str) -> list[str]:
    """'Articolo 3 – Durata: changed in Italian, not in Russian' for each row whose text changed in one
    column only since the version it came from (rows matched by the unchanged column)."""
    first, second = LAYOUT_LANGUAGES[layout]
    unused = [row for row in before if len(row.cells) == 2]
    warnings = []
    for row in rows:
        if len(row.cells) != 2 or tuple(row.cells) in {tuple(r.cells) for r in before}:
            continue
        for old in unused:
            same = [a == b for a, b in zip(row.cells, old.cells)]
            if any(same) and any(row.cells):
                unused.remove(old)
                if not all(same) and any(row.languages):
                    changed = (first, second)[same.index(False)]
                    label = row.headings[LAYOUT_LANGUAGES[layout].index("it")] or row.headings[0]
                    warnings.append(f"{_short(label, 60)}: changed in {LANGUAGE_NAMES[changed]}, not in "
                                    f"{LANGUAGE_NAMES[second if changed == first else first]}")
                break
    return warnings


@dataclass
class Imported:
    data: bytes                       # the file as given
    name: str                         # its own name (shown, recorded)
    reference: str
    came_from: int | None             # the version its footer or properties name
    layout: str                       # it-ru or ru-it
    rows: list[Row] = field(default_factory=list)
    text: str = ""                    # every cell's text, for the derived forms still printed


def read_import(data: bytes, filename: str, reference: str) -> Imported:
    """The checked upload (see the module's doc), without the table check (which needs the version it came
    from: :func:`check_table`)."""
    from docx import Document

    name = safe_name(filename)
    check_package(data, name)
    try:
        return _read_checked(Document(io.BytesIO(data)), data, name, reference)
    except ValidationError:
        raise
    except Exception as err:   # a damaged package: python-docx's KeyError, ValueError, lxml's errors, ...
        raise refused("import.not_docx", name, detail=f"Word's parts cannot be read: {type(err).__name__}") from None


def _read_checked(document, data: bytes, name: str, reference: str) -> Imported:
    found, version = document_reference(document)
    if found is None:
        raise refused("import.no_reference", name, reference=reference)
    if found != reference:
        raise refused("import.other_reference", name, found=found, reference=reference)
    changes = revisions(data)
    if changes:
        raise refused("import.tracked_changes", name, changes, count=len(changes))
    rows = table_rows(document)
    layout = layout_of(rows)
    if layout is None:
        raise refused("import.no_table", name)
    return Imported(data, name, reference, version, layout, rows, "\n".join(" ".join(row.cells) for row in rows))


def check_table(imported: Imported, before: list[Row]) -> list[str]:
    """Refuse a broken bilingual table (each row named); the one-language warnings otherwise."""
    problems = table_problems(imported.rows, imported.layout, before)
    if problems:
        raise refused("import.broken_table", imported.name, problems, count=len(problems))
    return one_language_changes(imported.rows, before, imported.layout)
