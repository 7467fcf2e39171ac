"""``taskforce demo``: the whole pipeline on invented data, in one command."""
from __future__ import annotations

import os
import shlex
import shutil
import sys
import time
from pathlib import Path

import click

from ..demo.build import DemoOptions, build_demo
from .main import cli, pass_folder
from .output import emit, jobs_option, json_option


def _progress(quiet: bool):
    def wrap(label, items):
        items = list(items)
        if quiet or not sys.stderr.isatty():
            if not quiet:
                click.echo(f"{label}: {len(items)} step(s)…", err=True)
            return items
        return _bar(label, items)
    return wrap


def _bar(label, items):
    with click.progressbar(items, label=label.ljust(22), file=sys.stderr, show_pos=True) as bar:
        yield from bar


FACET_VALUES = 8    # facet values printed per facet; the rest are counted
TITLE_WIDTH = 70


def cut(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, the cut marked with "…"."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def facet_line(name: str, counts: dict) -> str:
    shown = [f"{value} ({count})" for value, count in list(counts.items())[:FACET_VALUES]]
    more = len(counts) - len(shown)
    return f"  {name}: " + ", ".join(shown) + (f", … and {more} more" if more else "")


def _shown_path(path: Path) -> str:
    """``path`` relative to the current directory when it is below it, else absolute."""
    path = Path(path).absolute()
    try:
        return str(path.relative_to(Path.cwd())) or "."
    except ValueError:
        return str(path)


def runnable_command(home) -> str:
    """How to run taskforce again from this shell, as it was run now: plain ``taskforce`` when that name on
    PATH is this very program, else the script's path (``.venv/bin/taskforce``, as ``make demo`` runs it, is
    not on PATH until the venv is activated), or ``python -m pipeline`` with this interpreter; with
    ``--home`` so that it works from here."""
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    on_path = shutil.which("taskforce")
    if script is not None and script.name == "taskforce" and script.exists():
        if on_path and os.path.realpath(on_path) == os.path.realpath(script):
            program = "taskforce"
        else:
            program = shlex.quote(_shown_path(script) if script.is_absolute() or "/" in str(script)
                                  else str(script.absolute()))
            if "/" not in program:
                program = "./" + program
    else:
        program = f"{shlex.quote(_shown_path(Path(sys.executable or 'python3')))} -m pipeline"
    return f"{program} --home {shlex.quote(_shown_path(Path(home)))}"


def search_command(prefix: str, arguments: dict) -> str:
    words = [prefix, "search", shlex.quote(arguments["query"])]
    words += [f"--{key} {shlex.quote(str(value))}" for key, value in arguments.items()
              if key not in ("query", "facets")]
    return " ".join(words) + (" --facets" if arguments.get("facets") else "")


def ignored_options(ctx: click.Context) -> list[str]:
    """The building options given on the command line (not left at their defaults)."""
    return [f"--{name}" for name in ("sessions", "agreements", "seed", "scans")
            if ctx.get_parameter_source(name) not in (None, click.core.ParameterSource.DEFAULT)]


@cli.command()
@click.option("--sessions", type=click.IntRange(min=1, max=99), default=25, show_default=True,
              help="How many sessions, numbered from 1 (twice a year from 2002).")
@click.option("--agreements", type=click.IntRange(min=0, max=60), default=6, show_default=True,
              help="Private agreements per session.")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the generator (same seed, same data).")
@click.option("--scans", type=click.IntRange(min=0), default=2, show_default=True,
              help="How many agreements become image-only paper scans (OCR runs on them).")
@click.option("--force", is_flag=True, help="Run even into a workspace that holds an archive the demo did not make.")
@jobs_option
@json_option
@pass_folder
@click.pass_context
def demo(ctx, ws, sessions, agreements, seed, scans, force, jobs, as_json):
    """Build a complete sample workspace through the real code paths: sessions, drafts rendered from the
    templates, PDFs (some signed, some scanned), ingest, index, and example searches. Everything is invented."""
    started = time.perf_counter()
    say = (lambda text: None) if as_json else (lambda text: click.echo(text, err=True))
    result = build_demo(ws, DemoOptions(sessions=sessions, agreements=agreements, seed=seed, scans=scans,
                                        force=force, jobs=jobs), _progress(as_json), say)
    result["seconds"] = round(time.perf_counter() - started, 1)
    if not result["built"]:
        result["ignored_options"] = ignored_options(ctx)
        if result["ignored_options"]:
            say(f"Note: {' '.join(result['ignored_options'])} ignored: {_shown_path(ws.home)} is already built "
                f"({result['sessions']} sessions, {result['documents']} documents). To build a demo with other "
                f"options, remove that folder or choose another --home.")
    if as_json:
        emit(result, True)
        return
    prefix = runnable_command(ws.home)
    if result["built"]:
        ingest = result["ingest"]
        click.echo(f"Demo workspace {result['home']}: {result['sessions']} sessions, {result['drafts']} drafts "
                   f"({result['signed']} signed, {result['scans']} scanned, {result['restricted']} restricted); "
                   f"{ingest['archived']} archived, {ingest['duplicate']} duplicate(s), {ingest['rejected']} "
                   f"rejected, in {result['seconds']} s.")
        found = result.get("comparison") or {}
        if "changed_clause" in found:
            case = found["changed_clause"]
            click.echo(f"Signed text changed after the final draft: {case['doc_id']} ({case['reference']}) "
                       f"{case['draft']}; see 'taskforce --home {result['home']} archive diff {case['doc_id']}'.")
        if "draft_pdf" in found:
            case = found["draft_pdf"]
            click.echo(f"A draft PDF ingested by mistake: {case['doc_id']} ({case['reference']}) still carries "
                       f"the draft mark BOZZA / ПРОЕКТ; see 'taskforce --home {result['home']} archive show "
                       f"{case['doc_id']}'.")
    for example in result["searches"]:
        found = example["result"]
        click.echo(f"\n{example['label']}\n  {search_command(prefix, example['arguments'])}: "
                   f"{found['total']} document(s)")
        for hit in found["hits"]:
            click.echo(f"  - {hit['reference'] or hit['doc_id']} (session {hit['session']}, {hit['signed_on']}): "
                       f"{cut(hit['title'], TITLE_WIDTH)}")
            if hit.get("snippet"):
                click.echo(f"      … {hit['snippet'][:150]} …")
        for name, counts in (found.get("facets") or {}).items():
            if counts:
                click.echo(facet_line(name, counts))
    click.echo(f"\nTry (from this folder): {search_command(prefix, {'query': 'cooperazione', 'facets': True})}")
