"""Drafting commands: ``draft protocol|agreement|list|show|diff|final|pdf|import`` and ``templates list|check``."""
from __future__ import annotations

import getpass

import click

from .main import cli, pass_workspace
from .output import emit, json_option

ORDER_OPTION = click.option("--order", type=click.Choice(["it-ru", "ru-it"]), default="it-ru", show_default=True,
                            help="Which language comes first (ru-it: the Russian party's original, alternat).")
FINAL_OPTION = click.option("--final", is_flag=True, help="Final version: no BOZZA / ПРОЕКТ mark in the footer.")
PDF_OPTION = click.option("--pdf", is_flag=True, help="Also convert the version to PDF with LibreOffice.")


def actor() -> str | None:
    """Who runs the command, for the register's ``author``: the operating system's user name."""
    try:
        return getpass.getuser()
    except (KeyError, OSError, ImportError):   # no name for this uid (a container): not recorded
        return None


@cli.group()
def draft():
    """Render bilingual drafts from the .docx templates; list, show and compare their versions."""


def _report(entry: dict, as_json: bool) -> None:
    if as_json:
        emit(entry, True)
        return
    click.echo(f"{entry['reference']} v{entry['version']} ({entry['state']}): {entry['file']}")
    if entry.get("pdf"):
        click.echo(f"  PDF: {entry['pdf']}")
    for name in entry.get("unused_fields") or []:
        click.echo(f"  note: '{name}' is not printed in a {entry['kind']} (it is non-binding)", err=True)
    _report_forms(entry.get("forms") or [], entry)
    _other_original(entry, with_pdf=True)


def _other_original(entry: dict, with_pdf: bool = False) -> None:
    """The line naming the same version with the other language first (the other party's original)."""
    alternat = entry.get("alternat") or {}
    if alternat.get("file"):
        click.echo(f"  {alternat['order']} original: {alternat['file']}"
                   + (f", PDF: {alternat['pdf']}" if with_pdf and alternat.get("pdf") else ""))


def _report_forms(derived: list[dict], rendered: dict | None = None) -> None:
    """The forms the software chose (a Russian case, a gender, an article), for staff to check: after a render
    only those new or changed since the previous version (``draft show`` lists them all); the ones the
    analyser could not derive or is unsure of are warnings naming the field to fill in, at every render (they
    keep a version from being final)."""
    chosen = [f for f in derived if f["source"] not in ("unknown", "doubtful")]
    total = len(chosen)
    since = None
    if rendered is not None and "forms_to_check" in rendered:
        since = rendered.get("forms_since")
        chosen = [f for f in rendered["forms_to_check"] if f["source"] not in ("unknown", "doubtful")]
    if since is not None and not chosen:
        click.echo(f"  derived forms: none new or changed since v{since} ({total} in all: 'taskforce draft show "
                   f"{rendered['reference']}' lists them)")
    elif chosen:
        scope = f"{len(chosen)}" if since is None else \
            f"{len(chosen)} new or changed since v{since}, of {total}"
        click.echo(f"  derived forms ({scope}; check them, or give the field in the data file):")
        for form in chosen:
            how = form["source"] + (f": {form['note']}" if form.get("note") else "")
            origin = f"{form['from']} -> " if form.get("from") else ""
            click.echo(f"    {form['field']}: {origin}{form['form']} ({how})")
    for form in derived:
        if form["source"] == "unknown":
            click.echo(f"  warning: {form['field']}: «{form['from']}» -> «{form['form']}» is a guess "
                       f"({form.get('note', '')}); check it or give {form['field']} in the data file (a final "
                       f"version needs it)", err=True)
        elif form["source"] == "doubtful":
            click.echo(f"  check: {form['field']}: «{form['from']}» -> «{form['form']}» ({form.get('note', '')}); "
                       f"give {form['field']} in the data file to confirm or correct it (a final version needs it)",
                       err=True)


@draft.command("protocol")
@click.argument("session", type=click.IntRange(min=1))
@ORDER_OPTION
@FINAL_OPTION
@PDF_OPTION
@click.option("--include-restricted", is_flag=True,
              help="List restricted agreements in the annex too; the Protocol is then restricted itself.")
@json_option
@pass_workspace
def draft_protocol(ws, session, order, final, pdf, include_restricted, as_json):
    """Render the next version of the Protocol of session SESSION.

    The annex lists the agreements of the session found in the drafts register, except restricted ones
    (the Protocol is public) unless --include-restricted."""
    from ..usecases.drafting import render_protocol

    entry = render_protocol(ws, session, order=order, final=final, pdf=pdf, include_restricted=include_restricted,
                            actor=actor())
    _report(entry, as_json)
    if not as_json and entry.get("annex_left_out"):
        click.echo(f"  note: {len(entry['annex_left_out'])} restricted agreement(s) left out of the annex "
                   f"({', '.join(entry['annex_left_out'])}); --include-restricted lists them and makes this "
                   f"Protocol restricted", err=True)
    elif not as_json and include_restricted:
        click.echo("  note: this Protocol is restricted (--include-restricted)", err=True)
    if not as_json and not entry.get("annex") and not entry.get("annex_left_out"):
        click.echo(f"  note: the drafts register holds no agreement or memorandum of session {session}: the "
                   f"Protocol has no annex; if any were signed, draft them first ('taskforce draft agreement "
                   f"{session} DATA.yaml') and render the Protocol again", err=True)


@draft.command("agreement")
@click.argument("session", type=click.IntRange(min=1))
@click.argument("data", metavar="DATA.yaml", type=click.Path(dir_okay=False))
@click.option("--kind", type=click.Choice(["agreement", "memorandum"]),
              help="agreement (binding) or memorandum (of understanding); default: the data's kind, else agreement.")
@click.option("--ref", "reference", metavar="REF", help="Render a new version of this reference, e.g. TF25-AGR-003.")
@ORDER_OPTION
@FINAL_OPTION
@PDF_OPTION
@json_option
@pass_workspace
def draft_agreement(ws, session, data, kind, reference, order, final, pdf, as_json):
    """Render the next version of a private agreement of SESSION from DATA.yaml.

    A file rendered before gets a new version of the same reference; a new file gets a new reference."""
    from ..usecases.drafting import render_agreement

    _report(render_agreement(ws, session, data, kind=kind, final=final, pdf=pdf, order=order,
                             reference=reference, actor=actor()), as_json)


@draft.command("list")
@click.option("--session", type=click.IntRange(min=1), help="Only the drafts of this session.")
@json_option
@pass_workspace
def draft_list(ws, session, as_json):
    """List the drafts: one row per reference, with its newest version."""
    from ..usecases.drafting import list_drafts

    rows = list_drafts(ws, session)
    emit(rows, as_json, columns=["reference", "session", "kind", "version", "versions", "state", "title"])


@draft.command("show")
@click.argument("reference")
@json_option
@pass_workspace
def draft_show(ws, reference, as_json):
    """Show a draft's newest register entry and every version."""
    from ..usecases.drafting import show_draft

    data = show_draft(ws, reference)
    if as_json:
        emit(data, True)
        return
    emit({key: value for key, value in data.items() if key not in ("texts", "source", "unused_fields", "forms")},
         False)
    _report_forms(data.get("forms") or [])


@draft.command("diff")
@click.argument("reference")
@click.argument("versions", nargs=-1, type=click.IntRange(min=1), metavar="[V1 V2]")
@json_option
@pass_workspace
def draft_diff(ws, reference, versions, as_json):
    """Compare two versions of a draft paragraph by paragraph, in both languages (newest two by default):
    '~' a changed paragraph, its changed words marked [-old-]{+new+}; '-' a paragraph only in the older
    version, '+' one only in the newer."""
    from ..compare.comparison import redline_lines
    from ..usecases.drafting import diff_drafts

    if len(versions) not in (0, 2):
        raise click.UsageError("give two versions to compare, e.g. 'taskforce draft diff TF25-AGR-001 1 3', or none")
    result = diff_drafts(ws, reference, *versions)
    if as_json:
        emit(result, True)
        return
    click.echo(f"{reference}: v{result['old']} → v{result['new']}")
    if result["identical"]:
        click.echo("No differences in the text.")
    for lang, label in (("it", "italiano"), ("ru", "русский")):
        if not result["changes"][lang]:
            continue
        click.echo(f"=== {label}")
        for change in result["changes"][lang]:
            for line in redline_lines(change):
                click.echo(line)


@draft.command("final")
@click.argument("reference")
@click.argument("version", required=False, type=click.IntRange(min=1))
@json_option
@pass_workspace
def draft_final(ws, reference, version, as_json):
    """Approve VERSION of REFERENCE (the newest by default) as the final text: the same text, in both layouts,
    becomes the next version, final, without the BOZZA / ПРОЕКТ mark; the register records the version
    approved and who approved it. Refused while a derived form is a guess or doubtful."""
    from ..usecases.drafting import approve_version

    entry = approve_version(ws, reference, version, actor=actor())
    if as_json:
        emit(entry, True)
        return
    click.echo(f"{entry['reference']} v{entry['version']} (final, approved from v{entry['approved_from']}): "
               f"{entry['file']}")
    _other_original(entry)


@draft.command("pdf")
@click.argument("reference")
@click.argument("version", required=False, type=click.IntRange(min=1))
@json_option
@pass_workspace
def draft_pdf(ws, reference, version, as_json):
    """Make both PDF originals (Italian first, Russian first) of VERSION of REFERENCE (the newest by default)
    with LibreOffice, from its .docx files as they are; a version that has them keeps them."""
    from ..usecases.drafting import version_pdfs

    entry = version_pdfs(ws, reference, version, actor=actor())
    if as_json:
        emit(entry, True)
        return
    alternat = entry.get("alternat") or {}
    state = "made" if entry["made"] else "already made"
    click.echo(f"{entry['reference']} v{entry['version']} ({entry['state']}): PDFs {state}")
    click.echo(f"  {entry.get('order') or 'it-ru'} original: {entry.get('pdf')}")
    if alternat.get("pdf"):
        click.echo(f"  {alternat['order']} original: {alternat['pdf']}")


@draft.command("import")
@click.argument("reference")
@click.argument("file", metavar="FILE.docx", type=click.Path(exists=True, dir_okay=False))
@json_option
@pass_workspace
def draft_import(ws, reference, file, as_json):
    """Take FILE.docx, a version of REFERENCE edited in Word, back as its next version (a draft, source
    imported). Refused, saying why, when it is another reference's document, carries tracked changes or
    comments (accept or reject them in Word first), or its bilingual table is broken. Prints the word-level
    redline against the version it came from, and a warning for each section changed in one language only."""
    from pathlib import Path

    from ..usecases.drafting import IMPORT_LIMIT, import_docx

    with open(file, "rb") as handle:
        data = handle.read(IMPORT_LIMIT + 1)        # a larger file is refused by its size, never read whole
    entry = import_docx(ws, reference, data, Path(file).name, actor=actor())
    if as_json:
        emit(entry, True)
        return
    click.echo(f"{entry['reference']} v{entry['version']} (draft, imported from {entry['original_name']}, based on "
               f"v{entry['based_on']}): {entry['file']}")
    _other_original(entry)
    for warning in entry["warnings"]:
        click.echo(f"  warning: {warning}", err=True)
    redline = entry["redline"]
    if redline["identical"]:
        click.echo(f"No differences in the text from v{redline['old']}.")
    for lang, label in (("it", "italiano"), ("ru", "русский")):
        if redline["lines"][lang]:
            click.echo(f"=== {label}")
            for line in redline["lines"][lang]:
                click.echo(line)


@cli.group()
def templates():
    """The .docx templates: the shipped ones, or the workspace's own in templates/."""


@templates.command("list")
@json_option
@pass_workspace
def templates_list(ws, as_json):
    """List the templates in use and where each comes from."""
    from ..usecases.drafting import list_templates

    emit(list_templates(ws), as_json)


@templates.command("check")
@click.argument("file", required=False)
@click.option("--as", "kind", type=click.Choice(["protocol", "agreement", "memorandum"]),
              help="Which template FILE is (default: from its name).")
@json_option
@pass_workspace
def templates_check(ws, file, kind, as_json):
    """Check a template (FILE, or every template in use): parse it, list its variables, render it with sample
    data and fail on any leftover tag. Exit status 1 on any problem."""
    from ..drafting import TEMPLATE_NAMES
    from ..usecases.drafting import check_template

    results = [check_template(ws, file, kind)] if file else [check_template(ws, name) for name in TEMPLATE_NAMES]
    if as_json:
        emit(results if not file else results[0], True)
    else:
        for result in results:
            verdict = "ok" if result["ok"] else f"{len(result['problems'])} problem(s)"
            click.echo(f"{result['template']} ({result['kind']}): {verdict}")
            click.echo(f"  variables: {', '.join(result['variables']) or '(none)'}")
            if result["unused"]:
                click.echo(f"  not used: {', '.join(result['unused'])}")
            for problem in result["problems"]:
                click.echo(f"  - {problem}", err=True)
    if not all(result["ok"] for result in results):
        raise SystemExit(1)
