"""Withdraw and supersede (issue 24 item 3): a withdrawn document leaves every public answer as if it had never
been ingested (compared with an archive where it never was, as test_confidentiality.py does), staff still see
it marked with its reason; a supersession links both documents; the bytes stay and the fixity check is clean."""
import json
import re
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner

from conftest import SEARCH_DOCUMENTS, search_workspace, web_address
from pipeline.archive.reading import ArchiveReader
from pipeline.cli import cli
from pipeline.web import create_app
from pipeline.workspace import Workspace

PUBLIC_DOCUMENTS = [document for document in SEARCH_DOCUMENTS if "restricted" not in document[1]]
WRONG = [("wrong.pdf", ["--session", 25, "--type", "agreement", "--title", "Accordo sbagliato cooperazione",
                        "--party", "Ditta Sbagliata S.r.l.", "--sector", "Meccanica strumentale",
                        "--signed-on", "2014-11-28"],
          ["Accordo di cooperazione industriale sbagliato, caricato per errore. Parola: melagranopoli. "
           "Соглашение о сотрудничестве."])]
QUERIES = ["accordo", "cooperazione industriale", "melagranopoli", "melagranopol", "соглашение", "", "Bergamo",
           "party:Ditta", "session:25"]
WRONG_ID = "TFA-000006"   # ingested last: every other id is the same in both archives


def run(home, *args):
    result = CliRunner().invoke(cli, ["--home", str(home), *map(str, args)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """(never ingested, ingested then withdrawn)."""
    never = search_workspace(tmp_path_factory.mktemp("never"), PUBLIC_DOCUMENTS)
    withdrawn = search_workspace(tmp_path_factory.mktemp("withdrawn"), PUBLIC_DOCUMENTS + WRONG)
    found = run(withdrawn, "search", "melagranopoli", "--json")
    assert json.loads(found.output)["total"] == 1              # there before it is withdrawn
    result = run(withdrawn, "archive", "withdraw", WRONG_ID, "--reason", "caricato per errore")
    assert result.exit_code == 0, result.output
    assert result.output == f"{WRONG_ID}: withdrawn (caricato per errore), revision 2 written\n"
    return never, withdrawn


def same(text: str, homes) -> str:
    for home in homes:
        text = text.replace(str(home), "<WS>")
    text = re.sub(r"\b[0-9a-f]{64}\b", "<SHA-256>", text)
    text = re.sub(r'name="csrf" value="[^"]+"', 'name="csrf" value="?"', text)
    return re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?", "<TIME>", text)


def web(home, path, homes):
    response = create_app(Workspace.at(home)).test_client().get(path)
    body = response.get_data()
    if response.mimetype.startswith("text/") or response.mimetype == "application/json":
        body = same(body.decode("utf-8"), homes)
    return response.status_code, body


@pytest.mark.parametrize("query", QUERIES)
def test_public_search_and_export_answer_as_if_it_was_never_ingested(pair, query):
    for filters in ({}, {"session": "25"}, {"sector": "Meccanica strumentale"}, {"sort": "date"}):
        for fmt in (None, "json", "csv"):
            path = "/?" + urlencode({"q": query, **filters, **({"format": fmt} if fmt else {})})
            assert web(pair[0], path, pair) == web(pair[1], path, pair), path


@pytest.mark.parametrize("query", QUERIES)
def test_command_line_search_counts_and_suggests_as_if_it_was_never_ingested(pair, query):
    for extra in ([], ["--facets"], ["--limit", "2"]):
        a, b = (run(home, "search", query, *extra, "--json") for home in pair)
        assert a.exit_code == b.exit_code
        if a.exit_code == 0:
            left, right = json.loads(same(a.output, pair)), json.loads(same(b.output, pair))
            for data in (left, right):
                for hit in data["hits"]:
                    hit.pop("score")
            assert left == right, (query, extra)


@pytest.mark.parametrize("path", ["/sessions", "/session/25", "/stats", "/stats/session.png", "/stats/sector.png",
                                  "/doc/TFA-000006", "/doc/6", "/doc/<TFA-000006>", "/doc/<TFA-000006>/pdf",
                                  "/doc/<TFA-000006>/page/1.png", "/doc/<TFA-000001>"])
def test_every_public_page_is_as_if_it_was_never_ingested(pair, path):
    path = re.sub(r"<(TFA-\d+)>", lambda m: web_address(pair[1], m[1]), path)
    assert web(pair[0], path, pair) == web(pair[1], path, pair), path


def test_statistics_count_it_for_no_one(pair):
    a, b = (run(home, "stats", "--by", "session", "--json") for home in pair)
    assert a.exit_code == 0 and json.loads(a.output) == json.loads(b.output)


def test_staff_see_it_marked_with_its_reason_and_the_archive_stays_whole(pair):
    _, home = pair
    found = run(home, "search", "melagranopoli", "--include-restricted", "--json")
    hits = json.loads(found.output)["hits"]
    assert [(hit["doc_id"], hit["withdrawn"]) for hit in hits] == [(WRONG_ID, "caricato per errore")]
    assert json.loads(run(home, "search", "melagranopoli", "--json").output)["total"] == 0
    shown = json.loads(run(home, "archive", "show", WRONG_ID, "--json").output)
    assert shown["withdrawn"] == "caricato per errore" and shown["revision"] == 2 and shown["revisions"] == [1, 2]
    assert [event["type"] for event in shown["events"]][-2:] == ["metadata modification", "withdrawal"]
    verify = run(home, "archive", "verify")
    assert verify.exit_code == 0, verify.output
    again = run(home, "archive", "withdraw", WRONG_ID, "--reason", "di nuovo")
    assert again.exit_code == 1 and "TFA-000006 is withdrawn already (caricato per errore)" in again.output
    empty = run(home, "archive", "withdraw", "TFA-000001", "--reason", " ")
    assert empty.exit_code == 1 and "--reason is missing" in empty.output
    from pipeline.access import PUBLIC, STAFF, cli_reader
    record = ArchiveReader(Workspace.at(home)).record(WRONG_ID)
    assert STAFF.may_see_record(record) and not PUBLIC.may_see_record(record) and not cli_reader().may_see_record(record)


def test_supersede_links_both_ways_and_keeps_the_bytes(copy_of):
    home = copy_of()
    before = {path: path.read_bytes() for path in (home / "archive").glob("TFA-*/original.pdf")}
    result = run(home, "archive", "supersede", "TFA-000002", "TFA-000005")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["TFA-000002: superseded by TFA-000005, revision 2 written",
                                          "TFA-000005: supersedes TFA-000002, revision 2 written"]
    old = json.loads(run(home, "archive", "show", "TFA-000002", "--json").output)
    new = json.loads(run(home, "archive", "show", "TFA-000005", "--json").output)
    assert old["superseded_by"] == "TFA-000005" and new["supersedes"] == "TFA-000002"
    assert "supersession" in [event["type"] for event in old["events"]]
    assert {path: path.read_bytes() for path in before} == before
    assert run(home, "archive", "verify").exit_code == 0
    hits = json.loads(run(home, "search", "--session", "25", "--json").output)["hits"]
    assert {hit["doc_id"]: hit.get("superseded_by") for hit in hits}["TFA-000002"] == "TFA-000005"
    twice = run(home, "archive", "supersede", "TFA-000002", "TFA-000004")
    assert twice.exit_code == 1 and "TFA-000002 is superseded already by TFA-000005" in twice.output
    itself = run(home, "archive", "supersede", "TFA-000001", "1")
    assert itself.exit_code == 1 and "cannot supersede itself" in itself.output
    back = run(home, "archive", "supersede", "TFA-000005", "TFA-000002")
    assert back.exit_code == 1


def test_ingest_of_a_pdf_whose_reference_is_archived_proposes_supersede(run, pdf_factory):
    assert run("ingest", pdf_factory.italian()).exit_code == 0
    dry = run("ingest", "--dry-run", pdf_factory.russian())
    assert "'taskforce archive supersede TFA-000001 NEW'" in dry.output
    assert run("archive", "list", "--json").output.count("TFA-000002") == 0
    second = run("ingest", pdf_factory.russian())
    assert "'taskforce archive supersede TFA-000001 TFA-000002'" in second.stderr
    assert run("archive", "supersede", "TFA-000001", "TFA-000002").exit_code == 0


def _login(client, name="anna", password="correct horse battery staple"):
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page)[1]
    return client.post("/login", data={"name": name, "password": password, "csrf": token})


def test_the_document_page_marks_a_withdrawal_for_staff_and_links_a_succession_both_ways(copy_of):
    home = copy_of()
    assert run(home, "archive", "supersede", "TFA-000002", "TFA-000005").exit_code == 0
    assert run(home, "archive", "withdraw", "TFA-000004", "--reason", "firmato due volte").exit_code == 0
    visitor = create_app(Workspace.at(home)).test_client()
    old, new = web_address(home, "TFA-000002"), web_address(home, "TFA-000005")
    page = visitor.get(f"/doc/{old}").get_data(as_text=True)
    assert re.search(rf'id="superseded-by">Sostituito da <a href="/doc/{new}">{new}</a>', page)
    page = visitor.get(f"/doc/{new}").get_data(as_text=True)
    assert re.search(rf'id="supersedes">Sostituisce <a href="/doc/{old}">{old}</a>', page)
    assert visitor.get(f"/doc/{web_address(home, 'TFA-000004')}").status_code == 404
    result = CliRunner().invoke(cli, ["--home", str(home), "users", "add", "anna"],
                                input="correct horse battery staple\n")
    assert result.exit_code == 0, result.output
    staff = create_app(Workspace.at(home)).test_client()
    assert _login(staff).status_code == 302
    page = staff.get("/doc/TFA-000004", follow_redirects=True).get_data(as_text=True)
    assert '<p class="notice" id="withdrawn"><strong>Ritirato dalla consultazione</strong>: firmato due volte</p>' in page


def test_a_rebuilt_index_answers_the_same_and_the_use_case_records_its_actor(pair, tmp_path):
    import shutil

    from pipeline.usecases.calls import UseCases

    never, withdrawn = pair
    home = tmp_path / "ws"
    shutil.copytree(withdrawn, home, symlinks=True)
    assert run(home, "index", "rebuild").exit_code == 0
    for query in QUERIES[:4]:
        path = "/?" + urlencode({"q": query, "format": "json"})
        assert web(never, path, (never, home)) == web(home, path, (never, home)), path
    report = UseCases(Workspace.at(home)).withdraw("TFA-000005", "duplicato", actor="maria")
    assert report.index_error is None and report.records[0].withdrawn == "duplicato"
    events = json.loads(run(home, "archive", "log", "TFA-000005", "--json").output)
    assert [(event["type"], event["agent"]) for event in events][-2:] == [("metadata modification", "maria"),
                                                                          ("withdrawal", "maria")]
