"""The party register: ``taskforce parties list|show|edit|merge``."""
from __future__ import annotations

import click

from ..access import cli_reader
from .main import cli, pass_workspace
from .output import emit, json_option


@cli.group()
def parties():
    """The parties of the archived documents: names in both scripts, variants, country, region, city."""


@parties.command("list")
@click.option("--region", metavar="REGION", help="Only parties seated in this region (Tatarstan, Татарстан, "
              "Lombardia).")
@click.option("--country", metavar="IT|RU", help="Only parties of this country.")
@click.option("--include-restricted", is_flag=True, help="Count restricted documents too (and list the parties "
              "that only they name).")
@json_option
@pass_workspace
def parties_list(ws, region, country, include_restricted, as_json):
    """List the parties with their country, region, city and number of documents."""
    from ..usecases.parties import list_parties

    rows = list_parties(ws, cli_reader(include_restricted), region=region, country=country)
    if as_json:
        emit(rows, True)
        return
    emit([{"id": r["id"], "name": " / ".join(r["names"].values()), "country": r["country"] or "",
           "region": (r["region_names"] or {}).get("it", ""), "city": r["city"].get("it", ""),
           "documents": r["documents"]} for r in rows], columns=["id", "name", "country", "region", "city",
                                                                "documents"])


@parties.command("show")
@click.argument("party_id")
@click.option("--include-restricted", is_flag=True, help="Include restricted documents.")
@json_option
@pass_workspace
def parties_show(ws, party_id, include_restricted, as_json):
    """Show a party: its names and variants, seat, documents across sessions (with each agreement's status
    today), partners and sectors."""
    from ..usecases.parties import show_party

    page = show_party(ws, party_id, cli_reader(include_restricted))
    if as_json:
        emit(page, True)
        return
    party = page["party"]
    click.echo(f"{party['id']}: {' / '.join(party['names'].values())}")
    click.echo(f"  country {party['country'] or '-'}, region "
               f"{' / '.join((party['region_names'] or {}).values()) or '-'}, city "
               f"{' / '.join(party['city'].values()) or '-'}" + (f", seat {party['seat']}" if party["seat"] else ""))
    click.echo("  variants: " + "; ".join(party["variants"]))
    if party["corrected"]:
        click.echo("  corrected by staff: " + ", ".join(party["corrected"]))
    click.echo(f"Documents ({len(page['documents'])}), sessions {', '.join(map(str, page['sessions']))}:")
    for doc in page["documents"]:
        status = f" · {doc['life']['status']}" if doc.get("life") else ""
        click.echo(f"  {doc['reference'] or doc['doc_id']} · session {doc['session']} · {doc['signed_on'] or 'undated'}"
                   f" · {doc['type']}{status} · {doc['title']}")
    if page["partners"]:
        click.echo("Partners: " + "; ".join(f"{p['id']} ({p['documents']})" for p in page["partners"]))
    if page["sectors"]:
        click.echo("Sectors: " + "; ".join(f"{name} ({count})" for name, count in page["sectors"].items()))


@parties.command("edit")
@click.argument("party_id")
@click.option("--name-it", help="The Italian name.")
@click.option("--name-ru", help="The Russian name.")
@click.option("--variant", "variants", multiple=True, metavar="NAME", help="Another spelling met (repeatable); "
              "--party in searches finds the party by it.")
@click.option("--country", metavar="IT|RU", help="The party's country.")
@click.option("--region", metavar="REGION", help="The region of its seat, by name in either language or id "
              "(Tatarstan, Республика Татарстан, ru-tatarstan).")
@click.option("--city-it", help="The city of its seat, in Italian.")
@click.option("--city-ru", help="The city of its seat, in Russian.")
@json_option
@pass_workspace
def parties_edit(ws, party_id, name_it, name_ru, variants, country, region, city_it, city_ru, as_json):
    """Correct a party (kept in parties.yaml of the workspace: a rebuild of the index keeps it)."""
    from ..usecases.parties import edit_party

    party = edit_party(ws, party_id, names={"it": name_it, "ru": name_ru}, variants=list(variants),
                       country=country, region=region, city={"it": city_it, "ru": city_ru})
    emit(party if as_json else f"Corrected {party['id']}: " + ", ".join(party["corrected"]), as_json)


@parties.command("merge")
@click.argument("party_id")
@click.argument("into_id")
@json_option
@pass_workspace
def parties_merge(ws, party_id, into_id, as_json):
    """Make PARTY_ID and INTO_ID one party (INTO_ID's id is kept)."""
    from ..usecases.parties import merge_parties

    party = merge_parties(ws, party_id, into_id)
    emit(party if as_json else f"Merged {party_id} into {party['id']}: {len(party['documents'])} document(s)",
         as_json)
