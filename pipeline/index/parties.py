"""The party register: every organisation that signed an archived document, as a record (names in both
scripts, the variants met, country, region, city, its documents), derived like the index and rebuilt with
it, with the staff's corrections (WORKSPACE/parties.yaml) applied whenever it is read, so that they
survive every rebuild.

Where the facts come from: the archive's records (the parties' names as archived, "it / ru"), the drafts
register (each agreement's data: the parties' names in both languages, country and seat; the register line
carries it as ``agreement``) and the session registry (the co-chairs' institutions, which sign each
Protocol). Two names are one party when one label gives both ("Roccabrisa Luce S.r.l. / «Роккабриза Луче
С.р.л.»") or when their keys are equal: the transliteration key of the name without its legal form and
quotes, so "OOO «Sylvamash»", "ООО «Сылвамаш»" and "Sylvamash" are one.

The index stores each document's party keys (field ``party_names``); which party a key belongs to, and
where that party is seated, is read from this register at query time, so a correction (a region, a merge)
applies to the next search without re-indexing. The derived file (``parties.json``) lives in the index
folder and is swapped in with it.
"""
from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import translit
from ..bilingual import Bilingual
from ..cache import ContentCache, file_key
from ..errors import ValidationError
from ..fsutil import atomic_write_json, atomic_write_text
from ..locks import held
from ..vocab import CONFIDENTIALITY_LEVELS
from ..workspace import Workspace
from .analysis import WORD
from .regions import by_id, locate

FILE_NAME = "parties.json"
CORRECTIONS = "parties.yaml"
LOCK = ".parties.lock"
# The legal forms dropped from a name before its key is made (both scripts, with or without dots).
LEGAL_FORM = re.compile(r"(?<!\w)(?:S\.?\s?r\.?\s?l\.?|S\.?\s?p\.?\s?A\.?|S\.?\s?n\.?\s?c\.?|S\.?\s?a\.?\s?s\.?|"
                        r"С\.?\s?р\.?\s?л\.?|С\.?\s?п\.?\s?А\.?|OOO|ООО|ZAO|ЗАО|OAO|ОАО|PAO|ПАО|AO|АО|LLC|Ltd\.?|"
                        r"GmbH)(?!\w)", re.IGNORECASE)
QUOTES = re.compile(r"[«»\"“”„']")


def bare_name(name: str) -> str:
    """The name without its legal form and quotes: "OOO «Sylvamash»" -> "Sylvamash"."""
    return " ".join(QUOTES.sub(" ", LEGAL_FORM.sub(" ", name)).split()).strip(" ,.-")


def name_key(name: str) -> str:
    """The key two spellings of one party share (either script, with or without the legal form)."""
    return "".join(k for k in (translit.key(w) for w in re.findall(WORD, bare_name(name))) if k)


def label_names(label: str) -> list[str]:
    """The names of an archived party label: "Name it / Name ru" gives both."""
    return [part.strip() for part in label.split(" / ") if part.strip()]


def document_party_keys(parties, extra_keys=()) -> list[str]:
    """The keys of a document's parties (the index field ``party_names``)."""
    keys = [name_key(name) for label in parties for name in label_names(label)]
    return list(dict.fromkeys(k for k in [*keys, *extra_keys] if k))


@dataclass
class Party:
    id: str
    names: Bilingual = Bilingual()
    variants: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    country: str | None = None
    seat: str = ""
    region: str | None = None                   # a gazetteer id (pipeline/index/data/regions.yaml)
    city: Bilingual = Bilingual()
    documents: list[str] = field(default_factory=list)
    corrected: list[str] = field(default_factory=list)   # the fields staff corrected
    # the confidentiality level (an index of CONFIDENTIALITY_LEVELS) of the least restricted archived agreement
    # whose register data gave the seat and country: a reader who may not see it does not learn them
    seat_level: int | None = None

    def as_dict(self) -> dict:
        region = by_id(self.region) if self.region else None
        return {"id": self.id, "names": self.names.as_dict(), "variants": self.variants, "keys": self.keys,
                "country": self.country, "seat": self.seat, "region": self.region,
                "region_names": region.names.as_dict() if region else None, "city": self.city.as_dict(),
                "documents": self.documents, "corrected": self.corrected, "seat_level": self.seat_level}

    @classmethod
    def from_dict(cls, data: dict) -> "Party":
        return cls(id=data["id"], names=Bilingual.of(data.get("names")), variants=list(data.get("variants") or ()),
                   keys=list(data.get("keys") or ()), country=data.get("country"), seat=data.get("seat") or "",
                   region=data.get("region"), city=Bilingual.of(data.get("city")),
                   documents=list(data.get("documents") or ()), corrected=list(data.get("corrected") or ()),
                   seat_level=data.get("seat_level"))

    def name(self, lang: str) -> str:
        return self.names.text(lang) or (self.variants[0] if self.variants else self.id)

    def matches(self, wanted: str) -> bool:
        """Whether a typed name is one of this party's: every word of it starts a word of a variant (either
        script, any romanisation), or its key is the party's."""
        wanted_keys = [k for k in (translit.key(w) for w in re.findall(WORD, bare_name(wanted) or wanted)) if k]
        if not wanted_keys:
            return False
        if "".join(wanted_keys) in self.keys:
            return True
        for variant in self.variants:
            words = [k for k in (translit.key(w) for w in re.findall(WORD, variant)) if k]
            if all(any(word.startswith(translit.query_prefix(k) or k) for word in words) for k in wanted_keys):
                return True
        return False


# --- derivation --------------------------------------------------------------------------------------------
class _Groups:
    """Union-find over name keys, with what is known of each group."""

    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, keys) -> None:
        keys = [k for k in keys if k]
        for other in keys[1:]:
            a, b = self.find(keys[0]), self.find(other)
            if a != b:
                self.parent[max(a, b)] = min(a, b)


def derive(records, register_entries, sessions) -> list[Party]:
    """The parties of the archived ``records`` (DocumentRecord), with what the drafts register's agreement
    data (``register_entries``: DraftEntry, newest version per reference last) and the session registry
    (``sessions``: Session, their co-chairs' institutions) say of them."""
    groups, variants, facts, documents = _Groups(), {}, {}, {}

    def meet(forms: list[str], doc_id: str | None = None, **known) -> str | None:
        keys = [k for k in (name_key(n) for n in forms) if k]
        if not keys:
            return None
        groups.union(keys)
        for name, key in zip(forms, [name_key(n) for n in forms]):
            if key:
                for form in (name, bare_name(name)):
                    variants.setdefault(key, {})[form] = None
                facts.setdefault(key, {}).update({k: v for k, v in known.items() if v})
                if doc_id:
                    documents.setdefault(key, {})[doc_id] = None
        return keys[0]

    levels = {record.doc_id: CONFIDENTIALITY_LEVELS.index(record.confidentiality)
              if record.confidentiality in CONFIDENTIALITY_LEVELS else 9 for record in records}
    institutions = {}
    for session in sessions:
        for chair in session.co_chairs or ():
            name = Bilingual.of(chair.get("institution"))
            if name:
                institutions.setdefault(session.number, []).append((name, chair.get("country")))
    for record in records:
        for label in record.parties:
            names = label_names(label)
            pair = Bilingual(it=names[0], ru=names[1]) if len(names) == 2 else Bilingual()
            meet(names, record.doc_id, names=pair if pair else None)
        if record.type == "protocol":
            for name, country in institutions.get(record.session, ()):
                meet(list(name.forms()), record.doc_id, names=name, country=country)
    archived_keys = set(documents)
    reference_levels: dict[str, int] = {}
    for record in records:
        if getattr(record, "reference", None):
            reference_levels[record.reference] = min(reference_levels.get(record.reference, 9), levels[record.doc_id])
    seats: dict[str, tuple] = {}          # name key -> (level, country, seat): the least restricted source
    for entry in register_entries:
        level = reference_levels.get(entry.reference, len(CONFIDENTIALITY_LEVELS) - 1)   # not archived: staff's
        for party in (getattr(entry, "agreement", None) or {}).get("parties") or ():
            name = Bilingual.of(party.get("name"))
            seat = Bilingual.of(party.get("seat"))
            if name and any(name_key(n) in archived_keys for n in name.forms()):   # signed: archived
                meet(list(name.forms()), names=name)
                for key in filter(None, map(name_key, name.forms())):
                    if key not in seats or level <= seats[key][0]:
                        seats[key] = (level, party.get("country"), seat)
    by_root: dict[str, list[str]] = {}
    for key in documents:
        by_root.setdefault(groups.find(key), []).append(key)
    parties = []
    for root, keys in sorted(by_root.items()):
        keys = sorted(set(keys) | {k for k in variants if groups.find(k) == root})
        known = {}
        for key in keys:
            known.update(facts.get(key, {}))
        names = known.get("names") or Bilingual()
        found = sorted((seats[k] for k in keys if k in seats), key=lambda fact: fact[0])
        seat_level, seat_country, seat_pair = found[0] if found else (None, None, Bilingual())
        region, city = locate(" ".join(seat_pair.forms()))
        forms = list(dict.fromkeys(v for k in keys for v in variants.get(k, {})))
        parties.append(Party(id=_slug(names, keys), names=names, variants=forms, keys=keys,
                             country=known.get("country") or seat_country or (region.country if region else None),
                             seat=seat_pair.side_by_side() if seat_pair else "", region=region.id if region else None,
                             city=city, documents=sorted({d for k in keys for d in documents.get(k, {})}),
                             seat_level=seat_level))
    _unique_ids(parties, {min(party.keys): min((levels.get(d, 9) for d in party.documents), default=9)
                          for party in parties})
    return sorted(parties, key=lambda p: p.id)


def _slug(names: Bilingual, keys: list[str]) -> str:
    """A readable id from the Italian (else the Russian) name without its legal form, in Latin letters:
    "Roccabrisa Arredamenti S.r.l." -> roccabrisa-arredamenti, "ООО «Сылвамаш»" -> sylvamash."""
    base = bare_name(names.it or names.ru or "")
    latin = "".join(translit.CYRILLIC.get(ch, ch) for ch in base.lower())
    latin = "".join(ch for ch in unicodedata.normalize("NFKD", latin) if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", latin).strip("-")[:48] or keys[0][:48] or "party"


def _unique_ids(parties: list[Party], openness: dict[str, int]) -> None:
    """Two parties with one slug: the one named in the least restricted documents keeps it (so that a hidden
    document never changes a public party's id), then the smaller key; the next gets -2, -3..."""
    seen: dict[str, int] = {}
    for party in sorted(parties, key=lambda p: (p.id, openness.get(min(p.keys), 9), min(p.keys))):
        count = seen.get(party.id, 0) + 1
        seen[party.id] = count
        if count > 1:
            party.id = f"{party.id}-{count}"


# --- the derived file, the corrections ---------------------------------------------------------------------
def write_derived(folder: Path, parties: list[Party]) -> None:
    atomic_write_json(folder / FILE_NAME, [p.as_dict() for p in parties])


_READ = ContentCache("party register", limit=4)


def read_register(ws: Workspace, index_folder: Path) -> list[Party]:
    """The derived parties with the staff's corrections applied (kept until either file changes)."""
    derived_path, corrections_path = index_folder / FILE_NAME, ws.home / CORRECTIONS
    key = (str(derived_path), file_key(derived_path), file_key(corrections_path))

    def make() -> list[Party]:
        try:
            rows = json.loads(derived_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            rows = []
        return Register(apply_corrections([Party.from_dict(row) for row in rows], read_corrections(ws)))
    return _READ.get(key, make)


class Register(list):
    """The parties, with the party of each name key made once (a search's hits look their parties up), and
    the register as each set of confidentiality levels sees it (``seen_with``)."""

    @functools.cached_property
    def owners(self) -> dict[str, Party]:
        return {key: party for party in self for key in party.keys}

    @functools.cached_property
    def by_id(self) -> dict[str, Party]:
        return {party.id: party for party in self}

    @functools.cached_property
    def views(self) -> dict:
        return {}

    def seen_with(self, levels) -> "Register":
        """The register for a reader of ``levels``: a seat (and the country it gave) known only from the data
        of agreements the reader may not see is left out, unless staff entered it (a correction)."""
        levels = tuple(levels)
        view = self.views.get(levels)
        if view is None:
            view = self.views[levels] = Register(_seen(party, levels) for party in self)
        return view


def _seen(party: Party, levels: tuple) -> Party:
    if party.seat_level is None or CONFIDENTIALITY_LEVELS[min(party.seat_level, 2)] in levels:
        return party
    hidden = replace(party, seat="", seat_level=None)
    if "region" not in party.corrected:
        hidden.region = None
    if "city" not in party.corrected:
        hidden.city = Bilingual()
    if "country" not in party.corrected:
        hidden.country = None
    return hidden


def key_owners(parties: list[Party]) -> dict[str, Party]:
    """The party of each name key."""
    return parties.owners if isinstance(parties, Register) else {key: p for p in parties for key in p.keys}


def read_corrections(ws: Workspace) -> dict:
    path = ws.home / CORRECTIONS
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {"parties": {}, "merged": []}       # (no PyYAML loaded by a search without corrections)
    except OSError as err:
        raise ValidationError("parties.corrections_unreadable", field="parties", path=str(path),
                              detail=str(err)) from None
    import yaml
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as err:
        raise ValidationError("parties.corrections_unreadable", field="parties", path=str(path),
                              detail=str(err)) from None
    return {"parties": dict(data.get("parties") or {}), "merged": list(data.get("merged") or [])}


EDITABLE = ("names", "variants", "country", "region", "city")


def apply_corrections(parties: list[Party], corrections: dict) -> list[Party]:
    """The staff's merges (two parties become one) then edits, each found by its id or, should the id have
    changed since (a new name variant), by one of the keys recorded with it."""
    parties = [replace(p) for p in parties]

    def find(pid: str, keys) -> Party | None:
        return next((p for p in parties if p.id == pid), None) or \
            next((p for p in parties if set(keys or ()) & set(p.keys)), None)

    for merge in corrections.get("merged") or ():
        gone, kept = find(merge.get("from"), merge.get("from_keys")), find(merge.get("into"), merge.get("into_keys"))
        if gone is None or kept is None or gone is kept:
            continue
        kept.variants = list(dict.fromkeys([*kept.variants, *gone.variants]))
        kept.keys = sorted(set(kept.keys) | set(gone.keys))
        kept.documents = sorted(set(kept.documents) | set(gone.documents))
        for name in ("country", "region", "seat"):
            if not getattr(kept, name) and getattr(gone, name):
                setattr(kept, name, getattr(gone, name))
        if not kept.city and gone.city:
            kept.city = gone.city
        kept.corrected = sorted(set(kept.corrected) | {"merged"})
        parties.remove(gone)
    for pid, edit in (corrections.get("parties") or {}).items():
        party = find(pid, edit.get("keys"))
        if party is None:
            continue
        if edit.get("names"):
            party.names = Bilingual.of({**party.names.as_dict(), **edit["names"]})
        if edit.get("variants"):
            party.variants = list(dict.fromkeys([*party.variants, *edit["variants"]]))
            party.keys = sorted(set(party.keys) | {name_key(v) for v in edit["variants"] if name_key(v)})
        if edit.get("country"):
            party.country = edit["country"]
        if edit.get("region"):
            party.region = edit["region"]
        if edit.get("city"):
            party.city = Bilingual.of(edit["city"])
        party.corrected = sorted(set(party.corrected) | {k for k in EDITABLE if edit.get(k)})
    return parties


def write_corrections(ws: Workspace, change) -> dict:
    """Apply ``change(corrections)`` to WORKSPACE/parties.yaml under its lock, written atomically."""
    import yaml

    with held(ws.home / LOCK, 30.0, "correcting the party register"):
        corrections = read_corrections(ws)
        change(corrections)
        atomic_write_text(ws.home / CORRECTIONS, "# Staff corrections of the party register (taskforce parties edit "
                          "and merge); applied over the derived register at every read.\n" +
                          yaml.safe_dump(corrections, allow_unicode=True, sort_keys=True))
    return corrections
