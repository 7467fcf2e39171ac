"""The web page and its staff accounts: ``serve`` and ``users add|list|remove``."""
from __future__ import annotations

import errno
import ipaddress
import sys

import click

from ..errors import ValidationError
from ..vocab import ROLES
from .errors import usage_problem
from .main import cli, pass_workspace
from .output import emit, json_option


SERVER_NAME = "taskforce"           # the Server header: no product, no version
# Slow clients (issue 26): waitress closes a connection that sends nothing for IDLE_SECONDS, checked every
# CLEANUP_SECONDS, but it has no limit on the time a request's headers or body take, so a client that sends
# a header line every few seconds keeps its connection; CONNECTIONS of them fill the server. These settings
# make that cost more connections; only a proxy in front that limits header and body time and connections
# per client ends it (README, "Deploying").
IDLE_SECONDS = 15                  # a connection that sends nothing for this long is closed
CLEANUP_SECONDS = 5                # how often idle connections are looked for (waitress's default: 30)
CONNECTIONS = 500                  # open connections at once (waitress's default: 100); poll(), not select()
HEADER_LIMIT = 64 * 1024           # bytes of request line and headers


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--threads", type=click.IntRange(1, 64), default=8, show_default=True,
              help="Requests answered at the same time (more wait in a queue).")
@click.option("--trusted-proxy", is_flag=True,
              help="An HTTPS proxy in front sets X-Forwarded-For: take the visitor's address from it (for the "
                   "sign-in limit and the log). Only behind such a proxy: otherwise anyone could forge it.")
@click.option("--secure-cookies", is_flag=True,
              help="Send the session cookie over HTTPS only, whatever the proxy says (behind --trusted-proxy it "
                   "already is whenever the proxy sets X-Forwarded-Proto: https).")
@pass_workspace
def serve(ws, host, port, threads, trusted_proxy, secure_cookies):
    """Serve the web page (search, documents, sessions, statistics) for this workspace, with waitress.

    Without signing in, visitors see only public documents; staff accounts ('taskforce users add') see
    internal and restricted ones too. Plain HTTP: beyond this computer, put it behind an HTTPS proxy and give
    --trusted-proxy (else every visitor has the proxy's address, and five failed sign-ins by anyone lock
    everyone out for 15 minutes)."""
    import logging
    import signal

    from waitress.server import create_server

    from ..usecases.searching import rebuild_index
    from ..web import create_app
    from ..web.app import LARGEST_BODY
    from ..web.intake import MAX_REQUEST

    ws.require()
    rebuilt = rebuild_index(ws, if_needed=True)
    if rebuilt:
        click.echo(f"Indexed {rebuilt['documents']} document(s) in {rebuilt['seconds']} s.")
    app = create_app(ws, trusted_proxy=trusted_proxy, secure_cookies=secure_cookies)
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        click.echo(f"Warning: listening on {host} without HTTPS; passwords would cross the network in clear. "
                   f"Put the server behind an HTTPS proxy.", err=True)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        server = create_server(
            app, host=host, port=port, threads=threads, ident=SERVER_NAME,
            max_request_body_size=max(LARGEST_BODY, MAX_REQUEST),   # the routes limit their own (uploads)
            max_request_header_size=HEADER_LIMIT, channel_timeout=IDLE_SECONDS,
            cleanup_interval=CLEANUP_SECONDS, connection_limit=CONNECTIONS, asyncore_use_poll=True,
            expose_tracebacks=False,
            # without --trusted-proxy waitress drops X-Forwarded-* before the application sees them
            clear_untrusted_proxy_headers=not trusted_proxy)
    except ValueError:                    # waitress: an address that is not one
        raise ValidationError(f"cannot listen on {host!r} port {port}: not an address of this computer") from None
    except OSError as err:
        raise ValidationError(f"cannot listen on {host} port {port}: {err.strerror or err}"
                              + ("; another program uses it, give another --port" if err.errno == errno.EADDRINUSE
                                 else "")) from None
    click.echo(f"Serving {ws.home} on http://{host}:{port}/ with waitress, {threads} threads"
               f"{', client addresses from X-Forwarded-For' if trusted_proxy else ''} (Ctrl+C stops)")
    signal.signal(signal.SIGTERM, _stop)
    server.run()                     # returns on Ctrl+C or SIGTERM, after closing the connections
    click.echo("Stopped.")


def _stop(signum, frame):
    raise SystemExit(0)


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


ROLE_HELP = ("What the account may change from the web page: legal (sessions and drafts), archivist (intake, "
             "withdrawals), admin (everything); repeat for several. Without a role the account reads only.")


def _check_roles(roles) -> None:
    """An unknown --role is a usage mistake (exit 2), said as click says a wrong choice."""
    from ..web.users import check_roles

    try:
        check_roles(roles)
    except ValidationError as err:
        raise usage_problem(err) or err from None


@users_group.command("add")
@click.argument("name")
@click.option("--replace", is_flag=True, help="Set a new password for an existing user (this ends every "
              "signed-in session of that user); its roles stay unless --role is given.")
@click.option("--role", "roles", multiple=True, metavar="|".join(ROLES), help=ROLE_HELP)
@json_option
@pass_workspace
def users_add(ws, name, replace, roles, as_json):
    """Add staff user NAME. The password is asked for (twice), or read from one line of standard input;
    only its scrypt hash is kept, in the workspace's web/users.json."""
    from ..web.users import add_user, check_name

    check_name(name)
    _check_roles(roles)
    result = add_user(ws.require(), name, _read_password(confirm=True), replace=replace,
                      roles=roles if roles or not replace else None)
    if as_json:
        emit(result, True)
    else:
        click.echo(f"{'Changed the password of' if result['replaced'] else 'Added'} user {name}"
                   f" ({', '.join(result['roles']) or 'no role: reads only'}).")


@users_group.command("roles")
@click.argument("name")
@click.option("--role", "roles", multiple=True, metavar="|".join(ROLES), help=ROLE_HELP)
@json_option
@pass_workspace
def users_roles(ws, name, roles, as_json):
    """Give staff user NAME exactly the roles given (none: the account reads only)."""
    from ..web.users import set_roles

    _check_roles(roles)
    result = set_roles(ws.require(), name, roles)
    if as_json:
        emit(result, True)
    else:
        click.echo(f"User {name}: {', '.join(result['roles']) or 'no role (reads only)'}.")


@users_group.command("list")
@json_option
@pass_workspace
def users_list(ws, as_json):
    """The staff users (names and dates; never passwords)."""
    from ..web.users import list_users

    users = list_users(ws.require())
    if not as_json:
        users = [{**user, "roles": ", ".join(user["roles"]) or "-"} for user in users]
    emit(users, as_json, columns=["name", "roles", "created", "changed"])


@users_group.command("remove")
@click.argument("name")
@json_option
@pass_workspace
def users_remove(ws, name, as_json):
    """Remove staff user NAME (every signed-in session of that user ends at its next request, and stays ended
    if the name is added again)."""
    from ..web.users import remove_user

    result = remove_user(ws.require(), name)
    if as_json:
        emit(result, True)
    else:
        click.echo(f"Removed user {name}.")
