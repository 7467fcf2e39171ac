"""Finding the signed documents that differ from their approved draft (issue 17, item 5): the search filter
--differs-from-draft (command line) and differs=1 (web page, staff only), the index field behind it, the
document page's line ("Corrisponde alla bozza finale v2") and its redline (/doc/ID/diff, staff only).

The public sees neither the drafts nor the comparison: an anonymous request carrying differs= is a 400 that
says the filter is for staff (whatever the documents), never a list; the document page shows no line and the
redline's address answers 404 exactly like a document that does not exist."""
import json
import re
import shutil
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from pipeline import index
from pipeline.cli import cli
from pipeline.index import schema as index_schema
from pipeline.web import create_app
from pipeline.workspace import Workspace
from tests.comparisons import PASSWORD, comparison_workspace
from tests.conftest import web_address
from tests.test_web import set_language

IDS = [f"TFA-{n:06d}" for n in range(1, 7)]
SAME, WORD, ADDED, BOTH, MOU, LETTER = IDS
OLD_FINGERPRINT = "0646bd75882c2968"     # SCHEMA_VERSION 5, before the differs field


ADDRESSES: dict = {}     # TFA-… by web address (public id)


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    made = comparison_workspace(tmp_path_factory.mktemp("differs"))
    ADDRESSES.update({web_address(made, doc_id): doc_id for doc_id in IDS})
    return made


def address(doc_id: str) -> str:
    return next(key for key, value in ADDRESSES.items() if value == doc_id)


def run(home, *args):
    result = CliRunner().invoke(cli, ["--home", str(home), *map(str, args)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def found(home, *args) -> list[str]:
    result = run(home, "search", *args, "--json")
    assert result.exit_code == 0, result.output
    # one hit per reference (issue 25): the copies of one reference are its hit's files
    return sorted(file["doc_id"] for hit in json.loads(result.stdout)["hits"] for file in hit["files"])


# --- the command line ------------------------------------------------------------------------------------
def test_the_filter_finds_every_signed_document_that_differs_and_the_reader_may_see(home):
    assert found(home, "") == [SAME, WORD, BOTH, MOU, LETTER]                 # internal seen, restricted not
    assert found(home, "", "--differs-from-draft") == [WORD, BOTH]
    assert found(home, "", "--differs-from-draft", "--include-restricted") == [WORD, ADDED, BOTH]
    # it combines with the query and the other filters
    assert found(home, "consenso preventivo", "--differs-from-draft") == [WORD, BOTH]
    assert found(home, "accordo", "--differs-from-draft", "--type", "memorandum") == []
    assert found(home, "координаторов", "--differs-from-draft", "--include-restricted") == [ADDED, BOTH]


def test_the_query_cannot_name_the_field(home):
    result = run(home, "search", "differs:yes")
    assert result.exit_code == 1 and result.stderr.startswith("Error: unknown field 'differs:' in the query")


def test_the_facets_and_totals_count_with_the_filter_applied(home):
    data = json.loads(run(home, "search", "", "--differs-from-draft", "--facets", "--include-restricted",
                          "--json").stdout)
    # one hit per reference (issue 25): the three copies of TF25-AGR-001 that differ are its files
    assert data["total"] == 1 and data["facets"]["type"] == {"agreement": 1}
    assert data["facets"]["session"] == {"25": 1}
    assert sorted(file["doc_id"] for file in data["hits"][0]["files"]) == [WORD, ADDED, BOTH]


def test_the_json_hits_carry_the_comparison_state(home):
    hits = json.loads(run(home, "search", "", "--json", "--include-restricted").stdout)["hits"]
    assert {file["doc_id"]: file["differs_from_draft"] for hit in hits for file in hit["files"]} == {
        SAME: False, WORD: True, ADDED: True, BOTH: True, MOU: False, LETTER: None}
    # a reference's hit differs when one of its signed copies does
    assert {hit["reference"]: hit["differs_from_draft"] for hit in hits if hit["reference"]} == {
        "TF25-AGR-001": True, "TF25-MOU-001": False}


def test_the_printed_hits_say_which_differ_and_nothing_found_is_said_plainly(home):
    result = run(home, "search", "consenso preventivo", "--differs-from-draft", "--sort", "oldest")
    lines = result.stdout.splitlines()
    assert result.exit_code == 0
    assert lines.count("   differs from its approved draft") == 1          # one reference, two of its copies
    assert f"   2 files: {WORD}, {BOTH}" in lines
    assert lines[-1] == "Page 1 of 1: 1 document(s)."
    none = run(home, "search", "", "--differs-from-draft", "--session", 24)
    assert none.exit_code == 0 and none.stdout == "No documents found.\n"
    plain = run(home, "search", "", "--session", 25, "--type", "letter").stdout
    assert "differs from" not in plain


def test_the_index_of_an_older_schema_is_rebuilt_with_the_field(home, tmp_path):
    copy = tmp_path / "ws"
    shutil.copytree(home, copy, symlinks=True)
    ws = Workspace.at(copy)
    assert index_schema.SCHEMA_VERSION >= 6 and index_schema.schema_fingerprint() != OLD_FINGERPRINT
    sentinel = index.read_sentinel(ws)
    (copy / "index" / "schema.json").write_text(json.dumps({**sentinel, "schema_version": 5,
                                                            "fingerprint": OLD_FINGERPRINT}))
    status = run(copy, "index", "status")
    assert status.exit_code == 1
    assert "run 'taskforce index rebuild' to bring the index in step with the archive" in status.stderr
    assert "schema_current     False" in status.stdout or re.search(r"schema_current\s+False", status.stdout)
    # the next search rebuilds it by itself, and the filter works on the rebuilt index
    assert found(copy, "", "--differs-from-draft") == [WORD, BOTH]
    assert index.read_sentinel(ws)["fingerprint"] == index_schema.schema_fingerprint()
    assert run(copy, "index", "status").exit_code == 0


def test_an_edit_and_a_rebuild_keep_the_field(home, tmp_path):
    copy = tmp_path / "ws"
    shutil.copytree(home, copy, symlinks=True)
    assert run(copy, "archive", "edit", WORD, "--title", "Accordo corretto").exit_code == 0
    assert found(copy, "corretto", "--differs-from-draft") == [WORD]
    assert run(copy, "index", "rebuild").exit_code == 0
    assert found(copy, "", "--differs-from-draft") == [WORD, BOTH]


# --- the web page ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def app(home):
    return create_app(Workspace.at(home))


def csrf_of(client):
    return re.search(r'name="csrf" value="([^"]+)"', client.get("/login").get_data(as_text=True))[1]


@pytest.fixture
def staff(app):
    client = app.test_client()
    response = client.post("/login", data={"name": "anna", "password": PASSWORD, "csrf": csrf_of(client)})
    assert response.status_code == 302
    return client


@pytest.fixture
def visitor(app):
    return app.test_client()


def hit_ids(response) -> list[str]:
    return sorted({ADDRESSES[found] for found in re.findall(r'href="/doc/([0-9a-f]{16})(?:\?[^"]*)?" class="hit-title"',
                                                             response.get_data(as_text=True))})


def file_ids(client, query: str) -> list[str]:
    """The files of the hits of ``query`` (one hit per reference, its copies its files), from the JSON download."""
    data = json.loads(client.get(f"/?{query}&format=json").get_data(as_text=True))
    return sorted(file["doc_id"] for hit in data["hits"] for file in hit["files"])


def russian(client):
    set_language(client, "ru")
    return client


def test_staff_filter_with_a_checkbox_a_chip_and_facets(staff):
    form = staff.get("/").get_data(as_text=True)
    assert 'type="checkbox" name="differs" value="1" id="f-differs"' in form
    assert '<label for="f-differs">Solo i documenti il cui testo firmato differisce dalla bozza approvata</label>' in form
    response = staff.get("/?differs=1")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and file_ids(staff, "differs=1") == [WORD, ADDED, BOTH]
    assert len(hit_ids(response)) == 1 and "3 originali" in page          # one reference, three copies
    assert 'id="f-differs" checked' in page
    chip = re.search(r'<span class="chip">([^<]*)<a href="([^"]*)" class="remove">', page)
    assert chip[1].strip() == "Testo firmato: diverso dalla bozza approvata" and chip[2] == "/"
    assert re.search(r'data-facet="type" data-value="agreement">[^<]*</a> <span class="count">1</span>', page)
    assert 'data-value="memorandum"' not in page and 'data-value="letter"' not in page
    # a facet link keeps the filter; it combines with the others
    assert 'href="/?differs=1&amp;type=agreement"' in page
    assert file_ids(staff, "differs=1&q=consenso+preventivo") == [WORD, BOTH]
    assert file_ids(staff, "differs=1&type=memorandum") == []
    assert "diverso dalla bozza" in staff.get(f"/?q=consenso+preventivo").get_data(as_text=True)


def test_staff_filter_in_russian_and_a_bad_value(staff):
    page = russian(staff).get("/?differs=1").get_data(as_text=True)
    assert "Только документы, подписанный текст которых отличается от утверждённого проекта" in page
    assert "Подписанный текст: отличается от утверждённого проекта" in page
    bad = staff.get("/?differs=maybe")
    assert bad.status_code == 400 and "«maybe»" in bad.get_data(as_text=True)


def test_staff_downloads_carry_the_comparison_state(staff):
    data = json.loads(staff.get("/?format=json&differs=1").get_data(as_text=True))
    assert [file["differs_from_draft"] for hit in data["hits"] for file in hit["files"]] == [True, True, True]
    every = json.loads(staff.get("/?format=json").get_data(as_text=True))
    assert {hit["doc_id"]: hit["differs_from_draft"] for hit in every["hits"]}[LETTER] is None


def test_anonymous_visitors_get_a_clear_400_whatever_the_documents(visitor):
    form = visitor.get("/").get_data(as_text=True)
    assert "f-differs" not in form and "bozza approvata" not in form
    for query in ("differs=1", "differs=1&q=accordo", "differs=1&format=json", "differs=1&format=csv",
                  "differs=0", "differs=1&session=24"):
        response = visitor.get("/?" + query)
        page = response.get_data(as_text=True)
        assert response.status_code == 400 and response.mimetype == "text/html", query
        assert "Il filtro «testo firmato diverso dalla bozza» è riservato al personale: accedi per usarlo" in page
        assert 'class="hit-title"' not in page and "TFA-" not in page
    # an empty value is no filter, as for any other parameter
    assert visitor.get("/?differs=").status_code == 200
    # nor can the query name the index's field
    for client_query in ("differs:yes", "differs:no AND accordo"):
        response = visitor.get("/?q=" + client_query)
        assert response.status_code == 400 and "Campo sconosciuto nella ricerca" in response.get_data(as_text=True)
    assert "доступен только сотрудникам" in russian(visitor).get("/?differs=1").get_data(as_text=True)


def test_anonymous_downloads_never_carry_the_comparison_state(visitor):
    data = json.loads(visitor.get("/?format=json").get_data(as_text=True))
    assert sorted(ADDRESSES[file["doc_id"]] for hit in data["hits"] for file in hit["files"]) == [
        SAME, WORD, MOU, LETTER]                                                              # public ids
    assert all("differs_from_draft" not in hit and all("differs_from_draft" not in file for file in hit["files"])
               for hit in data["hits"])
    page = visitor.get("/?q=consenso+preventivo").get_data(as_text=True)
    assert "bozza" not in page


# --- the document page and the redline -------------------------------------------------------------------
def draft_line(response) -> str | None:
    match = re.search(r'<dd id="draft-comparison">(.*?)</dd>', response.get_data(as_text=True), re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match[1])).strip() if match else None


@pytest.mark.parametrize("doc_id, italian, russian_line", [
    (SAME, "Corrisponde alla bozza finale v2", "Совпадает с окончательным проектом v2"),
    (WORD, "Differisce dalla bozza finale v2 in 1 paragrafo (1 in italiano) · Vedi le differenze",
     "Отличается от окончательного проекта v2 в 1 абзаце (1 на итальянском) · Показать различия"),
    (BOTH, "Differisce dalla bozza finale v2 in 3 paragrafi (2 in italiano, 1 in russo) · Vedi le differenze",
     "Отличается от окончательного проекта v2 в 3 абзацах (2 на итальянском, 1 на русском) · Показать различия"),
    (MOU, "Corrisponde alla bozza v1 (nessuna versione è finale: confrontato con la più recente)",
     "Совпадает с проектом v1 (окончательной версии нет: сравнение с последней)"),
    (LETTER, "Non confrontato con una bozza", "Не сравнивался с проектом"),
])
def test_the_document_page_says_how_the_signed_text_compares_for_staff(staff, doc_id, italian, russian_line):
    assert draft_line(staff.get(f"/doc/{doc_id}", follow_redirects=True)) == italian    # staff may use TFA-…
    assert draft_line(russian(staff).get(f"/doc/{address(doc_id)}")) == russian_line


@pytest.mark.parametrize("doc_id", [SAME, WORD, MOU, LETTER])
def test_visitors_see_no_line_and_no_link(visitor, doc_id):
    response = visitor.get(f"/doc/{address(doc_id)}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="draft-comparison"' not in page and "/diff" not in page and "bozza" not in page.lower()


def test_the_redline_page_for_staff_shows_each_language_separately(staff):
    response = staff.get(f"/doc/{BOTH}/diff")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Differisce dalla bozza finale v2 in 3 paragrafi (2 in italiano, 1 in russo)" in page
    italian = page.split('id="diff-it"')[1].split('id="diff-ru"')[0]
    russian_part = page.split('id="diff-ru"')[1]
    assert "<del>" in italian and re.search(r"consenso <del>.*?scritto</del> <ins>.*?preventivo</ins>", italian)
    assert "organizzare visite reciproche" in italian
    assert "<ins>Стороны назначают координаторов" in russian_part and "<del>" not in russian_part
    assert 'lang="it"' in italian and 'lang="ru"' in russian_part
    # the search the document was opened from travels on, there and back
    both = address(BOTH)
    back = staff.get(f"/doc/{both}?back=differs%3D1%26q%3Daccordo").get_data(as_text=True)
    assert f'href="/doc/{both}/diff?back=differs%3D1%26q%3Daccordo" id="draft-diff"' in back
    there = staff.get(f"/doc/{both}/diff?back=differs%3D1%26q%3Daccordo").get_data(as_text=True)
    assert f'href="/doc/{both}?back=differs%3D1%26q%3Daccordo" id="back"' in there
    same = staff.get(f"/doc/{SAME}/diff").get_data(as_text=True)
    assert "Nessuna differenza nel testo." in same
    assert "Различий в тексте нет." in russian(staff).get(f"/doc/{SAME}/diff").get_data(as_text=True)


def test_the_redline_page_is_the_same_as_archive_diff(staff, home):
    printed = run(home, "archive", "diff", WORD).stdout.splitlines()
    old = [part for line in printed if line.startswith("~ ") for part in re.findall(r"\[-(.*?)-\]", line)]
    new = [part for line in printed if line.startswith("~ ") for part in re.findall(r"\{\+(.*?)\+\}", line)]
    old += [line[2:] for line in printed if line.startswith("- ")]
    new += [line[2:] for line in printed if line.startswith("+ ")]
    assert old == ["scritto"] and new == ["preventivo"]
    page = staff.get(f"/doc/{WORD}/diff").get_data(as_text=True)
    import html

    hidden = r'<span class="visually-hidden">[^<]*</span>'
    assert [html.unescape(re.sub(hidden, "", t)) for t in re.findall(r"<del>(.*?)</del>", page, re.S)] == old
    assert [html.unescape(re.sub(hidden, "", t)) for t in re.findall(r"<ins>(.*?)</ins>", page, re.S)] == new


def test_the_redline_address_is_404_for_visitors_exactly_like_a_missing_document(visitor, staff):
    def answer(doc_id):       # the page names its own address (the sign-in link's next=): the id set aside
        path = f"/doc/{doc_id}/diff"
        response = visitor.get(path)
        body = response.get_data(as_text=True).replace(quote(path, safe=""), "<PATH>").replace(path, "<PATH>")
        return response.status_code, body

    missing = answer("TFA-000099")
    assert missing[0] == 404
    for doc_id in IDS + ["1", "tfa-000002"] + [address(doc_id) for doc_id in IDS]:
        assert answer(doc_id) == missing, doc_id
    assert staff.get("/doc/TFA-000099/diff").status_code == 404
    assert staff.get(f"/doc/{LETTER}/diff").status_code == 404          # nothing compared
    assert staff.get(f"/doc/{ADDED}/diff").status_code == 200            # restricted: staff see it


# --- archive compare: recording a new comparison, archive diff staying read-only ----------------------------
@pytest.fixture
def newer_final(home, tmp_path):
    """A copy of the archive whose drafts register has a newer final version, v3, of the agreement (the same
    text as v2): what the recorded comparisons name (v2) is no longer the newest final version."""
    copy = tmp_path / "ws"
    shutil.copytree(home, copy, symlinks=True)
    from tests.test_comparison import EXAMPLE

    assert run(copy, "draft", "agreement", 25, EXAMPLE, "--final").exit_code == 0
    return copy


def shown(home, doc_id) -> dict:
    return json.loads(run(home, "archive", "show", doc_id, "--json").stdout)


def test_archive_diff_compares_again_but_writes_nothing(newer_final):
    before = shown(newer_final, WORD)
    log = (newer_final / "archive" / "events.jsonl").read_bytes() if (newer_final / "archive" / "events.jsonl").exists() else None
    diff = run(newer_final, "archive", "diff", WORD)
    assert diff.exit_code == 0 and diff.stdout.startswith("TF25-AGR-001: final draft v3 → signed text")
    after = shown(newer_final, WORD)
    assert after["revision"] == before["revision"] == 1 and after["draft"] == "differs from final draft v2 in 1 paragraph"
    assert after["events"] == before["events"]
    if log is not None:
        assert (newer_final / "archive" / "events.jsonl").read_bytes() == log


def test_archive_compare_records_the_new_comparison_as_a_revision_and_an_event(newer_final):
    warnings_at_ingest = shown(newer_final, WORD)["warnings"]
    result = run(newer_final, "archive", "compare", WORD)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "TFA-000002: differs from final draft v3 in 1 paragraph (was: differs from final draft v2 in 1 paragraph); "
        "revision 2 written"]
    after = shown(newer_final, WORD)
    assert after["revision"] == 2 and after["draft"] == "differs from final draft v3 in 1 paragraph"
    assert after["draft_comparison"]["version"] == 3 and after["warnings"] == warnings_at_ingest
    types = [event["type"] for event in after["events"]]
    assert types[-2:] == ["metadata modification", "draft comparison"]
    assert after["events"][-1]["outcome"] == "failure" and after["events"][-1]["detail"].startswith(
        "TF25-AGR-001: differs from final draft v3 in 1 paragraph (newest final version; text layer)")
    # the index follows (a new revision), the fixity check knows the new sidecar
    assert run(newer_final, "index", "status").exit_code == 0
    assert found(newer_final, "", "--differs-from-draft") == [WORD, BOTH]
    assert run(newer_final, "archive", "verify").exit_code == 0
    # again: the same result, no new revision, but the comparison is logged
    again = run(newer_final, "archive", "compare", WORD, "--json")
    data = json.loads(again.stdout)
    assert again.exit_code == 0 and data["revision"] == 2 and data["changed"] is False
    assert data["draft"] == "differs from final draft v3 in 1 paragraph" and data["was"] == data["draft"]
    assert [e["type"] for e in shown(newer_final, WORD)["events"]][-3:] == [
        "metadata modification", "draft comparison", "draft comparison"]
    assert run(newer_final, "archive", "compare", SAME).stdout == (
        "TFA-000001: matches final draft v3 (was: matches final draft v2); revision 2 written\n")


def test_archive_compare_refuses_what_cannot_be_compared(home, tmp_path):
    copy = tmp_path / "ws"
    shutil.copytree(home, copy, symlinks=True)
    result = run(copy, "archive", "compare", LETTER)
    assert result.exit_code == 1 and result.stderr == (
        "Error: TFA-000006 has no reference code: it cannot be compared with a draft (give one with 'taskforce "
        "archive edit TFA-000006 --ref REF')\n")
    assert run(copy, "archive", "edit", LETTER, "--ref", "TF25-AGR-077").exit_code == 0
    unknown = run(copy, "archive", "compare", LETTER)
    assert unknown.exit_code == 1 and unknown.stderr == (
        "Error: TF25-AGR-077 is not in the drafts register: there is no draft to compare with\n")
    assert shown(copy, LETTER)["revision"] == 2 and run(copy, "archive", "compare", "77").exit_code == 1


def test_the_line_names_ocr_tolerance_a_draft_mark_and_russian_plurals(app):
    from pipeline.web.drafts import comparison_line

    def summary(**changes):
        return {"reference": "TF25-AGR-001", "version": 3, "state": "final", "method": "text layer",
                "identical": False, "draft_mark": None,
                "languages": {"it": {"changed": 0, "added": 0, "removed": 0},
                              "ru": {"changed": 21, "added": 0, "removed": 0}}, **changes}

    with app.test_request_context("/"):
        assert comparison_line(summary(identical=True, method="OCR (similarity ≥ 0.90)", state="draft",
                                       languages={})) == (
            "Corrisponde alla bozza v3 (entro la tolleranza dell'OCR) (nessuna versione è finale: confrontato "
            "con la più recente)")
        assert comparison_line(summary(draft_mark="BOZZA / ПРОЕКТ")) == (
            "Differisce dalla bozza finale v3 in 21 paragrafi (21 in russo); il PDF porta ancora il segno di "
            "bozza «BOZZA / ПРОЕКТ»")
    with app.test_request_context("/"):
        from flask import session

        session["ui"] = "ru"
        assert comparison_line(summary()) == "Отличается от окончательного проекта v3 в 21 абзаце (21 на русском)"
        lines = {n: comparison_line(summary(languages={"it": {"changed": n}})) for n in (2, 5, 11, 12, 31)}
        assert [line.split(" в ")[1].split(" (")[0] for line in lines.values()] == [
            "2 абзацах", "5 абзацах", "11 абзацах", "12 абзацах", "31 абзаце"]


def test_the_redline_page_says_when_the_draft_cannot_be_read(home, tmp_path):
    copy = tmp_path / "ws"
    shutil.copytree(home, copy, symlinks=True)
    (copy / "drafts" / "TF25-AGR-001" / "TF25-AGR-001-v2.docx").unlink()
    client = create_app(Workspace.at(copy)).test_client()
    client.post("/login", data={"name": "anna", "password": PASSWORD, "csrf": csrf_of(client)})
    response = client.get(f"/doc/{WORD}/diff")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="diff-unavailable"' in page
    assert "Il confronto non si può rifare ora: la bozza non si legge più." in page
    assert "Differisce dalla bozza finale v2 in 1 paragrafo (1 in italiano)" in page


def test_archive_show_prints_the_comparison_as_lines_a_person_reads(home):
    """It printed the counts as Python dicts ("{'added': 0, 'changed': 1, ...} / {...}") and a bare
    `draft_mark` key (issue 21)."""
    shown = run(home, "archive", "show", BOTH).stdout
    block = shown[shown.index("draft_comparison:"):shown.index("\nfile ")].splitlines()
    assert block == [
        "draft_comparison:",
        "  reference           TF25-AGR-001",
        "  version             v2 (final; newest final version)",
        "  method              text layer",
        "  identical           no",
        "  Italian paragraphs  1 changed, 1 removed",
        "  Russian paragraphs  1 added",
        "  draft mark          none"]
    assert "{" not in shown
    assert "draft             differs from final draft v2 in 3 paragraphs" in shown.splitlines()
    letter = run(home, "archive", "show", LETTER).stdout.splitlines()
    assert "draft_comparison  not compared" in letter and "draft             not compared with a draft" in letter
    # --json keeps the sidecar's fields as they are
    data = json.loads(run(home, "archive", "show", BOTH, "--json").stdout)
    assert data["draft_comparison"]["draft_mark"] is None
    assert data["draft_comparison"]["languages"]["it"] == {"changed": 1, "added": 0, "removed": 1}


def test_the_redline_page_escapes_the_changed_words(app, home):
    """A changed word is text, never markup: <del>/<ins> are the page's own, what they hold is escaped."""
    from flask import render_template

    from pipeline.archive.store import Archive
    from pipeline.archive.document import Document
    from pipeline.compare.comparison import compare_texts

    draft = {"it": ["Accordo", "Il prezzo è <b>5</b> euro & IVA."], "ru": ["Соглашение", "Цена 5 евро."]}
    result = compare_texts(["Accordo\nIl prezzo è <script>6</script> euro & IVA.\nСоглашение\nЦена 5 евро."], draft)
    assert not result.identical
    record = Archive(Workspace.at(home)).record(WORD)
    with app.test_request_context(f"/doc/{WORD}/diff"):
        page = render_template("diff.html", doc=Document.from_record(record), line="", result=result, back="",
                               languages=[("it", result.languages["it"])])
    assert "<script>" not in page and "&lt;script&gt;6&lt;/script&gt;</ins>" in page
    assert "&lt;b&gt;5&lt;/b&gt;</del>" in page and "euro &amp; IVA." in page
