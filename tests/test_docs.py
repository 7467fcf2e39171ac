"""Every command has help text and is documented in the README."""
from pathlib import Path

import click

from pipeline.cli import cli, load_all
from pipeline.cli.main import LAZY_COMMANDS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def all_commands(group=None, prefix="taskforce"):
    group = group or load_all()   # the command modules are imported lazily: load every one
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        yield path, command
        if isinstance(command, click.Group):
            yield from all_commands(command, path)


def test_every_command_has_help():
    missing = [path for path, command in all_commands() if not (command.help or "").strip()]
    assert missing == []


def test_every_option_has_help():
    missing = [f"{path} {param.opts[0]}" for path, command in all_commands() for param in command.params
               if isinstance(param, click.Option) and not (param.help or "").strip()]
    assert missing == []


def test_every_command_appears_in_the_readme():
    missing = [path for path, _ in all_commands() if f"`{path}" not in README and f"{path} " not in README]
    assert missing == []


def test_readme_opens_with_the_two_setup_commands():
    head = README.split("```")[1]
    assert "make demo" in head and "make test" in head


def test_the_lazy_table_lists_every_command_with_its_own_short_help():
    load_all()
    assert sorted(cli.commands) == sorted(LAZY_COMMANDS)
    for name, command in cli.commands.items():
        module, short = LAZY_COMMANDS[name]
        assert command.callback.__module__ == f"pipeline.cli.{module}", name
        for limit in (30, 45, 60, 80, 120, 1000):
            assert click.Command(name, help=short).get_short_help_str(limit) == command.get_short_help_str(limit), name
