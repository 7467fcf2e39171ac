"""The ``taskforce`` click group: workspace selection, and the one place library errors become CLI errors."""
from __future__ import annotations

import functools

import click

from .. import __version__
from ..errors import TaskforceError
from ..workspace import HOME_ENV, Workspace

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
    """Turns library errors into ``Error: ...`` on stderr with exit status 1, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except TaskforceError as err:
            problem = click.ClickException(str(err))
            problem.exit_code = err.exit_code
            raise problem from None
        except PermissionError as err:
            raise click.ClickException(f"permission denied: {err.filename}; check the folder's owner and "
                                       f"permissions, or choose another workspace with --home") from None
        except OSError as err:
            target = f": {err.filename}" if err.filename else ""
            raise click.ClickException(f"{err.strerror or err}{target}") from None


@click.group(cls=TaskforceGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="taskforce")
@click.option("--home", metavar="DIR", envvar=HOME_ENV, show_envvar=True,
              help="Workspace folder (default: the current directory).")
@click.pass_context
def cli(ctx: click.Context, home: str | None) -> None:
    """Document pipeline of the Italy-Russia Task Force on SMEs and industrial districts:
    sessions, bilingual drafts, the write-once archive of signed PDFs, and search."""
    ctx.obj = Workspace.at(home)
