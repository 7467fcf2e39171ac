"""The web page and its staff accounts: ``serve`` and ``users add|list|remove``."""
from __future__ import annotations

import ipaddress
import sys

import click

from ..errors import ValidationError
from .main import cli, pass_workspace
from .output import emit, json_option


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on.")
@pass_workspace
def serve(ws, host, port):
    """Serve the web page (search, documents, sessions, statistics) for this workspace.

    Without signing in, visitors see only public documents; staff accounts ('taskforce users add') see
    internal and restricted ones too. Plain HTTP: beyond this computer, put it behind an HTTPS proxy."""
    from werkzeug.serving import run_simple

    from ..index import rebuild_if_needed
    from ..web import create_app

    ws.require()
    rebuilt = rebuild_if_needed(ws)
    if rebuilt:
        click.echo(f"Indexed {rebuilt['documents']} document(s) in {rebuilt['seconds']} s.")
    app = create_app(ws)
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        click.echo(f"Warning: listening on {host} without HTTPS; passwords would cross the network in clear. "
                   f"Put the server behind an HTTPS proxy.", err=True)
    click.echo(f"Serving {ws.home} on http://{host}:{port}/ (Ctrl+C stops)")
    run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)


@cli.group("users")
def users_group():
    """Staff accounts of the web page (they see internal and restricted documents)."""


def _read_password(confirm: bool) -> str:
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line:
            raise ValidationError("no password on standard input: give it on one line")
        return line.rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=confirm)


@users_group.command("add")
@click.argument("name")
@click.option("--replace", is_flag=True, help="Set a new password for an existing user.")
@json_option
@pass_workspace
def users_add(ws, name, replace, as_json):
    """Add staff user NAME. The password is asked for (twice), or read from one line of standard input;
    only its scrypt hash is kept, in the workspace's web/users.json."""
    from ..web.users import add_user, check_name

    check_name(name)
    result = add_user(ws.require(), name, _read_password(confirm=True), replace=replace)
    if as_json:
        emit(result, True)
    else:
        click.echo(f"{'Changed the password of' if result['replaced'] else 'Added'} user {name}.")


@users_group.command("list")
@json_option
@pass_workspace
def users_list(ws, as_json):
    """The staff users (names and dates; never passwords)."""
    from ..web.users import list_users

    emit(list_users(ws.require()), as_json, columns=["name", "created", "changed"])


@users_group.command("remove")
@click.argument("name")
@json_option
@pass_workspace
def users_remove(ws, name, as_json):
    """Remove staff user NAME (signed-in sessions of that user end at their next request)."""
    from ..web.users import remove_user

    result = remove_user(ws.require(), name)
    if as_json:
        emit(result, True)
    else:
        click.echo(f"Removed user {name}.")
