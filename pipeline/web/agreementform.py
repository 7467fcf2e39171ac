"""The agreement form's inputs and the agreement data file, both ways.

Every input is named by the path of its value in the data file (``parties[0].representative.name.ru``,
``duration_months``, ``subject.it``), so that a problem the library finds at a path is shown next to the input
of that name. The form is read by walking the names the data file can have (never by taking the names a post
brings): a name the form does not know is ignored, the number of rows is bounded, every text is bounded.

A derived form (a Russian case, an Italian article or gender, an inferred gender or basis) is shown next to its
field with the software's value and its source; the user confirms it (a tick) or types another value, and
either is stored in the data as the override the data file takes (``ru_gen`` beside ``it``/``ru``,
``parties[i].article``, ``parties[i].gender``, ``...representative.gender``, ``...representative.basis``).
"""
from __future__ import annotations

import re

from ..errors import Finding
from ..sessions.fields import RUSSIAN_FORMS
from ..usecases.draftforms import ARTICLES, BASIS_KEYWORDS

LIMITS = {"parties": 10, "premises": 20, "commitments": 30}
MAX_TEXT = 2000                 # characters of one input
MAX_SECTORS = 10
BASIS_CHOICES = BASIS_KEYWORDS + ("document",)    # document: the bilingual text of the inputs below the select
WAS = "was:"                    # prefix of the hidden input keeping the derived value shown beside a field


def party_paths(i: int) -> dict[str, str]:
    """The value paths of party ``i``: kind of each (forms: bilingual with Russian case forms)."""
    p, r = f"parties[{i}]", f"parties[{i}].representative"
    return {f"{p}.name": "forms", f"{p}.country": "choice", f"{p}.legal_form": "bilingual", f"{p}.seat": "bilingual",
            f"{p}.gender": "choice", f"{p}.article": "choice", f"{r}.name": "forms", f"{r}.gender": "choice",
            f"{r}.role": "forms", f"{r}.basis": "basis"}


class FormReader:
    """Reads one post of the form into agreement data (the mapping a data file gives) and its own problems
    (a text too long, too many rows)."""

    def __init__(self, form):
        self.form = form
        self.findings: list[Finding] = []
        self.confirmed = set(form.getlist("confirm")[:500])

    def text(self, name: str) -> str:
        value = self.form.get(name, "")
        if len(value) > MAX_TEXT:
            self.findings.append(Finding("form", f"{name}: too long", field=name, code="data.too_long",
                                         params=(("length", len(value)), ("limit", MAX_TEXT))))
            return ""
        return value.replace("\r\n", "\n").strip()

    def choice(self, name: str) -> str | None:
        """A select's value (one the data file does not allow: the library names it); an empty one confirmed
        beside its derived value takes that value."""
        value = self.text(name)
        if not value and name in self.confirmed:
            value = self.text(WAS + name)
        return value or None

    def bilingual(self, path: str, required: bool, forms: bool = False):
        value = {lang: self.text(f"{path}.{lang}") for lang in ("it", "ru")}
        value = {key: text for key, text in value.items() if text}
        if forms:
            for key in RUSSIAN_FORMS:
                name = f"{path}.{key}"
                form, was = self.text(name), self.form.get(WAS + name)
                if form and (was is None or form != was.strip() or name in self.confirmed):
                    value[key] = form
        if not value and not required:
            return None
        return value

    def rows(self, group: str) -> list[int]:
        """The row numbers the post has for ``group`` (parties, premises, commitments), in order."""
        pattern = re.compile(re.escape(group) + r"\[(\d{1,4})\]")
        seen = sorted({int(m[1]) for key in self.form.keys() if (m := pattern.match(key))})
        if len(seen) > LIMITS[group]:
            self.findings.append(Finding("form", f"{group}: too many", field=group, code="data.too_many",
                                         params=(("count", len(seen)), ("limit", LIMITS[group]))))
            seen = seen[:LIMITS[group]]
        return seen


def _empty(value) -> bool:
    if isinstance(value, dict):
        return all(_empty(v) for v in value.values())
    return value in (None, "", [])


def read_form(form, kind: str) -> tuple[dict, list[Finding]]:
    """The agreement data of a post of the form, and the form's own problems."""
    reader = FormReader(form)
    agreement = kind == "agreement"
    parties = []
    for i in reader.rows("parties"):
        p, r = f"parties[{i}]", f"parties[{i}].representative"
        basis_choice = reader.choice(f"{r}.basis")
        basis_text = reader.bilingual(f"{r}.basis", required=False, forms=True)
        basis = (basis_text or {}) if basis_choice == "document" else basis_choice or basis_text
        party = {"name": reader.bilingual(f"{p}.name", True, forms=True), "country": reader.text(f"{p}.country") or None,
                 "legal_form": reader.bilingual(f"{p}.legal_form", True),
                 "seat": reader.bilingual(f"{p}.seat", True),
                 "gender": reader.choice(f"{p}.gender"), "article": reader.choice(f"{p}.article"),
                 "representative": {"name": reader.bilingual(f"{r}.name", True, forms=True),
                                    "gender": reader.choice(f"{r}.gender"),
                                    "role": reader.bilingual(f"{r}.role", True, forms=True), "basis": basis}}
        parties.append(party)
    premises = [reader.bilingual(f"premises[{i}]", True) for i in reader.rows("premises")]
    commitments = [reader.bilingual(f"commitments[{i}]", True) for i in reader.rows("commitments")]
    parties = _without_empty_rows(parties, keep_when_all_empty=True, ignore=("country",))
    commitments = _without_empty_rows(commitments, keep_when_all_empty=True)
    premises = [p for p in premises if not _empty(p)]
    months = reader.text("duration_months")
    sectors = [line.strip() for line in reader.text("sectors").splitlines() if line.strip()][:MAX_SECTORS]
    data = {
        "kind": kind,
        "title": reader.bilingual("title", required=False),
        "subject": reader.bilingual("subject", True),
        "sectors": sectors or None,
        "parties": parties,
        "premises": premises or None,
        "commitments": commitments,
        "duration_months": int(months) if months.isdigit() and len(months) < 6 else (months or None),
        "governing_law": reader.bilingual("governing_law", required=agreement),
        "disputes": reader.bilingual("disputes", required=agreement, forms=True),
        "place": reader.bilingual("place", required=False, forms=True),
        "signed_on": reader.text("signed_on") or None,
        "confidentiality": reader.text("confidentiality") or None,
    }
    return _pruned(data), reader.findings


def _without_empty_rows(rows: list, keep_when_all_empty: bool, ignore=()) -> list:
    """The rows somebody typed into; all of them when none was (so that each empty input is named)."""
    typed = [row for row in rows if not _empty({k: v for k, v in row.items() if k not in ignore})]
    return typed if typed or not keep_when_all_empty else rows


def _pruned(value):
    """The data without the keys left empty (None), as a hand-written data file leaves them out."""
    if isinstance(value, dict):
        return {key: _pruned(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_pruned(item) for item in value]
    return value


def form_values(data: dict) -> dict[str, str]:
    """The inputs' values for agreement data (a data file, or a post read back): {input name: text}."""
    values: dict[str, str] = {}

    def put(path: str, value) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                put(f"{path}.{key}", item)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                put(f"{path}[{i}]", item)
        elif value is not None:
            values[path] = str(value)

    for key, value in (data or {}).items():
        if key == "sectors" and isinstance(value, list):
            values["sectors"] = "\n".join(map(str, value))
        else:
            put(key, value)
    for i, party in enumerate((data or {}).get("parties") or []):
        basis = ((party or {}).get("representative") or {}).get("basis") if isinstance(party, dict) else None
        if isinstance(basis, dict):
            values[f"parties[{i}].representative.basis"] = "document"
    return values


def row_count(data: dict, group: str, least: int) -> int:
    rows = (data or {}).get(group)
    return max(len(rows) if isinstance(rows, list) else 0, least)


def derived_by_field(forms: list[dict]) -> dict[str, dict]:
    """A version's derived forms by the input they belong to: a Russian case (``…name.ru_gen``) is its own
    input; a gender, an article or a basis is shown at the input of that name."""
    return {form["field"]: form for form in forms or [] if isinstance(form, dict) and form.get("field")}
