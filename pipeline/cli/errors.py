"""The library's errors as the command line says them: each field named by the option that sets it.

An error names its input by a data path (``from``, ``parties``, ``reference``); here it becomes the option of
the command being run that fills that path (``--from``, ``--party``, ``--ref``), found among the options of
the command and of its groups. A path no option of the command fills (a key of a YAML file) stays as it is.
"""
from __future__ import annotations

import click

from ..errors import PdfRejected, TaskforceError, fill
from ..vocab import DOCUMENT_TYPES

# The value shown after an option where a message says how to give it ("give --session N")
USAGE = {"session": "N", "type": "|".join(DOCUMENT_TYPES), "reference": "REF", "kind": "KIND"}
# The command line's own wording of some messages: the command that repairs the problem
TEMPLATES = {
    "ingest.unregistered_session": "{doc_id} ({file}) is archived under session {session}, which is not in the "
                                   "sessions registry; add it with 'taskforce sessions add FILE', or correct it "
                                   "with 'taskforce archive edit {doc_id} --session N'",
    "ingest.uncertain": "{fields:plain,and} not certain from the text (found: {found}); confirm or correct it "
                        "with {confirm} (or a manifest row)",
    "compare.no_reference": "{doc_id} has no reference code: it cannot be compared with a draft (give one with "
                            "'taskforce archive edit {doc_id} --ref REF')",
}


def option_names(ctx: click.Context | None) -> dict[str, str]:
    """Data path -> option, for the options of ``ctx``'s command and of the groups above it: an option is
    known by its destination (``parties`` for --party) and by its own name (``from`` for --from)."""
    names: dict[str, str] = {}
    while ctx is not None:
        for param in ctx.command.params:
            if not isinstance(param, click.Option):
                continue
            flag = next((opt for opt in param.opts if opt.startswith("--")), None)
            if flag is None:
                continue
            names.setdefault(flag[2:].replace("-", "_"), flag)
            if param.name:
                names.setdefault(param.name, flag)
        ctx = ctx.parent
    return names


def namer_for(ctx: click.Context | None):
    options = option_names(ctx)

    def name(path: str, spec: str = "") -> str:
        flag = options.get(path)
        if flag is None or spec == "plain":
            return path
        if spec == "usage" and path in USAGE:
            return f"{flag} {USAGE[path]}"
        return flag
    return name


def cli_message(err: TaskforceError, ctx: click.Context | None = None) -> str:
    """``err`` as the command line prints it (after ``Error: ``), with its findings."""
    ctx = getattr(err, "cli_context", None) or ctx
    return err.with_findings(err.render(namer_for(ctx), TEMPLATES.get(err.code)))


def rejection_reason(outcome, ctx: click.Context | None = None) -> str | None:
    """The reason a file of an ingest was rejected, as the command line says it."""
    problem = outcome.problem
    if isinstance(problem, PdfRejected) and problem.code == "ingest.uncertain":
        namer = namer_for(ctx or click.get_current_context(silent=True))
        confirm = " ".join(f"{namer(name)} {value if value is not None else USAGE.get(name, 'VALUE')}"
                           for name, value in (problem.params.get("proposed") or {}).items())
        return fill(TEMPLATES["ingest.uncertain"], dict(problem.params, confirm=confirm), namer)
    if isinstance(problem, PdfRejected) and problem.code:
        return problem.reason_text(namer_for(ctx or click.get_current_context(silent=True)))
    return outcome.reason


# The problems of a command's values that are usage mistakes (exit 2, with the usage line), as click says them
USAGE_CODES = {"value.choice", "date.missing", "date.not_real", "date.unreadable", "date.unreadable_bound"}


def usage_problem(err: TaskforceError) -> click.BadParameter | None:
    """A library error about an option's value that is a usage mistake, as click's own ("Invalid value for
    '--sort': 'x' is not one of 'relevance', ..."); None for any other error."""
    ctx = click.get_current_context()
    flag = option_names(ctx).get(err.field or "")
    param = next((p for p in ctx.command.params if flag in getattr(p, "opts", ())), None)
    if err.code not in USAGE_CODES or param is None:
        return None
    if err.code == "value.choice":
        allowed = ", ".join(repr(value) for value in err.params["allowed"].split(", "))
        message = f"{err.params['value']!r} is not one of {allowed}."
    else:                    # click names the option already ("Invalid value for '--from': ..."): not twice
        message = err.render().removeprefix(f"{err.field}: ")
    return click.BadParameter(message, ctx=ctx, param=param)


class TaskforceCommand(click.Command):
    """A command whose library errors remember it: their fields are named by its options."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except TaskforceError as err:
            if getattr(err, "cli_context", None) is None:
                err.cli_context = ctx
            raise
