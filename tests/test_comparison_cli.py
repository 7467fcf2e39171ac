"""The comparison through the command line: ingest records it (sidecar, event, warnings on the ingest
line), archive show / diff / list --differs read it. Real LibreOffice PDFs of real drafts."""
import json

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from tests.conftest import REPO, require_tool
from tests.test_comparison import REFERENCE, edited_docx

EXAMPLE = REPO / "templates" / "agreement-example.yaml"


def no_crash(result):
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


@pytest.fixture(scope="module")
def archived(tmp_path_factory):
    """v1 (draft) and v2 (final) of the example agreement with their PDFs; ingested: the final PDF, the
    draft PDF (by mistake) and a PDF whose signed text changed one word of a clause."""
    require_tool("soffice")
    from pipeline.drafting.docx import convert_many_to_pdf

    root = tmp_path_factory.mktemp("compare-cli")
    home = root / "ws"

    def run(*args):
        result = CliRunner().invoke(cli, ["--home", str(home), *map(str, args)])
        no_crash(result)
        return result

    assert run("init", "--sample").exit_code == 0
    assert run("draft", "agreement", 25, EXAMPLE, "--pdf").exit_code == 0
    assert run("draft", "agreement", 25, EXAMPLE, "--final", "--pdf").exit_code == 0
    folder = home / "drafts" / REFERENCE
    changed = convert_many_to_pdf([edited_docx(folder / f"{REFERENCE}-v2.docx", root / "changed.docx", "word")],
                                  root / "pdf")[0]
    ingested = run("ingest", folder / f"{REFERENCE}-v2.pdf", folder / f"{REFERENCE}-v1.pdf", changed)
    return run, ingested


@pytest.mark.slow
def test_ingest_compares_each_signed_pdf_with_its_draft_and_says_so(archived):
    run, ingested = archived
    assert ingested.exit_code == 0, ingested.output + ingested.stderr
    lines = ingested.stdout.splitlines()
    assert lines[0].startswith("archived  TFA-000001") and lines[0].endswith("; matches final draft v2)")
    assert lines[1].startswith("archived  TFA-000002") and lines[1].endswith("; matches final draft v2)")
    assert lines[2].startswith("archived  TFA-000003") and lines[2].endswith("; differs from final draft v2 in 1 paragraph)")
    assert ("Warning: the PDF still carries the draft mark 'BOZZA / ПРОЕКТ': a draft archived as if it were signed?"
            in ingested.stderr.splitlines())
    shown = json.loads(run("archive", "show", "3", "--json").stdout)
    assert shown["draft"] == "differs from final draft v2 in 1 paragraph"
    assert shown["draft_comparison"] == {
        "reference": REFERENCE, "version": 2, "state": "final", "version_choice": "newest final version",
        "method": "text layer", "identical": False, "draft_mark": None,
        "languages": {"it": {"changed": 1, "added": 0, "removed": 0}, "ru": {"changed": 0, "added": 0, "removed": 0}}}
    events = [e for e in shown["events"] if e["type"] == "draft comparison"]
    assert [e["outcome"] for e in events] == ["failure"]
    assert events[0]["detail"].startswith("TF25-AGR-001: differs from final draft v2 in 1 paragraph (newest final "
                                          "version; text layer); it: 1 changed, 0 added, 0 removed")
    draft_pdf = json.loads(run("archive", "show", "2", "--json").stdout)
    assert draft_pdf["warnings"][0].startswith("the PDF still carries the draft mark")
    text = run("archive", "show", "1").stdout
    assert "draft             matches final draft v2" in text


@pytest.mark.slow
def test_archive_diff_prints_the_redline_per_language(archived):
    run, _ = archived
    diff = run("archive", "diff", "TFA-000003")
    assert diff.exit_code == 0
    lines = diff.stdout.splitlines()
    assert lines[0] == "TF25-AGR-001: final draft v2 → signed text (text layer)"
    assert lines[1] == "=== italiano" and "=== русский" not in lines
    assert any(line.startswith("~ Le Parti mantengono") and "consenso [-scritto-]{+preventivo+}" in line
               for line in lines)
    same = run("archive", "diff", "1", "--version", "1")
    assert same.stdout.splitlines() == ["TF25-AGR-001: draft v1 → signed text (text layer)", "No differences in the text."]
    as_json = json.loads(run("archive", "diff", "3", "--json").stdout)
    assert as_json["languages"]["it"]["changes"][0]["op"] == "changed" and not as_json["identical"]
    for args, message in [(("archive", "diff", "3", "--version", "9"), "Error: TF25-AGR-001 has no version 9 (versions: 1, 2)"),
                          (("archive", "diff", "77"), "Error: no document 77 in the archive")]:
        result = run(*args)
        assert result.exit_code == 1 and result.stderr.startswith(message)


@pytest.mark.slow
def test_archive_list_differs_lists_what_differs_from_its_approved_text(archived):
    run, _ = archived
    rows = json.loads(run("archive", "list", "--differs", "--json").stdout)
    assert [row["doc_id"] for row in rows] == ["TFA-000003"]
    text = run("archive", "list", "--differs").stdout
    assert "TFA-000003" in text and "differs from final draft v2 in 1 paragraph" in text and "TFA-000001" not in text
    assert len(json.loads(run("archive", "list", "--json").stdout)) == 3
