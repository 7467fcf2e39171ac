"""Workspace and session-registry commands."""
from __future__ import annotations

from pathlib import Path

import click

from .. import usecases
from ..sessions import registry
from ..workspace import init_workspace
from .main import cli, pass_folder, pass_workspace
from .output import emit, json_option


@cli.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option("--sample", is_flag=True, help="Also copy the sample session (the 25th, Bergamo) into sessions/.")
@json_option
@pass_folder
def init(ws, directory, sample, as_json):
    """Create a workspace in DIRECTORY (default: --home or the current directory).

    Creates whatever folders are missing; never overwrites anything."""
    result = init_workspace(Path(directory) if directory else ws.home, with_sample=sample)
    if as_json:
        emit(result, True)
    else:
        click.echo(f"Workspace {result['home']}: " +
                   (f"created {len(result['created'])} item(s)" if result["created"] else "already complete"))
        for item in result["created"]:
            click.echo(f"  + {item}")


@cli.group()
def sessions():
    """The session registry: one YAML file per session in sessions/."""


@sessions.command("list")
@json_option
@pass_workspace
def sessions_list(ws, as_json):
    """List the registered sessions by number."""
    found = registry.list_sessions(ws.require())
    emit([s.as_dict() for s in found] if as_json else [s.summary() for s in found], as_json)


@sessions.command("show")
@click.argument("number", type=click.IntRange(min=1))
@json_option
@pass_workspace
def sessions_show(ws, number, as_json):
    """Show every field of session NUMBER."""
    emit(registry.get_session(ws.require(), number).as_dict(), as_json)


@sessions.command("add")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--replace", is_flag=True, help="Replace the registered session with the same number.")
@json_option
@pass_workspace
def sessions_add(ws, file, replace, as_json):
    """Validate FILE and copy it into the registry as sessions/session-NNN.yaml."""
    session = usecases.add_session(ws, Path(file), replace=replace)
    if as_json:
        emit(session.as_dict(), True)
    else:
        click.echo(f"Session {session.number} ({session.city['it']}, {session.start} – {session.end}) "
                   f"registered as {session.source}")


@sessions.command("check")
@json_option
@pass_workspace
def sessions_check(ws, as_json):
    """Validate every session file and the registry as a whole; report every problem at once.

    Exit status 1 when any problem is found."""
    result = registry.check_sessions(ws.require())
    if not as_json:
        for warning in result["warnings"]:
            click.echo(f"Warning: {warning['where']}: {warning['message']}", err=True)
    if as_json:
        emit(result, True)
    elif result["ok"]:
        click.echo(f"{result['sessions']} session(s) in {result['files']} file(s): no problems" +
                   (f", {len(result['warnings'])} warning(s)." if result["warnings"] else "."))
    else:
        for problem in result["problems"]:
            click.echo(f"{problem['where']}: {problem['message']}", err=True)
    if not result["ok"]:
        if not as_json:
            click.echo(f"Error: {len(result['problems'])} problem(s) in the session registry; fix them and "
                       f"run 'taskforce sessions check' again", err=True)
        raise SystemExit(1)
