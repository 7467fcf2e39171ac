"""The CLI conventions: workspace selection, tables and --json, errors on stderr with exit 1 or 2."""
import json

import pytest
import yaml
from click.testing import CliRunner

from pipeline import __version__
from pipeline.cli import cli

from conftest import SAMPLE_SESSION, assert_no_crash


def test_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"taskforce, version {__version__}"


def test_init_creates_layout_and_is_idempotent(tmp_path):
    home = tmp_path / "new-ws"
    first = CliRunner().invoke(cli, ["init", str(home)])
    assert first.exit_code == 0, first.output
    for name in ("sessions", "templates", "drafts", "archive", "index", "trust-roots"):
        assert (home / name).is_dir()
    (home / "sessions" / "mine.yaml").write_text("keep me", encoding="utf-8")
    assert (home / ".taskforce-workspace").is_file()
    second = CliRunner().invoke(cli, ["init", str(home), "--sample"])
    assert second.exit_code == 0
    assert "created 2 item(s)" in second.output   # the sample session and the example agreement
    assert (home / "templates" / "agreement-example.yaml").is_file()
    third = CliRunner().invoke(cli, ["init", str(home), "--sample"])
    assert "already complete" in third.output
    assert (home / "sessions" / "mine.yaml").read_text(encoding="utf-8") == "keep me"


def test_init_uses_home_and_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("TASKFORCE_HOME", str(tmp_path / "from-env"))
    result = CliRunner().invoke(cli, ["init", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["home"] == str(tmp_path / "from-env")
    assert (tmp_path / "from-env" / "archive").is_dir()


def test_init_refuses_a_file(tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    result = CliRunner().invoke(cli, ["init", str(target)])
    assert result.exit_code in (1, 2)
    assert_no_crash(result)


def test_home_that_is_a_file_is_a_clear_error(tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    result = CliRunner().invoke(cli, ["--home", str(target), "sessions", "list"])
    assert result.exit_code == 1
    assert result.stderr == f"Error: workspace {target} is a file, not a folder: give --home a folder\n"


def test_missing_workspace_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["--home", str(tmp_path / "nope"), "sessions", "list"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: workspace {tmp_path / 'nope'} does not exist: create it with "
                                    f"'taskforce init")


def test_sessions_list_table_and_json(run):
    table = run("sessions", "list")
    assert table.exit_code == 0
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["NUMBER", "START", "END", "COUNTRY", "CITY", "TABLES"]
    assert lines[2].split() == ["25", "2014-11-26", "2014-11-28", "IT", "Bergamo", "/", "Бергамо", "3"]
    data = json.loads(run("sessions", "list", "--json").stdout)
    assert [s["number"] for s in data] == [25]
    assert data[0]["dates"]["ru"] == "26 ноября 2014\u00a0г. – 28 ноября 2014\u00a0г."


def test_sessions_show(run):
    result = run("sessions", "show", "25")
    assert result.exit_code == 0
    assert "venue         Polo Fieristico di via Lunga / Выставочный комплекс на виа Лунга" in result.stdout
    assert "  - meccano-tessile / текстильное машиностроение" in result.stdout
    data = json.loads(run("sessions", "show", "25", "--json").stdout)
    assert data["tables"][2]["sector"] == {"it": "Sistema casa", "ru": "Дом и интерьер"}


def test_sessions_show_unknown_number(run, workspace):
    result = run("sessions", "show", "7")
    assert result.exit_code == 1
    assert result.stderr == (f"Error: no session 7 in {workspace / 'sessions'} (sessions registered: 25); "
                             f"add it with 'taskforce sessions add FILE'\n")


def test_bad_usage_exits_2(run):
    result = run("sessions", "show", "abc")
    assert result.exit_code == 2
    assert "Error: Invalid value for 'NUMBER'" in result.stderr
    assert run("sessions", "frobnicate").exit_code == 2


def test_sessions_add_and_replace(run, tmp_path, workspace):
    data = yaml.safe_load(SAMPLE_SESSION.read_text(encoding="utf-8"))
    data.update(number=26, start="15 aprile 2015", end="17 апреля 2015 г.", country="RU",
                city={"it": "Kazan", "ru": "Казань"})
    data["next_session"]["country"] = "IT"
    source = tmp_path / "s26.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = run("sessions", "add", source)
    assert result.exit_code == 0, result.output
    assert result.stdout == (f"Session 26 (Kazan, 2015-04-15 – 2015-04-17) registered as "
                             f"{workspace / 'sessions' / 'session-026.yaml'}\n")
    again = run("sessions", "add", source)
    assert again.exit_code == 1
    assert again.stderr == (f"Error: session 26 is already registered ({workspace / 'sessions' / 'session-026.yaml'}); "
                            f"use --replace to replace it\n")
    assert run("sessions", "add", source, "--replace").exit_code == 0
    assert [s["number"] for s in json.loads(run("sessions", "list", "--json").stdout)] == [25, 26]


def test_sessions_add_invalid_file_lists_every_problem(run, tmp_path):
    source = tmp_path / "bad.yaml"
    source.write_text("number: 30\nstart: 30 febbraio 2020\ncountry: DE\ncity: {it: Roma}\n", encoding="utf-8")
    result = run("sessions", "add", source)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {source} is not a valid session file (4 problem(s)):",
        f"  - {source}: start: cannot read '30 febbraio 2020' as a date; write it as 2019-11-27, "
        f"'27 novembre 2019' or '27 ноября 2019 г.'",
        f"  - {source}: end: missing",
        f"  - {source}: country: 'DE' is not one of IT, RU",
        f"  - {source}: city.ru: missing Russian translation",
    ]


@pytest.mark.parametrize("content, message", [
    (b"number: [1,\n", "not valid YAML at line 2"),
    (b"\xff\xfe\x00", "not UTF-8 text"),
    (b"", "empty file"),
    (b"- just\n- a list\n", "expected a mapping of fields, got list"),
])
def test_sessions_add_hostile_files(run, tmp_path, content, message):
    source = tmp_path / "hostile.yaml"
    source.write_bytes(content)
    result = run("sessions", "add", source)
    assert result.exit_code == 1
    assert message in result.stderr
    assert_no_crash(result)


def test_sessions_add_missing_file(run, tmp_path):
    result = run("sessions", "add", tmp_path / "nope.yaml")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path / 'nope.yaml'}: no such file\n"


def test_sessions_check_ok_and_failing(run, workspace):
    ok = run("sessions", "check")
    assert ok.exit_code == 0
    assert ok.stdout == "1 session(s) in 1 file(s): no problems.\n"
    (workspace / "sessions" / "session-026.yaml").write_text(
        "number: 25\nstart: 2014-11-27\nend: 2014-11-26\ncountry: IT\ncity: {it: Roma, ru: Рим}\n", encoding="utf-8")
    bad = run("sessions", "check")
    assert bad.exit_code == 1
    assert "session-026.yaml: end: 2014-11-26 is before the start 2014-11-27" in bad.stderr
    assert bad.stderr.splitlines()[-1] == ("Error: 1 problem(s) in the session registry; fix them and run "
                                           "'taskforce sessions check' again")
    data = json.loads(run("sessions", "check", "--json").stdout)
    assert data["ok"] is False and len(data["problems"]) == 1


def test_sessions_list_with_a_broken_file_points_to_check(run, workspace):
    (workspace / "sessions" / "broken.yaml").write_text("number: 3\n", encoding="utf-8")
    result = run("sessions", "list")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the session registry has invalid files; fix them "
                                    "(see 'taskforce sessions check'):")


def test_python_m_entry_point():
    import subprocess
    import sys
    result = subprocess.run([sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    assert "Usage: taskforce" in result.stdout
