"""Issue 25 item 2: the life of an agreement (entry into force, duration, expiry) and its status on the day
of the search, computed at query time from the indexed dates: --status, the status facet, each hit, the
document page and the sessions timeline; public counts as if hidden documents did not exist."""
import datetime as dt
import json
import re

import pytest
from click.testing import CliRunner

from party_corpus import FOREVER, LATER, SHORT, party_workspace
from pipeline.access import cli_reader
from pipeline.cli import cli
from pipeline.index.life import add_months, duration_in_text, force_in_text, life_of
from pipeline.search import SearchRequest, search
from pipeline.web import create_app
from pipeline.workspace import Workspace


@pytest.fixture(scope="module")
def homes(tmp_path_factory):
    return (party_workspace(tmp_path_factory.mktemp("status-public"), hidden=False),
            party_workspace(tmp_path_factory.mktemp("status-all")))


def test_the_templates_clauses_are_read():
    assert duration_in_text(FOREVER) == 240 and duration_in_text(SHORT) == 24
    assert duration_in_text("ha una durata di 21 (ventuno) mesi") == 21
    assert duration_in_text("Соглашение заключено сроком на 3 года") == 36
    assert duration_in_text("Настоящий Меморандум действует с даты подписания в течение 2 (двух) лет.") == 24
    assert duration_in_text("Accordo senza durata") is None
    assert force_in_text(SHORT) is None                              # "alla data della firma": the signature
    assert force_in_text(LATER) == dt.date(2015, 9, 1)
    assert force_in_text("Соглашение вступает в силу 1 марта 2015 г.") == dt.date(2015, 3, 1)
    assert add_months(dt.date(2014, 1, 31), 1) == dt.date(2014, 2, 28)


def test_status_on_a_day():
    life = life_of("agreement", dt.date(2014, 11, 27), SHORT)
    assert (life.in_force_on, life.duration_months, life.expires_on) == \
        (dt.date(2014, 11, 27), 24, dt.date(2016, 11, 26))
    assert life.status_on(dt.date(2016, 11, 26)) == "in-force"
    assert life.status_on(dt.date(2016, 11, 27)) == "expired"
    later = life_of("agreement", dt.date(2015, 5, 21), LATER)
    assert later.status_on(dt.date(2015, 1, 1)) == "not-yet" and later.status_on(dt.date(2016, 1, 1)) == "in-force"
    assert life_of("agreement", dt.date(2014, 1, 1), "", duration_months=12, withdrawn=True).status_on(
        dt.date(2014, 6, 1)) == "withdrawn"
    assert life_of("agreement", dt.date(2014, 1, 1), "", superseded_by="TFA-000009").standing == "superseded"
    assert life_of("agreement", dt.date(2014, 1, 1), "").expires_on is None          # no duration: no end
    assert life_of("protocol", dt.date(2014, 1, 1), SHORT) is None
    # the signed text binds over the draft's data (the demo's agreement whose signed clause was changed)
    assert life_of("agreement", dt.date(2014, 1, 1), SHORT, duration_months=36).duration_months == 24
    assert life_of("agreement", dt.date(2014, 1, 1), "scan", duration_months=36).duration_months == 36


def titles(home, today, **filters):
    request = SearchRequest(limit=100, today=today, reader=cli_reader(), snippets=False, **filters)
    return sorted(hit["title"] for hit in search(Workspace.at(home), request)["hits"])


def test_the_status_filter_is_computed_on_the_day_of_the_search(homes):
    _, home = homes
    today = dt.date(2026, 1, 1)
    assert titles(home, today, status="in-force") == ["Accordo mobili Kazan", "Memorandum arredo"]
    assert titles(home, today, status="expired") == ["Accordo logistica", "Accordo macchine"]
    # the same index on another day: nothing is re-indexed when an agreement expires
    assert titles(home, dt.date(2016, 1, 1), status="in-force") == [
        "Accordo logistica", "Accordo macchine", "Accordo mobili Kazan", "Memorandum arredo"]
    assert titles(home, dt.date(2015, 6, 1), status="not-yet") == ["Accordo logistica"]   # from 1 September
    assert titles(home, dt.date(2015, 6, 1), status="in-force") == [
        "Accordo macchine", "Accordo mobili Kazan", "Memorandum arredo"]


def test_hits_carry_their_life_and_the_cli_shows_it(homes):
    _, home = homes
    result = CliRunner().invoke(cli, ["--home", str(home), "search", "", "--status", "in-force", "--json"])
    assert result.exit_code == 0, result.output
    lives = {hit["title"]: hit["life"] for hit in json.loads(result.output)["hits"]}
    assert lives["Accordo mobili Kazan"] == {"signed_on": "2014-04-17", "in_force_on": "2014-04-17",
                                             "duration_months": 240, "expires_on": "2034-04-16", "standing": None,
                                             "status": "in-force"}
    text = CliRunner().invoke(cli, ["--home", str(home), "search", "", "--type", "agreement"]).output
    assert "in force · in force from 2014-04-17 · 240 months · until 2034-04-16" in text
    assert "expired · in force from 2015-09-01 · 36 months · until 2018-08-31" in text
    rows = CliRunner().invoke(cli, ["--home", str(home), "search", "", "--status", "in-force", "--csv"]).output
    assert rows.splitlines()[0].endswith(",status,in_force_on,expires_on")
    assert ",in-force,2014-04-17,2034-04-16" in rows
    bad = CliRunner().invoke(cli, ["--home", str(home), "search", "", "--status", "valid"])
    assert bad.exit_code == 2 and "in-force" in bad.output


def test_the_status_facet_counts_only_what_the_reader_may_see(homes):
    without, home = homes
    day = dt.date(2026, 1, 1)

    def facets(h, reader):
        return search(Workspace.at(h), SearchRequest(facets=True, today=day, reader=reader, snippets=False))["facets"]
    assert facets(home, cli_reader())["status"] == {"expired": 2, "in-force": 2}
    assert facets(home, cli_reader()) == facets(without, cli_reader())
    assert facets(home, cli_reader(include_restricted=True))["status"] == {"expired": 2, "in-force": 2, "not-yet": 1}


def _get(home, path):
    response = create_app(Workspace.at(home)).test_client().get(path)
    return response.status_code, re.sub(r'name="csrf" value="[^"]+"', "", response.get_data(as_text=True))


def test_the_web_shows_the_status_on_hits_document_page_and_timeline(homes):
    without, home = homes
    status, body = _get(home, "/?status=in-force")
    assert status == 200 and body.count('class="life"') == 2 and "in vigore dal" in body
    assert re.search(r'data-facet="status" data-value="in-force">in vigore</a> <span class="count">2', body)
    everything = _get(home, "/")[1]
    assert re.search(r'data-facet="status" data-value="expired">scaduto</a> <span class="count">2', everything)
    assert _get(without, "/?status=in-force")[1] == body
    page = re.search(r'href="(/doc/[0-9a-f]+)[^"]*">[^<]*Accordo mobili Kazan', body) or \
        re.search(r'href="(/doc/[0-9a-f]+)', body)
    status, document = _get(home, page.group(1))
    assert status == 200 and re.search(r'id="life">in vigore · in vigore dal', document)
    status, sessions = _get(home, "/sessions")
    in_force = dict(re.findall(r'id="session-row-(\d+)".*?class="num in-force">(?:<a [^>]*>)?(\d+)', sessions, re.S))
    assert in_force == {"24": "1", "25": "1", "26": "0"}
    status, session_page = _get(home, "/session/25")
    assert re.findall(r'class="in-force">([^<]*)', session_page) == ["1 in vigore", "1 in vigore"]
    assert _get(without, "/sessions")[1] == sessions
