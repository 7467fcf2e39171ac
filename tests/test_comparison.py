"""Comparing a signed PDF's text with its draft (pipeline/compare/comparison.py).

The fast tests lay a real rendered draft out as a two-column PDF text would read (wrapped lines, footers,
typographic variants); the slow ones go through LibreOffice, pyHanko and tesseract with real files."""
import copy
import difflib
import textwrap

import docx
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import cache
from pipeline.compare import signedtext
from pipeline.compare.comparison import Comparison, compare_file, compare_signed, compare_texts
from pipeline.compare.drafts import choose_version, find_reference
from pipeline.cli import cli
from pipeline.drafting.docx import text_by_language
from pipeline.errors import NotFoundError, TaskforceError, ValidationError
from pipeline.workspace import Workspace
from tests.conftest import REPO, require_tool

EXAMPLE = REPO / "templates" / "agreement-example.yaml"
REFERENCE = "TF25-AGR-001"


def draft(home, *options):
    result = CliRunner().invoke(cli, ["--home", str(home), "draft", "agreement", "25", str(EXAMPLE), *options])
    assert result.exit_code == 0, result.output
    return result


def layout(paragraphs: dict, footer: str | None = None, width: int = 46, per_page: int = 2) -> list[str]:
    """Pages of text as pypdf reads a bilingual table: each language's paragraphs wrapped into a column's
    lines, the Italian column before the Russian one, ``per_page`` slices of each per page, a footer under."""
    def lines(texts):
        return [line for text in texts for line in textwrap.wrap(text, width)]

    pages = []
    for number in range(per_page):
        part = {lang: texts[number * len(texts) // per_page:(number + 1) * len(texts) // per_page]
                for lang, texts in paragraphs.items()}
        body = lines(part["it"]) + lines(part["ru"])
        pages.append("\n".join(body + ([f"{footer} · {number + 1}"] if footer else [])))
    return pages


@pytest.fixture
def drafted(workspace):
    """The example agreement in v1 (draft) and v2 (final); returns (Workspace, paragraphs of v2)."""
    draft(workspace)
    draft(workspace, "--final")
    ws = Workspace(workspace)
    return ws, text_by_language(ws.home / "drafts" / REFERENCE / f"{REFERENCE}-v2.docx")


# --- normalisation ----------------------------------------------------------------------------------------
def test_normalisation_ignores_what_a_pdf_changes():
    assert signedtext.tokens("«le Parti» dell’altra ﬁrma\u00a0— italo-russa") == \
        signedtext.tokens('"le  parti" dell\'altra firma - italorussa')
    assert signedtext.tokens("Accordo") != signedtext.tokens("Accordi")
    # OCR: look-alike letters and punctuation do not count
    assert signedtext.tokens("2014 r.; Ha 000", ocr=True) == signedtext.tokens("2014 г. на ООО", ocr=True)
    assert signedtext.tokens("2014 r.", ocr=False) != signedtext.tokens("2014 г.", ocr=False)


def test_script_detection_and_the_column_split():
    assert signedtext.script_of("СОГЛАШЕНИЕ O") == "ru" and signedtext.script_of("OOO «Volga") == "it"
    assert signedtext.script_of("______ 12") is None
    texts = ["1.", "Articolo uno del", "2014", "Статья один от", "2014 г.", "(3)", "Fine.", "(4)", "Конец", "(5)"]
    lines = [signedtext.Line(text, 0 if n < 9 else 1) for n, text in enumerate(texts)]
    split = signedtext.split_languages(lines)
    # a line without letters: with its neighbours when they agree, else the tail of the line before it,
    # unless that line ended a sentence or a page begins: then the start of what follows
    assert [line.text for line in split["it"]] == ["1.", "Articolo uno del", "2014", "(3)", "Fine."]
    assert [line.text for line in split["ru"]] == ["Статья один от", "2014 г.", "(4)", "Конец", "(5)"]


def test_a_line_holding_both_columns_is_cut_unless_the_draft_has_it_whole():
    draft = {"it": ["Il Memorandum ha effetto dalla data della firma per 3 anni."],
             "ru": ["Меморандум действует с даты подписания в течение 3 года.",
                    "Договор с компанией Meccanica Orobica S.p.A. заключен."]}
    texts = ["Меморандум действует с даты", "Il Memorandum ha effetto dalla data della",
             "подписания в течение 3 года. firma per 3 anni.",   # pypdf joined the two cells' continuations
             "Договор с компанией Meccanica Orobica S.p.A.",     # a Latin name inside Russian text
             "заключен.", "СОГЛАШЕНИЕ O СОТРУДНИЧЕСТВЕ Ha", "2. Меморандум TF25-MOU-", "001 между"]
    split = signedtext.split_languages([signedtext.Line(text, 0) for text in texts], draft)
    assert [line.text for line in split["it"]] == ["Il Memorandum ha effetto dalla data della", "firma per 3 anni."]
    assert [line.text for line in split["ru"]] == [
        "Меморандум действует с даты", "подписания в течение 3 года.", "Договор с компанией Meccanica Orobica S.p.A.",
        "заключен.", "СОГЛАШЕНИЕ O СОТРУДНИЧЕСТВЕ Ha", "2. Меморандум TF25-MOU-", "001 между"]


def test_footers_page_numbers_and_the_draft_mark_are_taken_out():
    pages = ["Testo uno\nТекст один\nTF25-AGR-003 · v2 · BOZZA / ПРОЕКТ · 1",
             "Pagina 2 di 3\nTesto due\nTF25-AGR-003 - v2 . 2", "3\nTesto tre\nBOZZA"]
    kept, removed = signedtext.clean_lines(pages)
    assert [line.text for line in kept] == ["Testo uno", "Текст один", "Testo due", "Testo tre"]
    assert len(removed) == 5
    assert signedtext.find_draft_mark(pages) == "BOZZA / ПРОЕКТ"
    assert signedtext.find_draft_mark(["Testo\nTF25-AGR-003 · v2 · 1"]) is None
    assert signedtext.footer_versions(pages) == [("TF25-AGR-003", 2), ("TF25-AGR-003", 2)]
    # as tesseract reads it: "v1" as "vl", "·" as "»", the footer joined to the body's last line
    ocr = ["Testo uno\nTF25-PROT - vl » 1", "Testo due\nDirettore generale TF25-MOU-001 - vl - 2",
           "Testo tre\nТЕ!-АСВ-001 - vi - 3"]
    kept, removed = signedtext.clean_lines(ocr)
    assert [line.text for line in kept] == ["Testo uno", "Testo due", "Direttore generale", "Testo tre"]
    assert removed == ["TF25-PROT - vl » 1", "TF25-MOU-001 - vl - 2", "ТЕ!-АСВ-001 - vi - 3"]
    assert signedtext.footer_versions(ocr) == [("TF25-PROT", 1), ("TF25-MOU-001", 1)]


def test_a_line_break_hyphen_joins_the_word_and_shows_as_the_draft_writes_it():
    lines = [signedtext.Line(text, 0) for text in ["la Task Force italo-", "russa sui distret-", "ti industriali"]]
    stream = signedtext.make_stream(lines)
    assert stream.tokens == signedtext.tokens("la Task Force italo-russa sui distretti industriali")
    assert stream.breaks() == []    # a paragraph never ends in the middle of a word
    hyphenated = signedtext.hyphenated_words(["la Task Force italo-russa"])
    assert signedtext.display_text(lines, hyphenated) == "la Task Force italo-russa sui distretti industriali"


# --- comparing laid-out text with a real draft -------------------------------------------------------------
def test_the_same_text_laid_out_in_columns_is_identical(drafted):
    ws, paragraphs = drafted
    pages = layout(paragraphs, footer=f"{REFERENCE} · v2")
    result = compare_signed(ws, pages, ["text", "text"])
    assert isinstance(result, Comparison)
    assert (result.reference, result.version, result.state) == (REFERENCE, 2, "final")
    assert result.version_choice == "newest final version" and result.method == "text layer"
    assert result.identical and result.warnings == [] and result.draft_mark is None
    assert result.verdict() == "matches final draft v2"
    assert result.summary()["languages"] == {"it": {"changed": 0, "added": 0, "removed": 0},
                                             "ru": {"changed": 0, "added": 0, "removed": 0}}
    assert result.languages["it"].signed_paragraphs == result.languages["it"].draft_paragraphs > 20


def test_typography_and_narrow_columns_do_not_make_a_difference(drafted):
    ws, paragraphs = drafted
    varied = {lang: [p.replace("«", "“").replace("»", "”").replace("'", "’").replace("fi", "ﬁ")
                     .replace(" – ", " — ") for p in texts] for lang, texts in paragraphs.items()}
    pages = layout(varied, footer=f"{REFERENCE} · v2", width=23, per_page=3)
    pages = [page.replace("Task Force italo-russa", "Task Force italo-\nrussa").replace("distretti", "distret-\nti")
             for page in pages]
    result = compare_signed(ws, pages)
    assert result.identical, result.redline()


def test_a_changed_added_and_removed_paragraph_are_found_in_their_language(drafted):
    ws, paragraphs = drafted
    edited = {lang: list(texts) for lang, texts in paragraphs.items()}
    clause = next(i for i, p in enumerate(edited["it"]) if p.startswith("Il presente Accordo entra in vigore"))
    edited["it"][clause] = changed_text = edited["it"][clause].replace("3 (tre) anni", "5 (cinque) anni")
    removed = edited["it"].pop(next(i for i, p in enumerate(edited["it"]) if p.startswith("– organizzare")))
    after = next(i for i, p in enumerate(edited["ru"]) if p.startswith("– Стороны осуществляют"))
    edited["ru"].insert(after + 1, "Стороны назначают координаторов проекта.")
    result = compare_signed(ws, layout(edited, footer=f"{REFERENCE} · v2"))
    assert not result.identical
    assert result.summary()["languages"] == {"it": {"changed": 1, "added": 0, "removed": 1},
                                             "ru": {"changed": 0, "added": 1, "removed": 0}}
    italian = result.languages["it"].changes
    assert {"op": "removed", "after": "– scambiarsi informazioni tecniche e commerciali;", "old": [removed],
            "new": [], "words": []} in italian
    changed = next(c for c in italian if c["op"] == "changed")
    assert changed["old"] == [paragraphs["it"][clause]] and changed["new"] == [changed_text]
    assert result.languages["ru"].changes == [{"op": "added", "after": paragraphs["ru"][after], "old": [],
                                               "new": ["Стороны назначают координаторов проекта."], "words": []}]
    redline = result.redline()
    assert redline[0] == f"{REFERENCE}: final draft v2 → signed text (text layer)"
    assert "=== italiano" in redline and "=== русский" in redline
    assert redline.index("=== italiano") < redline.index("=== русский")
    assert f"- {removed}" in redline
    marked = [line for line in redline if line.startswith("~ ")]
    assert len(marked) == 1 and ("[-" in marked[0] or "{+" in marked[0])
    assert "+ Стороны назначают координаторов проекта." in redline
    assert result.verdict() == "differs from final draft v2 in 3 paragraphs"


def test_the_version_is_the_newest_final_one_else_the_newest(workspace):
    draft(workspace)
    ws = Workspace(workspace)
    entry, why = choose_version(ws, REFERENCE)
    assert (entry.version, why) == (1, "newest version; none is final")
    draft(workspace, "--final")
    draft(workspace)
    entry, why = choose_version(ws, REFERENCE)
    assert (entry.version, entry.state, why) == (2, "final", "newest final version")
    assert choose_version(ws, REFERENCE, 3)[0].version == 3
    with pytest.raises(NotFoundError, match="TF25-AGR-001 has no version 7 \\(versions: 1, 2, 3\\)"):
        choose_version(ws, REFERENCE, 7)
    with pytest.raises(NotFoundError, match="TF25-AGR-009 is not in the drafts register"):
        choose_version(ws, "TF25-AGR-009")


def test_a_comparison_with_a_draft_version_or_another_footer_says_so(workspace):
    draft(workspace)
    ws = Workspace(workspace)
    paragraphs = text_by_language(ws.home / "drafts" / REFERENCE / f"{REFERENCE}-v1.docx")
    result = compare_signed(ws, layout(paragraphs, footer=f"{REFERENCE} · v1 · BOZZA / ПРОЕКТ"))
    assert result.identical and (result.version, result.state) == (1, "draft")
    assert result.draft_mark == "BOZZA / ПРОЕКТ"
    assert result.warnings == [
        "the PDF still carries the draft mark 'BOZZA / ПРОЕКТ': a draft archived as if it were signed?",
        "TF25-AGR-001 has no final version in the drafts register: compared with draft v1"]
    draft(workspace, "--final")
    result = compare_signed(ws, layout(paragraphs, footer=f"{REFERENCE} · v1"))
    assert result.version == 2 and result.identical
    assert result.warnings == ["the PDF's footer names TF25-AGR-001 v1; compared with v2 (newest final version)"]


def test_the_reference_comes_from_the_footer_then_from_the_text(drafted):
    ws, _ = drafted
    assert find_reference(ws, ["Protocollo, allegato: TF25-AGR-001 e TF25-AGR-002\nTF25-PROT · v1 · 1"]) == REFERENCE
    assert find_reference(ws, ["Accordo TF25-AGR-002 e TF25-AGR-001"]) == REFERENCE
    assert find_reference(ws, ["Accordo TF25-AGR-002"]) is None


def test_bad_input_is_a_clear_error(drafted):
    ws, paragraphs = drafted
    with pytest.raises(NotFoundError, match="carries no reference code that the drafts register knows"):
        compare_signed(ws, ["Un testo qualsiasi, senza riferimento."])
    with pytest.raises(ValidationError, match="the PDF has no text to compare"):
        compare_signed(ws, ["", "  \n"], reference=REFERENCE)
    with pytest.raises(ValidationError, match="tolerance"):
        compare_texts(["testo"], paragraphs, tolerance=0)
    (ws.home / "drafts" / REFERENCE / f"{REFERENCE}-v2.docx").unlink()
    with pytest.raises(NotFoundError, match="is missing from the drafts folder"):
        compare_signed(ws, layout(paragraphs, footer=f"{REFERENCE} · v2"))


def test_ocr_tolerance_accepts_misreadings_but_not_a_missing_clause(drafted):
    ws, paragraphs = drafted
    misread = {lang: [p.replace("О", "O").replace("на ", "Ha ").replace(";", ":") for p in texts]
               for lang, texts in paragraphs.items()}
    clause = next(p for p in misread["it"] if p.startswith("Le Parti mantengono riservate"))
    words = clause.split()
    words[3], words[4] = words[4], words[3]       # tesseract sometimes reads a justified line out of order
    misread["it"][misread["it"].index(clause)] = " ".join(words).replace("esecuzione", "esecuz1one")
    pages = layout(misread, footer=f"{REFERENCE} · v2")
    strict = compare_signed(ws, pages, ["text", "text"])
    assert not strict.identical and strict.method == "text layer"
    tolerant = compare_signed(ws, pages, ["ocr", "ocr"])
    assert tolerant.identical and tolerant.method == "OCR (similarity ≥ 0.90)"
    assert tolerant.languages["it"].tolerated >= 1 and tolerant.verdict().endswith("(within the OCR tolerance)")
    # tesseract may read a table's cells in another order: a paragraph found elsewhere is not a difference
    def moved(texts):
        index = next(i for i, p in enumerate(texts) if p.startswith("заключили настоящее Соглашение"))
        return texts[:index] + texts[index + 1:] + [texts[index]]

    misread["ru"] = moved(misread["ru"])
    assert compare_signed(ws, layout(misread, footer=f"{REFERENCE} · v2"), ["ocr", "ocr"]).identical
    result = compare_signed(ws, layout({"it": paragraphs["it"], "ru": moved(paragraphs["ru"])}), reference=REFERENCE)
    assert result.languages["ru"].counts() == {"changed": 0, "added": 1, "removed": 1}   # a text layer keeps order
    misread["ru"] = [p for p in misread["ru"] if not p.startswith("Стороны сохраняют конфиденциальность")]
    result = compare_signed(ws, layout(misread, footer=f"{REFERENCE} · v2"), ["ocr", "ocr"])
    assert result.summary()["languages"]["ru"] == {"changed": 0, "added": 0, "removed": 1}
    assert result.languages["it"].identical


# --- real PDFs: LibreOffice, pyHanko, tesseract --------------------------------------------------------------
def _paragraph(document, start: str):
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    if paragraph.text.startswith(start):
                        return paragraph
    raise AssertionError(f"no paragraph starts with {start!r}")


def edited_docx(source, target, edit: str):
    """A copy of a rendered draft with one real edit, made with python-docx (runs and languages kept)."""
    document = docx.Document(str(source))
    if edit == "word":
        run = _paragraph(document, "Le Parti mantengono riservate").runs[0]
        run.text = run.text.replace("consenso scritto", "consenso preventivo")
    elif edit == "added":
        anchor = _paragraph(document, "– Стороны осуществляют деятельность")
        added = copy.deepcopy(anchor._p)
        anchor._p.addnext(added)
        paragraph = docx.text.paragraph.Paragraph(added, anchor._parent)
        paragraph.runs[0].text = "Стороны назначают координаторов для исполнения настоящего Соглашения."
    elif edit == "removed":
        gone = _paragraph(document, "– organizzare visite reciproche")._p
        gone.getparent().remove(gone)
    document.save(str(target))
    return target


@pytest.fixture(scope="module")
def real_pdfs(tmp_path_factory):
    """A workspace whose example agreement has v1 (draft) and v2 (final) rendered with --pdf by LibreOffice,
    and PDFs of three edited copies of v2 converted by LibreOffice in one run."""
    require_tool("soffice")
    from pipeline.drafting.docx import convert_many_to_pdf

    root = tmp_path_factory.mktemp("comparison")
    home = root / "ws"
    assert CliRunner().invoke(cli, ["--home", str(home), "init", "--sample"]).exit_code == 0
    draft(home, "--pdf")
    draft(home, "--final", "--pdf")
    draft(home, "--kind", "memorandum", "--order", "ru-it", "--final", "--pdf")   # the Russian column first
    result = CliRunner().invoke(cli, ["--home", str(home), "draft", "protocol", "25", "--final", "--pdf"])
    assert result.exit_code == 0, result.output
    final = home / "drafts" / REFERENCE / f"{REFERENCE}-v2.docx"
    sources = [edited_docx(final, root / f"{edit}.docx", edit) for edit in ("word", "added", "removed")]
    made = convert_many_to_pdf(sources, root / "edited")
    return Workspace(home), {path.stem: path for path in made}, root


def extracted(path):
    from pipeline.pdf.text import extract

    content = extract(path)
    return content.pages, content.page_sources


@pytest.mark.slow
def test_the_libreoffice_pdf_of_the_final_draft_is_identical(real_pdfs):
    ws, _, _ = real_pdfs
    pages, sources = extracted(ws.home / "drafts" / REFERENCE / f"{REFERENCE}-v2.pdf")
    assert len(pages) >= 2 and set(sources) == {"text"}
    result = compare_signed(ws, pages, sources)
    assert result.identical, "\n".join(result.redline())
    assert (result.version, result.method, result.warnings) == (2, "text layer", [])


@pytest.mark.slow
@pytest.mark.parametrize("reference", ["TF25-MOU-001", "TF25-PROT"])
def test_a_russian_first_memorandum_and_the_protocol_are_identical(real_pdfs, reference):
    ws, _, _ = real_pdfs
    pages, sources = extracted(ws.home / "drafts" / reference / f"{reference}-v1.pdf")
    result = compare_signed(ws, pages, sources)
    assert result.reference == reference and result.identical, "\n".join(result.redline())
    assert result.languages["ru"].draft_paragraphs > 10 and result.warnings == []


@pytest.mark.slow
def test_the_pdf_signed_with_pyhanko_is_identical(real_pdfs):
    from pipeline.demo.pdfmake import make_demo_signer, sign_pdf
    from pipeline.pdf.text import extract

    ws, _, root = real_pdfs
    key, cert = make_demo_signer(root)
    signed = sign_pdf(ws.home / "drafts" / REFERENCE / f"{REFERENCE}-v2.pdf", root / "signed.pdf", key, cert,
                      reason="Firma / Подпись", location="Bergamo")
    content = extract(signed)
    assert content.signature_fields, "the test PDF must really be signed"
    result = compare_signed(ws, content.pages, content.page_sources)
    assert result.identical and result.warnings == []


@pytest.mark.slow
@pytest.mark.parametrize("edit, language, counts, marker", [
    ("word", "it", {"changed": 1, "added": 0, "removed": 0}, "{+preventivo+}"),
    ("added", "ru", {"changed": 0, "added": 1, "removed": 0}, "Стороны назначают координаторов"),
    ("removed", "it", {"changed": 0, "added": 0, "removed": 1}, "– organizzare visite reciproche"),
])
def test_an_edit_in_the_signed_pdf_is_found_in_its_language(real_pdfs, edit, language, counts, marker):
    ws, made, _ = real_pdfs
    pages, sources = extracted(made[edit])
    result = compare_signed(ws, pages, sources)
    other = "ru" if language == "it" else "it"
    assert result.languages[language].counts() == counts, "\n".join(result.redline())
    assert result.languages[other].identical, "\n".join(result.redline())
    sign = "-" if edit == "removed" else "+" if edit == "added" else "~"
    assert any(line.startswith(f"{sign} ") and marker in line for line in result.redline())
    if edit == "word":
        assert any(line.startswith("~ ") and "[-scritto-]{+preventivo+}" in line for line in result.redline())


@pytest.mark.slow
def test_a_draft_pdf_is_warned_about(real_pdfs):
    ws, _, _ = real_pdfs
    pages, sources = extracted(ws.home / "drafts" / REFERENCE / f"{REFERENCE}-v1.pdf")
    result = compare_signed(ws, pages, sources)
    assert result.draft_mark == "BOZZA / ПРОЕКТ" and result.identical
    assert result.warnings[0].startswith("the PDF still carries the draft mark 'BOZZA / ПРОЕКТ'")
    assert "the PDF's footer names TF25-AGR-001 v1; compared with v2 (newest final version)" in result.warnings


@pytest.mark.slow
def test_an_ocr_scan_of_the_signed_text_is_identical_within_the_tolerance(real_pdfs):
    require_tool("tesseract")
    from pipeline.demo.pdfmake import scan_pdf

    ws, made, root = real_pdfs
    scan = scan_pdf(ws.home / "drafts" / REFERENCE / f"{REFERENCE}-v2.pdf", root / "scan.pdf")
    pages, sources = extracted(scan)
    assert set(sources) == {"ocr"}
    result = compare_signed(ws, pages, sources)
    assert result.identical, "\n".join(result.redline())
    assert result.method == "OCR (similarity ≥ 0.90)" and result.version == 2
    # the tolerance forgives misreadings, not a clause: a scan of the copy with an added paragraph differs
    scan = scan_pdf(made["added"], root / "scan-added.pdf")
    result = compare_signed(ws, *extracted(scan))
    assert result.languages["ru"].counts() == {"changed": 0, "added": 1, "removed": 0}, "\n".join(result.redline())
    assert result.languages["it"].identical


def test_compare_file_needs_no_register(drafted):
    ws, paragraphs = drafted
    result = compare_file(layout(paragraphs), ws.home / "drafts" / REFERENCE / f"{REFERENCE}-v2.docx")
    assert result.identical and result.reference == ""
    with pytest.raises(TaskforceError):
        compare_file(layout(paragraphs), ws.home / "drafts" / REFERENCE / "missing.docx")


def test_a_draft_is_parsed_once_per_content_and_read_again_when_it_changes(drafted, monkeypatch):
    from pipeline.compare import comparison
    ws, paragraphs = drafted
    parsed = []
    monkeypatch.setattr(comparison, "text_by_language", lambda data: parsed.append(data) or text_by_language(data))
    cache.clear_all()
    folder = ws.home / "drafts" / REFERENCE
    first = comparison.read_draft(folder / f"{REFERENCE}-v2.docx")
    first["it"].append("changed by a caller")
    first["ru"].clear()
    assert comparison.read_draft(folder / f"{REFERENCE}-v2.docx") == paragraphs   # a fresh copy
    assert len(parsed) == 1
    # the same bytes under another name: not parsed again; another content under the same name: parsed
    copy_path = ws.home / "copy.docx"
    copy_path.write_bytes((folder / f"{REFERENCE}-v2.docx").read_bytes())
    assert comparison.read_draft(copy_path) == paragraphs and len(parsed) == 1
    edited_docx(folder / f"{REFERENCE}-v2.docx", copy_path, "word")
    edited = comparison.read_draft(copy_path)
    assert len(parsed) == 2 and edited != paragraphs and edited == text_by_language(copy_path)
    copy_path.write_bytes(b"not a docx")
    with pytest.raises(ValidationError, match="not a readable .docx"):
        comparison.read_draft(copy_path)


# --- the aligner ------------------------------------------------------------------------------------------
@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from("abcdefg,."), max_size=60), st.lists(st.sampled_from("abcdefg,."), max_size=60))
def test_the_aligner_gives_valid_opcodes(a, b):
    from pipeline.compare.align import opcodes

    rebuilt, i, j = [], 0, 0
    for op, a1, a2, b1, b2 in opcodes(a, b):
        assert (a1, b1) == (i, j) and op in ("equal", "replace", "delete", "insert")
        assert (a1 < a2 or op == "insert") and (b1 < b2 or op == "delete")
        if op == "equal":
            assert a[a1:a2] == b[b1:b2]
        rebuilt += b[b1:b2]
        i, j = a2, b2
    assert (i, j) == (len(a), len(b)) and rebuilt == b
    middle = len(a) // 2
    assert opcodes(a, a) == ([("equal", 0, len(a), 0, len(a))] if a else [])
    if 0 < middle < len(a):
        assert [op for op, *_ in opcodes(a, a[:middle] + ["new"] + a[middle:])] == ["equal", "insert", "equal"]


def test_a_long_repetitive_document_compares_as_identical(drafted):
    """Sixty-odd pages made of the same clauses repeated (a Protocol's annex is like that): the words found
    once anchor the alignment, and the text still compares paragraph for paragraph."""
    ws, paragraphs = drafted
    copies = {lang: [f"{p} {'copia' if lang == 'it' else 'копия'} {n}" for n in range(30) for p in texts]
              for lang, texts in paragraphs.items()}
    pages = layout(copies, footer=f"{REFERENCE} · v2", per_page=60)
    result = compare_texts(pages, copies)
    assert result.identical, result.redline()[:10]
    assert result.languages["ru"].draft_paragraphs == result.languages["ru"].signed_paragraphs > 900


# --- what ingest will learn: the draft check -----------------------------------------------------------------
def test_the_draft_check_compares_and_warns(drafted):
    import datetime as dt

    from pipeline.compare.draftcheck import check_signed

    ws, paragraphs = drafted
    pages = layout(paragraphs, footer=f"{REFERENCE} · v2")
    check = check_signed(ws, pages, ["text", "text"], REFERENCE, signed_on=dt.date(2014, 11, 28),
                         signed_on_source="text")
    assert check.comparison["identical"] and check.comparison["version"] == 2 and check.warnings == []
    assert check.event == ("success", "TF25-AGR-001: matches final draft v2 (newest final version; text layer)")
    # another date, a party the register does not know, the draft mark
    check = check_signed(ws, layout(paragraphs, footer=f"{REFERENCE} · v2 · BOZZA / ПРОЕКТ"), [], REFERENCE,
                         parties=["Meccanica Orobica S.p.A.", "Acme S.r.l."], parties_given=True,
                         signed_on=dt.date(2014, 11, 27), signed_on_source="option")
    assert check.warnings == [
        "the PDF still carries the draft mark 'BOZZA / ПРОЕКТ': a draft archived as if it were signed?",
        "the parties given at ingest (Acme S.r.l.) are not the drafts register's (Meccanica Orobica S.p.A. / "
        "«Меканика Оробика С.п.А.»; OOO «Volga Stanki» / ООО «Волга Станки»)",
        "the date of signature 2014-11-27 (option) is not the date of TF25-AGR-001 v2 (2014-11-28)"]
    # a party missing from the text; a changed text is a failed comparison event
    edited = {"it": [p.replace("OOO «Volga Stanki»", "OOO «Kama Stanki»") for p in paragraphs["it"]],
              "ru": [p.replace("ООО «Волга Станки»", "ООО «Кама Станки»") for p in paragraphs["ru"]]}
    check = check_signed(ws, layout(edited, footer=f"{REFERENCE} · v2"), [], REFERENCE)
    assert check.warnings == ["the drafts register's party 'OOO «Volga Stanki» / ООО «Волга Станки»' is not named "
                              "in the signed text"]
    assert check.event[0] == "failure" and check.event[1].startswith("TF25-AGR-001: differs from final draft v2 in ")
    assert not check.comparison["identical"] and check.comparison["languages"]["it"]["changed"] >= 3
    # a reference the register does not know; no reference at all but the draft mark
    check = check_signed(ws, pages, [], "TF25-AGR-009")
    assert check.comparison is None and check.event is None
    assert check.warnings == ["the reference TF25-AGR-009 is unknown to the drafts register: not compared with a draft"]
    assert check_signed(ws, ["Testo\nBOZZA / ПРОЕКТ"], [], None).warnings == [
        "the PDF still carries the draft mark 'BOZZA / ПРОЕКТ': a draft archived as if it were signed?"]
    # a comparison that cannot be made is a warning and a failed event, never an error
    (ws.home / "drafts" / REFERENCE / f"{REFERENCE}-v2.docx").unlink()
    check = check_signed(ws, pages, [], REFERENCE)
    assert check.comparison is None and check.event[0] == "failure"
    assert check.warnings[0].startswith("not compared with its draft: ") and "is missing" in check.warnings[0]
