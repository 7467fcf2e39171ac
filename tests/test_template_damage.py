"""A template with a broken tag is refused, never rendered into a damaged draft (issue 13, item 13): with
'{{ title.ru }' (one brace missing) docxtpl silently swallowed a row and put Italian text in the Russian cell."""
import zipfile

from docxtpl import DocxTemplate

from conftest import SAMPLE_SESSION, assert_no_crash
from pipeline import cache
from pipeline.drafting import sample_context
from pipeline.drafting.docx import jinja_environment
from pipeline.drafting.template_check import lost_rows

TEMPLATES = SAMPLE_SESSION.parents[2] / "drafting" / "templates"
EXAMPLE = TEMPLATES / "agreement-example.yaml"


def damaged_copy(target, old="{{ title.ru }}", new="{{ title.ru }"):
    with zipfile.ZipFile(TEMPLATES / "agreement.docx") as source, zipfile.ZipFile(target, "w") as copy:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode(), 1)
            copy.writestr(item, data)
    return target


def test_templates_check_reports_a_tag_missing_a_brace(run, tmp_path):
    result = run("templates", "check", damaged_copy(tmp_path / "agreement.docx"))
    assert_no_crash(result)
    assert result.exit_code == 1
    assert "«{{ title.ru }»: '{{' is not closed by '}}' in the same paragraph" in result.output


def test_a_stray_closing_mark_is_reported_too(run, tmp_path):
    result = run("templates", "check", damaged_copy(tmp_path / "agreement.docx", new="{{ title.ru }} }}"))
    assert result.exit_code == 1 and "'}}' closes no tag" in result.output


def test_draft_refuses_a_damaged_workspace_template_and_writes_nothing(run, workspace):
    damaged_copy(workspace / "templates" / "agreement.docx")
    result = run("draft", "agreement", "25", EXAMPLE)
    assert_no_crash(result)
    assert result.exit_code == 1
    assert "has a broken tag" in result.stderr and "taskforce templates check" in result.stderr
    assert not list((workspace / "drafts").rglob("*.docx"))
    assert not (workspace / "drafts" / "register.jsonl").exists()


def test_the_row_count_check_sees_what_the_broken_tag_swallowed(tmp_path):
    broken = damaged_copy(tmp_path / "agreement.docx")
    template = DocxTemplate(str(broken))       # rendered as docxtpl alone would, without our refusal
    template.render(sample_context("agreement"), jinja_environment())
    template.save(str(tmp_path / "rendered.docx"))
    assert lost_rows(broken, (tmp_path / "rendered.docx").read_bytes())
    good = DocxTemplate(str(TEMPLATES / "agreement.docx"))
    good.render(sample_context("agreement"), jinja_environment())
    good.save(str(tmp_path / "good.docx"))
    assert lost_rows(TEMPLATES / "agreement.docx", (tmp_path / "good.docx").read_bytes()) == []


def test_a_template_is_checked_once_per_content_and_again_when_it_changes(run, workspace, monkeypatch):
    from pipeline.drafting import docx as docx_module
    checked = []
    real = docx_module.unbalanced_tags
    monkeypatch.setattr(docx_module, "unbalanced_tags", lambda document, name: checked.append(name) or real(document, name))
    cache.clear_all()
    assert run("draft", "agreement", "25", EXAMPLE).exit_code == 0
    assert run("draft", "agreement", "25", EXAMPLE).exit_code == 0
    assert checked == ["agreement.docx"]
    damaged_copy(workspace / "templates" / "agreement.docx")   # replaced between two renders of one process
    result = run("draft", "agreement", "25", EXAMPLE)
    assert result.exit_code == 1 and "has a broken tag" in result.stderr
    assert checked == ["agreement.docx"] * 2
    assert len(list((workspace / "drafts").rglob("*.docx"))) == 4      # two versions, each in both layouts
