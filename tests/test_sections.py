"""Sections (issue 25 item 5): the headings of a Protocol's and an agreement's signed text (the next session,
the thematic tables, each Article), found in the PDF's lines in both languages, are the document's sections:
``section:`` in queries, a snippet from the section that matched and named by it, the document page's
reflowed text with a table of its sections and the query's words marked."""
import json

import pytest
from click.testing import CliRunner

from conftest import search_workspace
from pipeline.cli import cli
from pipeline.index.sections import find_sections, section_titles
from pipeline.web import create_app
from pipeline.workspace import Workspace

PROTOCOL_TEXT = [
    "PROTOCOLLO\nПРОТОКОЛ\n"
    "della XXV sessione della Task Force italo-russa\n25-го заседания Российско-итальянской рабочей группы\n"
    "La XXV sessione della Task Force si è svolta a Bergamo; la prossima riunione dei gruppi e la sessione\n"
    "plenaria hanno esaminato i progetti comuni.\n"
    "Работа 25-го заседания Рабочей группы проходила в г. Бергамо.\n"
    "1. Tavolo tematico «Sistema casa»\n1. Тематический круглый стол «Дом и интерьер»\n"
    "Temi: arredamento, illuminotecnica; la sessione del tavolo è stata\n"
    "Темы: мебель, светотехника.\n",
    "Prossima sessione\nСледующее заседание\n"
    "La XXVI sessione della Task Force si terrà in Russia nel primo semestre 2015; la città sarà concordata "
    "successivamente.\n"
    "Следующее заседание Рабочей группы состоится в России в первом полугодии 2015 г.\n"
    "Fatto a Bergamo il 28 novembre 2014 in due originali.\nСовершено в г. Бергамо 28 ноября 2014 г.\n",
]
AGREEMENT_TEXT = [
    "ACCORDO DI COOPERAZIONE     СОГЛАШЕНИЕ О СОТРУДНИЧЕСТВЕ\n"
    "Articolo 1 – Oggetto     Статья 1. Предмет Соглашения\n"
    "Oggetto del presente Accordo è la for-\nnitura di macchine.     Предметом настоящего Соглашения является поставка.\n"
    "Articolo 3 – Durata     Статья 3. Срок действия\n"
    "Il presente Accordo ha una durata di tre anni.     Настоящее Соглашение действует в течение трех лет.\n"
]
DOCUMENTS = [
    ("protocol.pdf", ["--session", 25, "--type", "protocol", "--title", "Protocollo della XXV sessione",
                      "--signed-on", "2014-11-28"], PROTOCOL_TEXT),
    ("agreement.pdf", ["--session", 25, "--type", "agreement", "--title", "Accordo macchine",
                       "--signed-on", "2014-11-28"], AGREEMENT_TEXT),
    ("secret.pdf", ["--session", 25, "--type", "agreement", "--title", "Accordo riservato",
                    "--signed-on", "2014-11-28", "--confidentiality", "restricted"],
                   ["Articolo 9 – Segretissimo\nIl testo riservato."]),
]


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return search_workspace(tmp_path_factory.mktemp("sections"), DOCUMENTS)


def search(home, *args):
    result = CliRunner().invoke(cli, ["--home", str(home), "search", *args, "--json"])
    assert result.exception is None, result.output
    return json.loads(result.output)


def test_headings_are_found_in_each_language_also_side_by_side():
    titles = section_titles("\n".join(AGREEMENT_TEXT))
    assert titles == ["Articolo 1 – Oggetto", "Articolo 3 – Durata", "Статья 1. Предмет Соглашения",
                      "Статья 3. Срок действия"]
    sections = find_sections("\n".join(PROTOCOL_TEXT))
    next_session = next(s for s in sections if s.title == "Prossima sessione")
    assert next_session.lang == "it" and next_session.body.startswith("La XXVI sessione")
    assert "Следующее" not in next_session.body
    assert any(s.title == "Следующее заседание" and "первом полугодии" in s.body for s in sections)


def test_the_snippet_comes_from_the_section_that_matched_and_names_it(home):
    hit = search(home, '"prossima sessione"')["hits"][0]
    assert hit["title"] == "Protocollo della XXV sessione"
    assert hit["snippet"].startswith("Prossima sessione: ") and "primo semestre" in hit["snippet"]
    russian = search(home, "следующее заседание")["hits"][0]
    assert russian["snippet"].startswith("Следующее заседание: ")


def test_section_in_queries(home):
    assert [h["title"] for h in search(home, 'section:"prossima sessione"')["hits"]] == [
        "Protocollo della XXV sessione"]
    hit = search(home, "section:durata")["hits"][0]
    assert hit["title"] == "Accordo macchine" and hit["snippet"].startswith("Articolo 3 – Durata: ")
    assert search(home, "section:Статья")["total"] == 1          # the restricted one's Article is not public
    assert search(home, "section:segretissimo")["total"] == 0
    assert search(home, "section:segretissimo", "--include-restricted")["total"] == 1


def test_the_document_page_shows_sections_reflowed_and_marked(home):
    client = create_app(Workspace.at(home)).test_client()
    hit = search(home, "macchine")["hits"][0]
    page = client.get(f"/doc/{hit['public_id']}", query_string={"back": "q=macchina"}).get_data(as_text=True)
    assert 'id="sections"' in page
    assert 'href="#section-2"' in page and "Articolo 3 – Durata" in page
    reading = page.split('id="reading"')[1].split("</section>")[0]
    assert "<mark>macchine</mark>" in reading          # its stem: macchina finds macchine
    assert "la fornitura di <mark>macchine</mark>." in reading      # the word the layout broke is whole again
    assert '<h3 id="section-3">Статья 1. Предмет Соглашения</h3>' in reading


def test_a_heading_the_layout_wrapped_is_whole():
    text = ("1. Тематический круглый стол\n«Машиностроение и оборудование»\nТемы: электромеханика.\n"
            "3. Тематический круглый стол «Дом\nи интерьер»\nТемы: мебель.\n"
            "Allegato. Accordi e memorandum d’intesa\nsottoscritti nel corso della sessione\n"
            "1. Memorandum d’intesa TF25-MOU-001 tra le parti.\n")
    assert section_titles(text) == ["Allegato. Accordi e memorandum d’intesa sottoscritti nel corso della sessione",
                                    "1. Тематический круглый стол «Машиностроение и оборудование»",
                                    "3. Тематический круглый стол «Дом и интерьер»"]
    assert [s.body for s in find_sections(text, ("ru",))] == ["Темы: электромеханика.", "Темы: мебель."]
