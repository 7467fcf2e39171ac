"""Issue 13: what the archive must not get wrong at ingest and in its command line.

Item 1 (critical): the confidentiality of a draft reaches the archive through its register entry, so that a
restricted agreement rendered to PDF and ingested without --confidentiality stays restricted (and hidden from
anonymous search). Item 18 and part of 14: an empty batch, an unregistered session, an edit without changes
and a missing manifest are told to the user, not passed over."""
import json
import shutil

import pytest
import yaml
from click.testing import CliRunner

from pipeline.cli import cli
from tests.conftest import REPO, SAMPLE_SESSION, require_tool

EXAMPLE = REPO / "templates" / "agreement-example.yaml"


def invoke(home, *args):
    return CliRunner().invoke(cli, ["--home", str(home), *map(str, args)])


@pytest.fixture(scope="module")
def restricted_draft(tmp_path_factory):
    """A workspace with a restricted agreement drafted and rendered to PDF (--final --pdf), nothing archived."""
    require_tool("soffice")
    root = tmp_path_factory.mktemp("restricted")
    home = root / "ws"
    assert invoke(home, "init", "--sample").exit_code == 0
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["confidentiality"] = "restricted"
    source = root / "restricted.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = invoke(home, "draft", "agreement", 25, source, "--final", "--pdf", "--json")
    assert result.exit_code == 0, result.output
    entry = json.loads(result.stdout)
    return home, entry


@pytest.fixture
def drafted(restricted_draft, tmp_path):
    """A fresh copy of the restricted_draft workspace: (home, the PDF, the register entry)."""
    home, entry = restricted_draft
    copy = tmp_path / "ws"
    shutil.copytree(home, copy)
    return copy, copy / entry["pdf"], entry


def search_references(home, *options) -> list[str]:
    result = invoke(home, "search", "", "--json", *options)
    assert result.exit_code == 0, result.output
    return [hit["reference"] for hit in json.loads(result.stdout)["hits"]]


def test_a_restricted_draft_stays_restricted_when_its_pdf_is_ingested_without_a_level(drafted, score):
    home, pdf, entry = drafted
    result = invoke(home, "ingest", pdf)
    assert result.exit_code == 0, result.output
    shown = json.loads(invoke(home, "archive", "show", "1", "--json").stdout)
    assert shown["reference"] == entry["reference"]
    assert shown["confidentiality"] == "restricted"
    assert shown["metadata_sources"]["confidentiality"].startswith("drafts register")
    assert entry["reference"] not in search_references(home)
    assert entry["reference"] in search_references(home, "--include-restricted")
    score("conf-sources")


def test_a_manifest_saying_public_does_not_lower_a_restricted_draft(drafted, tmp_path, score):
    home, pdf, entry = drafted
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(f"file,confidentiality\n{pdf},public\n", encoding="utf-8")
    assert invoke(home, "ingest", "--manifest", manifest).exit_code == 0
    shown = json.loads(invoke(home, "archive", "show", "1", "--json").stdout)
    assert shown["confidentiality"] == "restricted"
    assert shown["metadata_sources"]["confidentiality"] == (
        f"drafts register ({entry['reference']} v1), more restrictive than public from the manifest")
    assert entry["reference"] not in search_references(home)
    score("conf-sources")


def test_an_explicit_option_lowers_the_level_and_the_event_log_says_so(drafted, score):
    home, pdf, entry = drafted
    assert invoke(home, "ingest", pdf, "--confidentiality", "public").exit_code == 0
    shown = json.loads(invoke(home, "archive", "show", "1", "--json").stdout)
    assert (shown["confidentiality"], shown["metadata_sources"]["confidentiality"]) == ("public", "option")
    lowered = [event for event in shown["events"] if event["type"] == "policy assignment"]
    assert [event["detail"] for event in lowered] == [
        f"confidentiality lowered by an explicit option: public given, the drafts register ({entry['reference']} v1) "
        f"says restricted"]
    assert entry["reference"] in search_references(home)
    assert invoke(home, "archive", "verify").exit_code == 0
    score("conf-sources")


def test_an_explicit_option_raising_the_level_logs_nothing_special(drafted):
    home, pdf, _ = drafted
    assert invoke(home, "ingest", pdf, "--confidentiality", "restricted").exit_code == 0
    shown = json.loads(invoke(home, "archive", "show", "1", "--json").stdout)
    assert (shown["confidentiality"], shown["metadata_sources"]["confidentiality"]) == ("restricted", "option")
    assert "policy assignment" not in [event["type"] for event in shown["events"]]


# --- issue 13, item 18 and part of 14 ---------------------------------------------------------------------

def test_an_empty_folder_is_an_error_not_zero_archived(run, tmp_path):
    empty = tmp_path / "incoming"
    empty.mkdir()
    result = run("ingest", empty, "--session", 25, "--type", "agreement")
    assert result.exit_code == 1
    assert result.stderr == f"Error: no PDF files found in {empty}\n"
    assert "0 archived" not in result.output


def test_a_session_not_in_the_registry_is_archived_with_a_warning(run, tmp_path):
    from pipeline.demo.pdfmake import text_to_pdf

    pdf = text_to_pdf(tmp_path / "lettera.pdf", ["Lettera di intenti della sessione novantanove."], title="Lettera")
    result = run("ingest", pdf, "--session", 99, "--type", "letter")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"archived  TFA-000001  {pdf}  (session 99, letter")
    assert (f"Warning: TFA-000001 ({pdf}) is archived under session 99, which is not in the sessions "
            f"registry") in result.stderr
    registered = run("ingest", text_to_pdf(tmp_path / "b.pdf", ["Accordo della sessione venticinque."], title="B"),
                     "--session", 25, "--type", "agreement", "--json")
    assert registered.exit_code == 0 and json.loads(registered.stdout)["warnings"] == []


def test_archive_edit_without_an_option_is_a_usage_error(run, tmp_path):
    from pipeline.demo.pdfmake import text_to_pdf

    pdf = text_to_pdf(tmp_path / "a.pdf", ["Accordo di prova."], title="A")
    assert run("ingest", pdf, "--session", 25, "--type", "agreement").exit_code == 0
    result = run("archive", "edit", "1")
    assert result.exit_code == 2
    assert "Error: nothing to change: give at least one of --title" in result.stderr
    assert json.loads(run("archive", "show", "1", "--json").stdout)["revisions"] == [1]


def test_a_missing_manifest_is_a_usage_error(run, tmp_path):
    result = run("ingest", "--manifest", tmp_path / "missing.csv")
    assert result.exit_code == 2
    assert "Invalid value for '--manifest'" in result.stderr and "missing.csv" in result.stderr


def test_sample_session_is_registered():   # the warning test relies on session 25 being the sample
    assert yaml.safe_load(SAMPLE_SESSION.read_text(encoding="utf-8"))["number"] == 25


# --- the rule, and the register line it reads ---------------------------------------------------------------

@pytest.mark.parametrize("offered, expected", [
    ([], ("public", None)),
    ([("internal", "manifest")], ("internal", "manifest")),
    ([("restricted", "drafts register (TF25-AGR-001 v2)")], ("restricted", "drafts register (TF25-AGR-001 v2)")),
    ([("public", "manifest"), ("internal", "drafts register")],
     ("internal", "drafts register, more restrictive than public from the manifest")),
    ([("restricted", "manifest"), ("internal", "drafts register")],
     ("restricted", "manifest, more restrictive than internal from the drafts register")),
    ([("internal", "option"), ("restricted", "manifest")], ("internal", "option")),
    ([("restricted", "option"), ("public", "drafts register")], ("restricted", "option")),
])
def test_the_most_restrictive_source_wins_unless_the_option_is_explicit(offered, expected):
    from pipeline.archive.metadata import resolve_confidentiality

    level, source, notes = resolve_confidentiality(offered)
    assert (level, source) == expected
    lowered = any(source == "option" and other[0] != level and
                  ["public", "internal", "restricted"].index(other[0]) > ["public", "internal", "restricted"].index(level)
                  for other in offered)
    assert [event_type for event_type, _ in notes] == (["policy assignment"] if lowered else [])


def test_a_register_line_reads_as_a_draft_entry_and_keeps_unknown_keys():
    from pipeline.drafting.register import DraftEntry

    line = {"reference": "TF25-AGR-001", "session": 25, "kind": "agreement", "title": "Accordo", "version": 2,
            "state": "final", "file": "drafts/TF25-AGR-001/TF25-AGR-001-v2.docx", "sha256": "0" * 64,
            "created_at": "2025-01-01T00:00:00+00:00", "parties": ["A / А"], "sectors": [], "subject": "s",
            "order": "it-ru", "confidentiality": "restricted", "forms_ru": {"title": "Соглашение"}}
    entry = DraftEntry.from_dict(line)
    assert (entry.confidentiality, entry.version, entry.extra) == ("restricted", 2, {"forms_ru": {"title": "Соглашение"}})
    assert {key: value for key, value in entry.as_dict().items() if key in line} == line
    protocol = DraftEntry.from_dict({key: value for key, value in line.items() if key != "confidentiality"})
    assert protocol.confidentiality is None
    with pytest.raises(ValueError, match="lacks version"):
        DraftEntry.from_dict({key: value for key, value in line.items() if key != "version"})


def test_fixity_findings_are_typed_and_rendered_with_their_kind(run, tmp_path):
    from pipeline.archive.fixity import ChecksumMismatch, FileMissing, UnexpectedFile
    from pipeline.demo.pdfmake import text_to_pdf
    from pipeline.usecases import verify
    from pipeline.workspace import Workspace

    for name in ("a", "b"):
        pdf = text_to_pdf(tmp_path / f"{name}.pdf", [f"Accordo di prova {name}."], title=name)
        assert run("ingest", pdf, "--session", 25, "--type", "agreement").exit_code == 0
    home = Workspace.at(tmp_path / "ws")
    page = home.archive / "TFA-000001" / "text" / "page-0001.txt"
    page.write_text("altered", encoding="utf-8")
    (home.archive / "TFA-000002" / "text" / "page-0001.txt").unlink()
    (home.archive / "TFA-000002" / "stray.txt").write_text("x", encoding="utf-8")
    report = verify(home)
    assert {(type(f), f.where) for f in report.findings} == {
        (ChecksumMismatch, "TFA-000001/text/page-0001.txt"), (FileMissing, "TFA-000002/text/page-0001.txt"),
        (UnexpectedFile, "TFA-000002/stray.txt")}
    shown = json.loads(run("archive", "verify", "--json").stdout)["findings"]
    assert {(f["kind"], f["where"]) for f in shown} == {
        ("checksum_mismatch", "TFA-000001/text/page-0001.txt"), ("file_missing", "TFA-000002/text/page-0001.txt"),
        ("unexpected_file", "TFA-000002/stray.txt")}
    text = run("archive", "verify")
    assert text.exit_code == 1 and "TFA-000002/text/page-0001.txt: missing: the log recorded it" in text.stdout


# --- the use case behind `taskforce ingest` -----------------------------------------------------------------

def test_the_ingest_use_case_reports_a_failed_index_update_and_keeps_the_archive_entry(workspace, tmp_path,
                                                                                      monkeypatch):
    from pipeline import usecases
    from pipeline.archive.metadata import Given
    from pipeline.archive.store import Archive
    from pipeline.demo.pdfmake import text_to_pdf
    from pipeline import index
    from pipeline.workspace import Workspace

    def broken(ws, doc_ids, drafts=None):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(index, "update_documents", broken)
    pdf = text_to_pdf(tmp_path / "a.pdf", ["Accordo di prova."], title="A")
    seen = []
    report = usecases.ingest(Workspace.at(workspace), [pdf], Given(session=25, type="agreement"),
                             on_each=lambda outcome, done, total: seen.append((outcome.outcome, done, total)))
    assert seen == [("archived", 1, 1)]
    assert report.summary == {"archived": 1, "duplicate": 0, "rejected": 0} and report.archived_ids == ["TFA-000001"]
    assert report.index_error == ("archived, but the search index was not updated (No space left on device); "
                                  "run 'taskforce index rebuild'")
    assert [record.doc_id for record in Archive(Workspace.at(workspace)).records()[0]] == ["TFA-000001"]
