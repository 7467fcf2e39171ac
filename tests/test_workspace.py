"""An explicit workspace: only a folder made by 'taskforce init' (or 'demo') is used, and a command run
anywhere else creates nothing there."""
import os

import pytest
from click.testing import CliRunner

from pipeline.cli import cli

COMMANDS = [
    ["search", "accordo"], ["ingest", "missing.pdf"], ["archive", "list"], ["archive", "verify"],
    ["index", "status"], ["index", "rebuild"], ["stats"], ["sessions", "list"], ["sessions", "check"],
    ["draft", "list"], ["draft", "protocol", "25"], ["users", "list"], ["serve", "--port", "1"],
    ["templates", "list"],
]


def snapshot(folder):
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_folder_that_is_not_a_workspace_is_refused_and_left_alone(tmp_path, command):
    folder = tmp_path / "not-a-workspace"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    before = snapshot(folder)
    result = CliRunner().invoke(cli, ["--home", str(folder), *command])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert result.stderr == (f"Error: {folder} is not a taskforce workspace: run 'taskforce init {folder}' "
                             f"(or choose another folder with --home or TASKFORCE_HOME)\n")
    assert snapshot(folder) == before


def test_the_current_folder_is_the_default_workspace_only_with_the_marker(tmp_path, monkeypatch):
    monkeypatch.delenv("TASKFORCE_HOME", raising=False)
    monkeypatch.chdir(tmp_path)
    refused = CliRunner().invoke(cli, ["search", "accordo"])
    assert refused.exit_code == 2 and os.listdir(tmp_path) == []
    assert CliRunner().invoke(cli, ["init"]).exit_code == 0
    found = CliRunner().invoke(cli, ["search", "accordo"])
    assert found.exit_code == 0, found.output
    assert found.output == "No documents found.\n"


def test_help_works_outside_a_workspace(tmp_path):
    result = CliRunner().invoke(cli, ["--home", str(tmp_path), "search", "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output
