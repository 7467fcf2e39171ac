"""The records behind the texts, at query time: the party register (with the staff's corrections) and the
status of each agreement on the day of the search. Filters (--party by any variant, --region, --status)
and facets (regions, status) are built here; every count comes from the documents the reader may see."""
from __future__ import annotations

import datetime as dt
from collections import Counter

from whoosh import query

from ..access import Reader
from ..errors import ValidationError
from ..index import index_dir
from ..index.life import NO_EXPIRY, STATUSES, key_of, status_of
from ..index.parties import Party, key_owners, read_register
from ..index.regions import by_id, regions_named
from ..workspace import Workspace


def party_register(ws: Workspace, reader: Reader | None = None) -> list[Party]:
    """Every party (the derived register of the current index, corrected by staff), as ``reader`` may know
    them (None: staff, everything)."""
    register = read_register(ws, index_dir(ws))
    return register if reader is None or reader.sees_everything else register.seen_with(reader.levels)


def parties_named(register: list[Party], wanted: str) -> list[Party]:
    """The parties ``wanted`` names: its id (a facet's link), or any variant of a party's name."""
    by_id = [party for party in register if party.id == wanted.strip()]
    return by_id or [party for party in register if party.matches(wanted)]


def party_filter(register: list[Party], wanted: str) -> query.Query | None:
    """The documents of the parties any of whose variants ``wanted`` names (None: no party so named)."""
    keys = sorted({key for party in parties_named(register, wanted) for key in party.keys})
    return query.Or([query.Term("party_names", key) for key in keys]) if keys else None


def region_filter(register: list[Party], wanted: str, known_regions) -> query.Query:
    """The documents of the parties seated in the regions ``wanted`` names (Tatarstan, Татарстан,
    Свердловская область). A name the gazetteer does not know is an error listing the regions of the
    parties the reader may see (``known_regions``: a function giving them)."""
    regions = {region.id for region in regions_named(wanted)}
    if not regions:
        raise ValidationError("search.region_unknown", field="region", value=wanted,
                              regions="; ".join(known_regions()) or "-")
    keys = sorted({key for party in register if party.region in regions for key in party.keys})
    return query.Or([query.Term("party_names", key) for key in keys]) if keys else query.NullQuery


def today_key(today: dt.date | None) -> int:
    return key_of(today or dt.date.today())


def status_filter(status: str, today: dt.date | None) -> query.Query:
    """The agreements whose status is ``status`` on ``today`` (the day of the search by default), from the
    indexed dates: nothing is re-indexed when an agreement expires."""
    day = today_key(today)
    agreements = query.NumericRange("expiry_key", 1, None)
    if status in ("withdrawn", "superseded"):
        return query.Term("standing", status)
    unclaimed = query.Not(query.Or([query.Term("standing", "withdrawn"), query.Term("standing", "superseded")]))
    if status == "expired":
        return query.And([query.NumericRange("expiry_key", 1, day - 1 if day > 1 else 0), unclaimed])
    if status == "not-yet":
        return query.And([agreements, query.NumericRange("force_key", day + 1, None), unclaimed])
    # in force: in force by today, not expired yet
    return query.And([query.NumericRange("force_key", 1, day), query.NumericRange("expiry_key", day, NO_EXPIRY),
                      unclaimed])


def status_counts(entry, docnums, today: dt.date | None) -> Counter:
    """The status facet of ``docnums`` on ``today``, from the columns (computed at query time)."""
    day = today_key(today)
    force, expiry, standing = (entry.column(name) for name in ("force_key", "expiry_key", "standing"))
    counts: Counter = Counter()
    for docnum in docnums:
        if expiry and expiry[docnum]:
            counts[status_of(standing[docnum] or "", force[docnum], expiry[docnum], day)] += 1
    return counts


def party_and_region_counts(entry, register: list[Party], docnums) -> tuple[Counter, Counter]:
    """The parties facet (documents per party id) and the regions facet (documents with a party seated in
    each region) of ``docnums``, in one pass over their party keys."""
    owners = key_owners(register)
    keys = entry.column("party_names")
    parties: Counter = Counter()
    regions: Counter = Counter()
    for docnum in docnums:
        found = {owners[k].id: owners[k] for k in keys[docnum] if k in owners}
        if found:
            parties.update(found.keys())
            regions.update({party.region for party in found.values() if party.region})
    return parties, regions


def region_label(region_id: str, lang: str = "it") -> str:
    region = by_id(region_id)
    return region.names.text(lang) if region else region_id


def in_force_by_session(entry, allowed: set | None, today: dt.date | None) -> dict[int, dict]:
    """For each session, how many of its agreements (visible to the reader: ``allowed`` document numbers,
    None for all) are in force on ``today``, and how many there are."""
    day = today_key(today)
    session, force, expiry, standing = (entry.column(name) for name in ("session", "force_key", "expiry_key",
                                                                           "standing"))
    found: dict[int, dict] = {}
    for docnum, value in enumerate(expiry):
        if not value or (allowed is not None and docnum not in allowed):
            continue
        counts = found.setdefault(session[docnum], {"agreements": 0, "in_force": 0})
        counts["agreements"] += 1
        counts["in_force"] += status_of(standing[docnum] or "", force[docnum], value, day) == "in-force"
    return found


__all__ = ["STATUSES", "party_register", "party_filter", "region_filter", "status_filter", "status_counts",
           "party_and_region_counts", "region_label", "in_force_by_session", "parties_named"]
