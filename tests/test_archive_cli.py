"""`taskforce ingest` and `taskforce archive ...`: exact output, JSON, exit statuses, errors."""
import json
import shutil

import bagit
import pytest

from pipeline.demo.pdfmake import text_to_pdf
from tests.conftest import assert_no_crash


@pytest.fixture
def batch(tmp_path, pdf_factory):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    shutil.copyfile(pdf_factory.italian(), folder / "a-italiano.pdf")
    shutil.copyfile(pdf_factory.signed(), folder / "sub" / "b-firmato.pdf")
    shutil.copyfile(pdf_factory.not_pdf(), folder / "c-non-pdf.pdf")
    return folder


def test_ingest_a_folder_reports_each_file_and_a_summary(run, batch):
    result = run("ingest", batch)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"archived  TFA-000001  {batch}/a-italiano.pdf  (session 25, agreement, 1 page(s), text: text)",
        f"rejected  {batch}/c-non-pdf.pdf: not a PDF: no %PDF- header in the first 1024 bytes",
        f"archived  TFA-000002  {batch}/sub/b-firmato.pdf  (session 25, agreement, 2 page(s), text: text, "
        f"1 signature(s))",
        "Summary: 2 archived, 0 duplicate(s), 1 rejected",
    ]
    # the test PDFs carry a reference code (TF25-AGR-003) that this workspace's drafts register does not know
    unknown = "Warning: the reference TF25-AGR-003 is unknown to the drafts register: not compared with a draft\n"
    # the two are different files carrying the same reference: the second is archived with a warning (issue 21)
    again = ("Warning: the reference TF25-AGR-003 is already archived as TFA-000001, from another file; if "
             "TFA-000002 replaces it (a corrected or re-signed copy), mark it so with 'taskforce archive supersede "
             "TFA-000001 TFA-000002'; if TFA-000002 is not the same document, correct its reference with "
             "'taskforce archive edit TFA-000002 --ref REF'\n")
    assert result.stderr == (unknown * 2 + again + f"Error: 1 file(s) rejected:\n"
                             f"  {batch}/c-non-pdf.pdf: not a PDF: no %PDF- header in the first 1024 bytes\n")
    again = run("ingest", batch / "a-italiano.pdf")
    assert again.exit_code == 0
    assert again.stdout.splitlines() == [
        f"duplicate {batch}/a-italiano.pdf: identical to TFA-000001, not stored again",
        "Summary: 0 archived, 1 duplicate(s), 0 rejected"]


def test_ingest_json_and_quarantine(run, batch, tmp_path):
    result = run("ingest", batch, "--json", "--quarantine", tmp_path / "q")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["summary"] == {"archived": 2, "duplicate": 0, "rejected": 1}
    rejected = [entry for entry in report["files"] if entry["outcome"] == "rejected"][0]
    assert rejected["quarantined"] == str(tmp_path / "q" / "c-non-pdf.pdf")
    assert (tmp_path / "q" / "c-non-pdf.pdf.reason.txt").is_file()


def test_ingest_options_and_missing_metadata(run, tmp_path):
    path = text_to_pdf(tmp_path / "lettera.pdf", ["Lettera senza codice.\n\nRoma, 3 aprile 2012"])
    result = run("ingest", path)
    assert result.exit_code == 1
    # its type is read from the text (issue 24): only its session is asked for
    assert result.stdout.splitlines()[0] == (
        f"rejected  {path}: session not certain from the text (found: no session; type letter (read from the "
        f"text: «Lettera», confidence 0.9)); confirm or correct it with --session N (or a manifest row)")
    result = run("ingest", path, "--session", 12, "--type", "letter", "--title", "Lettera", "--party", "Uno",
                 "--party", "Due", "--sector", "legno", "--signed-on", "4 aprile 2012", "--lang", "it",
                 "--confidentiality", "internal", "--ref", "TF12-PROT")
    assert result.exit_code == 0, result.output
    shown = json.loads(run("archive", "show", "TFA-000001", "--json").stdout)
    assert {key: shown[key] for key in ("session", "type", "title", "parties", "sectors", "signed_on", "place",
                                        "languages", "confidentiality", "reference")} == {
        "session": 12, "type": "letter", "title": "Lettera", "parties": ["Uno", "Due"], "sectors": ["legno"],
        "signed_on": "2012-04-04", "place": "Roma", "languages": ["it"], "confidentiality": "internal",
        "reference": "TF12-PROT"}


def test_ingest_bad_options_are_usage_errors(run, tmp_path):
    result = run("ingest", tmp_path, "--lang", "fr")
    assert result.exit_code == 2
    assert "Invalid value for '--lang': expected it, ru or it,ru, got 'fr'" in result.stderr
    result = run("ingest", tmp_path, "--signed-on", "ieri")
    assert result.exit_code == 2
    assert "cannot read 'ieri' as a date" in result.stderr
    result = run("ingest")
    assert result.exit_code == 2
    assert "give at least one PATH or --manifest FILE.csv" in result.stderr


def test_ingest_manifest(run, tmp_path, pdf_factory):
    shutil.copyfile(pdf_factory.italian(), tmp_path / "uno.pdf")
    manifest = tmp_path / "elenco.csv"
    manifest.write_text("file,session,type,title,party\n"
                        "uno.pdf,9,protocol,Protocollo IX,Parte A;Parte B\n"
                        "due.pdf,9,protocol,,\n", encoding="utf-8")
    result = run("ingest", "--manifest", manifest, "--confidentiality", "internal")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"archived  TFA-000001  {tmp_path}/uno.pdf  (session 9, protocol, 1 page(s), text: text)",
        f"rejected  {tmp_path}/due.pdf: no such file",
        "Summary: 1 archived, 0 duplicate(s), 1 rejected"]
    shown = json.loads(run("archive", "show", "1", "--json").stdout)
    assert (shown["title"], shown["parties"], shown["confidentiality"]) == ("Protocollo IX", ["Parte A", "Parte B"],
                                                                            "internal")
    assert shown["metadata_sources"]["title"] == "manifest"
    manifest.write_text("file,colore\nuno.pdf,rosso\n", encoding="utf-8")
    result = run("ingest", "--manifest", manifest)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: manifest {manifest}: unknown column(s) 'colore'; the columns are file,")


def test_ingest_a_folder_skips_the_files_that_are_not_pdfs(run, tmp_path, pdf_factory):
    """The README's layout: a folder of signed PDFs with its manifest.csv inside. The CSV is skipped with a
    line pointing at --manifest, not rejected; a non-PDF named on the command line is still rejected
    (issue 21)."""
    folder = tmp_path / "signed" / "2019-bergamo"
    folder.mkdir(parents=True)
    shutil.copyfile(pdf_factory.italian(), folder / "uno.pdf")
    (folder / "manifest.csv").write_text("file,session,type\nuno.pdf,25,agreement\n", encoding="utf-8")
    (folder / "note.txt").write_text("firmato il 3 aprile\n", encoding="utf-8")
    shutil.copyfile(pdf_factory.italian(), folder / "senza-estensione")     # a PDF whatever its name
    shutil.copyfile(pdf_factory.not_pdf(), folder / "rotto.pdf")            # named .pdf: rejected, saying why
    result = run("ingest", f"{folder}/")
    assert_no_crash(result)
    assert result.stdout.splitlines() == [
        f"rejected  {folder}/rotto.pdf: not a PDF: no %PDF- header in the first 1024 bytes",
        f"archived  TFA-000001  {folder}/senza-estensione  (session 25, agreement, 1 page(s), text: text)",
        f"duplicate {folder}/uno.pdf: identical to TFA-000001, not stored again",
        f"skipped   {folder}/manifest.csv: not a PDF; to read it as a manifest, give --manifest {folder}/manifest.csv",
        f"skipped   {folder}/note.txt: not a PDF",
        "Summary: 1 archived, 1 duplicate(s), 1 rejected, 2 skipped (not PDF)"]
    assert result.exit_code == 1     # for rotto.pdf only
    events = json.loads(run("archive", "log", "--json").stdout)
    assert [event["detail"] for event in events if event["outcome"] == "failure"] == [
        "rotto.pdf rejected: not a PDF: no %PDF- header in the first 1024 bytes"]

    (folder / "rotto.pdf").unlink()
    result = run("ingest", folder, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["skipped"] == [f"{folder}/manifest.csv", f"{folder}/note.txt"]

    result = run("ingest", folder / "manifest.csv")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (f"rejected  {folder}/manifest.csv: not a PDF: no %PDF- header in the "
                                             f"first 1024 bytes")


def test_a_different_file_with_an_archived_reference_is_archived_with_a_warning(run, pdf_factory, tmp_path):
    first = run("ingest", pdf_factory.italian())
    assert first.exit_code == 0 and "already archived" not in first.stderr
    second = run("ingest", pdf_factory.russian())
    assert second.exit_code == 0, second.output
    warning = ("Warning: the reference TF25-AGR-003 is already archived as TFA-000001, from another file; if "
               "TFA-000002 replaces it (a corrected or re-signed copy), mark it so with 'taskforce archive "
               "supersede TFA-000001 TFA-000002'; if TFA-000002 is not the same document, correct its reference "
               "with 'taskforce archive edit TFA-000002 --ref REF'")
    assert warning in second.stderr.splitlines()
    third = run("ingest", pdf_factory.bilingual(), "--json")
    shown = json.loads(third.stdout)["files"][0]
    assert any("already archived as TFA-000001, TFA-000002" in w for w in shown["warnings"])
    # a duplicate is no second copy: reported as a duplicate, without this warning
    again = run("ingest", pdf_factory.italian())
    assert "already archived" not in again.stderr


@pytest.fixture
def archived(run, pdf_factory):
    assert run("ingest", pdf_factory.bilingual()).exit_code == 0
    assert run("ingest", pdf_factory.signed(), "--session", 26, "--type", "protocol").exit_code == 0
    return run


def test_archive_list_filters_and_json(archived):
    result = archived("archive", "list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["DOC_ID", "SESSION", "TYPE", "TITLE", "SIGNED_ON", "PLACE", "PAGES", "TEXT_SOURCE",
                                "SIGNATURES"]
    assert lines[2].split()[:3] == ["TFA-000001", "25", "agreement"]
    assert lines[3].split()[:3] == ["TFA-000002", "26", "protocol"]
    assert lines[3].split()[-1] == "1"
    only = json.loads(archived("archive", "list", "--session", 26, "--json").stdout)
    assert [record["doc_id"] for record in only] == ["TFA-000002"]
    assert json.loads(archived("archive", "list", "--type", "letter", "--json").stdout) == []
    assert archived("archive", "list", "--type", "letter").stdout == "(none)\n"


def test_archive_show(archived, workspace):
    result = archived("archive", "show", "TFA-000002")
    assert result.exit_code == 0
    assert f"file              {workspace}/archive/TFA-000002/original.pdf" in result.stdout
    shown = json.loads(archived("archive", "show", "2", "--json").stdout)
    assert shown["signatures"][0]["signer"] == "Mario Rossi"
    assert [event["type"] for event in shown["events"]] == [
        "message digest calculation", "metadata extraction", "digital signature validation", "ingestion"]
    assert (shown["pages"], shown["text_source"], shown["revisions"]) == (2, "text", [1])
    result = archived("archive", "show", "TFA-000042")
    assert result.exit_code == 1
    assert result.stderr == (f"Error: no document TFA-000042 in the archive {workspace}/archive; "
                             f"'taskforce archive list' shows the ids\n")


def test_archive_text(archived):
    whole = archived("archive", "text", "1").stdout
    assert "Bergamo, 27 novembre 2019" in whole and "\f" in whole
    second = archived("archive", "text", "1", "--page", 2).stdout
    assert second.startswith("Соглашение") or "Соглашение" in second.splitlines()[0]
    result = archived("archive", "text", "1", "--page", 3)
    assert result.exit_code == 1
    assert result.stderr == "Error: TFA-000001 has 2 page(s): give --page 1 to 2\n"


def test_archive_edit(archived):
    result = archived("archive", "edit", "1", "--title", "Accordo corretto", "--party", "Bergamo", "--party", "Kazan")
    assert (result.exit_code, result.stdout) == (0, "TFA-000001: revision 2 written (title, parties changed)\n")
    result = archived("archive", "edit", "1", "--title", "Accordo corretto")
    assert result.stdout == "TFA-000001: nothing changed, revision 2 kept\n"
    result = archived("archive", "edit", "1")   # no option at all: a usage error (exit 2), nothing written
    assert result.exit_code == 2
    assert "Error: nothing to change: give at least one of --title, --party" in result.stderr
    shown = json.loads(archived("archive", "show", "1", "--json").stdout)
    assert (shown["title"], shown["parties"], shown["revision"], shown["revisions"]) == (
        "Accordo corretto", ["Bergamo", "Kazan"], 2, [1, 2])


def test_archive_verify_and_log(archived, workspace):
    result = archived("archive", "verify")
    assert result.exit_code == 0
    assert result.stdout.endswith("re-hashed: no findings\n")
    assert result.stdout.startswith("2 document(s), 8 file(s), ")
    extra = workspace / "archive" / "TFA-000001" / "extra.txt"
    extra.write_text("x")
    result = archived("archive", "verify")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == "TFA-000001/extra.txt: untracked: no event of the log created it"
    assert result.stderr == "Error: the fixity check found 1 problem(s)\n"
    report = json.loads(archived("archive", "verify", "--json").stdout)
    assert report["ok"] is False and report["findings"] == [
        {"kind": "unexpected_file", "where": "TFA-000001/extra.txt", "message": "untracked: no event of the log created it"}]
    log = archived("archive", "log")
    assert log.exit_code == 0
    assert log.stdout.splitlines()[0].split() == ["TIME", "TYPE", "OBJECT", "AGENT", "OUTCOME", "DETAIL"]
    assert "fixity check" in log.stdout
    events = json.loads(archived("archive", "log", "2", "--json").stdout)
    assert {event["object"] for event in events} == {"TFA-000002"}
    assert all(event["prev_hash"] for event in events)


def test_archive_export_bagit(archived, tmp_path):
    destination = tmp_path / "bag"
    result = archived("archive", "export", destination, "--session", 25)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Exported 1 document(s), 5 file(s) to the BagIt bag {destination} (validated)\n"
    bag = bagit.Bag(str(destination))
    bag.validate()
    assert sorted(bag.payload_files()) == [
        "data/TFA-000001/events.jsonl", "data/TFA-000001/metadata-r1.json", "data/TFA-000001/original.pdf",
        "data/TFA-000001/text/page-0001.txt", "data/TFA-000001/text/page-0002.txt"]
    assert "sha256" in bag.algorithms
    result = archived("archive", "export", destination)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {destination} exists and is not an empty folder: choose a new folder for the bag\n"
    result = archived("archive", "export", tmp_path / "none", "--session", 3)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no documents to export for session 3 in the archive ")
    assert not (tmp_path / "none").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_archive_commands_on_a_missing_workspace(tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import cli

    result = CliRunner().invoke(cli, ["--home", str(tmp_path / "nope"), "archive", "list"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: workspace {tmp_path / 'nope'} does not exist")
    assert_no_crash(result)


def test_empty_archive(run):
    assert run("archive", "list").stdout == "(none)\n"
    result = run("archive", "verify")
    assert result.exit_code == 0
    assert result.stdout == "0 document(s), 0 file(s), 0 bytes re-hashed: no findings\n"


def test_ingest_password_and_duplicates_within_one_batch(run, pdf_factory, tmp_path):
    locked = pdf_factory.encrypted("segreto")
    copy = tmp_path / "copia.pdf"
    shutil.copyfile(locked, copy)
    result = run("ingest", locked, copy, "--password", "segreto")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == f"duplicate {copy}: identical to TFA-000001, not stored again"
    assert json.loads(run("archive", "show", "1", "--json").stdout)["encrypted"] is True


def test_archive_log_of_an_unknown_document(run, workspace):
    result = run("archive", "log", "TFA-000007")
    assert result.exit_code == 1
    assert result.stderr == (f"Error: no document TFA-000007 in the archive {workspace}/archive; "
                             f"'taskforce archive list' shows the ids\n")
