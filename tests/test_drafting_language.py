"""The drafts' last language faults (issue 21, section 2): Italian articles before a party's name, the party's
gender from its name, elided ordinals, no guessed form in a final text, mixed scripts, the forms printed at
each render, and the PDF layout."""
import datetime as dt
import json

import docx
import pytest
import yaml
from click.testing import CliRunner

from pipeline import drafting
from pipeline.cli import cli
from pipeline.drafting import contexts, legal_text
from pipeline.drafting.docx import text_by_language
from pipeline.errors import ValidationError
from pipeline.workspace import Workspace
from tests.conftest import REPO, SAMPLE_SESSION

EXAMPLE = REPO / "templates" / "agreement-example.yaml"
NBSP = "\u00a0"


def three_parties() -> dict:
    """The lawyer's three-party agreement: a consortium, a Russian company and a chamber of commerce."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["parties"] = [
        {"name": {"it": "Consorzio Brianza Legno", "ru": "Консорциум «Брианца Леньо»"}, "country": "IT",
         "legal_form": {"it": "consorzio", "ru": "консорциум"},
         "seat": {"it": "Lissone (Lombardia)", "ru": "Лиссоне (Ломбардия)"},
         "representative": {"name": {"it": "Paolo Mapelli", "ru": "Паоло Мапелли"}, "gender": "m",
                            "role": {"it": "Presidente", "ru": "Президент"}, "basis": "statute"}},
        {"name": {"it": "OOO «Kazanmebel»", "ru": "ООО «Казаньмебель»"}, "country": "RU",
         "legal_form": {"it": "società a responsabilità limitata", "ru": "общество с ограниченной ответственностью"},
         "seat": {"it": "Kazan (Tatarstan)", "ru": "Казань (Республика Татарстан)"},
         "representative": {"name": {"it": "Ivan Petrov", "ru": "Иван Петров"}, "gender": "m",
                            "role": {"it": "Direttore generale", "ru": "Генеральный директор"}, "basis": "statute"}},
        {"name": {"it": "Camera di commercio e industria della Repubblica del Tatarstan",
                  "ru": "Торгово-промышленная палата Республики Татарстан"}, "country": "RU",
         "legal_form": {"it": "ente senza scopo di lucro", "ru": "некоммерческая организация"},
         "seat": {"it": "Kazan (Tatarstan)", "ru": "Казань (Республика Татарстан)"},
         "representative": {"name": {"it": "Olga Volkova", "ru": "Ольга Волкова"}, "gender": "f",
                            "role": {"it": "Presidente", "ru": "Президент"}, "basis": "statute"}},
    ]
    data["place"] = {"it": "Kazan", "ru": "Казань"}
    data["signed_on"] = "2019-04-11"
    return data


def write(folder, data, name="data.yaml"):
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def italian(path):
    return "\n".join(text_by_language(path)["it"])


def forms_of(entry):
    return {form["field"]: form for form in entry["forms"]}


# --- 1. articles before a name that begins with a common noun ----------------------------------------------
def test_a_name_that_begins_with_a_common_noun_takes_its_article(workspace, tmp_path):
    entry = drafting.render_agreement(Workspace.at(workspace), 25, write(tmp_path, three_parties()))
    text = italian(workspace / entry["file"])
    for expected in ("tra il Consorzio Brianza Legno, OOO «Kazanmebel» e la Camera di commercio e industria della "
                     "Repubblica del Tatarstan",
                     "Il Consorzio Brianza Legno, consorzio, con sede in",
                     "\nOOO «Kazanmebel», società a responsabilità limitata",
                     "La Camera di commercio e industria della Repubblica del Tatarstan, ente senza scopo di lucro",
                     "Per il Consorzio Brianza Legno\n", "Per OOO «Kazanmebel»\n",
                     "Per la Camera di commercio e industria della Repubblica del Tatarstan\n"):
        assert expected in text, expected
    assert entry["texts"]["parties_between"]["it"].startswith("il Consorzio Brianza Legno, OOO")
    found = forms_of(entry)
    assert found["parties[0].article"]["form"] == "il" and found["parties[2].article"]["form"] == "la"
    assert "parties[1].article" not in found                    # a company's own name: no article to check


def test_the_article_elides_and_the_data_file_overrides_it(workspace, tmp_path):
    data = three_parties()
    data["parties"][0]["name"] = {"it": "Università degli Studi di Padova", "ru": "Падуанский университет"}
    data["parties"][0]["legal_form"] = {"it": "ente pubblico", "ru": "государственное учреждение"}
    data["parties"][2]["article"] = "none"
    entry = drafting.render_agreement(Workspace.at(workspace), 25, write(tmp_path, data))
    text = italian(workspace / entry["file"])
    assert "Per l’Università degli Studi di Padova\n" in text
    assert "L’Università degli Studi di Padova, ente pubblico, con sede in Lissone (Lombardia), rappresentata" in text
    assert "e Camera di commercio e industria della Repubblica del Tatarstan" in text
    assert "parties[2].article" not in forms_of(entry)          # given: not derived


def test_the_printed_forms_include_the_article(workspace, tmp_path):
    result = CliRunner().invoke(cli, ["--home", str(workspace), "draft", "agreement", "25",
                                      str(write(tmp_path, three_parties()))])
    assert result.exit_code == 0, result.output
    assert "parties[0].article: il" in result.output and "give parties[0].article" in result.output


def test_a_bad_article_is_an_error_naming_the_field(tmp_path):
    from pipeline.drafting.agreements import parse_agreement

    data = three_parties()
    data["parties"][0]["article"] = "der"
    result, findings = parse_agreement(data, "data.yaml")
    assert result is None and any(f.message.startswith("parties[0].article: 'der' is not one of")
                                  for f in findings), findings


# --- 2. the party's gender from the head noun of its name ---------------------------------------------------
def test_the_party_agrees_with_the_noun_its_name_begins_with(workspace, tmp_path):
    data = three_parties()
    data["parties"][0]["name"] = {"it": "Università statale di Novosibirsk",
                                  "ru": "Новосибирский государственный университет"}
    data["parties"][0]["country"] = "RU"
    data["parties"][1]["country"] = "IT"
    data["parties"][0]["legal_form"] = {"it": "istituto statale di istruzione superiore",
                                        "ru": "государственное образовательное учреждение"}
    entry = drafting.render_agreement(Workspace.at(workspace), 25, write(tmp_path, data))
    text = italian(workspace / entry["file"])
    assert ("L’Università statale di Novosibirsk, istituto statale di istruzione superiore, con sede in Lissone "
            "(Lombardia), rappresentata da Paolo Mapelli") in text
    assert "ente senza scopo di lucro, con sede in Kazan (Tatarstan), rappresentata da Olga Volkova" in text
    gender = forms_of(entry)["parties[0].gender"]
    assert gender["form"] == "f" and "«università»" in gender["note"]
    assert forms_of(entry)["parties[1].gender"]["form"] == "f"     # OOO: from its legal form (società)


# --- 3. elision with ordinals ------------------------------------------------------------------------------
@pytest.mark.parametrize("number, la, della", [(8, "L’ottava", "dell’ottava"), (11, "L’undicesima", "dell’undicesima"),
                                               (25, "La venticinquesima", "della venticinquesima")])
def test_ordinals_take_the_elided_article(number, la, della):
    ordinal = contexts.ordinal(number)
    assert ordinal["it_La"] == la and ordinal["it_della"] == della


def _session(workspace, number, start):
    data = yaml.safe_load(SAMPLE_SESSION.read_text(encoding="utf-8"))
    data.update(number=number, start=start, end=start + dt.timedelta(days=1))
    data["next_session"] = None
    path = workspace / f"s{number}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert CliRunner().invoke(cli, ["--home", str(workspace), "sessions", "add", str(path)]).exit_code == 0


def test_the_eighth_and_eleventh_sessions_elide(workspace, tmp_path):
    ws = Workspace.at(workspace)
    _session(workspace, 8, dt.date(2006, 5, 10))
    _session(workspace, 11, dt.date(2007, 10, 10))
    protocol = drafting.render_protocol(ws, 11)
    text = italian(workspace / protocol["file"])
    assert "dell’undicesima sessione della Task Force" in text and "L’undicesima sessione della Task Force si è" in text
    assert "della undicesima" not in text and "La undicesima" not in text
    assert protocol["title"].startswith("Protocollo dell’undicesima sessione")
    agreement = drafting.render_agreement(ws, 8, EXAMPLE)
    assert "ai lavori dell’ottava sessione" in italian(workspace / agreement["file"])


# --- 4. no guessed or doubtful form in a final text --------------------------------------------------------
def _sole_manager(data):
    data["parties"][1]["representative"]["role"] = {"it": "Amministratore unico", "ru": "Единоличный управляющий"}
    return data


def test_a_final_version_is_refused_while_a_form_is_unconfirmed(workspace, tmp_path):
    ws = Workspace.at(workspace)
    source = write(tmp_path, _sole_manager(three_parties()))
    with pytest.raises(ValidationError) as err:
        drafting.render_agreement(ws, 25, source, final=True)
    assert "cannot be final" in err.value.message
    assert [f.message.split(":")[0] for f in err.value.findings] == ["parties[1].representative.role.ru_gen"]
    assert not (workspace / "drafts" / "TF25-AGR-001").exists()            # nothing written
    draft = drafting.render_agreement(ws, 25, source)                      # a draft still renders
    assert "в лице единоличного управляющего Ивана Петрова" in "\n".join(text_by_language(workspace / draft["file"])["ru"])
    data = _sole_manager(three_parties())
    data["parties"][1]["representative"]["role"]["ru_gen"] = "единоличного управляющего"   # confirmed
    final = drafting.render_agreement(ws, 25, write(tmp_path, data), final=True)
    assert final["state"] == "final" and final["version"] == 2


def test_the_command_names_each_field_to_give(workspace, tmp_path):
    data = _sole_manager(three_parties())
    data["place"] = {"it": "Kukuevsk", "ru": "Кукуевск"}                 # unknown to the dictionary: a guess
    source = write(tmp_path, data)
    result = CliRunner().invoke(cli, ["--home", str(workspace), "draft", "agreement", "25", str(source), "--final"])
    assert result.exit_code == 1 and (result.exception is None or isinstance(result.exception, SystemExit))
    assert "cannot be final: 2 form(s)" in result.output
    assert "- " + str(source) + ": place.ru_pre: «Кукуевск» -> «Кукуевске» is a guess" in result.output
    assert "parties[1].representative.role.ru_gen: «единоличный управляющий» -> «единоличного управляющего» is " \
           "doubtful" in result.output
    draft = CliRunner().invoke(cli, ["--home", str(workspace), "draft", "agreement", "25", str(source)])
    assert draft.exit_code == 0 and "a final version needs it" in draft.output


def test_a_final_protocol_is_refused_while_a_co_chair_is_a_guess(workspace):
    path = workspace / "sessions" / "session-025.yaml"
    session = yaml.safe_load(path.read_text(encoding="utf-8"))
    del session["co_chairs"][0]["name"]["ru_gen"]                        # a placeholder: no gender, no case
    path.write_text(yaml.safe_dump(session, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        drafting.render_protocol(Workspace.at(workspace), 25, final=True)
    assert [f.message.split(":")[0] for f in err.value.findings] == ["co_chairs[0].name.ru_gen"]
    assert err.value.findings[0].where == str(path)


def test_the_sample_session_and_the_example_can_be_final(workspace):
    ws = Workspace.at(workspace)
    assert drafting.render_agreement(ws, 25, EXAMPLE, final=True)["state"] == "final"
    assert drafting.render_protocol(ws, 25, final=True)["state"] == "final"


def test_an_italian_surname_in_a_declines_by_its_spelling():
    from pipeline.drafting.russian import inflect_person

    fontana = inflect_person("Стефано Фонтана", "gen", "m", latin="Stefano Fontana")
    assert (fontana.text, fontana.source) == ("Стефано Фонтаны", "rule")
    mastrola = inflect_person("Марио Мастрола", "gen", "m", latin="Mario Mastrolà")
    assert (mastrola.text, mastrola.source) == ("Марио Мастрола", "indeclinable")
    assert inflect_person("Жан Дюма", "gen", "m", latin="Jean Dumas").source == "doubtful"


# --- 6. only the forms new or changed since the previous version -------------------------------------------
def test_a_render_prints_only_the_forms_new_or_changed_since_the_previous_version(workspace, tmp_path):
    runner = CliRunner()
    data = three_parties()
    source = write(tmp_path, data)

    def draft():
        result = runner.invoke(cli, ["--home", str(workspace), "draft", "agreement", "25", str(source)])
        assert result.exit_code == 0, result.output
        return result.output

    first = draft()
    assert "parties[0].representative.role.ru_gen: президент -> президента" in first
    second = draft()
    assert "derived forms: none new or changed since v1" in second and "президента" not in second
    data["parties"][0]["representative"]["role"] = {"it": "Direttore", "ru": "Директор"}
    write(tmp_path, data)
    third = draft()
    assert "derived forms (1 new or changed since v2, of " in third
    assert "parties[0].representative.role.ru_gen: директор -> директора" in third
    assert "parties[2].representative.role.ru_gen" not in third
    shown = runner.invoke(cli, ["--home", str(workspace), "draft", "show", "TF25-AGR-001"])
    assert "parties[2].representative.role.ru_gen: президент -> президента" in shown.output   # show lists all
    as_json = json.loads(runner.invoke(cli, ["--home", str(workspace), "draft", "agreement", "25", str(source),
                                             "--json"]).output)
    assert as_json["forms_to_check"] == [] and as_json["forms_since"] == 3 and as_json["forms"]


# --- 5. a word mixing Latin and Cyrillic letters -----------------------------------------------------------
MIXED = "ФедерлеgноАрредо"        # a Latin g among Cyrillic letters


def test_a_mixed_script_word_in_agreement_data_is_a_finding_naming_its_field(workspace, tmp_path):
    data = three_parties()
    data["parties"][0]["name"]["ru"] = f"Консорциум «{MIXED}»"
    data["premises"] = [{"it": "IT-aziende", "ru": "IT-компании и С.п.А."}]   # a hyphen may join two scripts
    result = CliRunner().invoke(cli, ["--home", str(workspace), "draft", "agreement", "25",
                                      str(write(tmp_path, data))])
    assert result.exit_code == 1, result.output
    assert f"parties[0].name.ru: «{MIXED}» (Latin g) mixes Latin and Cyrillic letters" in result.output
    assert "premises" not in result.output


def _mixed_session(workspace):
    data = yaml.safe_load(SAMPLE_SESSION.read_text(encoding="utf-8"))
    data["tables"][2]["topics"][0]["ru"] = f"мебель ({MIXED})"
    path = workspace / "mixed.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path, data


def test_a_mixed_script_word_in_a_session_file_is_refused_by_sessions_add(workspace):
    path, _ = _mixed_session(workspace)
    result = CliRunner().invoke(cli, ["--home", str(workspace), "sessions", "add", str(path), "--replace"])
    assert result.exit_code == 1
    assert f"tables[2].topics[0].ru: «{MIXED}» (Latin g) mixes Latin and Cyrillic letters" in result.output


def test_sessions_check_and_draft_protocol_report_a_mixed_script_word(workspace):
    _, data = _mixed_session(workspace)
    registered = workspace / "sessions" / "session-025.yaml"
    registered.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    checked = CliRunner().invoke(cli, ["--home", str(workspace), "sessions", "check"])
    assert checked.exit_code == 1 and f"tables[2].topics[0].ru: «{MIXED}» (Latin g)" in checked.output
    drafted = CliRunner().invoke(cli, ["--home", str(workspace), "draft", "protocol", "25"])
    assert drafted.exit_code == 1 and f"tables[2].topics[0].ru: «{MIXED}» (Latin g)" in drafted.output


# --- 7. the Protocol: co-chairs in both scripts, the annex referred to, an empty annex said -----------------
def test_the_protocol_signatures_give_each_co_chair_in_both_scripts(workspace):
    path = workspace / "sessions" / "session-025.yaml"
    session = yaml.safe_load(path.read_text(encoding="utf-8"))
    session["co_chairs"][0].update(name={"it": "Giulia Bianchi", "ru": "Джулия Бьянки"}, gender="f")
    session["co_chairs"][1].update(name={"it": "Ivan Petrov", "ru": "Иван Петров"}, gender="m")
    path.write_text(yaml.safe_dump(session, allow_unicode=True), encoding="utf-8")
    entry = drafting.render_protocol(Workspace.at(workspace), 25)
    cells = docx.Document(str(workspace / entry["file"])).tables[1].rows[1].cells
    italian_side = [p.text for p in cells[0].paragraphs if p.text]
    russian_side = [p.text for p in cells[1].paragraphs if p.text]
    assert italian_side[2:6] == ["Giulia Bianchi", "Джулия Бьянки", "Co-presidente della Task Force",
                                 "Сопредседатель Рабочей группы"]
    assert russian_side[2:6] == ["Иван Петров", "Ivan Petrov", "Сопредседатель Рабочей группы",
                                 "Co-presidente della Task Force"]


def test_the_protocol_refers_to_its_annex_and_says_when_there_is_none(workspace):
    runner = CliRunner()
    alone = runner.invoke(cli, ["--home", str(workspace), "draft", "protocol", "25"])
    assert alone.exit_code == 0
    assert "the drafts register holds no agreement or memorandum of session 25" in alone.output
    assert "nell’Allegato" not in italian(workspace / "drafts" / "TF25-PROT" / "TF25-PROT-v1.docx")
    assert runner.invoke(cli, ["--home", str(workspace), "draft", "agreement", "25", str(EXAMPLE)]).exit_code == 0
    annexed = runner.invoke(cli, ["--home", str(workspace), "draft", "protocol", "25"])
    assert "holds no agreement" not in annexed.output
    texts = text_by_language(workspace / "drafts" / "TF25-PROT" / "TF25-PROT-v2.docx")
    assert "Gli accordi e i memorandum d’intesa sottoscritti nel corso della sessione sono elencati nell’Allegato " \
           "al presente Protocollo." in texts["it"]
    assert any("перечислены в Приложении к настоящему Протоколу" in line for line in texts["ru"])


def test_the_page_number_has_the_footer_size():
    for name in drafting.TEMPLATE_NAMES:
        footer = docx.Document(str(REPO / "templates" / f"{name}.docx")).sections[0].footer._element
        sizes = {element.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val")
                 for element in footer.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}sz")}
        field = footer.find(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}fldSimple")
        assert field is not None and sizes == {"16"}
        assert field.find(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}sz") is not None, name


# --- 7. the layout: no break inside a date or after a one-letter word, no hyphenation in names ----------------
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.mark.parametrize("text, italian, expected", [
    ("Fatto a Kazan il 10–11 aprile 2019 in tre originali", True,
     f"Fatto a{NBSP}Kazan il 10–\u206011{NBSP}aprile{NBSP}2019 in tre originali"),
    ("Совершено в г. Казани 28 ноября 2014 г. в трех экземплярах", False,
     f"Совершено в{NBSP}г. Казани 28{NBSP}ноября{NBSP}2014{NBSP}г. в{NBSP}трех экземплярах"),
    ("dal 30 novembre – 2 dicembre 2014 e oltre", True, f"dal 30{NBSP}novembre{NBSP}– 2{NBSP}dicembre{NBSP}2014 "
                                                       f"e{NBSP}oltre"),
    ("с участием и при поддержке к сведению", False, f"с{NBSP}участием и{NBSP}при поддержке к{NBSP}сведению"),
    ("IT-компания и TF25-AGR-001", False, f"IT-компания и{NBSP}TF25\u2011AGR\u2011001"),
])
def test_no_line_break_inside_a_date_or_after_a_one_letter_word(text, italian, expected):
    from pipeline.drafting.typography import typeset

    assert typeset(text, italian) == expected


def test_names_and_dates_are_never_hyphenated(workspace, tmp_path):
    entry = drafting.render_agreement(Workspace.at(workspace), 25, write(tmp_path, three_parties()))
    document = docx.Document(str(workspace / entry["file"]))
    unhyphenated = set()
    for run in document.element.body.iter(f"{W}r"):
        lang = run.find(f"{W}rPr/{W}lang")
        if lang is not None and lang.get(f"{W}val") == "zxx":
            assert run.find(f"{W}rPr/{W}noProof") is not None
            unhyphenated.add("".join(t.text for t in run.iter(f"{W}t")).replace(NBSP, " ").replace("\u2060", ""))
    assert {"Paolo Mapelli", "Торгово-промышленная палата Республики Татарстан", "Консорциум «Брианца Леньо»",
            "11 aprile 2019", "11 апреля 2019 г."} <= unhyphenated
    titles = [p for p in document.paragraphs + [p for t in document.tables for c in t._cells for p in c.paragraphs]
              if p.text.startswith(("ACCORDO", "СОГЛАШЕНИЕ", "Articolo", "Статья", "Per ", "За "))]
    assert titles and all(p._p.find(f"{W}pPr/{W}suppressAutoHyphens") is not None for p in titles)
    # the text read back is the text: the runs without language belong to their paragraph's language
    texts = text_by_language(workspace / entry["file"])
    assert any("rappresentato da Paolo Mapelli, in qualità di presidente" in line for line in texts["it"])
    assert "Paolo Mapelli" in texts["it"] and "Паоло Мапелли" in texts["ru"]


def _pages(pdf):
    import pypdf

    return [(page.extract_text() or "").replace(NBSP, " ").replace("\u2060", "") for page in pypdf.PdfReader(str(pdf)).pages]


@pytest.mark.slow
def test_the_pdf_keeps_signatures_with_the_closing_formula_and_names_whole(workspace, tmp_path):
    """LibreOffice's PDFs of the three-party agreement, one to four pages long: the closing formula and every
    signature block on one page; no name of a party or person hyphenated."""
    from conftest import require_tool
    from pipeline.drafting.docx import convert_many_to_pdf

    require_tool("soffice")
    ws = Workspace.at(workspace)
    sources = []
    for extra in (0, 2, 4, 8):
        data = three_parties()
        data["commitments"] = data["commitments"] * (extra + 1)
        entry = drafting.render_agreement(ws, 25, write(tmp_path, data, f"d{extra}.yaml"))
        sources.append(workspace / entry["file"])
    for pdf in convert_many_to_pdf(sources, tmp_path / "pdf"):
        pages = _pages(pdf)

        def page_of(text):
            return [number for number, page in enumerate(pages) if text in page.replace("\n", " ")]
        closing = page_of("Fatto a Kazan")
        assert len(closing) == 1, pdf.name
        for block in ("Per il Consorzio Brianza Legno", "Per OOO «Kazanmebel»",
                      "Per la Camera di commercio e industria della Repubblica del Tatarstan",
                      "За Консорциум «Брианца Леньо»", "Olga Volkova", "Ольга Волкова"):
            assert page_of(block)[-1:] == closing, (pdf.name, block)
        text = "\n".join(pages)
        source = "\n".join(sum(text_by_language(sources[0]).values(), []))
        for name in ("Mapelli", "Мапелли", "Tatarstan", "Татарстан", "Brianza"):      # never «Ma-/pelli»
            assert text.count(name) == source.count(name) > 0, (pdf.name, name)
        assert "11 aprile 2019" in text and "11 апреля 2019 г." in text
        import pypdf

        sizes = {}

        def footer_sizes(text, cm, tm, font, size):      # the footer's text and its page number: one size
            if text.strip() and ("TF25-AGR" in text or text.strip().isdigit()):
                sizes[text.strip()[:8]] = round(size * tm[0], 1)
        pypdf.PdfReader(str(pdf)).pages[0].extract_text(visitor_text=footer_sizes)
        assert sizes.get("TF25-AGR") == sizes.get("1") == 8.0, sizes


@pytest.mark.slow
def test_the_protocol_pdf_keeps_its_closing_formula_with_the_signatures(workspace, tmp_path):
    """A Protocol long enough that its closing formula falls near the end of a page: the formula and the
    co-chairs' signature block share a page."""
    from conftest import require_tool
    from pipeline.drafting.docx import convert_many_to_pdf

    require_tool("soffice")
    ws = Workspace.at(workspace)
    path = workspace / "sessions" / "session-025.yaml"
    session = yaml.safe_load(path.read_text(encoding="utf-8"))
    sources = []
    for count in (0, 12, 14, 16, 18):
        session["projects"] = [{"it": f"Progetto numero {n} di cooperazione tra distretti",
                                "ru": f"Проект номер {n} сотрудничества между округами"} for n in range(count)]
        path.write_text(yaml.safe_dump(session, allow_unicode=True), encoding="utf-8")
        sources.append(workspace / drafting.render_protocol(ws, 25)["file"])
    for pdf in convert_many_to_pdf(sources, tmp_path / "pdf"):
        pages = [page.replace("\n", " ") for page in _pages(pdf)]
        closing = [n for n, page in enumerate(pages) if "Fatto a Bergamo" in page]
        signatures = [n for n, page in enumerate(pages) if "Per la Parte italiana" in page and "______" in page]
        assert len(closing) == 1 and signatures == closing, (pdf.name, closing, signatures)
