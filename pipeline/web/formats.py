"""Dates and times as the page's reader writes them: '27 novembre 2019', '27 ноября 2019 г.', never ISO.

The long form is the one of the legal documents (pipeline/sessions/dates.py, Babel's CLDR data); a moment
(an ingestion, a fixity check) adds the time of day in UTC. A value that is not a date is shown as given,
so that a damaged sidecar still shows something rather than failing the page.
"""
from __future__ import annotations

import datetime as dt

from babel.dates import format_time

from ..errors import DateFormatError
from ..sessions.dates import format_date, parse_bound


def as_date(value) -> dt.date | None:
    """A date from a date, a datetime or an ISO string ('2019-11-27', '2019-11-27T10:00:00Z'); else None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def as_moment(value) -> dt.datetime | None:
    """An aware datetime (UTC when no zone is written) from a datetime or an ISO 8601 string; else None."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    if not isinstance(value, dt.datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def date_text(value, lang: str) -> str:
    """'27 novembre 2019' / '27 ноября 2019 г.'; '' for None; the value itself when it is not a date."""
    if value in (None, ""):
        return ""
    date = as_date(value)
    return format_date(date, lang) if date else str(value)


def moment_text(value, lang: str) -> str:
    """'2 dicembre 2026, 01:05 UTC' / '2 декабря 2026 г., 01:05 UTC'."""
    if value in (None, ""):
        return ""
    moment = as_moment(value)
    if moment is None:
        return date_text(value, lang)
    moment = moment.astimezone(dt.timezone.utc)
    clock = format_time(moment.time(), format="HH:mm", locale=lang)
    return f"{format_date(moment.date(), lang)}, {clock} UTC"


def range_text(start, end, lang: str) -> str:
    """A session's days as a reader writes them: '9–11 ottobre 2002', '30 aprile – 2 maggio 2004',
    '30 dicembre 2004 – 2 gennaio 2005' ('9–11 октября 2002 г.'); one day is one date."""
    first, last = as_date(start), as_date(end)
    if first is None or last is None or first == last:
        return date_text(first or start, lang)
    whole = format_date(last, lang)
    if first.year == last.year and first < last:
        shown = format_date(first, lang)
        tail = shown[shown.index(str(first.year)):] if str(first.year) in shown else ""
        if tail and shown.endswith(tail):
            head = shown[: -len(tail)].rstrip()                 # '30 aprile', '30 апреля'
            if first.month == last.month:
                return f"{first.day}–{whole}"
            return f"{head} – {whole}"
    return f"{date_text(first, lang)} – {whole}"


def read_date(text: str, end: bool = False) -> dt.date:
    """A date typed in a filter box: ISO, '27 novembre 2019' or '27 ноября 2019 г.', or a month ('maggio 2015',
    'май 2015': its first day, or its last for the ``end`` of a range) (DateFormatError else)."""
    return parse_bound(text, field="date", end=end)


__all__ = ["DateFormatError", "as_date", "as_moment", "date_text", "moment_text", "range_text", "read_date"]
