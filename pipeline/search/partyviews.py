"""The party register as one reader sees it: a party exists for a reader only through the documents that
reader may see (a party that appears only in hidden documents is not listed and has no page), and its
documents, partners and sectors are counted from those alone. Also each session's agreements in force
today, for the sessions timeline."""
from __future__ import annotations

import datetime as dt
from collections import Counter

from whoosh import query

from ..access import Reader
from ..archive.layout import public_id_of
from ..errors import BusyError
from ..index import UNREADABLE
from ..index.life import NO_EXPIRY, status_of
from ..index.parties import Party, bare_name, key_owners, label_names, name_key
from ..workspace import Workspace
from . import records
from .cache import Cached, cached, forget


def _entry(ws: Workspace, reader: Reader) -> Cached:
    try:
        return cached(ws, reader.public_only)
    except UNREADABLE:
        forget(ws, reader.public_only)
        raise BusyError("index busy: the search index cannot be read just now; try again in a moment") from None


def _visible(entry: Cached, reader: Reader) -> set | None:
    if reader.sees_everything:
        return None
    return entry.docset(query.Or([query.Term("confidentiality", level) for level in reader.levels]))


def _docs_of(entry: Cached, party: Party, visible: set | None) -> list[int]:
    if not party.keys:
        return []
    found = entry.docset(query.Or([query.Term("party_names", key) for key in party.keys]))
    return sorted(found if visible is None else found & visible)


def visible_parties(ws: Workspace, reader: Reader) -> list[tuple[Party, int]]:
    """Each party with at least one document ``reader`` may see, and how many."""
    entry = _entry(ws, reader)
    visible = _visible(entry, reader)
    register = records.party_register(ws, reader)
    counts = [(party, len(_docs_of(entry, party, visible))) for party in register]
    return [(party, count) for party, count in counts if count]


def party_of(ws: Workspace, party_id: str, reader: Reader | None = None) -> Party | None:
    """The party with this id (None: no such party, or, for a reader, none of whose documents it may see)."""
    party = next((p for p in records.party_register(ws, reader) if p.id == party_id), None)
    if party is None or reader is None:
        return party
    entry = _entry(ws, reader)
    return party if _docs_of(entry, party, _visible(entry, reader)) else None


def party_page(ws: Workspace, party_id: str, reader: Reader, today: dt.date | None = None) -> dict | None:
    """A party's record with its documents across sessions (each with its status when an agreement), its
    partners (the other parties of those documents) and its sectors, from the documents ``reader`` may see
    only; None when there is no such party for this reader."""
    entry = _entry(ws, reader)
    visible = _visible(entry, reader)
    register = records.party_register(ws, reader)
    party = next((p for p in register if p.id == party_id), None)
    docnums = _docs_of(entry, party, visible) if party else []
    if not docnums:
        return None
    owner = {key: other for other in register for key in other.keys}
    keys_column = entry.column("party_names")
    day = records.today_key(today)
    documents, partners, sectors, labels = [], Counter(), Counter(), []
    for docnum in docnums:
        stored = entry.searcher.stored_fields(docnum)
        labels += stored.get("parties") or []
        life = stored.get("life")
        status = None
        if life:
            force = int((life.get("in_force_on") or "0").replace("-", ""))
            expiry = int((life.get("expires_on") or "").replace("-", "") or NO_EXPIRY)
            status = status_of(stored.get("standing") or "", force, expiry, day)
        documents.append({"doc_id": stored["doc_id"], "public_id": public_id_of(stored.get("sha256") or ""),
                          "reference": stored.get("reference") or None, "session": stored.get("session"),
                          "type": stored.get("type"), "title": stored.get("title"),
                          "confidentiality": stored.get("confidentiality"),
                          "bilingual": stored.get("bilingual") or {},
                          "signed_on": stored["signed_on"].date().isoformat() if stored.get("signed_on") else None,
                          "life": {**life, "status": status} if life else None})
        partners.update({owner[k].id for k in keys_column[docnum] if k in owner and owner[k].id != party.id})
        sectors.update(filter(None, (stored.get("sectors") or "").split(",")))
    documents.sort(key=lambda d: (d["session"] or 0, d["signed_on"] or "", d["doc_id"]))
    by_id = {p.id: p for p in register}
    return {"party": record_for(party, documents, labels),
            "documents": documents,
            "sessions": sorted({d["session"] for d in documents if d["session"] is not None}),
            "partners": [{"id": pid, "names": by_id[pid].names.as_dict(), "country": by_id[pid].country,
                          "region": by_id[pid].region, "documents": count}
                         for pid, count in sorted(partners.items(), key=lambda kv: (-kv[1], kv[0]))],
            "sectors": dict(sorted(sectors.items(), key=lambda kv: (-kv[1], kv[0])))}


def record_for(party: Party, documents: list[dict], labels: list[str]) -> dict:
    """The party's record as a reader sees it: its documents are the visible ones, and its variants those
    the visible documents spell (with the names staff gave it): a spelling met only in a hidden document is
    not shown."""
    met = {form for label in labels for name in label_names(label) for form in (name, bare_name(name))}
    data = party.as_dict()
    data["variants"] = [v for v in party.variants if v in met or v in party.names.forms() or "variants" in party.corrected]
    data["documents"] = [d["doc_id"] for d in documents]
    data.pop("keys", None)
    return data


def in_force_by_session(ws: Workspace, reader: Reader, today: dt.date | None = None) -> dict[int, dict]:
    """For each session: its agreements ``reader`` may see, and how many of them are in force on ``today``."""
    entry = _entry(ws, reader)
    return records.in_force_by_session(entry, _visible(entry, reader), today)


def document_life(ws: Workspace, doc_id: str, reader: Reader, today: dt.date | None = None) -> dict | None:
    """The life of an agreement ``reader`` may see, with its status on ``today`` (None: not an agreement, or
    not visible)."""
    entry = _entry(ws, reader)
    stored = entry.searcher.document(doc_id=doc_id)
    if not stored or not reader.may_see(stored.get("confidentiality", "")) or not stored.get("life"):
        return None
    life = stored["life"]
    force = int((life.get("in_force_on") or "0").replace("-", ""))
    expiry = int((life.get("expires_on") or "").replace("-", "") or NO_EXPIRY)
    return {**life, "status": status_of(stored.get("standing") or "", force, expiry, records.today_key(today))}


def party_ids_of(register: list[Party], labels) -> list[str | None]:
    """The party id of each archived party label (None: a label the register does not know)."""
    owner = key_owners(register)
    return [next((owner[k].id for k in (name_key(n) for n in label_names(label)) if k in owner), None)
            for label in labels]
