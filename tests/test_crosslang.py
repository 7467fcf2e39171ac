"""Cross-language search (issue 25 item 6): an Italian query also finds a document that exists only in
Russian, and a Russian query one only in Italian, through a term table learned from the aligned drafts of the
register; the hit says why. Each reader's table learns only from the drafts of documents they may see."""
import json
import random

import pytest
from click.testing import CliRunner

from conftest import ingest_documents
from pipeline.access import PUBLIC, STAFF
from pipeline.cli import cli
from pipeline.demo.build import render_drafts, write_sessions
from pipeline.drafting.register import entries
from pipeline.index.terms import learn, read_table, table_path
from pipeline.index import index_dir
from pipeline.search import SearchRequest, search
from pipeline.workspace import Workspace

LETTERS = [
    ("ru-only.pdf", ["--session", 2, "--type", "letter", "--title", "Письмо о сотрудничестве",
                     "--signed-on", "2003-05-10", "--lang", "ru"],
     ["Письмо о дальнейшем сотрудничестве предприятий и о продвижении продукции на рынке."]),
    ("it-only.pdf", ["--session", 2, "--type", "letter", "--title", "Lettera sulla cooperazione",
                     "--signed-on", "2003-05-11", "--lang", "it"],
     ["Lettera sulla cooperazione tra le imprese e sulla promozione dei prodotti sul mercato."]),
]


def test_pairs_are_learned_from_aligned_paragraphs_and_boilerplate_does_not_teach():
    pairs = [(["Accordo nel settore dell'arredamento", "Il presente Accordo ha durata di tre anni."],
              ["Соглашение в области мебели", "Настоящее Соглашение действует три года."]),
             (["Accordo nel settore della logistica", "Il presente Accordo ha durata di tre anni."],
              ["Соглашение в области логистики", "Настоящее Соглашение действует три года."]),
             (["Progetto di arredamento urbano"], ["Проект городской мебели"]),
             (["Un testo senza pari", "di più paragrafi"], ["Текст без пары"])]     # not aligned: left out
    table = learn(pairs)
    assert [target for target, _form, _dice in table["it"]["arred"]] == ["мебел"]
    assert table["it"]["arred"][0][1] == "мебели"                 # the word as written, for the hit's "why"
    assert "pari" not in table["it"] and "durat" not in table["it"]   # one distinct paragraph: too little


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    root = tmp_path_factory.mktemp("crosslang")
    home = root / "ws"
    assert CliRunner().invoke(cli, ["--home", str(home), "init"]).exit_code == 0
    ws = Workspace.at(home)
    rng = random.Random(3)
    drafts = render_drafts(ws, write_sessions(ws, 3, rng), 2, rng, lambda label, items: items)
    ingest_documents(home, root, LETTERS)
    return home, drafts


def hits(home, text, reader):
    return search(Workspace.at(home), SearchRequest(query=text, reader=reader, limit=50))["hits"]


def test_an_italian_query_finds_a_russian_only_document_and_says_why(home):
    home, _ = home
    found = {hit["title"]: hit for hit in hits(home, "cooperazione", STAFF)}
    assert "Lettera sulla cooperazione" in found and "found_as" not in found["Lettera sulla cooperazione"]
    russian = found["Письмо о сотрудничестве"]
    assert russian["found_as"]["lang"] == "ru" and russian["found_as"]["words"][0].startswith("сотрудничеств")
    assert russian["score"] < found["Lettera sulla cooperazione"]["score"]      # a translation weighs less
    back = {hit["title"]: hit for hit in hits(home, "сотрудничество", STAFF)}
    assert back["Lettera sulla cooperazione"]["found_as"]["lang"] == "it"


def test_the_web_says_found_in_russian(home):
    from pipeline.web import create_app

    home, drafts = home
    client = create_app(Workspace.at(home)).test_client()
    page = client.get("/", query_string={"q": "cooperazione"}).get_data(as_text=True)
    # a visitor: no drafted document is archived, so the visitors' table knows nothing yet
    assert "trovato in russo" not in page and "Письмо о сотрудничестве" not in page


def test_a_reader_learns_only_from_drafts_of_documents_they_may_see(home, tmp_path):
    home, drafts = home
    ws = Workspace.at(home)
    assert not read_table(index_dir(ws), PUBLIC.levels)["it"]       # nothing drafted is archived
    assert read_table(index_dir(ws), STAFF.levels)["it"]["cooper"]
    assert [hit["title"] for hit in hits(home, "cooperazione", PUBLIC)] == ["Lettera sulla cooperazione"]
    register = entries(ws)
    protocol = next(entry for entry in register if entry.kind == "protocol")
    agreement = next(entry for entry in register if entry.kind == "agreement")
    restricted = [("restricted.pdf", ["--session", agreement.session, "--type", "agreement", "--title", "Riservato",
                                      "--ref", agreement.reference, "--confidentiality", "restricted"],
                   ["Testo riservato."])]
    ingest_documents(home, tmp_path, restricted)
    assert not read_table(index_dir(ws), PUBLIC.levels)["it"]        # a restricted one teaches no visitor
    ingest_documents(home, tmp_path, [("protocol.pdf", ["--session", protocol.session, "--type", "protocol",
                                                        "--title", "Protocollo", "--ref", protocol.reference,
                                                        "--confidentiality", "public"], ["Protocollo."])])
    assert read_table(index_dir(ws), PUBLIC.levels)["it"].get("cooper")
    russian = {hit["title"]: hit for hit in hits(home, "cooperazione", PUBLIC)}["Письмо о сотрудничестве"]
    assert russian["found_as"]["lang"] == "ru"
    assert table_path(index_dir(ws), PUBLIC.levels).name == "terms-public.json"
    from pipeline.web import create_app

    page = create_app(ws).test_client().get("/", query_string={"q": "cooperazione"}).get_data(as_text=True)
    assert "Письмо о сотрудничестве" in page and "trovato in russo come «сотрудничеств" in page


def test_the_snippet_keeps_the_language_the_query_was_typed_in():
    from pipeline.search.crosslang import own_terms

    added = {("text_ru", "бергам"): ("text_it", "bergam", "бергамо")}
    both = [("text_it", b"session"), ("text_ru", b"\xd0\xb1\xd0\xb5\xd1\x80\xd0\xb3\xd0\xb0\xd0\xbc")]
    assert own_terms(both, added) == [("text_it", b"session")]
    only_translated = [("text_ru", "бергам"), ("keys", "bergamo")]
    assert own_terms(only_translated, added) == only_translated
