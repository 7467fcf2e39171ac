"""The life of an agreement: signature, entry into force, duration, expiry, and its status on a given day.

Entry into force is the signature unless the text says otherwise ("entra in vigore il 1 marzo 2015",
"вступает в силу 1 марта 2015 г."; the templates' "alla data della firma" / "с даты подписания" is the
signature). The duration is the signed text's ("ha una durata di 3 (tre) anni", "в течение 3 (трех) лет",
"сроком на 3 года": what was signed binds, even where it differs from the approved draft) or, when the text
states none (a scan OCR could not read), the agreement data's ``duration_months`` in the drafts register.

The status depends on the day it is asked: the index stores the dates (``force_key``, ``expiry_key`` as
yyyymmdd) and whether the archivists withdrew or superseded it (``standing``), and the status is computed
when a search runs (``status_on``), so an agreement expires on its day without a rebuild.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..errors import DateFormatError
from ..sessions.dates import parse_date
from ..vocab import AGREEMENT_STATUSES

AGREEMENT_TYPES = ("agreement", "memorandum")
STATUSES = AGREEMENT_STATUSES
NO_EXPIRY = 99991231            # expiry_key of an agreement without a known end (in force until withdrawn)

_IT_UNITS = {"ann": 12, "mes": 1}
_RU_UNITS = {"год": 12, "лет": 12, "года": 12, "месяц": 1, "месяца": 1, "месяцев": 1}
DURATION_IT = re.compile(r"durata\s+di\s+(\d+)\s*(?:\([^)]*\)\s*)?(ann|mes)", re.IGNORECASE)
DURATION_IT_FOR = re.compile(r"(?:effetto|vigore)[^.]{0,80}?\bper\s+(\d+)\s*(?:\([^)]*\)\s*)?(ann|mes)", re.IGNORECASE)
DURATION_RU = re.compile(r"(?:в\s+течение|сроком\s+на)\s+(\d+)\s*(?:\([^)]*\)\s*)?(год[а]?|лет|месяц[аев]*)",
                         re.IGNORECASE)
FORCE_IT = re.compile(r"entr[ae]\s+in\s+vigore\s+(.{0,60})", re.IGNORECASE | re.DOTALL)
FORCE_RU = re.compile(r"вступа[ею]т\s+в\s+силу\s+(.{0,60})", re.IGNORECASE | re.DOTALL)
AT_SIGNATURE = re.compile(r"^\s*(?:alla\s+data\s+della\s+(?:sua\s+)?(?:firma|sottoscrizione)|al(?:la|l')?\s*"
                          r"(?:momento\s+della\s+)?firma|с\s+(?:даты|момента)\s+(?:его\s+)?подписания|"
                          r"со\s+дня\s+подписания)", re.IGNORECASE)


@dataclass(frozen=True)
class Life:
    signed_on: dt.date | None
    in_force_on: dt.date | None
    duration_months: int | None
    expires_on: dt.date | None
    standing: str = ""                 # "withdrawn" or "superseded" when the archive says so

    def status_on(self, day: dt.date) -> str:
        return status_of(self.standing, key_of(self.in_force_on), key_of(self.expires_on) or NO_EXPIRY,
                         key_of(day))

    def as_dict(self) -> dict:
        iso = lambda d: d.isoformat() if d else None      # noqa: E731
        return {"signed_on": iso(self.signed_on), "in_force_on": iso(self.in_force_on),
                "duration_months": self.duration_months, "expires_on": iso(self.expires_on),
                "standing": self.standing or None}


def key_of(day: dt.date | None) -> int:
    return int(day.strftime("%Y%m%d")) if day else 0


def status_of(standing: str, force_key: int, expiry_key: int, today_key: int) -> str:
    """The status on ``today_key`` from the indexed values (the one rule, for filters and facets alike)."""
    if standing:
        return standing
    if force_key and force_key > today_key:
        return "not-yet"
    return "expired" if expiry_key and expiry_key < today_key else "in-force"


def add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def duration_in_text(text: str) -> int | None:
    """The duration the text states, in months (None: it states none)."""
    for pattern in (DURATION_IT, DURATION_IT_FOR):
        found = pattern.search(text)
        if found:
            return int(found[1]) * _IT_UNITS[found[2].lower()[:3]]
    found = DURATION_RU.search(text)
    if found:
        unit = found[2].lower()
        return int(found[1]) * (12 if unit.startswith(("год", "лет")) else 1)
    return None


DATE_IN_TEXT = re.compile(r"(\d{1,2})[°º]?\s+([^\W\d_]+)\s+(\d{4})|(\d{1,2})\.(\d{1,2})\.(\d{4})")


def find_dates_in(text: str) -> list[dt.date]:
    """The dates written out in ``text`` ("1 marzo 2015", "1 марта 2015 г.", "01.03.2015"), in order."""
    found = []
    for match in DATE_IN_TEXT.finditer(text):
        value = f"{match[1]} {match[2].lower()} {match[3]}" if match[1] else f"{match[6]}-{int(match[5]):02d}-{int(match[4]):02d}"
        try:
            found.append(parse_date(value))
        except DateFormatError:
            continue
    return found


def force_in_text(text: str) -> dt.date | None:
    """The date of entry into force the text states, when it is not the signature (None: the signature)."""
    for pattern in (FORCE_IT, FORCE_RU):
        for found in pattern.finditer(text):
            after = " ".join(found[1].split())
            if AT_SIGNATURE.match(after):
                continue
            dates = find_dates_in(after)
            if dates:
                return dates[0]
    return None


def life_of(doc_type: str, signed_on: dt.date | None, text: str, duration_months: int | None = None,
            withdrawn: bool = False, superseded_by: str | None = None) -> Life | None:
    """The life of an agreement or memorandum (None for another document)."""
    if doc_type not in AGREEMENT_TYPES:
        return None
    in_force = force_in_text(text) or signed_on
    months = duration_in_text(text) or duration_months      # the signed text binds; the draft's data else
    expires = add_months(in_force, months) - dt.timedelta(days=1) if in_force and months else None
    standing = "withdrawn" if withdrawn else "superseded" if superseded_by else ""
    return Life(signed_on, in_force, months, expires, standing)
