"""The demo at a small size, end to end: drafts, PDFs, signatures, a scan, ingest, index, searches."""
import json

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.demo.corpus import ONE_LANGUAGE_LETTERS
from pipeline.demo.build import english_romanisation
from tests.conftest import require_tool

pytestmark = pytest.mark.slow   # builds a real demo workspace (LibreOffice, OCR): not in make test-fast


def invoke(home, *args):
    return CliRunner().invoke(cli, ["--home", str(home), *map(str, args)])


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory):
    for tool in ("pdftoppm", "tesseract"):
        require_tool(tool)
    home = tmp_path_factory.mktemp("demo") / "ws"
    result = invoke(home, "demo", "--sessions", 2, "--agreements", 2, "--scans", 1, "--json")
    assert result.exit_code == 0, result.output
    return home, json.loads(result.output)


def test_the_demo_archives_everything_it_drafted(demo_home):
    home, report = demo_home
    assert report["built"] and report["sessions"] == 2 and report["drafts"] == 6
    assert report["ingest"] == {"archived": 6, "duplicate": 0, "rejected": 0}
    assert report["scans"] == 1 and report["signed"] >= 1
    listing = json.loads(invoke(home, "archive", "list", "--json").output)
    assert sorted(d["reference"] for d in listing if d["reference"]) == ["TF1-AGR-001", "TF1-AGR-002", "TF1-PROT",
                                                                         "TF2-AGR-001", "TF2-AGR-002", "TF2-PROT"]
    letters = [d for d in listing if not d["reference"]]        # the one-language letters (issue 25)
    assert report["letters"] == 4 and sorted(tuple(d["languages"]) for d in letters) == [("it",), ("it",),
                                                                                        ("ru",), ("ru",)]
    assert {d["text_source"] for d in listing} == {"text", "ocr"}
    assert any(d["signatures"] for d in listing)
    # metadata came from the drafts register through the reference printed in each PDF
    agreement = next(d for d in listing if d["reference"] == "TF1-AGR-001")
    assert agreement["title"].startswith("Accordo di cooperazione tra ") and len(agreement["parties"]) >= 2


def test_an_italian_query_finds_the_demos_russian_only_letter(demo_home):
    home, _ = demo_home
    hits = json.loads(invoke(home, "search", "cooperazione", "--type", "letter", "--json").output)["hits"]
    russian = [hit for hit in hits if hit["title"] in {title for lang, title, _ in ONE_LANGUAGE_LETTERS
                                                       if lang == "ru"}]
    assert russian and all(hit["found_as"]["lang"] == "ru" for hit in russian)


def test_the_demo_plants_a_changed_clause_and_a_draft_pdf_and_the_archive_notices(demo_home):
    home, report = demo_home
    changed, draft_pdf = report["comparison"]["changed_clause"], report["comparison"]["draft_pdf"]
    assert changed["draft"] == "differs from final draft v1 in 1 paragraph"
    assert draft_pdf["reference"].endswith("-PROT") and draft_pdf["draft"].startswith("matches final draft v1")
    assert any("draft mark 'BOZZA / ПРОЕКТ'" in warning for warning in draft_pdf["warnings"])
    differing = json.loads(invoke(home, "archive", "list", "--differs", "--json").output)
    assert [d["doc_id"] for d in differing] == [changed["doc_id"]]
    redline = invoke(home, "archive", "diff", changed["doc_id"]).output.splitlines()
    assert any(line.startswith("~ Il presente Accordo") and "{+10 (dieci)" in line and "[-" in line
               for line in redline)


def test_the_demo_archive_verifies_clean_and_the_index_is_consistent(demo_home):
    home, _ = demo_home
    verify = invoke(home, "archive", "verify", "--json")
    assert verify.exit_code == 0 and json.loads(verify.output)["findings"] == []
    status = invoke(home, "index", "status", "--json")
    assert status.exit_code == 0 and json.loads(status.output)["documents"] == 10      # 6 drafted and signed, 4 one-language letters


def test_the_example_searches_find_what_they_should(demo_home):
    _, report = demo_home
    results = {s["arguments"]["query"] or "filtered": s["result"] for s in report["searches"]}
    public = 6 - report["restricted"]
    assert results["accordi cooperazione"]["total"] == public        # every agreement, and the protocols' annex
    assert results["соглашения"]["total"] == public
    name = next(q for q in results if q not in ("accordi cooperazione", "соглашения", "filtered"))
    assert results[name]["total"] >= 1 and all(h["session"] == 2 for h in results[name]["hits"])
    filtered = results["filtered"]
    assert {h["type"] for h in filtered["hits"]} == {"agreement"} and filtered["facets"]["country"] == {
        "RU": filtered["total"]}


def test_running_again_only_repeats_the_searches(demo_home):
    home, _ = demo_home
    result = invoke(home, "demo", "--sessions", 2, "--agreements", 2, "--scans", 1)
    assert result.exit_code == 0
    assert "The demo workspace is already built; running the example searches again." in result.output
    assert json.loads(invoke(home, "archive", "list", "--json").output).__len__() == 10


def test_the_demo_refuses_a_real_archive(tmp_path):
    home = tmp_path / "real"
    (home / "archive" / "TFA-000001").mkdir(parents=True)
    result = invoke(home, "demo", "--sessions", 1, "--agreements", 0, "--scans", 0)
    assert result.exit_code == 1
    assert "already holds an archive that the demo did not make" in result.output
    assert not (home / "drafts").exists()


def test_english_romanisation_differs_from_the_italian_one():
    assert english_romanisation("Нижний Новгород") == "Nizhniy Novgorod"
    assert english_romanisation("Ульяновск") == "Ulyanovsk"


def test_without_libreoffice_and_tesseract_the_demo_still_runs(tmp_path, monkeypatch):
    """A fresh machine with Python only: PDFs from the drafts' text with reportlab, and no scans."""
    import shutil

    from pipeline.demo import build as demo
    from pipeline.workspace import Workspace

    real_which = shutil.which
    monkeypatch.setattr(demo.shutil, "which", lambda name: None if name in (
        "soffice", "libreoffice", "tesseract", "pdftoppm") else real_which(name))
    said = []
    result = demo.build_demo(Workspace.at(tmp_path / "ws"), demo.DemoOptions(sessions=1, agreements=1, scans=1),
                             say=said.append)
    assert result["ingest"] == {"archived": 2, "duplicate": 0, "rejected": 0} and result["scans"] == 0
    assert any("LibreOffice is not installed" in line for line in said)
    assert any("tesseract not installed: no paper scans" in line for line in said)
    assert result["searches"][0]["result"]["total"] == 2


def test_running_again_with_other_options_says_they_are_ignored(demo_home):
    home, _ = demo_home
    result = CliRunner().invoke(cli, ["--home", str(home), "demo", "--sessions", "3"])
    assert result.exit_code == 0
    assert "--sessions ignored" in result.output and "already built (2 sessions, 10 documents)" in result.output
    assert "remove that folder or choose another --home" in result.output
    plain = CliRunner().invoke(cli, ["--home", str(home), "demo", "--json"])
    assert json.loads(plain.output)["ignored_options"] == []
    assert json.loads(CliRunner().invoke(cli, ["--home", str(home), "demo", "--seed", "2", "--scans", "0",
                                               "--json"]).output)["ignored_options"] == ["--seed", "--scans"]


def test_the_summary_marks_what_it_cuts():
    from pipeline.cli.demo import cut, facet_line

    assert cut("short", 70) == "short"
    long = "Accordo di cooperazione tra " + "Impresa S.p.A. e " * 10
    assert cut(long, 70).endswith("…") and len(cut(long, 70)) <= 70
    counts = {f"value {n}": 20 - n for n in range(11)}
    line = facet_line("party", counts)
    assert "value 7 (13)" in line and "value 8" not in line and line.endswith("… and 3 more")
    assert facet_line("type", {"agreement": 4}) == "  type: agreement (4)"


def test_the_printed_suggestions_run_as_printed(demo_home, tmp_path):
    """The demo's last line and its example searches are commands a newcomer can paste: run them through a
    shell from the same folder, with the script as `make demo` calls it (.venv/bin/taskforce, not on PATH)."""
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    home, _ = demo_home
    script = Path(sys.executable).with_name("taskforce")
    if not script.exists():
        pytest.skip("the taskforce script is not installed next to this Python")
    folder = tmp_path / "repo"
    (folder / "venv-bin").mkdir(parents=True)
    shutil.copy(script, folder / "venv-bin" / "taskforce")
    env = {**os.environ, "PATH": "/usr/bin:/bin"}
    ran = subprocess.run(["venv-bin/taskforce", "--home", str(home), "demo"], cwd=folder, env=env,
                         capture_output=True, text=True, timeout=300)
    assert ran.returncode == 0, ran.stderr
    lines = ran.stdout.splitlines()
    suggestion = lines[-1].split(": ", 1)[1]
    assert lines[-1].startswith("Try") and suggestion.startswith("venv-bin/taskforce --home ")
    examples = [line.strip().rsplit(": ", 1)[0] for line in lines if line.startswith("  venv-bin/taskforce")]
    assert len(examples) == 4
    for command in [suggestion] + examples:
        result = subprocess.run(command, shell=True, cwd=folder, env=env, capture_output=True, text=True,
                                timeout=120)
        assert result.returncode == 0, (command, result.stderr)
        assert result.stdout.strip(), command


def test_a_demo_whose_first_born_digital_document_is_a_memorandum_still_plants_the_changed_clause(tmp_path):
    # with 4 sessions the first born-digital original after the Protocol is a memorandum, whose template has no
    # duration clause: the changed clause must go into an agreement (the demo stopped on StopIteration)
    result = invoke(tmp_path / "ws", "demo", "--sessions", 4, "--agreements", 6, "--scans", 0, "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)["comparison"]
    assert found["changed_clause"]["reference"].startswith("TF1-AGR-")
    assert found["changed_clause"]["draft"] == "differs from final draft v1 in 1 paragraph"
