"""Legal-grade drafts: Russian cases and Italian agreement in whole documents, the formulas, the layout."""
import datetime as dt
import json
import zipfile

import docx
import pytest
import yaml

from pipeline.drafting import legal_text, register
from pipeline import drafting
from pipeline.drafting.agreements import parse_agreement
from pipeline.cli import cli
from pipeline.sessions.dates import compact_range, span
from pipeline.drafting.docx import as_read, full_text, text_by_language
from pipeline.errors import ValidationError
from pipeline.workspace import Workspace
from tests.conftest import REPO

EXAMPLE = REPO / "templates" / "agreement-example.yaml"
NBSP = "\u00a0"
D = dt.date


def example_data():
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


def three_parties():
    """An Italian consortium, a Russian chamber of commerce and a Russian company named in full."""
    data = example_data()
    data["parties"] = [
        {"name": {"it": "Consorzio Fontevento", "ru": "Консорциум «Фонтевенто»"}, "country": "IT",
         "legal_form": {"it": "consorzio", "ru": "консорциум"},
         "seat": {"it": "Brescia (Lombardia)", "ru": "Брешиа (Ломбардия)"},
         "representative": {"name": {"it": "Marco Rossi", "ru": "Марко Росси"}, "gender": "m",
                            "role": {"it": "Presidente", "ru": "Президент"}, "basis": "statute"}},
        {"name": {"it": "Camera di commercio e industria", "ru": "Торгово-промышленная палата"}, "country": "RU",
         "legal_form": {"it": "camera di commercio", "ru": "некоммерческая организация"},
         "seat": {"it": "Kazan", "ru": "Казань"},
         "representative": {"name": {"it": "Olga Volkova", "ru": "Ольга Волкова"}, "gender": "f",
                            "role": {"it": "Presidente del consiglio", "ru": "Председатель правления"},
                            "basis": "power_of_attorney"}},
        {"name": {"it": "OOO «Volga Stanki»", "ru": "Общество с ограниченной ответственностью «Волга Станки»"},
         "country": "RU", "legal_form": {"it": "società a responsabilità limitata",
                                         "ru": "общество с ограниченной ответственностью"},
         "seat": {"it": "Nižnij Novgorod", "ru": "Нижний Новгород"},
         "representative": {"name": {"it": "Sergej Lebedev", "ru": "Сергей Лебедев",
                                     "ru_gen": "Сергея Викторовича Лебедева"},     # an override wins
                            "gender": "m", "role": {"it": "Direttore generale", "ru": "Генеральный директор"},
                            "basis": {"it": "procura n. 7 del 2 aprile 2014",
                                      "ru": "доверенность № 7 от 2 апреля 2014 г."}}},
    ]
    data["place"] = {"it": "Nižnij Novgorod", "ru": "Нижний Новгород"}
    data["signed_on"] = "2015-03-08"
    data["duration_months"] = 21
    return data


def write(folder, data, name="data.yaml"):
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def texts(path):
    found = text_by_language(path)
    return "\n".join(found["it"]), "\n".join(found["ru"])


# --- Italian grammar ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("phrase, gender, preposition, expected", [
    ("statuto", "m", "di", "dello statuto"), ("procura", "f", "di", "della procura"),
    ("amministratore delegato", "m", "da", "dall’amministratore delegato"),
    ("diritto italiano", "m", "da", "dal diritto italiano"),
    ("Camera Arbitrale di Milano", "f", "di", "della Camera Arbitrale di Milano"),
    ("Centro Arbitrale Russo", "m", "di", "del Centro Arbitrale Russo"),
    ("autunno 2003", "m", "in", "nell’autunno 2003"), ("primavera 2004", "f", "in", "nella primavera 2004"),
    ("primo semestre 2015", "m", "in", "nel primo semestre 2015"),
    ("Ministero dello Sviluppo Economico", "m", None, "il Ministero dello Sviluppo Economico"),
    ("Agenzia ICE", "f", "a", "all’Agenzia ICE"), ("studio", "m", None, "lo studio"),
])
def test_italian_articles_and_elision(phrase, gender, preposition, expected):
    assert legal_text.with_article(phrase, gender, preposition) == expected


@pytest.mark.parametrize("date, expected", [(D(2014, 11, 28), "il 28 novembre 2014"), (D(2015, 3, 8), "l’8 marzo 2015"),
                                            (D(2003, 4, 11), "l’11 aprile 2003"), (D(2015, 1, 1), "il 1° gennaio 2015")])
def test_italian_dates_take_their_article(date, expected):
    assert legal_text.italian_date_with_article(date) == expected


@pytest.mark.parametrize("start, end, lang, expected", [
    (D(2003, 4, 9), D(2003, 4, 11), "it", "dal 9 all’11 aprile 2003"),
    (D(2014, 11, 26), D(2014, 11, 28), "ru", f"с 26 по 28 ноября 2014{NBSP}г."),
    (D(2014, 11, 30), D(2014, 12, 2), "it", "dal 30 novembre al 2 dicembre 2014"),
    (D(2015, 4, 2), D(2015, 4, 4), "ru", f"со 2 по 4 апреля 2015{NBSP}г."),
])
def test_spans_in_a_sentence(start, end, lang, expected):
    assert span(start, end, lang) == expected


@pytest.mark.parametrize("start, end, lang, expected", [
    (D(2014, 11, 26), D(2014, 11, 28), "it", "26–28 novembre 2014"),
    (D(2014, 11, 30), D(2014, 12, 2), "it", "30 novembre – 2 dicembre 2014"),
    (D(2014, 11, 26), D(2014, 11, 28), "ru", f"26–28 ноября 2014{NBSP}г."),
])
def test_compact_ranges(start, end, lang, expected):
    assert compact_range(start, end, lang) == expected


def test_the_euphonic_d_before_a_city_in_a():
    assert [legal_text.italian_at(c) for c in ("Bergamo", "Ancona", "Udine")] == ["a Bergamo", "ad Ancona", "a Udine"]


def test_gender_of_italian_designations():
    assert [legal_text.italian_gender(w) for w in ("società per azioni", "consorzio", "associazione", "ente",
                                                   "fondazione", "università")] == ["f", "m", "f", "m", "f", "f"]


@pytest.mark.parametrize("count, italian, russian", [(2, "in due originali", "в двух экземплярах"),
                                                     (3, "in tre originali", "в трех экземплярах"),
                                                     (4, "in quattro originali", "в четырех экземплярах")])
def test_one_original_per_party_in_words(count, italian, russian):
    assert legal_text.originals(count) == {"it": italian, "ru": russian}


# --- whole documents ---------------------------------------------------------------------------------------
def test_the_example_agreement_is_grammatical_in_both_languages(workspace):
    entry = drafting.render_agreement(Workspace.at(workspace), 25, EXAMPLE)
    italian, russian = texts(workspace / entry["file"])
    for expected in ("СОГЛАШЕНИЕ О СОТРУДНИЧЕСТВЕ\nмежду компанией «Меканика Оробика С.п.А.» и ООО «Волга Станки»",
                     "«Меканика Оробика С.п.А.», акционерное общество, место нахождения: Бергамо (Ломбардия), в лице "
                     "генерального директора Джулии Бьянки, действующей на основании Устава, с одной стороны, и",
                     "в лице генерального директора Ивана Петрова, действующего на основании доверенности № 15 от 1 "
                     f"марта 2014{NBSP}г., с другой стороны,",
                     "далее совместно именуемые «Стороны»",
                     "заключили настоящее Соглашение о нижеследующем:",
                     "действует в течение 3 (трех) лет",
                     "без письменного согласия другой Стороны.",
                     "К настоящему Соглашению применяется право Итальянской Республики.",
                     "разрешаются в арбитраже в соответствии с Регламентом Миланской арбитражной палаты.",
                     f"Совершено в г.{NBSP}Бергамо 28 ноября 2014{NBSP}г. в двух экземплярах, каждый на итальянском "
                     "и русском языках",
                     "За компанию «Меканика Оробика С.п.А.»", "За ООО «Волга Станки»\nИван Петров\nГенеральный директор"):
        assert expected.replace(NBSP, " ") in russian, expected
    for expected in ("rappresentata da Giulia Bianchi, in qualità di amministratore delegato, munita dei necessari "
                     "poteri in forza dello statuto, da una parte, e",
                     "rappresentata da Ivan Petrov, in qualità di direttore generale, munito dei necessari poteri in "
                     "forza della procura n. 15 del 1° marzo 2014, dall’altra parte,",
                     "tutto ciò premesso, le Parti convengono quanto segue:",
                     "ha una durata di 3 (tre) anni",
                     "senza il consenso scritto dell’altra Parte.",
                     "Il presente Accordo è regolato dal diritto italiano.",
                     "sono risolte mediante arbitrato secondo il Regolamento della Camera Arbitrale di Milano.",
                     "Fatto a Bergamo il 28 novembre 2014 in due originali, ciascuno nelle lingue italiana e russa",
                     "Per Meccanica Orobica S.p.A.\nGiulia Bianchi\nAmministratore delegato"):
        assert expected.replace(NBSP, " ") in italian, expected
    # the register keeps every derived form for staff to check
    stored = register.latest(Workspace.at(workspace), entry["reference"])
    fields = {f["field"]: f["form"] for f in stored.forms}
    assert fields["parties[0].representative.name.ru_gen"] == "Джулии Бьянки"
    assert fields["parties[0].name.ru_ins"] == "компанией «Меканика Оробика С.п.А.»"
    assert "parties[1].representative.name.ru_gen" not in fields          # given in the file: not derived
    assert stored.texts["parties_between"]["ru"] == "компанией «Меканика Оробика С.п.А.» и ООО «Волга Станки»"


def test_three_parties_genders_overrides_and_the_russian_first_original(workspace, tmp_path):
    entry = drafting.render_agreement(Workspace.at(workspace), 25, write(tmp_path, three_parties()), order="ru-it")
    italian, russian = texts(workspace / entry["file"])
    for expected in ("между Консорциумом «Фонтевенто», Торгово-промышленной палатой и Обществом с ограниченной "
                     "ответственностью «Волга Станки»",
                     "в лице президента Марко Росси, действующего на основании Устава;",
                     "Торгово-промышленная палата, некоммерческая организация, место нахождения: Казань, в лице "
                     "председателя правления Ольги Волковой, действующей на основании доверенности; и",
                     "в лице генерального директора Сергея Викторовича Лебедева, действующего на основании "
                     f"доверенности № 7 от 2 апреля 2014{NBSP}г.,",
                     "в течение 21 (двадцати одного) месяца",
                     "без письменного согласия Стороны, предоставившей информацию.",
                     f"Совершено в г.{NBSP}Нижнем Новгороде 8 марта 2015{NBSP}г. в трех экземплярах, каждый на "
                     "русском и итальянском языках",
                     "За Консорциум «Фонтевенто»", "За Торгово-промышленную палату",
                     "За Общество с ограниченной ответственностью «Волга Станки»"):
        assert expected.replace(NBSP, " ") in russian, expected
    assert "с одной стороны" not in russian            # that formula is for two parties
    for expected in ("Consorzio Fontevento, consorzio, con sede in Brescia (Lombardia), rappresentato da Marco Rossi, "
                     "in qualità di presidente, munito dei necessari poteri in forza dello statuto;",
                     "rappresentata da Olga Volkova, in qualità di presidente del consiglio, munita dei necessari "
                     "poteri in forza della procura; e",
                     "ha una durata di 21 (ventuno) mesi",
                     "senza il consenso scritto della Parte che le ha fornite.",
                     "Fatto a Nižnij Novgorod l’8 marzo 2015 in tre originali, ciascuno nelle lingue russa e italiana"):
        assert expected.replace(NBSP, " ") in italian, expected
    document = docx.Document(str(workspace / entry["file"]))
    first_row = document.tables[0].rows[0].cells
    assert first_row[0].text.startswith("СОГЛАШЕНИЕ")      # the Russian party's original: Russian first


def test_the_command_prints_every_derived_form_and_warns_on_a_guess(workspace, tmp_path):
    from click.testing import CliRunner

    data = example_data()
    data["parties"][1]["seat"] = {"it": "Kukuevsk", "ru": "Кукуевск"}
    data["place"] = {"it": "Kukuevsk", "ru": "Кукуевск"}
    runner = CliRunner()
    result = runner.invoke(cli, ["--home", str(workspace), "draft", "agreement", "25", str(write(tmp_path, data))])
    assert result.exit_code == 0, result.output
    assert "    parties[0].representative.role.ru_gen: генеральный директор -> генерального директора (dictionary)" \
        in result.output
    assert "  warning: place.ru_pre: «Кукуевск» -> «Кукуевске» is a guess" in result.output
    assert "check it or give place.ru_pre in the data file" in result.output
    as_json = runner.invoke(cli, ["--home", str(workspace), "draft", "agreement", "25", str(write(tmp_path, data)),
                                  "--json"])
    entry = json.loads(as_json.stdout if hasattr(as_json, "stdout") else as_json.output)
    unknown = [f for f in entry["forms"] if f["source"] == "unknown"]
    assert [f["field"] for f in unknown] == ["place.ru_pre"]


@pytest.mark.parametrize("change, message", [
    (lambda d: d["parties"][0]["representative"].update(gender="x"), "parties[0].representative.gender: 'x' is not f or m"),
    (lambda d: d["parties"][0]["representative"].update(basis="oath"),
     "parties[0].representative.basis: 'oath' is not statute, power_of_attorney or {it: ..., ru: ...}"),
    (lambda d: d["parties"][0]["name"].update(ru_xyz="x"), "parties[0].name.ru_xyz: unknown language (use it and ru)"),
    (lambda d: d["parties"][0]["name"].update(ru_gen=["a"]), "parties[0].name.ru_gen: expected text, got list"),
    (lambda d: d["parties"][0].update(gender="n"), "parties[0].gender: 'n' is not f or m"),
])
def test_bad_forms_and_genders_are_errors_naming_the_field(change, message):
    data = example_data()
    change(data)
    result, findings = parse_agreement(data, "data.yaml")
    assert result is None and any(f.message == message for f in findings), findings


def test_a_missing_gender_that_the_name_does_not_tell_is_an_error_naming_the_field(workspace, tmp_path):
    data = example_data()
    data["parties"][0]["representative"] = {"name": {"it": "Andrea Colombo", "ru": "Андреа Коломбо"},
                                            "role": {"it": "Presidente", "ru": "Президент"}}
    data["parties"][0]["legal_form"] = {"it": "ente", "ru": "организация"}
    data["parties"][0]["gender"] = "m"
    with pytest.raises(ValidationError) as err:
        drafting.render_agreement(Workspace.at(workspace), 25, write(tmp_path, data))
    assert "parties[0].representative.gender: missing, and the first name in «Андреа Коломбо» does not tell it" \
        in str(err.value.findings)
    data["parties"][0]["representative"]["name"] = {"it": "Ivan Petrov", "ru": "Иван Петров"}   # a known name
    entry = drafting.render_agreement(Workspace.at(workspace), 25, write(tmp_path, data))
    assert any(f["field"] == "parties[0].representative.gender" and f["form"] == "m" for f in entry["forms"])
    italian, russian = texts(workspace / entry["file"])
    assert "rappresentato da Ivan Petrov" in italian and "действующего на основании Устава" in russian


def test_the_protocol_names_the_institutions_and_the_co_chairs_in_the_genitive(workspace):
    path = workspace / "sessions" / "session-025.yaml"
    session = yaml.safe_load(path.read_text(encoding="utf-8"))
    session["co_chairs"] = [
        {"country": "IT", "name": {"it": "Giulia Bianchi", "ru": "Джулия Бьянки"}, "gender": "f",
         "role": {"it": "Sottosegretario di Stato", "ru": "Государственный секретарь"},
         "institution": {"it": "Ministero delle Imprese e del Made in Italy",
                         "ru": "Министерство предприятий и «Сделано в Италии»",
                         "ru_acc": "Министерство предприятий и «Сделано в Италии» Итальянской Республики"}},
        {"country": "RU", "name": {"it": "Ivan Petrov", "ru": "Иван Петров"},
         "role": {"it": "Viceministro", "ru": "Заместитель министра"},
         "institution": {"it": "Ministero dello Sviluppo Economico della Federazione Russa",
                         "ru": "Министерство экономического развития Российской Федерации"}},
    ]
    session["participants"] = []
    session["next_session"]["city"] = {"it": "Kazan", "ru": "Казань"}
    path.write_text(yaml.safe_dump(session, allow_unicode=True), encoding="utf-8")
    entry = drafting.render_protocol(Workspace.at(workspace), 25)
    italian, russian = texts(workspace / entry["file"])
    assert "проходила в г. Бергамо с 26 по 28 ноября 2014 г. под сопредседательством:" in russian
    assert ("– с итальянской стороны – Джулии Бьянки, государственного секретаря (Министерство предприятий и "
            "«Сделано в Италии»);") in russian
    assert ("– с российской стороны – Ивана Петрова, заместителя министра (Министерство экономического развития "
            "Российской Федерации).") in russian
    assert "si è svolta a Bergamo dal 26 al 28 novembre 2014 sotto la co-presidenza di:" in italian
    assert "– per la Parte italiana: Giulia Bianchi, sottosegretario di Stato (Ministero delle Imprese" in italian
    assert "Следующее заседание Рабочей группы состоится в г. Казани (Россия) в первом полугодии 2015 г." \
        in russian
    assert "La prossima sessione della Task Force si terrà a Kazan (Russia) nel primo semestre 2015." in italian
    # no participants: the heading is left out, not printed over nothing
    assert "Hanno partecipato ai lavori" not in italian and "приняли участие" not in russian
    document = docx.Document(str(workspace / entry["file"]))
    signatures = document.tables[1].rows[1].cells     # row 0: the closing formula
    italian_cell = [p for p in signatures[0].paragraphs if p.text]
    russian_cell = [p for p in signatures[1].paragraphs if p.text]
    assert as_read(italian_cell[0].text) == "Per il Ministero delle Imprese e del Made in Italy"
    assert as_read(italian_cell[1].text) == "За Министерство предприятий и «Сделано в Италии» Итальянской Республики"
    assert as_read(russian_cell[0].text) == "За Министерство экономического развития Российской Федерации"
    assert all(run.bold for p in italian_cell[:2] + russian_cell[:2] for run in p.runs)   # the ministry lines
    assert "Sottosegretario di Stato" in signatures[0].text and "Заместитель министра" in signatures[1].text
    assert any(f["field"] == "co_chairs[1].gender" for f in entry["forms"])   # read from «Иван»: reported


# --- layout ------------------------------------------------------------------------------------------------
def _xml(path, part="word/document.xml"):
    with zipfile.ZipFile(path) as archive:
        return archive.read(part).decode("utf-8")


@pytest.mark.parametrize("name", drafting.TEMPLATE_NAMES)
def test_templates_hyphenate_keep_rows_whole_and_align_headings_left(name):
    path = REPO / "templates" / f"{name}.docx"
    assert "<w:autoHyphenation/>" in _xml(path, "word/settings.xml")
    document = docx.Document(str(path))
    for table in document.tables:
        for row in table.rows:
            assert row._tr.trPr is not None and row._tr.trPr.find(
                "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}cantSplit") is not None
    headings = [p for t in document.tables for c in t._cells for p in c.paragraphs
                if p.text.startswith(("Articolo", "Статья", "Prossima", "Следующее заседание"))]
    # left-aligned (0); kept with their text by the row, which never splits (not by keep-with-next, which
    # LibreOffice turns into a chain of rows pushed to the next page)
    assert headings and all(p.alignment == 0 and not p.paragraph_format.keep_with_next for p in headings)


def test_rendered_text_has_typography_that_data_lacks(workspace, tmp_path):
    data = example_data()
    data["premises"] = [{"it": "l'accordo quadro dell'8 marzo", "ru": "рамочное соглашение от 8 марта 2014 г."}]
    entry = drafting.render_agreement(Workspace.at(workspace), 25, write(tmp_path, data))
    text = full_text(workspace / entry["file"])
    assert "l’accordo quadro dell’8 marzo" in text                       # typographic apostrophe in Italian
    xml = _xml(workspace / entry["file"])
    assert f"8{NBSP}марта{NBSP}2014{NBSP}г." in xml                      # no-break spaces in a date, before "г."
    document = docx.Document(str(workspace / entry["file"]))
    for paragraph in document.element.body.iter(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"):
        line = "".join(t.text or "" for t in paragraph.iter(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"))
        assert line == line.rstrip(" "), line                            # no trailing spaces
    lines = [row for row in document.tables[0].rows if "______" in row.cells[0].text]
    assert len(lines) == 2 and all(len({id(c._tc) for c in row.cells}) == 1 for row in lines)   # one per party


def test_reference_codes_in_the_protocol_never_break(workspace):
    ws = Workspace.at(workspace)
    drafting.render_agreement(ws, 25, EXAMPLE)
    entry = drafting.render_protocol(ws, 25)
    text = full_text(workspace / entry["file"])
    assert "TF25\u2011AGR\u2011001" in text and "TF25-AGR-001" not in text.split("TF25-PROT")[0]
    assert "TF25-PROT · v1" in text          # the footer keeps the plain code the archive reads
