"""The draft and templates commands, driven through the CLI with exact messages."""
import json
import shutil

import docx
import yaml

from tests.conftest import REPO, assert_no_crash

EXAMPLE = REPO / "templates" / "agreement-example.yaml"


def test_draft_agreement_then_list_show_and_diff(run, workspace, tmp_path):
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    source = tmp_path / "volga.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = run("draft", "agreement", 25, source)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "TF25-AGR-001 v1 (draft): drafts/TF25-AGR-001/TF25-AGR-001-v1.docx"
    # then every derived Russian form, naming its field
    assert lines[1].startswith("  derived forms (")
    assert ("    parties[0].representative.name.ru_gen: Джулия Бьянки -> Джулии Бьянки (dictionary)" in lines)

    data["duration_months"] = 24
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = run("draft", "agreement", 25, source, "--final")
    assert result.output.splitlines()[0] == "TF25-AGR-001 v2 (final): drafts/TF25-AGR-001/TF25-AGR-001-v2.docx"

    listing = run("draft", "list", "--json")
    rows = json.loads(listing.output)
    assert [(r["reference"], r["version"], r["versions"], r["state"]) for r in rows] == [("TF25-AGR-001", 2, 2, "final")]

    shown = json.loads(run("draft", "show", "TF25-AGR-001", "--json").output)
    assert [v["version"] for v in shown["versions"]] == [1, 2]

    diff = run("draft", "diff", "TF25-AGR-001")
    assert diff.exit_code == 0, diff.output
    lines = diff.output.splitlines()
    assert lines[0] == "TF25-AGR-001: v1 → v2"
    assert "=== italiano" in lines and "=== русский" in lines
    assert any(line.startswith("~ Il presente Accordo entra in vigore") and "[-3 (tre)-]{+2 (due)+} anni" in line
               for line in lines)
    assert any(line.startswith("~ Настоящее Соглашение вступает в силу") and "в течение [-3 (трех)-]{+2 (двух)+} лет"
               in line for line in lines)


def test_draft_protocol_lists_the_session_agreements_in_its_annex(run, workspace):
    run("draft", "agreement", 25, EXAMPLE)
    run("draft", "agreement", 25, EXAMPLE, "--kind", "memorandum")
    result = run("draft", "protocol", 25, "--order", "ru-it", "--json")
    entry = json.loads(result.output)
    assert entry["annex"] == ["TF25-AGR-001", "TF25-MOU-001"] and entry["order"] == "ru-it"
    text = "\n".join(p.text for t in docx.Document(str(workspace / entry["file"])).tables
                     for row in t.rows for c in row.cells for p in c.paragraphs).replace("\u00a0", " ")
    assert ("Меморандум о взаимопонимании TF25\u2011MOU\u2011001 между компанией «Меканика Оробика С.п.А.» и "
            "ООО «Волга Станки»") in text


def test_memorandum_notes_fields_it_does_not_print(run):
    result = run("draft", "agreement", 25, EXAMPLE, "--kind", "memorandum")
    assert result.exit_code == 0
    assert "note: 'governing_law' is not printed in a memorandum (it is non-binding)" in result.output


def test_errors_are_one_clear_line(run, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("subject: {it: x}\nparties: []\n", encoding="utf-8")
    result = run("draft", "agreement", 25, bad)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {bad} is not valid agreement data (")
    assert f"  - {bad}: subject.ru: missing Russian translation" in result.output
    assert_no_crash(result)

    result = run("draft", "show", "TF25-AGR-009")
    assert result.exit_code == 1
    assert result.output == "Error: no draft TF25-AGR-009 in the drafts register; render one with 'taskforce draft'\n"

    run("draft", "agreement", 25, EXAMPLE)
    result = run("draft", "diff", "TF25-AGR-001")
    assert result.output == ("Error: TF25-AGR-001 has only one version; render it again to have something "
                             "to compare\n")
    result = run("draft", "diff", "TF25-AGR-001", 1)
    assert result.exit_code == 2 and "give two versions to compare" in result.output
    # a version the reference does not have is a wrong argument too: exit 2, as the README says (issue 21)
    result = run("draft", "diff", "TF25-AGR-001", 1, 2)
    assert result.exit_code == 2, result.output
    assert result.output == "Error: TF25-AGR-001 has no version 2 (versions: 1)\n"
    result = run("draft", "agreement", 25, tmp_path / "missing.yaml")
    assert result.output == f"Error: {tmp_path / 'missing.yaml'}: no such file\n"


def test_templates_list_and_check(run, workspace):
    result = run("templates", "list", "--json")
    rows = json.loads(result.output)
    assert [(r["name"], r["source"]) for r in rows] == [("protocol", "shipped"), ("agreement", "shipped"),
                                                        ("memorandum", "shipped")]
    result = run("templates", "check")
    assert result.exit_code == 0, result.output
    assert result.output.count(": ok\n") == 3

    own = workspace / "templates" / "agreement.docx"
    shutil.copyfile(REPO / "templates" / "agreement.docx", own)
    assert json.loads(run("templates", "list", "--json").output)[1]["source"] == "workspace"


def _edited_template(path, text):
    document = docx.Document(str(REPO / "templates" / "agreement.docx"))
    document.tables[0].rows[0].cells[0].add_paragraph(text)
    document.save(str(path))
    return path


def test_templates_check_finds_unknown_variables_and_syntax_errors(run, tmp_path):
    unknown = _edited_template(tmp_path / "agreement.docx", "{{ signing_city.it }}")
    result = run("templates", "check", unknown)
    assert result.exit_code == 1
    assert "unknown variable 'signing_city': a agreement template knows commitments, " in result.output

    broken = _edited_template(tmp_path / "mine.docx", "{{ subject.it ")
    result = run("templates", "check", broken, "--as", "agreement", "--json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["ok"] is False and any("template syntax error" in problem for problem in report["problems"])

    result = run("templates", "check", broken)
    assert result.output == ("Error: cannot tell which kind of template mine.docx is: name it protocol.docx, "
                             "agreement.docx or memorandum.docx, or give --as KIND\n")

    not_docx = tmp_path / "protocol.docx"
    not_docx.write_text("hello", encoding="utf-8")
    result = run("templates", "check", not_docx)
    assert result.exit_code == 1
    assert "not a Word .docx file" in result.output
    assert_no_crash(result)


def test_a_docx_given_for_the_data_file_says_what_it_is_and_how_an_edited_draft_comes_back(run, workspace, tmp_path):
    """`draft agreement 26 edited.docx` answered "not UTF-8 text ... save it as UTF-8" (issue 21)."""
    assert run("draft", "agreement", 25, EXAMPLE).exit_code == 0
    edited = tmp_path / "edited.docx"
    shutil.copyfile(workspace / "drafts" / "TF25-AGR-001" / "TF25-AGR-001-v1.docx", edited)
    result = run("draft", "agreement", 25, edited)
    assert_no_crash(result)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {edited} is a Word document (.docx), not an agreement data file: 'taskforce draft agreement' "
        f"renders a draft from a YAML data file (see templates/agreement-example.yaml). To take a draft edited in "
        f"Word back as the next version of its reference, run 'taskforce draft import TF25-AGR-001 {edited}'\n")
    assert run("draft", "import", "TF25-AGR-001", edited).exit_code == 0      # and that command takes it
    assert "UTF-8" not in result.stderr
    pdf = tmp_path / "signed.pdf"
    pdf.write_bytes(b"%PDF-1.7\n%%EOF\n")
    assert run("draft", "agreement", 25, pdf).stderr.startswith(f"Error: {pdf} is a PDF, not an agreement data file")
    # a YAML file named .docx is still read as the data it is
    renamed = tmp_path / "data.docx"
    shutil.copyfile(EXAMPLE, renamed)
    assert run("draft", "agreement", 25, renamed).exit_code == 0
