"""Search over a small real archive: PDFs made here, ingested through the CLI, indexed with Whoosh."""
import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline import index, search
from pipeline.access import PUBLIC, STAFF, Reader
from pipeline.index import schema as index_schema
from pipeline.search import stats
from pipeline.cli import cli
from pipeline.errors import BusyError, ValidationError
from pipeline.demo.pdfmake import text_to_pdf
from pipeline.workspace import Workspace
from tests.conftest import REPO, assert_no_crash  # the archived fixture is in conftest.py

def invoke(home, *args):
    return CliRunner().invoke(cli, ["--home", str(home), *map(str, args)])



def find(home, query="", **options):
    request = search.SearchRequest(query=query, **options)
    return search.search(Workspace.at(home), request)


def titles(result):
    return sorted(hit["title"] for hit in result["hits"])


# --- the index follows the archive -------------------------------------------------------------------------
def test_ingest_indexed_every_document(archived):
    status = index.status(Workspace.at(archived))
    assert status["ok"] and status["documents"] == 6 and status["archive_documents"] == 6
    assert status["schema_current"] and status["schema_version"] == index.SCHEMA_VERSION


# --- stemming, accents, scripts ------------------------------------------------------------------------------
@pytest.mark.parametrize("query, expected", [
    ("accordo", ["Accordo Kama", "Accordo quadro Bergamo"]),          # accordi (plural) in the first
    ("соглашение", ["Accordo Kama", "Accordo quadro Bergamo"]),       # соглашений, Соглашение
    ("citta", ["Accordo quadro Bergamo"]),                             # città
    ("città", ["Accordo quadro Bergamo"]),
    ("меморандумы", []),                                               # restricted: hidden
    ("Kazan", ["Accordo Kama"]),                                       # Казань in the text and the session
    ("Москве", ["Lettera di intenti", "Progetto lungo", "Protocollo della sessione 26"]),
    ("Tatarstan", ["Accordo Kama", "Protocollo della sessione 26"]),   # Татарстана, Татарстаном
    ("Татарстан", ["Accordo Kama", "Protocollo della sessione 26"]),
    ("Нижний", ["Lettera di intenti"]),                                # only Nizhny in the text
    ("Mosca", ["Lettera di intenti", "Progetto lungo", "Protocollo della sessione 26"]),  # the session's city
    ('"cooperazione industriale"', ["Accordo quadro Bergamo"]),
    ("accordo AND NOT quadro", ["Accordo Kama"]),
    ("type:letter", ["Lettera di intenti"]),
    ("session:[25 TO 26] AND accordo", ["Accordo quadro Bergamo"]),
    ("zanzibarico", ["Progetto lungo"]),
])
def test_queries(archived, query, expected):
    assert titles(find(archived, query)) == expected


def test_snippet_is_in_the_language_that_matched_and_marks_the_word(archived):
    hit = find(archived, "соглашение")["hits"][0]
    assert hit["snippet_lang"] == "ru" and "**" in hit["snippet"]
    hit = find(archived, "accordi")["hits"][0]
    assert hit["snippet_lang"] == "it" and "**accord" in hit["snippet"].lower()


def test_snippet_found_beyond_the_first_32_kilobytes(archived):
    hit = find(archived, "zanzibarico")["hits"][0]
    assert "**zanzibarico**" in hit["snippet"]


def test_did_you_mean(archived):
    result = find(archived, "accrdo")
    assert result["total"] == 0 and result["suggestion"] == "accordo"
    assert find(archived, "accordo")["suggestion"] is None
    assert find(archived, "citta")["suggestion"] is None                # found through accent folding


# --- filters -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("options, expected", [
    ({"session": 25}, ["Accordo quadro Bergamo"]),
    ({"sessions": (24, 25)}, ["Accordo Kama", "Accordo quadro Bergamo"]),
    ({"date_from": "2015-05-21"}, ["Lettera di intenti", "Progetto lungo"]),
    ({"date_to": "17 aprile 2014"}, ["Accordo Kama"]),
    ({"date_from": "2014-11-01", "date_to": "20 мая 2015 г."}, ["Accordo quadro Bergamo", "Protocollo della sessione 26"]),
    ({"type": "protocol"}, ["Protocollo della sessione 26"]),
    ({"party": "Orobica"}, ["Accordo Kama", "Accordo quadro Bergamo"]),
    ({"party": "Кама"}, ["Accordo Kama"]),                             # across scripts
    ({"sector": "logistica e trasporti"}, ["Lettera di intenti", "Progetto lungo"]),
    ({"country": "IT"}, ["Accordo quadro Bergamo"]),
    ({"country": "RU"}, ["Accordo Kama", "Lettera di intenti", "Progetto lungo", "Protocollo della sessione 26"]),
    ({"lang": "ru"}, ["Accordo Kama", "Accordo quadro Bergamo", "Protocollo della sessione 26"]),
    ({"reader": STAFF, "session": 25}, ["Accordo quadro Bergamo", "Memorandum tessile"]),
])
def test_filters_with_an_empty_query_list_by_date(archived, options, expected):
    result = find(archived, "", limit=50, **options)
    assert titles(result) == expected
    dates = [hit["signed_on"] for hit in result["hits"]]
    assert dates == sorted(dates)


def test_restricted_documents_show_their_level(archived):
    result = find(archived, "tessile", reader=STAFF)
    assert [hit["confidentiality"] for hit in result["hits"]] == ["restricted"]
    assert find(archived, "tessile")["total"] == 0


def test_facet_counts_equal_the_archive_counts(archived):
    result = find(archived, "", facets=True, reader=STAFF, limit=1)
    ws = Workspace.at(archived)
    for facet, by in (("session", "session"), ("type", "type"), ("year", "year"), ("country", "country"),
                      ("sectors", "sector")):
        counted = {str(row[by]): row["documents"] for row in stats.count_documents(ws, by)["counts"]
                   if row[by] != "(none)"}
        assert result["facets"][facet] == counted, facet


def test_pagination(archived):
    seen = []
    for page in (1, 2, 3):
        result = find(archived, "", limit=2, page=page, reader=STAFF)
        assert result["pages"] == 3 and result["total"] == 6
        seen += [hit["doc_id"] for hit in result["hits"]]
    assert len(set(seen)) == 6
    assert find(archived, "", limit=2, page=4)["hits"] == []


@pytest.mark.parametrize("query, message", [
    ("session:abc", "cannot read the query 'session:abc': 'abc' is not a valid number"),
    ("title:accordo", "unknown field 'title:' in the query"),
    ("*", "has no searchable words"),
])
def test_malformed_queries_are_clear_errors(archived, query, message):
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace("*", r"\*")):
        find(archived, query)


# --- rebuilds and writers ----------------------------------------------------------------------------------
def test_deleted_index_is_rebuilt_with_the_same_results(copy_of):
    home = copy_of()
    before = [titles(find(home, q, reader=STAFF)) for q in ("accordo", "Kazan", "")]
    shutil.rmtree(home / "index" / "whoosh")
    assert not index.is_current(Workspace.at(home))
    after = [titles(find(home, q, reader=STAFF)) for q in ("accordo", "Kazan", "")]
    assert after == before and index.status(Workspace.at(home))["ok"]


def test_schema_change_triggers_a_rebuild(copy_of, monkeypatch):
    home = copy_of()
    ws = Workspace.at(home)
    assert index.rebuild_if_needed(ws) is None
    monkeypatch.setattr(index_schema, "SCHEMA_VERSION", index_schema.SCHEMA_VERSION + 1)
    assert not index.is_current(ws) and not index.status(ws)["ok"]
    result = invoke(home, "index", "rebuild", "--if-needed")
    assert result.exit_code == 0 and result.output.startswith("Indexed 6 document(s) in ")
    assert index.read_sentinel(ws)["schema_version"] == index_schema.SCHEMA_VERSION
    assert invoke(home, "index", "rebuild", "--if-needed").output == "The index is current; nothing to do.\n"


def test_a_held_write_lock_times_out_with_a_clear_message(copy_of):
    home = copy_of()
    ws = Workspace.at(home)
    with index.write_lock(ws):
        with pytest.raises(BusyError, match="another taskforce process is writing the search index"):
            with index.write_lock(ws, timeout=0.2):
                pass


def test_two_writers_at_once(copy_of):
    home = copy_of()
    script = ("import sys\nfrom pipeline.workspace import Workspace\nfrom pipeline import index\n"
              "if __name__ == '__main__':\n"
              "    ws = Workspace.at(sys.argv[1])\n"
              "    for _ in range(3):\n"
              "        index.rebuild(ws) if sys.argv[2] == 'rebuild' else index.update_documents(ws, ['TFA-000001', 'TFA-000002'])\n")
    processes = [subprocess.Popen([sys.executable, "-c", script, str(home), kind], cwd=REPO,
                                  stderr=subprocess.PIPE, text=True) for kind in ("rebuild", "update")]
    errors = [p.communicate(timeout=300)[1] for p in processes]
    assert [p.returncode for p in processes] == [0, 0], errors
    status = index.status(Workspace.at(home))
    assert status["ok"] and status["documents"] == 6


# --- edits, stats, CLI -------------------------------------------------------------------------------------
def test_a_metadata_edit_reaches_the_index(copy_of):
    home = copy_of()
    doc_id = find(home, "Kazan")["hits"][0]["doc_id"]
    result = invoke(home, "archive", "edit", doc_id, "--title", "Accordo Kama rivisto")
    assert result.exit_code == 0, result.output
    assert titles(find(home, "Kazan")) == ["Accordo Kama rivisto"]
    assert index.status(Workspace.at(home))["ok"]


def test_a_failed_index_update_leaves_the_archive_entry_and_says_so(copy_of, monkeypatch, tmp_path):
    home = copy_of()

    def broken(ws, doc_ids, drafts=None):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(index, "update_documents", broken)
    pdf = text_to_pdf(tmp_path / "new.pdf", ["Un nuovo accordo di prova."], title="Nuovo")
    result = invoke(home, "ingest", pdf, "--session", 25, "--type", "agreement")
    assert result.exit_code == 0, result.output
    assert ("Warning: archived, but the search index was not updated (No space left on device); run "
            "'taskforce index rebuild'") in result.output
    status = index.status(Workspace.at(home))
    assert status["archive_documents"] == 7 and len(status["missing"]) == 1 and not status["ok"]
    monkeypatch.undo()
    assert invoke(home, "index", "rebuild").exit_code == 0
    assert index.status(Workspace.at(home))["ok"]


def test_search_cli_json_csv_and_text(archived):
    data = json.loads(invoke(archived, "search", "accordo", "--facets", "--json").output)
    assert set(data) >= {"query", "total", "page", "pages", "hits", "facets", "suggestion"}
    assert set(data["hits"][0]) >= {"doc_id", "reference", "session", "type", "title", "signed_on", "parties",
                                    "sectors", "confidentiality", "score", "snippet"}
    csv_out = invoke(archived, "search", "", "--session", 26, "--csv").output.splitlines()
    assert csv_out[0].startswith("doc_id,reference,session,signed_on,type,title,parties")
    assert len(csv_out) == 4
    text = invoke(archived, "search", "accrdo").output
    assert text == "No documents found.\nDid you mean: accordo?\n"
    result = invoke(archived, "search", "x", "--sessions", "9-2")     # usage mistakes: exit 2 (issue 13, 14)
    assert result.exit_code == 2 and "'--sessions': '9-2': give a range like 20-25" in result.output
    result = invoke(archived, "search", "x", "--from", "31 febbraio 2015")
    assert result.exit_code == 2 and "--from" in result.output
    assert_no_crash(result)


def test_index_status_cli(archived):
    result = invoke(archived, "index", "status", "--json")
    assert result.exit_code == 0 and json.loads(result.output)["ok"] is True


def test_stats_and_chart(archived, tmp_path):
    result = invoke(archived, "stats", "--by", "year", "--json")
    counts = {row["year"]: row["documents"] for row in json.loads(result.output)["counts"]}
    assert counts == {2014: 3, 2015: 3}
    chart = tmp_path / "years.png"
    result = invoke(archived, "stats", "--by", "session", "--chart", chart)
    assert result.exit_code == 0, result.output
    from PIL import Image

    assert chart.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(chart) as image:
        assert image.format == "PNG" and image.size[0] >= 600
    result = invoke(archived, "stats", "--chart", tmp_path / "chart.jpg")
    assert result.exit_code == 1 and "give a name ending in .png" in result.output


def test_the_reader_limits_hits_facets_and_suggestions(archived):
    public = find(archived, "", session=25, facets=True, reader=PUBLIC)
    assert titles(public) == ["Accordo quadro Bergamo"] and "Tessile e moda" not in public["facets"]["sectors"]
    every = find(archived, "", session=25, facets=True, reader=STAFF)
    assert titles(every) == ["Accordo quadro Bergamo", "Memorandum tessile"]
    assert every["facets"]["sectors"]["Tessile e moda"] == 1
    assert find(archived, "tessile", reader=PUBLIC)["total"] == 0
    assert find(archived, "tessle", reader=PUBLIC)["suggestion"] is None   # only in a hidden one
    assert find(archived, "tessle", reader=Reader(("restricted",)))["suggestion"] == "tessile"
    assert find(archived, "tessle")["suggestion"] is None               # the CLI's default hides restricted too
    with pytest.raises(ValueError):     # a reader who may see nothing is a mistake, not an empty answer
        Reader(())


def _taskforce_script() -> str:
    return str(Path(sys.executable).with_name("taskforce"))


@pytest.mark.parametrize("reader", ["closed at once", "head -3"])
def test_a_closed_pipe_ends_the_csv_quietly(archived, tmp_path, reader):
    """`taskforce search "" --csv | head -3` printed "Error: Broken pipe" and exited 1 (issue 21): a reader that
    stops reading ends the command quietly, with status 0, as other Unix tools end. Real processes and pipes."""
    command = [_taskforce_script(), "--home", str(archived), "search", "", "--csv", "--limit", "1000"]
    if reader == "closed at once":     # the reader is gone before the first write: the broken pipe is certain
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        process.stdout.close()
        stderr = process.stderr.read().decode()
        assert process.wait(timeout=60) == 0, stderr
        assert stderr == ""
        return
    errors = tmp_path / "stderr.txt"
    shell = f"{shlex.join(command)} 2>{shlex.quote(str(errors))} | head -3; echo \"status ${{PIPESTATUS[0]}}\""
    result = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, timeout=60)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("doc_id,") and len(lines) == 4, result.stdout
    assert lines[-1] == "status 0"
    assert errors.read_text() == ""


def test_a_month_for_from_and_to_in_both_languages(archived):
    """`--from "maggio 2015"` / `"май 2015"` was refused (issue 21): a month is its first day for --from and its
    last day for --to."""
    def found(*args):
        result = CliRunner().invoke(cli, ["--home", str(archived), "search", "", *args, "--sort", "oldest",
                                          "--json"])
        assert result.exit_code == 0, result.output
        return [hit["signed_on"] for hit in json.loads(result.stdout)["hits"]]

    may = ["2015-05-20", "2015-05-21", "2015-05-22"]
    assert found("--from", "maggio 2015") == found("--from", "май 2015") == may
    assert found("--from", "maggio 2015", "--to", "май 2015") == may
    assert found("--to", "novembre 2014") == ["2014-04-17", "2014-11-28"]
    assert found("--to", "апрель 2014") == ["2014-04-17"]
    result = CliRunner().invoke(cli, ["--home", str(archived), "search", "", "--from", "giugno 2015", "--to",
                                      "maggio 2015"])
    assert result.exit_code == 1 and "--to maggio 2015 is before --from giugno 2015" in result.output


def test_the_printed_snippet_has_one_ellipsis_at_its_end(capsys):
    """The command line wrapped every snippet in "… " and " …", so a snippet cut short read "di… …" (issue 21)."""
    from pipeline.cli.search import _print_hits

    hit = {"reference": "TF25-AGR-001", "doc_id": "TFA-000001", "session": 25, "signed_on": "2014-11-28",
           "type": "agreement", "confidentiality": "public", "title": "Accordo", "parties": [], "score": 1.0}
    result = {"hits": [dict(hit, snippet="il presente **Accordo** di…"), dict(hit, snippet="il presente **Accordo**")],
              "total": 2, "page": 1, "pages": 1, "limit": 10}
    _print_hits(result)
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("   … ")]
    assert lines == ["   … il presente **Accordo** di…", "   … il presente **Accordo** …"]
