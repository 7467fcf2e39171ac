"""An impossible date in a YAML file (30 February, 31 November) is a finding naming the field, in every
command that reads the file, never a traceback (issue 13, item 11)."""
import re
import shutil

from conftest import SAMPLE_SESSION

EXAMPLE = SAMPLE_SESSION.parents[2] / "drafting" / "templates" / "agreement-example.yaml"


def with_start(text: str, number: int, start: str) -> str:
    text = re.sub(r"(?m)^number: .*$", f"number: {number}", text)
    return re.sub(r"(?m)^start: .*$", f"start: {start}", text)


def no_crash(result):
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


def test_sessions_add_reports_an_impossible_start(run, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(with_start(SAMPLE_SESSION.read_text(encoding="utf-8"), 30, "2015-11-31"), encoding="utf-8")
    assert "start: 2015-11-31" in bad.read_text(encoding="utf-8")
    result = run("sessions", "add", bad)
    no_crash(result)
    assert result.exit_code == 1
    assert "start" in result.stderr and "2015-11-31" in result.stderr


def test_a_registry_holding_an_impossible_date_can_still_be_listed_and_checked(run, workspace):
    text = with_start(SAMPLE_SESSION.read_text(encoding="utf-8"), 26, "2015-11-31")
    (workspace / "sessions" / "session-026.yaml").write_text(text, encoding="utf-8")
    listed = run("sessions", "list")
    no_crash(listed)
    checked = run("sessions", "check")
    no_crash(checked)
    assert checked.exit_code == 1 and "2015-11-31" in checked.output + checked.stderr


def test_draft_agreement_reports_an_impossible_signature_date(run, tmp_path):
    data = tmp_path / "agreement.yaml"
    shutil.copyfile(EXAMPLE, data)
    data.write_text(data.read_text(encoding="utf-8") + "\nsigned_on: 2014-02-30\n", encoding="utf-8")
    result = run("draft", "agreement", "25", data)
    no_crash(result)
    assert result.exit_code == 1
    assert "signed_on" in result.stderr and "2014-02-30" in result.stderr
