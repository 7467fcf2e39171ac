"""Research commands: ``search``, ``index status|rebuild`` and ``stats``."""
from __future__ import annotations

import os
import re
import sys

import click

from ..access import STAFF, cli_reader
from ..vocab import AGREEMENT_STATUSES as STATUSES, COUNTRIES, DOCUMENT_TYPES, LANGUAGES, SORTS
from .errors import usage_problem
from .main import cli, pass_workspace
from .output import emit, json_option



BOLD = ("\x1b[1m", "\x1b[22m")
PLAIN_MARK = ("**", "**")


def snippet_marks(stream, as_data: bool) -> tuple[str, str]:
    """How matched words are marked in snippets: bold on a terminal, ``**`` when the output is piped, for
    --json and --csv, and when NO_COLOR is set (https://no-color.org)."""
    try:
        terminal = stream.isatty()
    except (AttributeError, ValueError):
        terminal = False
    return BOLD if terminal and not as_data and not os.environ.get("NO_COLOR") else PLAIN_MARK


def _session_range(ctx, param, value: str | None):
    """--sessions A-B as (A, B); anything else is a usage error (exit 2)."""
    if not value:
        return None
    match = re.fullmatch(r"\s*(\d+)\s*-\s*(\d+)\s*", value)
    if not match or int(match[1]) > int(match[2]):
        raise click.BadParameter(f"{value!r}: give a range like 20-25 (first, a dash, last)")
    return int(match[1]), int(match[2])


def _choices(values) -> str:
    """The help's list of the values of an option: the library checks the value given (request_problems)."""
    return "[" + "|".join(values) + "]"


@cli.command()
@click.argument("query", required=False, default="")
@click.option("--session", type=click.IntRange(min=1), help="Only documents of this session.")
@click.option("--sessions", "session_range", metavar="A-B", callback=_session_range,
              help="Only documents of sessions A to B, e.g. 20-25.")
@click.option("--from", "date_from", metavar="DATE",
              help="Signed on or after DATE (2014-11-28, 28 novembre 2014); a month (maggio 2015, май 2015) "
                   "means its first day.")
@click.option("--to", "date_to", metavar="DATE", help="Signed on or before DATE; a month means its last day.")
@click.option("--type", "doc_type", metavar=_choices(DOCUMENT_TYPES), help="Only this type of document.")
@click.option("--party", metavar="NAME", help="Only documents with a party whose name has the words of NAME, or "
              "any variant of whose name NAME is (in either script, any case, with or without accents or the "
              "legal form): see 'taskforce parties'.")
@click.option("--region", metavar="REGION", help="Only documents with a party seated in this region (an Italian "
              "region or Russian federal subject, in either language: Tatarstan, Татарстан, Lombardia).")
@click.option("--status", metavar=_choices(STATUSES), help="Only agreements with this status today "
              "(in-force, expired, not-yet in force, withdrawn, superseded).")
@click.option("--sector", metavar="S", help="Only documents of a sector whose name starts with S or has its words, "
              "or that S names in the synonym table, in either language (any case, with or without accents): "
              "Logistica, 'logistica e trasporti', legno, мебель. A sector that matches nothing lists the sectors.")
@click.option("--country", metavar=_choices(COUNTRIES),
              help="Only sessions hosted in this country (it and ru are accepted too).")
@click.option("--lang", metavar=_choices(LANGUAGES), help="Only documents with text in this language.")
@click.option("--differs-from-draft", "differs", is_flag=True,
              help="Only signed documents whose text differs from their approved draft (the comparison made at "
                   "ingest).")
@click.option("--sort", metavar=_choices(SORTS), default="relevance", show_default=True,
              help="Order of the hits: relevance, newest or oldest first (undated documents last); date is "
                   "oldest first with an undated document at its session's start. An empty QUERY has no "
                   "relevance: it lists by date.")
@click.option("--limit", type=click.IntRange(min=1, max=1000), default=10, show_default=True, help="Hits per page.")
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True, help="Which page of hits.")
@click.option("--facets", is_flag=True, help="Also count the hits by session, year, type, sector, country, status "
              "(today), the parties and their regions.")
@click.option("--include-restricted", is_flag=True, help="Include documents whose confidentiality is restricted.")
@click.option("--csv", "as_csv", is_flag=True, help="One CSV row per hit, for spreadsheets.")
@json_option
@pass_workspace
def search(ws, query, session, session_range, date_from, date_to, doc_type, party, region, status, sector, country,
           lang, differs, sort, limit, page, facets, include_restricted, as_csv, as_json):
    """Search the archive in Italian and Russian. QUERY uses Whoosh syntax: words, "phrases", AND/OR/NOT,
    field:value (type:, session:, year:, party:, sector:, ref:, section:), wildcards (coop*). A malformed
    QUERY (a dangling AND, an unclosed quote or bracket) is an error. An empty QUERY with filters lists the
    matching documents by date. Each word also finds its translations in the other language; both originals
    of a reference are one hit."""
    from ..search import SearchRequest   # when run: Whoosh is slow to import
    from ..usecases.searching import request_problems, search as run_search

    if as_csv and as_json:
        raise click.UsageError("choose one of --csv and --json")
    request = SearchRequest(query=query or "", session=session, sessions=session_range,
                            date_from=date_from, date_to=date_to, type=doc_type, party=party, sector=sector,
                            region=region, status=status, country=country, lang=lang, differs=differs, sort=sort, limit=limit,
                            page=page, facets=facets, reader=cli_reader(include_restricted),
                            mark=snippet_marks(sys.stdout, as_json or as_csv))
    problems = request_problems(request)       # the library's one check of the values; a wrong choice or an
    usage = next(filter(None, map(usage_problem, problems)), None)     # unreadable date is a usage mistake
    if usage or problems:
        raise usage or problems[0]
    result = run_search(ws.require(), request, once=True)      # one search a process: nothing kept
    if as_json:
        emit(result, True)
    elif as_csv:
        _write_csv(result)
    else:
        _print_hits(result)


def life_line(life: dict) -> str:
    """An agreement's status and dates: "in force · in force from 2015-03-01 · 36 months · until 2018-02-28"."""
    parts = [life["status"].replace("-", " ")]
    if life.get("in_force_on"):
        parts.append(f"in force from {life['in_force_on']}")
    if life.get("duration_months"):
        parts.append(f"{life['duration_months']} months")
    parts.append(f"until {life['expires_on']}" if life.get("expires_on") else "no end date")
    return " · ".join(parts)


def _write_csv(result: dict) -> None:
    from ..search.export import write_csv

    write_csv(sys.stdout, result["hits"], PLAIN_MARK)       # --csv marks matched words with PLAIN_MARK


def _print_hits(result: dict) -> None:
    if not result["hits"]:
        click.echo("No documents found." if result["total"] == 0 else f"No hits on page {result['page']} "
                   f"(there are {result['pages']} page(s)).")
    first = (result["page"] - 1) * result.get("limit", len(result["hits"]))
    for n, hit in enumerate(result["hits"], first + 1):
        head = " · ".join(str(part) for part in (hit["reference"] or hit["doc_id"], f"session {hit['session']}",
                                                 hit["signed_on"] or "undated", hit["type"], hit["confidentiality"])
                          if part)
        click.echo(f"{n}. {head}")
        click.echo(f"   {hit['title']}")
        if hit["parties"]:
            click.echo(f"   {'; '.join(hit['parties'])}")
        if hit.get("life"):
            click.echo("   " + life_line(hit["life"]))
        if hit.get("differs_from_draft"):
            click.echo("   differs from its approved draft")
        if len(hit.get("files") or ()) > 1:
            click.echo(f"   {len(hit['files'])} files: {', '.join(f['doc_id'] for f in hit['files'])}")
        if hit.get("found_as"):
            language = {"it": "Italian", "ru": "Russian"}[hit["found_as"]["lang"]]
            click.echo(f"   found in {language} as " + ", ".join(f"«{w}»" for w in hit["found_as"]["words"]))
        if hit.get("snippet"):   # an excerpt: "…" around it, once (a snippet cut short ends with its own)
            click.echo(f"   … {hit['snippet']}" + ("" if hit["snippet"].endswith("…") else " …"))
        click.echo(f"   id {hit['doc_id']}" + (f", score {hit['score']}" if hit["score"] is not None else ""))
    if result["total"]:
        click.echo(f"Page {result['page']} of {result['pages']}: {result['total']} document(s).")
    if result.get("suggestion"):
        click.echo(f"Did you mean: {result['suggestion']}?")
    for name, counts in (result.get("facets") or {}).items():
        if counts:
            click.echo(f"{name}: " + ", ".join(f"{key} ({value})" for key, value in counts.items()))


@cli.group("index")
def index_group():
    """The search index: derived from the archive, rebuilt from it at any time."""


@index_group.command("status")
@json_option
@pass_workspace
def index_status(ws, as_json):
    """Documents, size, last update and schema of the index, and whether it agrees with the archive.

    Exit status 1 when it does not (documents missing or stale, or a rebuild needed)."""
    from ..usecases.searching import index_status

    result = index_status(ws)
    if as_json:
        emit(result, True)
    else:
        shown = {key: value for key, value in result.items()
                 if key not in ("missing", "stale", "extra", "unreadable_sidecars", "advice", "damaged")}
        for key in ("missing", "stale", "extra"):
            shown[key] = f"{len(result[key])}" + (f" ({', '.join(result[key][:5])}{'…' if len(result[key]) > 5 else ''})"
                                                  if result[key] else "")
        emit(shown)
        if result["advice"]:
            click.echo(result["advice"], err=True)
    if not result["ok"]:
        raise SystemExit(1)


@index_group.command("rebuild")
@click.option("--if-needed", is_flag=True, help="Only when the index is missing or its schema changed.")
@json_option
@pass_workspace
def index_rebuild(ws, if_needed, as_json):
    """Delete and rebuild the search index from the archive (the old one stays until the new one is ready)."""
    from ..usecases.learning import drafts_of
    from ..usecases.searching import rebuild_index

    result = rebuild_index(ws, if_needed, drafts_of(ws))      # the term tables learn from the drafts
    if as_json:
        emit(result or {"documents": None, "rebuilt": False}, True)
    elif result is None:
        click.echo("The index is current; nothing to do.")
    else:
        click.echo(f"Indexed {result['documents']} document(s) in {result['seconds']} s: {result['index']}")


@cli.command()
@click.option("--by", type=click.Choice(["session", "year", "sector", "type", "country"]), default="session",
              show_default=True, help="What to count the signed documents by.")
@click.option("--chart", type=click.Path(dir_okay=False), metavar="FILE.png", help="Also draw a bar chart.")
@json_option
@pass_workspace
def stats(ws, by, chart, as_json):
    """Counts of the archived (signed) documents by session, year, sector, type or host country."""
    from ..usecases.searching import statistics

    result = statistics(ws, (by,), STAFF, chart=chart)[by]   # the counts of every level, as before
    if as_json:
        emit(result, True)
    else:
        emit(result["counts"], columns=[by, "documents"])
        click.echo(f"{result['documents']} document(s)" + (f"; chart: {result['chart']}" if chart else ""))
