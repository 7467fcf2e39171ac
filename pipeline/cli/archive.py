"""Archive commands: ``taskforce ingest`` and the ``taskforce archive`` group. They parse options and
render results (lines, JSON, a progress bar); the work is done by :mod:`pipeline.usecases`."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import usecases
from ..archive.metadata import Given, parse_languages, parse_reference, parse_signed_on
from ..archive.store import Archive
from ..compare.comparison import verdict
from ..errors import NotFoundError, ValidationError
from ..pdf.text import ExtractLimits
from ..vocab import CONFIDENTIALITY_LEVELS, DOCUMENT_TYPES
from .errors import cli_message, rejection_reason
from .main import cli, pass_workspace
from . import succession
from .output import emit, jobs_option, json_option

EDIT_OPTIONS = ("--title, --party, --sector, --session, --type, --signed-on, --place, --lang, --confidentiality, "
                "--ref, --title-ru, --place-ru")


def _validated(parser):
    """A click callback running one of the archive's parsers, so options and manifest rows agree."""
    def callback(ctx, param, value):
        if value is None or value == ():
            return value
        try:
            return [parser(item) for item in value] if isinstance(value, tuple) else parser(value)
        except ValidationError as err:
            raise click.BadParameter(err.message.split(": ", 1)[-1]) from None
    return callback


def metadata_options(command):
    """The metadata options shared by ``ingest`` and ``archive edit``."""
    options = [
        click.option("--session", type=click.IntRange(min=1), help="Session number (1 is the 2002 session)."),
        click.option("--type", "doc_type", type=click.Choice(DOCUMENT_TYPES), help="Document type."),
        click.option("--title", help="Title of the document."),
        click.option("--title-ru", "title_ru", help="The title in Russian, when --title is the Italian one."),
        click.option("--party", "parties", multiple=True, help="A signing party; repeat for each."),
        click.option("--sector", "sectors", multiple=True, help="An industrial sector; repeat for each."),
        click.option("--signed-on", metavar="DATE", callback=_validated(parse_signed_on),
                     help="Date of signature: 2019-11-27, '27 novembre 2019' or '27 ноября 2019 г.'."),
        click.option("--place", help="Place of signature."),
        click.option("--place-ru", "place_ru", help="The place of signature in Russian, beside --place."),
        click.option("--lang", "languages", metavar="it,ru", callback=_validated(parse_languages),
                     help="Languages of the document: it, ru or it,ru (default: detected)."),
        click.option("--confidentiality", type=click.Choice(CONFIDENTIALITY_LEVELS),
                     help="public, internal or restricted (default: the drafts register's level, else public); "
                          "given here, it wins even over a more restrictive register or manifest."),
        click.option("--ref", "reference", metavar="REF", callback=_validated(parse_reference),
                     help="Drafting reference code, e.g. TF25-AGR-003."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _given(session, doc_type, title, parties, sectors, signed_on, place, languages, confidentiality, reference,
           password=None, title_ru=None, place_ru=None) -> Given:
    return Given(session=session, type=doc_type, title=title, parties=list(parties or []),
                 sectors=list(sectors or []), signed_on=signed_on, place=place, languages=list(languages or []),
                 confidentiality=confidentiality, reference=reference, password=password, title_ru=title_ru,
                 place_ru=place_ru)


def _outcome_line(outcome) -> str:
    if outcome.outcome == "archived":
        d = outcome.details
        signatures = f", {d['signatures']} signature(s)" if d.get("signatures") else ""
        draft = f"; {d['draft']}" if d.get("draft") else ""
        return (f"archived  {outcome.doc_id}  {outcome.file}  (session {d['session']}, {d['type']}, "
                f"{d['pages']} page(s), text: {d['text_source']}{signatures}{draft})")
    if outcome.outcome == "duplicate":
        return f"duplicate {outcome.file}: identical to {outcome.doc_id}, not stored again"
    quarantined = f" (quarantined as {outcome.details['quarantined']})" if outcome.details.get("quarantined") else ""
    return f"rejected  {outcome.file}: {rejection_reason(outcome)}{quarantined}"


def _warnings(outcome) -> list[str]:
    """An outcome's warnings, those of the library's notices worded for the command line."""
    worded = {str(notice): cli_message(notice) for notice in outcome.notices}
    return [worded.get(warning, warning) for warning in outcome.details.get("warnings", [])]


def _skipped_line(path: str) -> str:
    line = f"skipped   {path}: not a PDF"
    if path.lower().endswith(".csv"):
        line += f"; to read it as a manifest, give --manifest {path}"
    return line


class _LinesWithProgress:
    """Prints each file's line as it is done, with a progress bar on a terminal when there are several."""

    def __init__(self, show_bar: bool):
        self.show_bar = show_bar
        self.bar = None

    def __call__(self, outcome, done: int, total: int) -> None:
        if self.bar is None and self.show_bar and total > 1:
            self.bar = click.progressbar(length=total, label="Ingesting", file=sys.stderr)
            self.bar.__enter__()
        if self.bar is not None:
            self.bar.update(1)
        click.echo(_outcome_line(outcome))
        for warning in _warnings(outcome):
            click.echo(f"Warning: {warning}", err=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@metadata_options
@click.option("--password", help="Password of encrypted PDFs (the empty one is always tried first).")
@click.option("--manifest", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV with one row per file: a 'file' column and any of the options above as columns.")
@click.option("--quarantine", type=click.Path(file_okay=False, path_type=Path),
              help="Copy rejected files into this folder, each with a NAME.reason.txt.")
@click.option("--max-size-mb", type=click.IntRange(min=1), help="Reject files bigger than this (default 500).")
@click.option("--max-pages", type=click.IntRange(min=1), help="Reject PDFs with more pages (default 5000).")
@click.option("--timeout", type=click.FloatRange(min=1), help="Seconds of text extraction per file (default 120).")
@jobs_option
@click.option("--dry-run", is_flag=True, help="Print the metadata each file's text proposes and what would be "
              "archived or rejected; archive nothing.")
@json_option
@pass_workspace
def ingest(ws, paths, session, doc_type, title, parties, sectors, signed_on, place, languages, confidentiality,
           reference, password, manifest, quarantine, max_size_mb, max_pages, timeout, jobs, dry_run, as_json,
           title_ru=None, place_ru=None):
    """Archive signed PDFs: files, folders (recursively) and the files of a --manifest CSV.

    Every file is processed; the summary lists archived files, duplicates and rejected files with their
    reasons. Without --session and --type, a file with no reference code is archived when its text says its
    session and type unambiguously (an old Protocol's "VII sessione", "седьмого заседания"), and rejected
    otherwise with what was found. Exit status 1 when any file was rejected, or when there was no file to
    ingest."""
    if not paths and manifest is None:
        raise click.UsageError("give at least one PATH or --manifest FILE.csv")
    options = _given(session, doc_type, title, parties, sectors, signed_on, place, languages, confidentiality,
                     reference, password, title_ru, place_ru)
    limits = _limits(max_bytes=max_size_mb and max_size_mb * 1024 * 1024, max_pages=max_pages,
                     seconds_per_file=timeout)
    if dry_run:
        succession.dry_run(ws, paths, options, manifest, limits, as_json)
        return
    printer = None if as_json else _LinesWithProgress(sys.stderr.isatty())
    try:
        report = usecases.ingest(ws, paths, options, manifest, quarantine, limits, printer, jobs)
    finally:
        if printer:
            printer.close()
    summary = report.summary
    if as_json:
        data = report.as_dict()
        data["warnings"] = []
        for row, outcome in zip(data["files"], report.outcomes):
            row["reason"] = rejection_reason(outcome)
            if "warnings" in row:
                row["warnings"] = _warnings(outcome)
            data["warnings"] += [cli_message(notice) for notice in outcome.notices]
        emit(data, True)
    else:
        for path in report.skipped:
            click.echo(_skipped_line(path))
        if report.index_error:
            click.echo(f"Warning: {report.index_error}", err=True)
        click.echo(f"Summary: {summary['archived']} archived, {summary['duplicate']} duplicate(s), "
                   f"{summary['rejected']} rejected" + (f", {len(report.skipped)} skipped (not PDF)"
                                                        if report.skipped else ""))
        if report.rejected:
            click.echo(f"Error: {len(report.rejected)} file(s) rejected:", err=True)
            for outcome in report.rejected:
                click.echo(f"  {outcome.file}: {rejection_reason(outcome)}", err=True)
    if summary["rejected"]:
        raise SystemExit(1)


def _limits(**chosen) -> ExtractLimits:
    return ExtractLimits(**{name: value for name, value in chosen.items() if value is not None})


def _archive(ws) -> Archive:
    return Archive(ws.require())


@cli.group()
def archive():
    """The write-once archive of signed PDFs in archive/."""


archive.add_command(succession.archive_withdraw)
archive.add_command(succession.archive_supersede)


LIST_COLUMNS = ["doc_id", "session", "type", "title", "signed_on", "place", "pages", "text_source", "signatures"]


@archive.command("list")
@click.option("--session", type=click.IntRange(min=1), help="Only documents of this session.")
@click.option("--type", "doc_type", type=click.Choice(DOCUMENT_TYPES), help="Only documents of this type.")
@click.option("--differs", is_flag=True, help="Only signed documents whose text differs from their approved draft.")
@json_option
@pass_workspace
def archive_list(ws, session, doc_type, differs, as_json):
    """List the archived documents (newest metadata revision of each)."""
    chosen, problems = usecases.list_documents(ws, session, doc_type, differs)
    if as_json:
        emit([r.as_dict() for r in chosen], True)
    else:
        rows = [dict(r.as_dict(), signatures=len(r.signatures), draft=verdict(r.draft_comparison)) for r in chosen]
        emit(rows, False, LIST_COLUMNS + (["draft"] if differs else []))
    for problem in problems:
        click.echo(f"Warning: {problem}", err=True)


@archive.command("show")
@click.argument("doc_id")
@json_option
@pass_workspace
def archive_show(ws, doc_id, as_json):
    """Show every metadata field of document DOC_ID, its file, signatures and events."""
    details = usecases.document_details(ws, doc_id)
    if as_json:
        emit(details, True)
        return
    for name in ("withdrawn", "superseded_by", "supersedes"):   # shown when set (issue 24)
        if details.get(name) is None:
            details.pop(name, None)
    comparison = details.get("draft_comparison")
    details["draft_comparison"] = _comparison_shown(comparison) if comparison else "not compared"
    details["draft"] = details.get("draft") or "not compared with a draft"
    emit(details)


LANGUAGE_NAMES = {"it": "Italian", "ru": "Russian"}


def _comparison_shown(summary: dict) -> dict:
    """The comparison with the draft as a person reads it: the counts of paragraphs per language in words,
    the draft mark said to be absent (the JSON keeps the sidecar's fields as they are)."""
    shown = {"reference": summary.get("reference"),
             "version": f"v{summary.get('version')} ({summary.get('state')}; {summary.get('version_choice')})",
             "method": summary.get("method"), "identical": "yes" if summary.get("identical") else "no"}
    for code, counts in (summary.get("languages") or {}).items():
        parts = [f"{counts[kind]} {kind}" for kind in ("changed", "added", "removed") if counts.get(kind)]
        shown[f"{LANGUAGE_NAMES.get(code, code)} paragraphs"] = ", ".join(parts) or "no difference"
    shown["draft mark"] = summary.get("draft_mark") or "none"
    return shown


@archive.command("diff")
@click.argument("doc_id")
@click.option("--version", type=click.IntRange(min=1), help="Compare with this draft version (default: the newest "
              "final one, else the newest).")
@json_option
@pass_workspace
def archive_diff(ws, doc_id, version, as_json):
    """The redline between the signed text of DOC_ID and a version of its draft, Italian and Russian apart
    ('~' a changed paragraph, its changed words marked [-draft-]{+signed+}; '-' a paragraph only in the
    draft, '+' one only in the signed text)."""
    result = usecases.compare_document(ws, doc_id, version)
    if as_json:
        emit(result.as_dict(), True)
        return
    for line in result.redline():
        click.echo(line)
    for warning in result.warnings:
        click.echo(f"Warning: {warning}", err=True)


@archive.command("compare")
@click.argument("doc_id")
@json_option
@pass_workspace
def archive_compare(ws, doc_id, as_json):
    """Compare the signed text of DOC_ID with its draft as the drafts register is now, and record it.

    The newest final version (else the newest), as at ingest. A new sidecar revision when the result
    changed (the register has a newer version, the reference was corrected), a 'draft comparison' event
    always. 'archive diff' only shows, and writes nothing."""
    result = usecases.recompare_document(ws, doc_id)
    if as_json:
        emit(result.as_dict(), True)
    elif result.changed:
        click.echo(f"{result.record.doc_id}: {verdict(result.record.draft_comparison)} (was: {verdict(result.was)}); "
                   f"revision {result.record.revision} written")
    else:
        click.echo(f"{result.record.doc_id}: {verdict(result.record.draft_comparison)} (unchanged: revision "
                   f"{result.record.revision} kept; the comparison is logged)")
    for warning in result.warnings + ([result.index_error] if result.index_error else []):
        click.echo(f"Warning: {warning}", err=True)


@archive.command("text")
@click.argument("doc_id")
@click.option("--page", type=click.IntRange(min=1), help="Only this page (1 is the first).")
@pass_workspace
def archive_text(ws, doc_id, page):
    """Print the text of document DOC_ID (pages separated by a form feed), or of one page."""
    store = _archive(ws)
    pages = store.page_texts(doc_id)
    if page is not None:
        if page > len(pages):
            raise NotFoundError(f"{store.folder_of(doc_id).name} has {len(pages)} page(s): give --page 1 to {len(pages)}")
        click.echo(pages[page - 1])
    else:
        click.echo("\n\f".join(pages))


@archive.command("edit")
@click.argument("doc_id")
@metadata_options
@json_option
@pass_workspace
def archive_edit(ws, doc_id, session, doc_type, title, parties, sectors, signed_on, place, languages,
                 confidentiality, reference, as_json, title_ru=None, place_ru=None):
    """Correct the metadata of DOC_ID: writes a new sidecar revision, keeps the old ones, logs an event.

    --party and --sector replace the whole list. The PDF never changes."""
    changes = _given(session, doc_type, title, parties, sectors, signed_on, place, languages, confidentiality,
                     reference, title_ru=title_ru, place_ru=place_ru)
    if not changes.metadata_fields():
        raise click.UsageError(f"nothing to change: give at least one of {EDIT_OPTIONS}")
    report = usecases.edit_metadata(ws, doc_id, changes)
    record = report.record
    if as_json:
        emit(report.as_dict(), True)
        return
    if report.index_error:
        click.echo(f"Warning: {report.index_error}", err=True)
    if report.changed:
        click.echo(f"{record.doc_id}: revision {record.revision} written ({', '.join(report.changed)} changed)")
    else:
        click.echo(f"{record.doc_id}: nothing changed, revision {record.revision} kept")


@archive.command("verify")
@json_option
@pass_workspace
def archive_verify(ws, as_json):
    """Fixity check: re-hash every file in full, check the sidecars and the event chain.

    Reports changed, missing and untracked files, broken sidecars and a broken event chain; logs a
    fixity-check event. Exit status 1 on any finding."""
    report = usecases.verify(ws)
    if as_json:
        emit(report.as_dict(), True)
    else:
        for finding in report.findings:
            click.echo(f"{finding.where}: {finding.message}")
        click.echo(report.summary())
    if report.findings:
        if not as_json:
            click.echo(f"Error: the fixity check found {len(report.findings)} problem(s)", err=True)
        raise SystemExit(1)


LOG_COLUMNS = ["time", "type", "object", "agent", "outcome", "detail"]


@archive.command("log")
@click.argument("doc_id", required=False)
@json_option
@pass_workspace
def archive_log(ws, doc_id, as_json):
    """Show the event log, or the events of document DOC_ID."""
    events = _archive(ws).events(doc_id)
    emit(events, as_json, None if as_json else LOG_COLUMNS)


@archive.command("export")
@click.argument("destination", type=click.Path(path_type=Path))
@click.option("--session", type=click.IntRange(min=1), help="Only the documents of this session.")
@json_option
@pass_workspace
def archive_export(ws, destination, session, as_json):
    """Export documents as a BagIt bag in DESTINATION (a new folder), validated after writing."""
    result = usecases.export(ws, destination, session)
    if as_json:
        emit(result, True)
    else:
        click.echo(f"Exported {result['documents']} document(s), {result['files']} file(s) to the BagIt bag "
                   f"{result['bag']} (validated)")

