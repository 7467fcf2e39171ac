"""``taskforce demo``: the whole pipeline on invented data, in one command."""
from __future__ import annotations

import sys
import time

import click

from ..demo.build import DemoOptions, build_demo
from .main import cli, pass_folder
from .output import emit, json_option


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


@cli.command()
@click.option("--sessions", type=click.IntRange(min=1, max=99), default=25, show_default=True,
              help="How many sessions, numbered from 1 (twice a year from 2002).")
@click.option("--agreements", type=click.IntRange(min=0, max=60), default=6, show_default=True,
              help="Private agreements per session.")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the generator (same seed, same data).")
@click.option("--scans", type=click.IntRange(min=0), default=2, show_default=True,
              help="How many agreements become image-only paper scans (OCR runs on them).")
@click.option("--force", is_flag=True, help="Run even into a workspace that holds an archive the demo did not make.")
@json_option
@pass_folder
def demo(ws, sessions, agreements, seed, scans, force, as_json):
    """Build a complete sample workspace through the real code paths: sessions, drafts rendered from the
    templates, PDFs (some signed, some scanned), ingest, index, and example searches. Everything is invented."""
    started = time.perf_counter()
    say = (lambda text: None) if as_json else (lambda text: click.echo(text, err=True))
    result = build_demo(ws, DemoOptions(sessions=sessions, agreements=agreements, seed=seed, scans=scans,
                                        force=force), _progress(as_json), say)
    result["seconds"] = round(time.perf_counter() - started, 1)
    if as_json:
        emit(result, True)
        return
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
        query = example["arguments"]["query"]
        click.echo(f"\n{example['label']}\n  taskforce search {query!r}"
                   + "".join(f" --{k} {v}" for k, v in example["arguments"].items() if k not in ("query", "facets"))
                   + (" --facets" if example["arguments"].get("facets") else "")
                   + f": {found['total']} document(s)")
        for hit in found["hits"]:
            click.echo(f"  - {hit['reference'] or hit['doc_id']} (session {hit['session']}, {hit['signed_on']}): "
                       f"{hit['title'][:70]}")
            if hit.get("snippet"):
                click.echo(f"      … {hit['snippet'][:150]} …")
        for name, counts in (found.get("facets") or {}).items():
            if counts:
                click.echo(f"  {name}: " + ", ".join(f"{k} ({v})" for k, v in list(counts.items())[:8]))
    click.echo(f"\nTry: taskforce --home {result['home']} search \"cooperazione\" --facets")
