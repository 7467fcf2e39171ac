"""A draft edited in Word taken back as the next version (issue 23 items 6 and 8): ``draft import REF
FILE.docx``. Edited here with python-docx as a legal officer would in Word; every refusal says why, and a file
that is no .docx, too large, a zip bomb or linked to outside content is refused before it is read."""
import io
import json
import zipfile

import docx
import pytest
import yaml
from lxml import etree

from pipeline.drafting import register
from pipeline.drafting.docx import W_NS, full_text, text_by_language
from pipeline.errors import ValidationError
from pipeline.usecases.drafting import approve_version, import_docx
from pipeline.workspace import Workspace
from tests.conftest import REPO, assert_no_crash

EXAMPLE = REPO / "templates" / "agreement-example.yaml"
REF = "TF25-AGR-001"


@pytest.fixture
def drafted(run, workspace):
    assert run("draft", "agreement", 25, EXAMPLE).exit_code == 0
    return workspace / "drafts" / REF / f"{REF}-v1.docx"


def set_text(paragraph, text: str) -> None:
    """What typing over a paragraph in Word does: the first run takes the text, the others are emptied."""
    paragraph.runs[0].text = text
    for run in paragraph.runs[1:]:
        run.text = ""


def paragraph_with(document, words: str):
    return next(p for table in document.tables for row in table.rows for cell in row.cells
                for p in cell.paragraphs if words in read(p.text))


def read(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u2060", "")


def saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def edited_in_italian(path) -> bytes:
    document = docx.Document(str(path))
    paragraph = paragraph_with(document, "rinnovabile per iscritto")
    set_text(paragraph, paragraph.text.replace("rinnovabile per iscritto", "rinnovabile tacitamente"))
    return saved(document)


def refusal(workspace, data: bytes, name: str = "edited.docx") -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        import_docx(Workspace.at(workspace), REF, data, name, actor="anna")
    assert refused.value.field == "file"
    assert len(register.entries(Workspace.at(workspace))) == 1          # nothing written
    return refused.value


def test_an_italian_only_edit_becomes_the_next_version_with_a_warning_and_the_redline(run, workspace, drafted,
                                                                                       tmp_path):
    edited = tmp_path / "Accordo rivisto.docx"
    edited.write_bytes(edited_in_italian(drafted))
    result = run("draft", "import", REF, edited)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (f"{REF} v2 (draft, imported from Accordo rivisto.docx, based on v1): "
                                             f"drafts/{REF}/{REF}-v2.docx")
    assert "  warning: Articolo 3 – Durata: changed in Italian, not in Russian\n" in result.stderr
    assert ("~ Il presente Accordo entra in vigore alla data della firma e ha una durata di 3 (tre) anni, "
            "rinnovabile [-per iscritto.-]{+tacitamente.+}") in result.stdout
    assert "=== русский" not in result.stdout

    ws = Workspace.at(workspace)
    v1, v2 = sorted(register.entries(ws), key=lambda e: e.version)
    assert (v2.origin, v2.based_on, v2.original_name, v2.state) == ("imported", 1, "Accordo rivisto.docx", "draft")
    assert v2.author and v2.title == v1.title and v2.reference == REF
    # the file is the edited one, stamped v2; its other layout carries the same edit, Russian first
    assert full_text(workspace / v2.file).count(f"{REF} · v2 · BOZZA / ПРОЕКТ") == 1
    alternat = docx.Document(str(workspace / v2.alternat["file"]))
    assert alternat.tables[0].rows[0].cells[0].text.startswith("СОГЛАШЕНИЕ")
    assert text_by_language(workspace / v2.alternat["file"])["it"] == [
        line.replace("lingue italiana e russa", "lingue russa e italiana")
        for line in text_by_language(workspace / v2.file)["it"]]
    assert text_by_language(workspace / v2.file)["ru"] == text_by_language(drafted)["ru"]

    # approving the imported version keeps its text: not a render of the data file
    final = approve_version(ws, REF, actor="marco")
    assert final["approved_from"] == 2
    assert "rinnovabile tacitamente" in full_text(workspace / final["file"])
    assert "BOZZA" not in full_text(workspace / final["alternat"]["file"])


def test_the_json_answer_has_the_warnings_and_the_redline(run, drafted, tmp_path):
    edited = tmp_path / "e.docx"
    edited.write_bytes(edited_in_italian(drafted))
    entry = json.loads(run("draft", "import", REF, edited, "--json").stdout)
    assert entry["warnings"] == ["Articolo 3 – Durata: changed in Italian, not in Russian"]
    assert (entry["redline"]["old"], entry["redline"]["new"], entry["redline"]["lines"]["ru"]) == (1, 2, [])
    assert entry["redline"]["changes"]["it"][0]["op"] == "changed"


def test_both_languages_changed_give_no_warning(workspace, drafted):
    document = docx.Document(str(drafted))
    for words, old, new in (("rinnovabile per iscritto", "3 (tre) anni", "5 (cinque) anni"),
                            ("с возможностью продления", "3 (трех) лет", "5 (пяти) лет")):
        paragraph = paragraph_with(document, words)
        assert old in read(paragraph.text)
        set_text(paragraph, read(paragraph.text).replace(old, new))
    from pipeline.usecases.calls import UseCases      # what the web page is given

    entry = UseCases(Workspace.at(workspace)).import_docx(REF, saved(document), "both.docx", actor="anna")
    assert entry["warnings"] == [] and entry["redline"]["lines"]["ru"]


def test_a_guess_replaced_in_word_no_longer_stops_the_approval(run, workspace, tmp_path):
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["place"] = {"it": "Kukuevsk", "ru": "Кукуевск"}
    source = tmp_path / "kukuevsk.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    run("draft", "agreement", 25, source)
    ws = Workspace.at(workspace)
    with pytest.raises(ValidationError):
        approve_version(ws, REF)
    document = docx.Document(str(workspace / "drafts" / REF / f"{REF}-v1.docx"))
    paragraph = paragraph_with(document, "Совершено в")
    set_text(paragraph, paragraph.text.replace("Кукуевске", "Кукуевском"))
    entry = import_docx(ws, REF, saved(document), "corrected.docx")
    (place,) = [form for form in entry["forms"] if form["field"] == "place.ru_pre"]
    assert place["source"] == "edited"
    assert approve_version(ws, REF)["approved_from"] == 2


def test_another_references_document_is_refused(run, workspace, drafted, tmp_path):
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["subject"]["it"] += " e altro"
    other = tmp_path / "other.yaml"
    other.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    run("draft", "agreement", 25, other)
    second = workspace / "drafts" / "TF25-AGR-002" / "TF25-AGR-002-v1.docx"
    result = run("draft", "import", REF, second)
    assert result.exit_code == 1
    assert result.stderr == ("Error: TF25-AGR-002-v1.docx is a draft of TF25-AGR-002, not of TF25-AGR-001: import "
                             "it as TF25-AGR-002\n")
    # the footer names it when the properties were cleared
    document = docx.Document(str(second))
    document.core_properties.identifier = ""
    with pytest.raises(ValidationError) as refused:
        import_docx(Workspace.at(workspace), REF, saved(document), "x.docx")
    assert refused.value.code == "import.other_reference" and refused.value.params["found"] == "TF25-AGR-002"


def test_a_broken_bilingual_table_is_refused_naming_the_row(workspace, drafted):
    document = docx.Document(str(drafted))
    russian = document.tables[0].rows[5].cells[1]          # Статья 3: its text deleted
    for paragraph in russian.paragraphs:
        set_text(paragraph, "") if paragraph.runs else None
    error = refusal(workspace, saved(document))
    assert error.code == "import.broken_table"
    assert [str(finding) for finding in error.findings] == [
        "row 6 «Articolo 3 – Durata»: text in Italian only: the Russian column is empty"]

    document = docx.Document(str(drafted))
    heading = paragraph_with(document, "Статья 4.")
    set_text(heading, "Статья 5. Конфиденциальность")
    error = refusal(workspace, saved(document))
    assert [str(finding) for finding in error.findings] == [
        "row 7 «Articolo 4 – Riservatezza»: not the same section in both columns: Articolo 4 and Статья 5"]

    document = docx.Document(str(drafted))
    row = document.tables[0].rows[3]._tr                  # Articolo 1: the columns swapped in one row
    cells = row.findall(f"{{{W_NS}}}tc")
    row.remove(cells[1])
    cells[0].addprevious(cells[1])
    error = refusal(workspace, saved(document))
    assert "the Italian column holds Russian text" in str(error.findings[0])


def with_revision(path, kind: str) -> bytes:
    """The document with one tracked change of ``kind`` (ins, del) by Anna in Articolo 3."""
    document = docx.Document(str(path))
    paragraph = paragraph_with(document, "rinnovabile per iscritto")
    run = paragraph.runs[0]._r
    wrapper = etree.SubElement(paragraph._p, f"{{{W_NS}}}{kind}")
    wrapper.set(f"{{{W_NS}}}id", "901")
    wrapper.set(f"{{{W_NS}}}author", "Anna")
    moved = etree.fromstring(etree.tostring(run))
    if kind == "del":
        for text in moved.iter(f"{{{W_NS}}}t"):
            text.tag = f"{{{W_NS}}}delText"
    wrapper.append(moved)
    return saved(document)


def test_tracked_changes_and_comments_are_refused_and_listed(run, workspace, drafted, tmp_path):
    error = refusal(workspace, with_revision(drafted, "ins"))
    assert error.code == "import.tracked_changes"
    assert len(error.findings) == 1 and str(error.findings[0]).startswith("word/document.xml: inserted by Anna: «")
    assert refusal(workspace, with_revision(drafted, "del")).findings[0].message.startswith("deleted by Anna")

    document = docx.Document(str(drafted))
    paragraph = paragraph_with(document, "rinnovabile per iscritto")
    document.add_comment(paragraph.runs, text="Tre anni bastano?", author="Marco")
    edited = tmp_path / "commented.docx"
    edited.write_bytes(saved(document))
    result = run("draft", "import", REF, edited)
    assert result.exit_code == 1
    assert result.stderr == ("Error: commented.docx carries 1 tracked change(s) or comment(s): accept or reject the "
                             "tracked changes in Word first (Review > Accept / Reject) and delete the comments, then "
                             "import it again\n  - word/comments.xml: comment by Marco: «Tre anni bastano?»\n")
    assert_no_crash(result)


def test_what_is_no_docx_is_refused_before_it_is_read(run, workspace, drafted, tmp_path):
    assert refusal(workspace, b"hello, not a zip").code == "import.not_docx"
    assert refusal(workspace, drafted.read_bytes(), "edited.pdf").code == "import.not_docx"
    assert refusal(workspace, b"PK" + bytes(21 * 2**20)).code == "import.too_large"

    bomb = io.BytesIO()                                    # 101 MB of zeros in a 100 kB file
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        with zipfile.ZipFile(drafted) as original:
            for item in original.infolist():
                archive.writestr(item, original.read(item))
        with archive.open("word/media/bomb.bin", "w", force_zip64=True) as part:
            for _ in range(101):
                part.write(bytes(2**20))
    assert len(bomb.getvalue()) < 2 * 2**20
    error = refusal(workspace, bomb.getvalue())
    assert error.code == "import.too_big_unpacked"

    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as archive:
        for number in range(1001):
            archive.writestr(f"part{number}.xml", "")
    assert refusal(workspace, many.getvalue()).code == "import.too_big_unpacked"

    linked = io.BytesIO()                                  # an image linked to a file outside: never fetched
    with zipfile.ZipFile(drafted) as original, zipfile.ZipFile(linked, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.openxmlformats'
                                    b'.org/officeDocument/2006/relationships/image" Target="file:///etc/passwd" '
                                    b'TargetMode="External"/></Relationships>')
            archive.writestr(item, data)
    error = refusal(workspace, linked.getvalue())
    assert error.code == "import.external_links" and "image: file:///etc/passwd" in error.message

    result = run("draft", "import", REF, tmp_path / "missing.docx")
    assert result.exit_code == 2                           # a usage mistake
    nonsense = tmp_path / "nonsense.docx"
    nonsense.write_bytes(b"\x00" * 100)
    result = run("draft", "import", REF, nonsense)
    assert result.exit_code == 1 and result.stderr.startswith("Error: nonsense.docx is not a Word .docx file (")
    assert_no_crash(result)
    unknown = run("draft", "import", "TF25-AGR-009", drafted)
    assert unknown.exit_code == 1 and "no draft TF25-AGR-009" in unknown.stderr
