"""docs/cli.md is the commands' own --help (tools/make_cli_docs.py): regenerated in memory here, it must be
the committed file, so that an option added, renamed or re-worded without regenerating the file fails."""
import difflib
import importlib.util

import click

from tests.conftest import REPO


def make_cli_docs():
    spec = importlib.util.spec_from_file_location("make_cli_docs", REPO / "tools" / "make_cli_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_command_reference_is_the_commands_help():
    tool = make_cli_docs()
    expected = tool.render()
    committed = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    drift = "".join(difflib.unified_diff(committed.splitlines(True), expected.splitlines(True), "docs/cli.md",
                                         "what --help says now", n=1))
    assert not drift, f"docs/cli.md is out of date: run python tools/make_cli_docs.py\n{drift[:4000]}"


def test_the_reference_has_every_command_and_option():
    from pipeline.cli import load_all

    tool = make_cli_docs()
    text = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    for path, command in tool.commands(load_all()):
        assert f"\n## taskforce {' '.join(path)}\n" in text, path
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                assert param.opts[0] in text.split(f"\n## taskforce {' '.join(path)}\n")[1].split("\n## ")[0], \
                    (path, param.opts[0])


def test_the_check_mode_fails_on_a_changed_help(monkeypatch, tmp_path):
    tool = make_cli_docs()
    stale = tmp_path / "cli.md"
    stale.write_text(tool.render().replace("Fixity check", "Fixity chek"), encoding="utf-8")
    monkeypatch.setattr(tool, "OUTPUT", stale)
    monkeypatch.setattr(tool, "REPO", tmp_path)
    assert tool.main(["--check"]) == 1
    stale.write_text(tool.render(), encoding="utf-8")
    assert tool.main(["--check"]) == 0
