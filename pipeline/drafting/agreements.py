"""The data file of a private agreement or memorandum (``DATA.yaml``), validated before anything is rendered.

Every problem is reported at once with its path (``parties[1].seat.ru: missing Russian translation``).
The schema is documented in README.md ("Agreement data files") and by the commented example
``templates/agreement-example.yaml``.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..errors import Finding, ValidationError
from ..vocab import CONFIDENTIALITY_LEVELS, DEFAULT_CONFIDENTIALITY
from ..sessions.fields import FieldChecker
from ..sessions.registry import load_yaml
from ..vocab import COUNTRIES
from .register import REFERENCE_PATTERN

KINDS = ("agreement", "memorandum")
FIELDS = ("kind", "reference", "title", "subject", "sectors", "parties", "premises", "commitments",
          "duration_months", "governing_law", "disputes", "place", "signed_on", "confidentiality")
PARTY_FIELDS = ("name", "country", "legal_form", "seat", "gender", "article", "representative")
# The Italian article before a party's name (il Consorzio …, l’Università …): derived from the noun the name
# begins with; "none" for a name used without one
ARTICLE_CHOICES = ("il", "lo", "la", "l’", "l'", "i", "gli", "le", "none")
REPRESENTATIVE_FIELDS = ("name", "gender", "role", "basis")
BASIS_KEYWORDS = ("statute", "power_of_attorney")
# Not part of a memorandum, which is non-binding: accepted so that one data file serves both kinds.
AGREEMENT_ONLY = ("governing_law", "disputes")


def parse_agreement(data: object, where: str, kind: str | None = None) -> tuple[dict | None, list[Finding]]:
    """Validate agreement data. ``kind`` (from --kind) wins over the file's ``kind``; the default is agreement."""
    if data is None:
        return None, [Finding(where, "empty file: an agreement needs subject, parties and commitments")]
    check = FieldChecker(where)
    data = check.mapping(data, "", FIELDS)
    if data is None:
        return None, check.findings
    chosen = kind or check.choice(data.get("kind"), "kind", KINDS, required=False) or "agreement"
    result = {
        "kind": chosen,
        "reference": check.text(data.get("reference"), "reference", required=False),
        "title": check.bilingual(data.get("title"), "title", required=False),
        "subject": check.bilingual(data.get("subject"), "subject"),
        "sectors": [check.text(s, f"sectors[{i}]") for i, s in enumerate(check.listing(data.get("sectors"), "sectors"))],
        "parties": _parties(check, data.get("parties")),
        "premises": [check.bilingual(p, f"premises[{i}]")
                     for i, p in enumerate(check.listing(data.get("premises"), "premises"))],
        "commitments": [check.bilingual(c, f"commitments[{i}]")
                        for i, c in enumerate(check.listing(data.get("commitments"), "commitments"))],
        "duration_months": _months(check, data.get("duration_months")),
        "governing_law": check.bilingual(data.get("governing_law"), "governing_law", required=chosen == "agreement"),
        "disputes": check.forms(data.get("disputes"), "disputes", required=chosen == "agreement"),
        "place": check.forms(data.get("place"), "place", required=False),
        "signed_on": check.date(data.get("signed_on"), "signed_on", required=False),
        "confidentiality": check.choice(data.get("confidentiality"), "confidentiality",
                                        CONFIDENTIALITY_LEVELS, required=False) or DEFAULT_CONFIDENTIALITY,
    }
    if not result["commitments"] and data.get("commitments") is None:
        check.problem("commitments", "missing (a list of {it: ..., ru: ...}, at least one)")
    if result["reference"]:
        if not REFERENCE_PATTERN.fullmatch(result["reference"]):
            check.problem("reference", f"{result['reference']!r} is not a reference code like TF25-AGR-003")
    if check.findings:
        return None, check.findings
    return result, []


def _parties(check: FieldChecker, value) -> list[dict]:
    parties = []
    items = check.listing(value, "parties")
    if value is None:
        check.problem("parties", "missing (at least one Italian and one Russian party)")
    for i, item in enumerate(items):
        path = f"parties[{i}]"
        item = check.mapping(item, path, PARTY_FIELDS)
        if item is None:
            continue
        representative = check.mapping(item.get("representative"), f"{path}.representative", REPRESENTATIVE_FIELDS)
        parties.append({
            "name": check.forms(item.get("name"), f"{path}.name"),
            "country": check.choice(item.get("country"), f"{path}.country", COUNTRIES),
            "legal_form": check.bilingual(item.get("legal_form"), f"{path}.legal_form"),
            "seat": check.bilingual(item.get("seat"), f"{path}.seat"),
            "gender": check.gender(item.get("gender"), f"{path}.gender"),
            "article": _article(check, item.get("article"), f"{path}.article"),
            "representative": {
                "name": check.forms((representative or {}).get("name"), f"{path}.representative.name"),
                "gender": check.gender((representative or {}).get("gender"), f"{path}.representative.gender"),
                "role": check.forms((representative or {}).get("role"), f"{path}.representative.role"),
                "basis": _basis(check, (representative or {}).get("basis"), f"{path}.representative.basis"),
            } if representative is not None else None,
        })
    countries = {p["country"] for p in parties}
    if items and not {"IT", "RU"} <= countries:
        check.problem("parties", "an agreement needs at least one Italian (IT) and one Russian (RU) party")
    return parties


def _article(check: FieldChecker, value, path: str) -> str | None:
    """The article given for a party's Italian name: il, lo, la, l’, i, gli, le, or none (no article);
    None when not given (then derived)."""
    if value is None:
        return None
    text = str(value).strip().lower()
    if text not in ARTICLE_CHOICES:
        check.problem(path, f"{value!r} is not one of il, lo, la, l’, i, gli, le, none")
        return None
    return text.replace("'", "’")


def _basis(check: FieldChecker, value, path: str):
    """The representative's power: statute (Устав), power_of_attorney (доверенность), or the document itself
    as {it: procura n. 15 del 1° marzo 2014, ru: доверенность № 15 от 1 марта 2014 г.} (nominative; the
    genitive is derived, or given as ru_gen)."""
    if value is None or isinstance(value, dict):
        return check.forms(value, path, required=False)
    if isinstance(value, str) and value.strip() in BASIS_KEYWORDS:
        return value.strip()
    check.problem(path, f"{value!r} is not statute, power_of_attorney or {{it: ..., ru: ...}}")
    return None


def _months(check: FieldChecker, value) -> int | None:
    if value is None:
        check.problem("duration_months", "missing (a whole number of months, e.g. 36)")
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1200:
        check.problem("duration_months", f"must be a whole number of months from 1 to 1200, got {value!r}")
        return None
    return value


# what a document file starts with (a .docx, .odt or .xlsx is a zip)
DOCUMENT_SIGNATURES = {b"PK\x03\x04": "a zipped office document (.docx, .odt?)", b"%PDF-": "a PDF",
                       b"\xd0\xcf\x11\xe0": "a Word 97-2003 document (.doc)"}
# the command that takes an edited .docx back as a draft's next version (drafting/wordimport.py)
DRAFT_IMPORT_COMMAND = "taskforce draft import {reference} {path}"


def _refuse_a_document(path: Path) -> None:
    """A draft edited in Word given where the data file is expected: say so, and how the text gets back."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError:
        return      # load_yaml says what is wrong with the path
    what = next((name for magic, name in DOCUMENT_SIGNATURES.items() if head.startswith(magic)), None)
    if what is None:
        return
    if head.startswith(b"PK") and path.suffix.lower() in (".docx", ".docm", ".dotx"):
        what = "a Word document (.docx)"
        command = DRAFT_IMPORT_COMMAND.format(reference=_reference_of_docx(path) or "REF", path=path)
        raise ValidationError(
            f"{path} is {what}, not an agreement data file: 'taskforce draft agreement' renders a draft from a "
            f"YAML data file (see templates/agreement-example.yaml). To take a draft edited in Word back as the "
            f"next version of its reference, run '{command}'")
    raise ValidationError(
        f"{path} is {what}, not an agreement data file: 'taskforce draft agreement' renders a draft from a YAML "
        f"data file (see templates/agreement-example.yaml)")


def _reference_of_docx(path: Path) -> str | None:
    """The draft reference a .docx names in its properties (a draft taskforce made), if it can be read."""
    try:
        from docx import Document

        identifier = Document(str(path)).core_properties.identifier or ""
    except Exception:   # any damage: the message says REF instead
        return None
    match = REFERENCE_PATTERN.fullmatch(identifier.strip())
    return match.group(0) if match else None


def read_agreement_file(path: Path, kind: str | None = None) -> dict:
    _refuse_a_document(Path(path))
    data, findings = parse_agreement(load_yaml(path), str(path), kind)
    if findings:
        raise ValidationError(f"{path} is not valid agreement data ({len(findings)} problem(s)):", findings)
    data["source"] = str(Path(path).resolve())
    return data


def unused_fields(data: dict) -> list[str]:
    """Fields given in the data that the chosen kind's template does not print."""
    if data["kind"] == "memorandum":
        return [name for name in AGREEMENT_ONLY if data.get(name)]
    return []


def default_signing(data: dict, session) -> tuple[dict, dt.date]:
    return data.get("place") or dict(session.city), data.get("signed_on") or session.end
