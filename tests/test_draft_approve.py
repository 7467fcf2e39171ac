"""Approving a version as final without rendering it again (issue 23 items 5 and 7): ``draft final REF
[VERSION]`` stamps the version's own files, in both layouts, as the next version, final, the draft mark
removed; the register says which version was approved and by whom; a guess among the derived forms refuses
it, naming the field. ``draft pdf`` makes both PDF originals of an existing version (slow: LibreOffice)."""
import getpass
import io
import json

import docx
import pytest
import yaml

from pipeline.drafting import register
from pipeline.drafting.docx import full_text, text_by_language
from pipeline.errors import ValidationError
from pipeline.usecases.drafting import approve_version, draft_versions, version_pdfs
from pipeline.workspace import Workspace
from tests.conftest import REPO, assert_no_crash, require_tool

EXAMPLE = REPO / "templates" / "agreement-example.yaml"
REFERENCE = "TF25-AGR-001"
MARKS = (" · BOZZA / ПРОЕКТ", " · ПРОЕКТ / BOZZA")


def without_mark(text: str, old: int, new: int) -> str:
    for mark in MARKS:
        text = text.replace(mark, "")
    return text.replace(f" · v{old}", f" · v{new}")


def test_draft_final_approves_the_version_text_in_both_layouts(run, workspace):
    assert run("draft", "agreement", 25, EXAMPLE).exit_code == 0
    result = run("draft", "final", "TF25-AGR-001", "--json")
    assert result.exit_code == 0, result.output
    entry = json.loads(result.output)
    assert (entry["version"], entry["state"], entry["approved_from"]) == (2, "final", 1)
    assert entry["author"] == getpass.getuser() and entry["origin"] == "approved"
    ws = Workspace.at(workspace)
    v1, v2 = sorted(register.entries(ws), key=lambda e: e.version)
    for old, new in ((v1.file, v2.file), (v1.alternat["file"], v2.alternat["file"])):
        before, after = full_text(workspace / old), full_text(workspace / new)
        assert "BOZZA" in before and "BOZZA" not in after and "ПРОЕКТ" not in after
        assert after == without_mark(before, 1, 2)
        assert text_by_language(workspace / new) == text_by_language(workspace / old)
        properties = docx.Document(str(workspace / new)).core_properties
        assert (properties.content_status, properties.version) == ("Definitivo / Окончательный", "2")
    assert v2.alternat["order"] == "ru-it"
    rows = draft_versions(ws, "TF25-AGR-001")
    assert [(r["version"], r["state"], r["source"], r["approved_from"]) for r in rows] == [
        (1, "draft", "data file", None), (2, "final", "approved", 1)]
    assert rows[0]["author"] == getpass.getuser()          # the render records who did it too

    again = run("draft", "final", "TF25-AGR-001")
    assert again.exit_code == 1 and again.output == "Error: TF25-AGR-001 v2 is final already (approved from v1)\n"
    twice = run("draft", "final", "TF25-AGR-001", 1)        # not the same text again under a new number
    assert twice.exit_code == 1
    assert twice.output == "Error: TF25-AGR-001 v1 is approved already: v2 is its final text\n"
    missing = run("draft", "final", "TF25-AGR-001", 9)
    assert missing.exit_code == 2 and "TF25-AGR-001 has no version 9 (versions: 1, 2)" in missing.output
    assert_no_crash(missing)


def test_an_older_version_can_be_approved(workspace, tmp_path):
    ws = Workspace.at(workspace)
    from pipeline.usecases.drafting import render_agreement

    render_agreement(ws, 25, EXAMPLE, actor="anna")
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["duration_months"] = 24
    changed = tmp_path / "changed.yaml"
    changed.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    render_agreement(ws, 25, changed, reference="TF25-AGR-001")
    entry = approve_version(ws, "TF25-AGR-001", 1, actor="marco")
    assert (entry["version"], entry["approved_from"], entry["author"]) == (3, 1, "marco")
    assert "3 (tre) anni" in full_text(workspace / entry["file"])


def test_a_guessed_form_refuses_the_approval_naming_the_field(run, workspace, tmp_path):
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["place"] = {"it": "Kukuevsk", "ru": "Кукуевск"}      # the analyser can only guess its case
    source = tmp_path / "kukuevsk.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert run("draft", "agreement", 25, source).exit_code == 0
    with pytest.raises(ValidationError) as refused:
        approve_version(Workspace.at(workspace), "TF25-AGR-001", actor="anna")
    assert refused.value.field == "final" and refused.value.code == "approve.forms_unconfirmed"
    assert [finding.message.split(":")[0] for finding in refused.value.findings] == ["place.ru_pre"]
    result = run("draft", "final", "TF25-AGR-001")
    assert result.exit_code == 1
    assert result.output.startswith("Error: TF25-AGR-001 v1 cannot be approved as final: 1 form(s) the software "
                                     "could not derive or is unsure of; give each in ")
    assert "  - " in result.output and "place.ru_pre: «Кукуевск» -> «Кукуевске» is a guess" in result.output
    assert_no_crash(result)
    assert len(register.entries(Workspace.at(workspace))) == 1      # nothing written


def test_a_changed_file_is_not_approved(run, workspace):
    run("draft", "agreement", 25, EXAMPLE)
    path = workspace / "drafts" / "TF25-AGR-001" / "TF25-AGR-001-v1.docx"
    document = docx.Document(str(path))
    document.add_paragraph("Aggiunto a mano")
    document.save(str(path))
    result = run("draft", "final", "TF25-AGR-001")
    assert result.exit_code == 1 and "was changed after it was registered" in result.output


def test_old_register_lines_read_as_before(workspace):
    """A line written before authors and origins has none: read, and written back, as it was."""
    line = {"reference": "TF25-AGR-001", "session": 25, "kind": "agreement", "title": "x", "version": 1,
            "state": "draft", "file": "f.docx", "sha256": "0", "created_at": "2024-01-01T00:00:00+00:00"}
    entry = register.DraftEntry.from_dict(line)
    assert entry.author is None and entry.origin is None and entry.as_dict() == dict(sorted(line.items()))


@pytest.mark.slow
def test_draft_pdf_makes_both_originals_of_an_existing_version(run, workspace):
    require_tool("soffice")
    run("draft", "agreement", 25, EXAMPLE)
    ws = Workspace.at(workspace)
    before = (workspace / "drafts" / "register.jsonl").read_bytes()
    entry = version_pdfs(ws, "TF25-AGR-001", 1, actor="anna")
    assert entry["made"] is True
    for path in (entry["pdf"], entry["alternat"]["pdf"]):
        assert (workspace / path).read_bytes().startswith(b"%PDF")
    # append-only: the version's line is as it was, one addendum line after it
    after = (workspace / "drafts" / "register.jsonl").read_bytes()
    assert after.startswith(before) and after[len(before):].count(b"\n") == 1
    assert json.loads(after[len(before):])["addendum"] == "pdf"
    (only,) = register.entries(ws)
    assert only.pdf == entry["pdf"] and only.alternat["pdf"] == entry["alternat"]["pdf"]
    rows = draft_versions(ws, "TF25-AGR-001")
    assert rows[0]["files"]["ru-it"]["pdf"] == entry["alternat"]["pdf"]
    shown = run("draft", "pdf", "TF25-AGR-001", "--json")
    assert json.loads(shown.output)["made"] is False                # kept, not made again


@pytest.mark.slow
@pytest.mark.parametrize("source", ["rendered", "imported"])
def test_signed_copies_of_both_originals_of_an_approved_version_match_it_at_ingest(run, workspace, tmp_path,
                                                                                   source):
    """Done when (issue 23): approve a version (rendered, or a .docx edited in Word and imported), make both
    PDF originals (LibreOffice), sign each (pyHanko): each signed copy is archived as matching the final
    version."""
    require_tool("soffice")
    from pipeline.demo.pdfmake import make_demo_signer, sign_pdf

    run("draft", "agreement", 25, EXAMPLE)
    final = 2
    if source == "imported":
        document = docx.Document(str(workspace / "drafts" / REFERENCE / f"{REFERENCE}-v1.docx"))
        paragraph = next(p for cell in document.tables[0].rows[5].cells for p in cell.paragraphs
                         if "rinnovabile per iscritto" in p.text)
        paragraph.runs[0].text = paragraph.text.replace("per iscritto", "tacitamente")
        for extra in paragraph.runs[1:]:
            extra.text = ""
        edited = tmp_path / "edited.docx"
        document.save(str(edited))
        assert run("draft", "import", REFERENCE, edited).exit_code == 0
        final = 3
    approved = json.loads(run("draft", "final", REFERENCE, "--json").output)
    made = json.loads(run("draft", "pdf", REFERENCE, "--json").output)
    assert made["version"] == approved["version"] == final and made["made"] is True
    key, cert = make_demo_signer(tmp_path / "signer")
    for number, pdf in enumerate((made["pdf"], made["alternat"]["pdf"])):
        signed = sign_pdf(workspace / pdf, tmp_path / f"signed-{number}.pdf", key, cert,
                          reason="Firma / Подпись", location="Bergamo")
        result = run("ingest", signed, "--json")
        assert result.exit_code == 0, result.output
        outcome = json.loads(result.output)["files"][0]
        assert outcome["outcome"] == "archived", outcome
        assert outcome["draft"] == f"matches final draft v{final}", outcome
        assert [w for w in outcome["warnings"] if "already archived" not in w] == [], outcome


def test_an_addendum_adds_pdfs_to_its_version_and_a_recorded_pdf_is_never_made_again(run, workspace):
    """The register stays append-only: a PDF made later is an addendum line merged into its version's entry;
    one layout's addendum leaves the other's PDF as it was; a recorded PDF gone from the disk is a conflict,
    not a new PDF over its record."""
    from pipeline.errors import ConflictError

    run("draft", "agreement", 25, EXAMPLE)
    ws = Workspace.at(workspace)
    pdf = f"drafts/{REFERENCE}/{REFERENCE}-v1.pdf"
    (workspace / pdf).write_bytes(b"%PDF-1.7 made by --pdf\n")
    register.append_addendum(ws, {"addendum": "pdf", "reference": REFERENCE, "version": 1, "pdf": pdf,
                                  "pdf_sha256": "ab", "alternat": {}})
    register.append_addendum(ws, {"addendum": "pdf", "reference": REFERENCE, "version": 1,
                                  "alternat": {"pdf": "x-ru-it.pdf", "pdf_sha256": "cd"}})
    (entry,) = register.entries(ws)
    assert (entry.pdf, entry.pdf_sha256, entry.alternat["pdf"]) == (pdf, "ab", "x-ru-it.pdf")
    assert run("draft", "list", "--json").exit_code == 0
    with pytest.raises(ConflictError, match="x-ru-it.pdf .* is in the drafts register but missing"):
        version_pdfs(ws, REFERENCE, actor="anna")
    assert (workspace / pdf).read_bytes() == b"%PDF-1.7 made by --pdf\n"
