"""``taskforce watch DIR``: a watched folder. Parses options and prints one line per file; the work is
:mod:`pipeline.usecases.watching`'s."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..usecases.watching import DEFAULT_INTERVAL, Moved, Watcher
from .archive import _given, _limits, _outcome_line, _warnings, metadata_options
from .main import cli, pass_workspace
from .progress import ProgressLine


@cli.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@metadata_options
@click.option("--interval", type=click.FloatRange(min=0.05), default=DEFAULT_INTERVAL, show_default=True,
              help="Seconds between looks at the folder; a file is ingested once its size and time stayed the "
                   "same over one interval.")
@click.option("--once", is_flag=True, help="Ingest what is there (and stops growing within one interval), then "
                                           "exit: for cron and tests.")
@click.option("--timeout", type=click.FloatRange(min=1), help="Seconds of text extraction per file (default 120).")
@pass_workspace
def watch(ws, folder, session, doc_type, title, parties, sectors, signed_on, place, languages, confidentiality,
          reference, interval, once, timeout, title_ru=None, place_ru=None):
    """Ingest the PDFs dropped into FOLDER, each once it stops growing, as 'taskforce ingest' does; move each to
    FOLDER/done/ or FOLDER/rejected/ with NAME.reason.txt beside it, and print one line per file.

    The metadata options apply to every file (as on 'ingest'). Stopped at any moment (Ctrl-C, kill -9, a power
    cut) and started again, it loses no file and ingests none twice. One watcher per folder. Exit status 1 with
    --once when any file was rejected."""
    options = _given(session, doc_type, title, parties, sectors, signed_on, place, languages, confidentiality,
                     reference, title_ru=title_ru, place_ru=place_ru)
    progress = ProgressLine(sys.stderr.isatty())

    def said(moved: Moved) -> None:
        where = f"{moved.moved_to.parent.name}/{moved.moved_to.name}"
        recovered = " (after an interrupted run)" if moved.recovered else ""
        progress.echo(f"{_outcome_line(moved.outcome)} -> {where}{recovered}")
        for warning in _warnings(moved.outcome) + ([moved.index_error] if moved.index_error else []):
            progress.echo(f"Warning: {warning}", err=True)

    watcher = Watcher(ws, folder, options, interval, _limits(seconds_per_file=timeout), said, progress.ocr_page,
                      progress.file_started)
    try:
        with watcher:
            if once:
                moved = watcher.run_once()
                if any(item.outcome.outcome == "rejected" for item in moved):
                    raise SystemExit(1)
            else:
                click.echo(f"Watching {folder} every {interval:g} s (Ctrl-C to stop)", err=True)
                watcher.run()
    except KeyboardInterrupt:
        click.echo("Stopped.", err=True)
    finally:
        progress.close()
