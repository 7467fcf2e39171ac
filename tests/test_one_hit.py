"""One hit per reference (issue 25 item 3): both originals and any copy of one reference are one hit; totals
and facets count references; the document page lists the files; a hidden copy adds nothing for a visitor."""
import json
import re

import pytest
from click.testing import CliRunner

from conftest import search_workspace, web_address
from pipeline.cli import cli
from pipeline.web import create_app
from pipeline.web.i18n import plural
from pipeline.workspace import Workspace

ORIGINALS = [
    ("it-first.pdf", ["--session", 25, "--type", "agreement", "--title", "Accordo di cooperazione mobili",
                      "--ref", "TF25-AGR-007", "--sector", "Sistema casa", "--signed-on", "2014-11-28"],
     ["Accordo di cooperazione nel settore del mobile. Соглашение о сотрудничестве в области мебели."]),
    ("ru-first.pdf", ["--session", 25, "--type", "agreement", "--title", "Accordo di cooperazione mobili",
                      "--ref", "TF25-AGR-007", "--sector", "Sistema casa", "--signed-on", "2014-11-28"],
     ["Соглашение о сотрудничестве в области мебели. Accordo di cooperazione nel settore del mobile. Copia."]),
    ("other.pdf", ["--session", 25, "--type", "agreement", "--title", "Accordo di cooperazione tessile",
                   "--sector", "Tessile e moda", "--signed-on", "2014-11-28"],
     ["Accordo di cooperazione nel settore tessile."]),
]
HIDDEN_COPY = [
    ("hidden-copy.pdf", ["--session", 25, "--type", "agreement", "--title", "Accordo di cooperazione mobili",
                         "--ref", "TF25-AGR-008", "--sector", "Sistema casa", "--signed-on", "2014-11-28",
                         "--confidentiality", "restricted"],
     ["Accordo di cooperazione nel settore del mobile, copia riservata."]),
    ("public-one.pdf", ["--session", 25, "--type", "agreement", "--title", "Accordo di cooperazione mobili bis",
                        "--ref", "TF25-AGR-008", "--sector", "Sistema casa", "--signed-on", "2014-11-28"],
     ["Accordo di cooperazione nel settore del mobile, originale pubblico."]),
]


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return search_workspace(tmp_path_factory.mktemp("onehit"), ORIGINALS + HIDDEN_COPY)


def search(home, *args):
    result = CliRunner().invoke(cli, ["--home", str(home), "search", *args, "--json"])
    assert result.exception is None, result.output
    return json.loads(result.output)


def test_both_originals_are_one_hit_and_totals_count_references(home):
    data = search(home, "cooperazione", "--include-restricted", "--facets")
    references = [hit["reference"] for hit in data["hits"]]
    assert references.count("TF25-AGR-007") == 1 and references.count("TF25-AGR-008") == 1
    assert data["total"] == 3                       # AGR-007, AGR-008, the tessile one without reference
    both = next(hit for hit in data["hits"] if hit["reference"] == "TF25-AGR-007")
    assert len(both["files"]) == 2 and both["files"][0]["doc_id"] == both["doc_id"]
    assert data["facets"]["sectors"]["Sistema casa"] == 2      # references, not files
    assert data["facets"]["session"]["25"] == 3


def test_a_hidden_copy_adds_nothing_for_the_public(home):
    data = search(home, "cooperazione")           # the command line's default reader: public and internal
    agr8 = next(hit for hit in data["hits"] if hit["reference"] == "TF25-AGR-008")
    assert len(agr8["files"]) == 1
    full = search(home, "cooperazione", "--include-restricted")
    assert len(next(h for h in full["hits"] if h["reference"] == "TF25-AGR-008")["files"]) == 2


def test_an_empty_query_lists_references_and_pages_count_them(home):
    data = search(home, "", "--include-restricted", "--limit", "2")
    assert data["total"] == 3 and data["pages"] == 2
    second = search(home, "", "--include-restricted", "--limit", "2", "--page", "2")
    seen = [h["reference"] or h["doc_id"] for h in data["hits"] + second["hits"]]
    assert len(seen) == len(set(seen)) == 3


def test_the_web_says_two_originals_and_the_document_page_lists_the_files(home):
    client = create_app(Workspace.at(home)).test_client()
    page = client.get("/?q=cooperazione").get_data(as_text=True)
    assert "2 originali" in page and page.count("TF25-AGR-007") == 1
    assert "2 originali" not in re.sub(r"TF25-AGR-007.*?</li>", "", page, flags=re.S)   # AGR-008: 1 public
    first = search(home, "mobile")["hits"][0]
    doc = client.get(f"/doc/{first['public_id']}").get_data(as_text=True)
    assert 'id="files"' in doc
    for f in first["files"]:
        assert f["public_id"] in doc


def test_russian_plurals():
    assert [plural("hit.files", "ru", n) for n in (1, 2, 5, 21, 22, 11, 14)] == [
        "1 оригинал", "2 оригинала", "5 оригиналов", "21 оригинал", "22 оригинала", "11 оригиналов", "14 оригиналов"]
    assert plural("hit.files", "it", 2) == "2 originali" and plural("hit.files", "it", 1) == "1 originale"
