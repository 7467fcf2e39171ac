"""The ``taskforce`` click group: workspace selection, and the one place library errors become CLI errors."""
from __future__ import annotations

import functools
import importlib
import os
import select
import sys

import click

from .. import __version__
from ..errors import TaskforceError
from ..workspace import HOME_ENV, Workspace
from .errors import TaskforceCommand, cli_message

# The chosen folder, whatever it holds: for 'init' and 'demo', which make a workspace of it.
pass_folder = click.make_pass_decorator(Workspace)


def pass_workspace(command):
    """Pass the chosen workspace to ``command``, refusing (exit 2, nothing created) a folder that
    'taskforce init' did not make. Checked when the command runs, so that --help works anywhere."""
    @pass_folder
    @functools.wraps(command)
    def checked(ws: Workspace, *args, **kwargs):
        return command(ws.require(), *args, **kwargs)
    return checked


class TaskforceGroup(click.Group):
    """Turns library errors into ``Error: ...`` on stderr with exit status 1, never a traceback, each field
    named by the option of the command that sets it (cli/errors.py)."""

    command_class = TaskforceCommand
    group_class = type        # a group of commands made in a group: this class again

    def invoke(self, ctx):
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()      # here, not at exit: a reader gone by then is handled below
            return result
        except BrokenPipeError:
            if not _stdout_reader_gone():
                raise
            # `taskforce search "" --csv | head -3`: the reader has what it wanted; end quietly, as Unix tools do
            _discard_stdout()
            ctx.exit(0)
        except TaskforceError as err:
            problem = click.ClickException(cli_message(err, ctx))
            problem.exit_code = err.exit_code
            raise problem from None
        except PermissionError as err:
            raise click.ClickException(f"permission denied: {err.filename}; check the folder's owner and "
                                       f"permissions, or choose another workspace with --home") from None
        except OSError as err:
            target = f": {err.filename}" if err.filename else ""
            raise click.ClickException(f"{err.strerror or err}{target}") from None


def _stdout_reader_gone() -> bool:
    """Whether standard output is a pipe whose reader has closed it (the broken pipe is ours to end on, not one
    to a child process)."""
    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & select.POLLERR for _, events in poller.poll(0))
    except (AttributeError, ValueError, OSError):
        return False


def _discard_stdout() -> None:
    """Send what is still buffered for standard output to /dev/null, so that Python's flush at exit does not
    print "Exception ignored ... BrokenPipeError"."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


# Each command's module is imported only when the command runs or its own help is asked for: `taskforce --help`
# and `taskforce search` need not import the archive, drafting, the demo and the web server. The table gives
# the module that registers each top-level command and the short help that `taskforce --help` prints
# (tests/test_docs.py checks it against the command's own help).
LAZY_COMMANDS = {
    "archive": ("archive", "The write-once archive of signed PDFs in archive/."),
    "demo": ("demo", "Build a complete sample workspace through the real code paths: sessions, drafts rendered "
                     "from the templates, PDFs (some signed, some scanned), ingest, index, and example searches."),
    "draft": ("drafting", "Render bilingual drafts from the .docx templates; list, show and compare their "
                          "versions."),
    "index": ("search", "The search index: derived from the archive, rebuilt from it at any time."),
    "ingest": ("archive", "Archive signed PDFs: files, folders (recursively) and the files of a --manifest CSV."),
    "init": ("sessions", "Create a workspace in DIRECTORY (default: --home or the current directory)."),
    "parties": ("parties", "The parties of the archived documents: names in both scripts, variants, country, "
                           "region, city."),
    "search": ("search", "Search the archive in Italian and Russian."),
    "serve": ("web", "Serve the web page (search, documents, sessions, statistics) for this workspace, with "
                     "waitress."),
    "sessions": ("sessions", "The session registry: one YAML file per session in sessions/."),
    "stats": ("search", "Counts of the archived (signed) documents by session, year, sector, type or host country."),
    "templates": ("drafting", "The .docx templates: the shipped ones, or the workspace's own in templates/."),
    "watch": ("watch", "Ingest the PDFs dropped into FOLDER, each once it stops growing, as 'taskforce ingest' "
                       "does; move each to FOLDER/done/ or FOLDER/rejected/ with NAME.reason.txt beside it, and "
                       "print one line per file."),
    "users": ("web", "Staff accounts of the web page (they see internal and restricted documents)."),
}


class LazyTaskforceGroup(TaskforceGroup):
    """The top-level group: lists every command of :data:`LAZY_COMMANDS` and imports a command's module
    (which registers it) only when the command is looked up to run or to print its own help."""

    group_class = TaskforceGroup

    def list_commands(self, ctx):
        return sorted(set(self.commands) | set(LAZY_COMMANDS))

    def get_command(self, ctx, name):
        if name not in self.commands and name in LAZY_COMMANDS:
            importlib.import_module(f"{__package__}.{LAZY_COMMANDS[name][0]}")
        return self.commands.get(name)

    def format_commands(self, ctx, formatter):
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            command = self.commands.get(name)
            if command is None:
                rows.append((name, click.Command(name, help=LAZY_COMMANDS[name][1]).get_short_help_str(limit)))
            elif not command.hidden:
                rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyTaskforceGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="taskforce")
@click.option("--home", metavar="DIR", envvar=HOME_ENV, show_envvar=True,
              help="Workspace folder (default: the current directory).")
@click.pass_context
def cli(ctx: click.Context, home: str | None) -> None:
    """Document pipeline of the Italy-Russia Task Force on SMEs and industrial districts:
    sessions, bilingual drafts, the write-once archive of signed PDFs, and search."""
    ctx.obj = Workspace.at(home)
