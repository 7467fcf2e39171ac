"""Start-up and first search of `taskforce search` (issue 15): what the command imports, the same answer
from cold and warm caches, the snippet maker's per-word cache, and the message of an unreadable date."""
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.workspace import init_workspace

ROOT = Path(__file__).resolve().parent.parent


def invoke(home, *args):
    return CliRunner().invoke(cli, ["--home", str(home), *map(str, args)])


def test_an_unreadable_date_names_its_option_once(tmp_path):
    init_workspace(tmp_path)
    result = invoke(tmp_path, "search", "accordo", "--from", "nonsense")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "Error: Invalid value for '--from': cannot read 'nonsense' as a date; write it as 2019-11-27, "
        "'27 novembre 2019' or '27 ноября 2019 г.'")
    result = invoke(tmp_path, "search", "accordo", "--to", "31 febbraio 2015")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1].startswith("Error: Invalid value for '--to': cannot read '31 febbraio")
