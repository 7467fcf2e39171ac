"""Confidentiality is a property of the whole system: every answer a reader gets is the answer they would get
if the documents they may not see did not exist. Two workspaces hold the same public and internal
documents; one also holds a restricted and an internal document ingested last (so that every other id is
the same in both). Every access path of an anonymous visitor (web) and of the command line without
--include-restricted is asked the same questions in both, and the answers must be identical: hits, totals,
pages, facets, scores, snippets, suggestions, exports, statistics, charts, session pages, document pages,
and the addresses of the hidden documents themselves (a 404 exactly like an id that never existed)."""
import json
import re
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner

from conftest import SEARCH_DOCUMENTS, search_workspace, web_address
from pipeline.cli import cli
from pipeline.web import create_app
from pipeline.workspace import Workspace

pytestmark = pytest.mark.slow   # three archives and ~1,000 requests: in make test, not make test-fast

PUBLIC_DOCUMENTS = [document for document in SEARCH_DOCUMENTS if "restricted" not in document[1]]
HIDDEN = [
    ("hidden-restricted.pdf", ["--session", 25, "--type", "agreement", "--title", "Accordo riservato tessile",
                               "--party", "Tessitura Segreta S.r.l.", "--party", "OOO Tajna",
                               "--sector", "Tessile e moda", "--sector", "Segreti industriali",
                               "--signed-on", "2014-11-28", "--confidentiality", "restricted"],
     ["Accordo riservato sul distretto tessile di Bergamo e sulla cooperazione industriale con Kazan. "
      "Соглашение о сотрудничестве в Татарстане. Parola unica: zafferanopoli."]),
]
INTERNAL = [
    ("hidden-internal.pdf", ["--session", 26, "--type", "letter", "--title", "Nota interna logistica",
                             "--party", "Volga Trans OOO", "--sector", "Logistica e trasporti",
                             "--signed-on", "2015-05-21", "--confidentiality", "internal"],
     ["Nota interna sulla logistica tra Mosca e Verona. Accordo di cooperazione. Parola: cardamomaggio."]),
]
QUERIES = ["accordo", "accordi", "cooperazione industriale", "tessile", "Kazan", "Tatarstan", "соглашение",
           "Bergamo", "zafferanopoli", "zafferanopol", "tessle", "cardamomaggio", "logistica", "", "accordo OR nota",
           "sector:tessile", "party:Tessitura", "type:agreement", "session:25", "accordo NOT memorandum"]
WEB_FILTERS = [{}, {"session": "25"}, {"sector": "Tessile e moda"}, {"type": "agreement"}, {"country": "RU"},
               {"sort": "date"}, {"page": "2"}, {"differs": "1"}]


@pytest.fixture(scope="module")
def trio(tmp_path_factory):
    """(public, public + internal, public + internal + restricted): the same documents, each workspace adding
    the next level's document last, so that every other id is the same in all three."""
    return (search_workspace(tmp_path_factory.mktemp("public"), PUBLIC_DOCUMENTS),
            search_workspace(tmp_path_factory.mktemp("internal"), PUBLIC_DOCUMENTS + INTERNAL),
            search_workspace(tmp_path_factory.mktemp("all"), PUBLIC_DOCUMENTS + INTERNAL + HIDDEN))


@pytest.fixture(scope="module")
def pair(trio):
    """What an anonymous visitor of the web page may see, without and with the hidden documents."""
    return trio[0], trio[2]


def same_paths(text: str, homes) -> str:
    """The answer with what must differ between two workspaces written the same way: their folders, the
    time each file was archived, and the SHA-256 of PDFs made twice (reportlab stamps the time in them)."""
    for home in homes:
        text = text.replace(str(home), "<WS>")
    text = re.sub(r"\b[0-9a-f]{64}\b", "<SHA-256>", text)
    return re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?", "<TIME>", text)


def web_answer(home, path, homes):
    client = create_app(Workspace.at(home)).test_client()
    response = client.get(path)
    body = response.get_data()
    if response.mimetype.startswith("text/") or response.mimetype == "application/json":
        body = same_paths(body.decode("utf-8"), homes)
        body = re.sub(r'name="csrf" value="[^"]+"', 'name="csrf" value="?"', body)
    return response.status_code, response.mimetype, body


def cli_answer(home, *args, homes):
    result = CliRunner().invoke(cli, ["--home", str(home), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, same_paths(result.output, homes)


def test_the_hidden_documents_are_there_for_staff(pair):
    _, with_hidden = pair
    code, output = cli_answer(with_hidden, "search", "zafferanopoli", "--include-restricted", "--json",
                              homes=pair)
    assert code == 0 and json.loads(output)["total"] == 1
    code, output = cli_answer(with_hidden, "search", "cardamomaggio", "--json", homes=pair)
    assert json.loads(output)["total"] == 1          # internal: the command line sees it


@pytest.mark.parametrize("query", QUERIES)
def test_anonymous_web_search_answers_as_if_hidden_documents_did_not_exist(pair, query, score):
    for filters in WEB_FILTERS:
        for fmt in (None, "json", "csv"):
            params = {"q": query, **filters, **({"format": fmt} if fmt else {})}
            path = "/?" + urlencode(params)
            assert web_answer(pair[0], path, pair) == web_answer(pair[1], path, pair), path
            score("conf-web")


def without_scores(output: str) -> dict:
    data = json.loads(output)
    for hit in data["hits"]:
        hit.pop("score")
    data["hits"] = sorted(data["hits"], key=lambda hit: hit["doc_id"])
    return data


@pytest.mark.parametrize("query", QUERIES)
def test_command_line_search_without_include_restricted_answers_the_same(trio, query, score):
    """The command line sees public and internal documents; restricted ones must leave no trace in what it
    lists, counts, facets or suggests. (Its scores come from the whole index: whoever runs the command line
    holds the workspace's files, so it is no security boundary; the web page's anonymous scores are.)"""
    _, without, with_hidden = trio
    for extra in ([], ["--facets"], ["--limit", "2"], ["--sort", "date"], ["--differs-from-draft", "--facets"]):
        args = ["search", query, *extra, "--json"]
        (code_a, a), (code_b, b) = cli_answer(without, *args, homes=trio), cli_answer(with_hidden, *args, homes=trio)
        assert code_a == code_b, args
        if code_a == 0:
            assert without_scores(a) == without_scores(b), args
        score("conf-cli")


@pytest.mark.parametrize("path", ["/sessions", "/session/25", "/session/26", "/stats", "/stats/session.png",
                                  "/stats/year.png", "/stats/sector.png", "/stats/type.png", "/stats/country.png",
                                  "/doc/TFA-000001", "/doc/TFA-000002", "/doc/TFA-000005",
                                  "/doc/TFA-000006", "/doc/TFA-000006/pdf", "/doc/TFA-000007/pdf",
                                  "/doc/6", "/doc/7", "/doc/TFA-000099", "/doc/TFA-000001/diff",
                                  "/doc/TFA-000006/diff", "/doc/TFA-000007/diff", "/doc/TFA-000099/diff",
                                  "/doc/<TFA-000001>", "/doc/<TFA-000005>", "/doc/<TFA-000006>",
                                  "/doc/<TFA-000006>/pdf", "/doc/<TFA-000007>", "/doc/<TFA-000007>/pdf",
                                  "/doc/<TFA-000007>/thumb.png", "/doc/<TFA-000007>/page/1.png",
                                  "/doc/<TFA-000007>/diff", "/doc/0123456789abcdef"])
def test_every_anonymous_page_is_the_same(pair, path, score):
    """<TFA-…>: that document's web address (its public id), read in the workspace that has it; the archive's
    ids themselves are no address for a visitor."""
    path = re.sub(r"<(TFA-\d+)>", lambda m: web_address(pair[1], m[1]), path)
    assert web_answer(pair[0], path, pair) == web_answer(pair[1], path, pair)
    score("conf-web")


