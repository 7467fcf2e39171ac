"""Issue 25 item 4: the sectors by any name (the shipped synonym table, both languages) in --sector, in the
query (sector:legno) and in the web page's sector box; a sector filter that matches nothing lists the
sectors the reader may see (CLI and web), never one only hidden documents have."""
import json
import re

import pytest
from click.testing import CliRunner

from party_corpus import party_workspace
from pipeline.cli import cli
from pipeline.search.query import label_matcher
from pipeline.search.sectors import sectors_named
from pipeline.web import create_app
from pipeline.workspace import Workspace

HOUSE = {"it": "Sistema casa", "ru": "Дом и интерьер"}


@pytest.fixture(scope="module")
def homes(tmp_path_factory):
    return (party_workspace(tmp_path_factory.mktemp("sectors-public"), hidden=False),
            party_workspace(tmp_path_factory.mktemp("sectors-all")))


def test_the_table_names_each_sector_in_both_languages():
    for word in ("legno", "mobili", "arredo", "мебель", "дерево", "Мебельная промышленность", "Дом и интерьер",
                 "MOBILI", "Sistema casa"):
        assert sectors_named(word) == [HOUSE], word
    assert sectors_named("macchine")[0]["it"] == "Meccanica strumentale"
    assert sectors_named("zafferano") == [] and sectors_named("") == []
    assert label_matcher("legno")("Sistema casa") == "synonym"
    assert label_matcher("legno")("Aerospazio") is None
    assert label_matcher("Sistema casa")("Sistema casa") == "exact"


def search(home, *args):
    return CliRunner().invoke(cli, ["--home", str(home), "search", *args, "--json", "--limit", "100"])


def titles(home, *args):
    result = search(home, *args)
    assert result.exit_code == 0, result.output
    return sorted(hit["title"] for hit in json.loads(result.output)["hits"])


def test_sector_filter_and_query_accept_any_name(homes):
    _, home = homes
    house = ["Accordo mobili Kazan", "Memorandum arredo"]
    for word in ("legno", "mobili", "arredo", "мебель", "дерево", "Дом и интерьер", "sistema casa"):
        assert titles(home, "", "--sector", word) == house, word
        assert titles(home, f"sector:{word.split()[0]}") == house or " " in word, word
    assert titles(home, "sector:legno") == house and titles(home, "sector:мебель") == house
    assert titles(home, "", "--sector", "macchinari") == ["Accordo macchine"]


def test_a_sector_that_matches_nothing_lists_the_sectors_the_reader_may_see(homes):
    without, home = homes
    result = CliRunner().invoke(cli, ["--home", str(home), "search", "", "--sector", "zafferano"])
    assert result.exit_code == 1
    assert "no sector is called 'zafferano'" in result.output
    assert "Sistema casa / Дом и интерьер" in result.output and "Logistica e trasporti" in result.output
    assert "Segreti" not in result.output              # the restricted document's sector
    again = CliRunner().invoke(cli, ["--home", str(without), "search", "", "--sector", "zafferano"])
    assert again.output == result.output
    staff = CliRunner().invoke(cli, ["--home", str(home), "search", "", "--sector", "zafferano",
                                     "--include-restricted"])
    assert "Segreti del legno" in staff.output


def test_the_web_sector_box_takes_any_name_and_says_which_sectors_there_are(homes):
    without, home = homes
    client = create_app(Workspace.at(home)).test_client()
    body = client.get("/?sector=мебель").get_data(as_text=True)
    assert "Accordo mobili Kazan" in body and "Memorandum arredo" in body and "Accordo macchine" not in body
    response = client.get("/?sector=zafferano")
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    message = re.search(r'Nessun settore si chiama «zafferano»[^<]*', text).group(0)
    assert "Sistema casa / Дом и интерьер" in message and "Segreti" not in message
    assert 'id="f-sector"' in text and 'aria-invalid="true"' in text
    russian = create_app(Workspace.at(without)).test_client()
    other = russian.get("/?sector=zafferano").get_data(as_text=True)
    assert re.search(r'Nessun settore si chiama «zafferano»[^<]*', other).group(0) == message
