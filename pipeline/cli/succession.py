"""``taskforce archive withdraw`` and ``archive supersede`` (issue 24), and what ``taskforce ingest
--dry-run`` prints: the metadata each file's text proposes, nothing archived. They parse and render; the work
is :mod:`pipeline.usecases.archiving`'s."""
from __future__ import annotations

import click

from .. import usecases
from ..archive.proposals import READ
from .errors import TaskforceCommand, namer_for, rejection_reason
from .main import pass_workspace
from .output import emit, json_option


@click.command("withdraw", cls=TaskforceCommand)
@click.argument("doc_id")
@click.option("--reason", required=True, help="Why it is withdrawn (shown to staff with the document).")
@click.option("--actor", help="Who withdraws it, for the event log (default: the user running the command).")
@json_option
@pass_workspace
def archive_withdraw(ws, doc_id, reason, actor, as_json):
    """Withdraw DOC_ID from view: it leaves the public's search, pages, sessions, statistics and suggestions.

    A new sidecar revision and a withdrawal event; the PDF and the older revisions stay, and 'archive
    verify' stays clean. Staff still see it, marked with the reason."""
    report = usecases.withdraw(ws, doc_id, reason, actor)
    _shown(report, as_json, lambda r: f"{r.doc_id}: withdrawn ({r.withdrawn}), revision {r.revision} written")


@click.command("supersede", cls=TaskforceCommand)
@click.argument("old")
@click.argument("new")
@click.option("--actor", help="Who records it, for the event log (default: the user running the command).")
@json_option
@pass_workspace
def archive_supersede(ws, old, new, actor, as_json):
    """Record that document NEW replaces document OLD (a corrected or re-signed copy).

    Each gets a new sidecar revision linking it to the other (superseded_by, supersedes) and an event; the
    PDFs stay. Both stay in view, each pointing to the other."""
    report = usecases.supersede(ws, old, new, actor)
    _shown(report, as_json, lambda r: f"{r.doc_id}: superseded by {r.superseded_by}, revision {r.revision} written"
           if r.superseded_by and r.doc_id == report.records[0].doc_id
           else f"{r.doc_id}: supersedes {r.supersedes}, revision {r.revision} written")


def _shown(report, as_json: bool, line) -> None:
    if as_json:
        emit(report.as_dict(), True)
        return
    if report.index_error:
        click.echo(f"Warning: {report.index_error}", err=True)
    for record in report.records:
        click.echo(line(record))


def dry_run(ws, paths, options, manifest, limits, as_json: bool) -> None:
    """Print what ``ingest`` would do with each file and the metadata its text proposes; archive nothing.
    Exit status 1 when a file would be rejected."""
    found = usecases.propose(ws, paths, options, manifest, limits)
    namer = namer_for(click.get_current_context(silent=True))
    if as_json:
        rows = []
        for proposal in found:
            row = proposal.as_dict()
            if proposal.problem is not None:
                row["reason"] = _reason(proposal)
            rows.append(row)
        emit({"files": rows, "archived": 0}, True)
    else:
        for proposal in found:
            _print_proposal(proposal, namer)
        counts = {kind: sum(p.outcome == kind for p in found) for kind in ("archivable", "duplicate", "rejected")}
        click.echo(f"Dry run: nothing archived; {counts['archivable']} would be archived, {counts['duplicate']} "
                   f"duplicate(s), {counts['rejected']} would be rejected")
    if any(p.outcome == "rejected" for p in found):
        raise SystemExit(1)


class _Problem:
    """An Outcome-like holder, so that a dry run's rejection is worded as the ingest's."""

    def __init__(self, problem):
        self.problem, self.reason = problem, getattr(problem, "reason", str(problem))


def _reason(proposal) -> str:
    return rejection_reason(_Problem(proposal.problem))


def _print_proposal(proposal, namer) -> None:
    if proposal.outcome == "duplicate":
        click.echo(f"duplicate {proposal.file}: identical to {proposal.duplicate_of}, would not be stored again")
        return
    if proposal.outcome == "rejected":
        click.echo(f"rejected  {proposal.file}: {_reason(proposal)}")
    else:
        click.echo(f"archive   {proposal.file}")
        for name in ("session", "type", "title", "reference", "parties", "signed_on", "place", "languages",
                     "confidentiality"):
            if name in proposal.values:
                value = proposal.values[name]
                shown = ", ".join(value) if isinstance(value, list) else value
                click.echo(f"  {name}: {shown}  ({proposal.sources.get(name, 'default')})")
        for doc_id in proposal.same_reference[-1:]:
            click.echo(f"  its reference is archived as {doc_id}: once it is archived as NEW, run "
                       f"'taskforce archive supersede {doc_id} NEW' if it replaces it")
    proposals = proposal.proposals
    if proposals and proposals.values:
        click.echo(f"  {READ}:")
        for name, value in proposals.values.items():
            shown = ", ".join(value) if isinstance(value, list) else value
            mark = "" if proposals.certain(name) or name not in ("session", "type") else "  [to confirm]"
            click.echo(f"    {name}: {shown}  (confidence {proposals.confidence[name]}; "
                       f"{proposals.sources[name].removeprefix(READ + ': ')}){mark}")
            for other in proposals.ambiguities.get(name, []):
                click.echo(f"      or {other}")
