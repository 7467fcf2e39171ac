"""The comparison compares words in order: the layout (line ends, hyphenation, a date range broken after its
dash), OCR's look-alike letters and the column a line lands in cannot make a difference; and the redline
marks the changed words inside a changed paragraph, cutting context only between words (issue 21)."""
import pytest

from pipeline.compare import signedtext
from pipeline.compare.comparison import compare_texts, redline_lines
from pipeline.compare.words import marked, shorten, word_changes

DRAFT = {"it": ["Accordo di cooperazione", "La sessione si è tenuta a Roma dal 10–12 maggio 2006 presso la Camera.",
                "Il presente Accordo ha una durata di 5 (cinque) anni."],
         "ru": ["Соглашение о сотрудничестве", "Заседание прошло в Риме 10–12 мая 2006 г. в Палате.",
                "Настоящее Соглашение действует 5 (пять) лет."]}


def test_a_date_range_broken_after_its_dash_is_the_same_text():
    # LibreOffice breaks a line after an en dash: the text layer reads "10–" then "12 maggio"
    pages = ["Accordo di cooperazione\nLa sessione si è tenuta a Roma dal 10–\n12 maggio 2006 presso la Camera.\n"
             "Il presente Accordo ha una durata di 5 (cinque) anni.\n",
             "Соглашение о сотрудничестве\nЗаседание прошло в Риме 10 –\n12 мая 2006 г. в Палате.\n"
             "Настоящее Соглашение действует 5 (пять) лет.\n"]
    result = compare_texts(pages, DRAFT)
    assert result.identical, "\n".join(result.redline())


def test_hyphens_and_dashes_normalise_by_what_they_are():
    assert signedtext.tokens("10–12 maggio") == signedtext.tokens("10 – 12 maggio") == signedtext.tokens("10-12 maggio")
    assert signedtext.tokens("italo-russa") == signedtext.tokens("italorussa")
    stream = signedtext.make_stream([signedtext.Line("Repubblica del Tatar-", 0), signedtext.Line("stan", 0),
                                     signedtext.Line("dal 10-", 0), signedtext.Line("12 maggio", 0)])
    assert stream.tokens == signedtext.tokens("Repubblica del Tatarstan dal 10–12 maggio")
    # a real change of a number is still a change
    assert signedtext.tokens("10–12 maggio") != signedtext.tokens("10–13 maggio")


def test_an_ocr_line_of_look_alike_letters_goes_to_the_column_that_has_it():
    draft = {"it": ["Accordo firmato a Mosca il 28 novembre 2015 (protocollo n. 3);"],
             "ru": ["Соглашение подписано в Москве 28 ноября", "(протокол № 3 от 2015 г.);"]}
    # tesseract read the Russian "г." as a Latin "r": the line has only letters of both scripts
    pages = ["Accordo firmato a Mosca il 28 novembre 2015 (protocollo n. 3);\nСоглашение подписано в Москве 28 ноября\n"
             "(протокол № 3 от\n2015 r.);"]
    lines, _ = signedtext.clean_lines(pages)
    split = signedtext.split_languages(lines, draft, ocr=True)
    assert [line.text for line in split["ru"]][-1] == "2015 r.);"
    result = compare_texts(pages, draft, ocr=True)
    assert result.identical, "\n".join(result.redline())


def test_a_changed_paragraph_marks_its_changed_words():
    old = "Il presente Accordo ha una durata di 5 (cinque) anni, rinnovabile per iscritto."
    new = "Il presente Accordo ha una durata di 10 (dieci) anni, rinnovabile per iscritto."
    assert marked(word_changes(old, new)) == ("Il presente Accordo ha una durata di [-5 (cinque)-]{+10 (dieci)+} "
                                              "anni, rinnovabile per iscritto.")
    # quote styles and dashes are not changes of a word
    assert word_changes("le «Parti» — tutte", 'le "Parti" - tutte') == [("equal", 'le "Parti" - tutte')]
    change = {"after": "Articolo 3 – Durata del presente Accordo e delle sue modifiche successive approvate",
              "old": [old, "Paragrafo tolto."], "new": [new]}
    lines = redline_lines(change)
    assert lines[0] == "@@ after: Articolo 3 – Durata del presente Accordo e delle sue modifiche …"
    assert lines[1].startswith("~ Il presente") and lines[2] == "- Paragrafo tolto."


def test_context_is_cut_between_words_only():
    words = [f"parola{n}" for n in range(80)]
    old = " ".join(words)
    new = " ".join(words[:40] + ["nuova"] + words[41:])
    line = marked(word_changes(old, new))
    assert "[-parola40-]{+nuova+}" in line and line.startswith("… ") and line.endswith(" …")
    assert all(part == "…" or part.startswith(("parola", "[-", "{+")) for part in line.split())
    assert {p for p in line.replace("[-parola40-]{+nuova+}", "").split() if p != "…"} <= set(words)
    cut = shorten("Il presente Accordo entra in vigore alla data della sottoscrizione definitiva", 30)
    assert cut == "Il presente Accordo entra in …" and all(w in "Il presente Accordo entra in vigore" for w in cut.split()[:-1])


def test_an_ocr_line_ending_a_broken_word_stays_in_its_column():
    # tesseract read the rest of "соглаше-/ниями." in Latin letters ("HUSMH."): it is still the Russian cell
    draft = {"it": ["Eventuali impegni saranno oggetto di accordi separati.", "Articolo 4 — Durata"],
             "ru": ["Конкретные обязательства оформляются отдельными соглашениями.", "Статья 4. Срок действия"]}
    pages = ["Eventuali impegni saranno oggetto di ac-\ncordi separati.\nArticolo 4 — Durata\n"
             "Конкретные обязательства оформляются отдельными соглаше-\nHUSMH.\nСтатья 4. Срок действия"]
    lines, _ = signedtext.clean_lines(pages)
    split = signedtext.split_languages(lines, draft, ocr=True)
    assert [line.text for line in split["ru"]][1] == "HUSMH."
    result = compare_texts(pages, draft, ocr=True)
    assert result.identical, "\n".join(result.redline())


def test_an_ocr_word_read_out_of_its_place_is_not_an_added_paragraph():
    """tesseract read "сохраняют", a word of a justified line, after the paragraph's end (seen in a demo scan:
    "+ ны. сохраняют"): the words are all there, one of them elsewhere; an added word is still found."""
    draft = {"it": ["Articolo 4 — Riservatezza", "Le Parti mantengono riservate le informazioni ricevute."],
             "ru": ["Статья 4. Конфиденциальность",
                    "Стороны сохраняют конфиденциальность информации, полученной при исполнении настоящего "
                    "Соглашения, и не передают ее третьим лицам без письменного согласия другой Стороны."]}
    pages = ["Articolo 4 — Riservatezza\nLe Parti mantengono riservate le informazioni ricevute.\n"
             "Статья 4. Конфиденциальность\n\nСтороны конфиденциальность\nинформации, полученной при исполнении на-\n"
             "стоящего Соглашения, и не передают ее третьим\nлицам без письменного согласия другой Сторо-\nны.\n\n"
             "сохраняют\n"]
    result = compare_texts(pages, draft, ocr=True)
    assert result.identical, "\n".join(result.redline())
    added = [pages[0].replace("сохраняют\n", "сохраняют\nзаранее\n")]
    assert not compare_texts(added, draft, ocr=True).identical


def _agreement(home, *options):
    from click.testing import CliRunner

    from pipeline.cli import cli
    from tests.conftest import REPO

    result = CliRunner().invoke(cli, ["--home", str(home), "draft", "agreement", "25",
                                      str(REPO / "templates" / "agreement-example.yaml"), *options])
    assert result.exit_code == 0, result.output


def _wrapped(paragraphs: dict, first: str) -> list[str]:
    import textwrap

    other = "ru" if first == "it" else "it"
    return ["\n".join(line for text in paragraphs[lang] for line in textwrap.wrap(text, 40)) for lang in (first, other)]


def test_the_two_originals_of_a_version_are_one_approved_text(workspace):
    """Italian first for the Italian party, Russian first for the Russian one: a signed copy of either is
    the version (the closing clause's "lingue italiana e russa" and the signatures' order differ)."""
    from pipeline.compare.comparison import compare_signed
    from pipeline.drafting import register
    from pipeline.drafting.docx import text_by_language
    from pipeline.workspace import Workspace

    _agreement(workspace, "--final")
    ws = Workspace.at(workspace)
    [entry] = register.entries(ws)
    assert entry.order == "it-ru" and entry.alternat["order"] == "ru-it"
    italian_first = text_by_language(ws.home / entry.file)
    russian_first = text_by_language(ws.home / entry.alternat["file"])
    assert italian_first != russian_first        # the two layouts' texts do differ
    for texts, first in ((italian_first, "it"), (russian_first, "ru")):
        result = compare_signed(ws, _wrapped(texts, first) + ["TF25-AGR-001 · v1 · 3"], ["text"] * 3)
        assert result.identical and result.verdict() == "matches final draft v1", "\n".join(result.redline())
        assert result.draft_file == (entry.file if first == "it" else entry.alternat["file"])
    # a real change is still found, against the layout it is closest to
    changed = {lang: list(paragraphs) for lang, paragraphs in russian_first.items()}
    changed["ru"][-3] += " Дополнение."
    result = compare_signed(ws, _wrapped(changed, "ru"), ["text"] * 2, "TF25-AGR-001")
    assert result.verdict() == "differs from final draft v1 in 1 paragraph"
    assert result.draft_file == entry.alternat["file"]


@pytest.mark.slow
def test_pdf_makes_both_originals_each_with_the_reference(workspace):
    from pipeline.compare.comparison import compare_signed
    from pipeline.drafting import register
    from pipeline.pdf.text import extract
    from pipeline.workspace import Workspace
    from tests.conftest import require_tool

    require_tool("soffice")
    _agreement(workspace, "--final", "--pdf")
    ws = Workspace.at(workspace)
    [entry] = register.entries(ws)
    for pdf in (entry.pdf, entry.alternat["pdf"]):
        content = extract(ws.home / pdf)
        assert "TF25-AGR-001" in content.pages[-1]
        result = compare_signed(ws, content.pages, content.page_sources)
        assert result.identical and result.reference == "TF25-AGR-001", "\n".join(result.redline())


def test_an_ocr_footer_garbled_at_a_page_edge_is_taken_out():
    pages = ["Articolo 5 - Legge applicabile\nIl presente Accordo è regolato dal diritto russo.\nTF13-AGR-001-vl-1",
             "Direttore generale\nTF13-AGR-001- \\1.4", "Amministratore delegato\nTF4-MOU-001 - No1 - 3"]
    kept, removed = signedtext.clean_lines(pages)
    assert [line.text for line in kept] == ["Articolo 5 - Legge applicabile",
                                            "Il presente Accordo è regolato dal diritto russo.", "Direttore generale",
                                            "Amministratore delegato"]
    assert removed == ["TF13-AGR-001-vl-1", "TF13-AGR-001- \\1.4", "TF4-MOU-001 - No1 - 3"]
    # a reference inside the text is the text
    kept, _ = signedtext.clean_lines(["TF13-AGR-001 e altri accordi\nsono allegati.\nFine del testo."])
    assert kept[0].text == "TF13-AGR-001 e altri accordi"
