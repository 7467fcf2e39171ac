"""The party register's use cases: list, show, edit and merge (staff, `taskforce parties`), the party page
(a reader's view), the sessions' agreements in force. Corrections go to WORKSPACE/parties.yaml (atomic,
under its lock) and apply to the next read: no re-indexing."""
from __future__ import annotations

import datetime as dt

from ..access import STAFF, Reader
from ..errors import NotFoundError, ValidationError
from ..index import open_index
from ..index.parties import EDITABLE, Party, write_corrections
from ..index.regions import by_id, regions_named
from ..search import partyviews
from ..search.records import party_register
from ..workspace import Workspace

__all__ = ["document_life", "region_name", "list_parties", "show_party", "edit_party", "merge_parties", "party_page", "in_force_by_session"]


def _ready(ws: Workspace) -> Workspace:
    ws.require()
    open_index(ws).close()             # the register is derived with the index: rebuilt first when out of date
    return ws


def list_parties(ws: Workspace, reader: Reader = STAFF, region: str | None = None, country: str | None = None
                 ) -> list[dict]:
    """The parties ``reader`` may know (a document of theirs is visible), with their document counts."""
    wanted = {r.id for r in regions_named(region)} if region else None
    if region and not wanted:
        raise ValidationError("search.region_unknown", field="region", value=region, regions="-")
    rows = []
    for party, count in partyviews.visible_parties(_ready(ws), reader):
        if wanted is not None and party.region not in wanted:
            continue
        if country and (party.country or "").upper() != country.upper():
            continue
        region_row = by_id(party.region) if party.region else None
        rows.append({"id": party.id, "names": party.names.as_dict(), "country": party.country,
                     "region": party.region, "region_names": region_row.names.as_dict() if region_row else None,
                     "city": party.city.as_dict(), "documents": count})
    return rows


def show_party(ws: Workspace, party_id: str, reader: Reader = STAFF, today: dt.date | None = None) -> dict:
    page = partyviews.party_page(_ready(ws), party_id, reader, today)
    if page is None:
        raise NotFoundError("parties.unknown", field="party_id", value=party_id)
    return page


def party_page(ws: Workspace, party_id: str, reader: Reader, today: dt.date | None = None) -> dict | None:
    """The party page of ``reader`` (None: no such party for this reader, the web's 404)."""
    return partyviews.party_page(ws, party_id, reader, today)


def _party(ws: Workspace, party_id: str) -> Party:
    party = partyviews.party_of(_ready(ws), party_id)
    if party is None:
        raise NotFoundError("parties.unknown", field="party_id", value=party_id)
    return party


def edit_party(ws: Workspace, party_id: str, names: dict | None = None, variants: list[str] | None = None,
               country: str | None = None, region: str | None = None, city: dict | None = None) -> dict:
    """Correct a party's names, add name variants, set its country, region (a gazetteer name or id) or city.
    Kept in WORKSPACE/parties.yaml: a rebuild of the index keeps it."""
    party = _party(ws, party_id)
    edit: dict = {}
    names = {lang: value.strip() for lang, value in (names or {}).items() if value and value.strip()}
    city = {lang: value.strip() for lang, value in (city or {}).items() if value and value.strip()}
    if names:
        edit["names"] = names
    if variants:
        edit["variants"] = [v.strip() for v in variants if v.strip()]
    if country:
        if country.upper() not in ("IT", "RU"):
            raise ValidationError("value.choice", field="country", value=country, allowed="IT, RU")
        edit["country"] = country.upper()
    if region:
        found = regions_named(region)
        if len(found) != 1:
            raise ValidationError("search.region_unknown", field="region", value=region,
                                  regions="; ".join(r.names.side_by_side() for r in found) or "-")
        edit["region"] = found[0].id
    if city:
        edit["city"] = city
    if not edit:
        raise ValidationError("parties.nothing_to_edit", field="party_id", value=party_id,
                              fields=", ".join(EDITABLE))

    def change(corrections: dict) -> None:
        current = corrections["parties"].setdefault(party.id, {})
        current["keys"] = sorted(set(current.get("keys") or ()) | set(party.keys))
        for name, value in edit.items():
            if name == "variants":
                current["variants"] = list(dict.fromkeys([*(current.get("variants") or ()), *value]))
            elif isinstance(value, dict):
                current[name] = {**(current.get(name) or {}), **value}
            else:
                current[name] = value
    write_corrections(ws, change)
    return partyviews.party_of(ws, party.id).as_dict()


def merge_parties(ws: Workspace, gone_id: str, kept_id: str) -> dict:
    """Make two parties one: ``gone_id``'s names, variants and documents become ``kept_id``'s."""
    gone, kept = _party(ws, gone_id), _party(ws, kept_id)
    if gone.id == kept.id:
        raise ValidationError("parties.merge_same", field="party_id", value=gone_id)

    def change(corrections: dict) -> None:
        corrections["merged"].append({"from": gone.id, "from_keys": gone.keys, "into": kept.id,
                                      "into_keys": kept.keys})
    write_corrections(ws, change)
    return partyviews.party_of(ws, kept.id).as_dict()


def document_life(ws: Workspace, doc_id: str, reader: Reader, today: dt.date | None = None) -> dict | None:
    return partyviews.document_life(ws, doc_id, reader, today)


def party_ids(ws: Workspace, labels, reader: Reader = STAFF) -> list[str | None]:
    """The party id of each archived party label, for links to the party pages (None: not in the register)."""
    return partyviews.party_ids_of(party_register(ws, reader), labels)


def party_name(ws: Workspace, party_id: str, lang: str, reader: Reader = STAFF) -> str:
    """A party's name in ``lang`` (its id when the register has no such party)."""
    party = party_register(ws, reader).by_id.get(party_id)
    return party.name(lang) if party else party_id


def region_name(region_id: str, lang: str) -> str:
    """A region's name in ``lang`` (a gazetteer id; anything else as given)."""
    region = by_id(region_id)
    return region.names.text(lang) if region else region_id


def in_force_by_session(ws: Workspace, reader: Reader, today: dt.date | None = None) -> dict[int, dict]:
    return partyviews.in_force_by_session(ws, reader, today)
