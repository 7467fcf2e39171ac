"""Dates in legal documents: parsing ISO and Italian/Russian long forms, formatting in legal style.

Parsing uses python-dateutil with a parserinfo per language (month names in the nominative and the
genitive, and the Russian "г." / "года" after the year); formatting uses Babel's CLDR data, which gives
"27 novembre 2019" and "27 ноября 2019 г.".
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import lru_cache

from ..errors import DateFormatError
from ..vocab import LANGUAGES

NBSP = "\u00a0"

_ITALIAN_MONTHS = [
    ("gennaio", "gen"), ("febbraio", "feb"), ("marzo", "mar"), ("aprile", "apr"),
    ("maggio", "mag"), ("giugno", "giu"), ("luglio", "lug"), ("agosto", "ago"),
    ("settembre", "set", "sett"), ("ottobre", "ott"), ("novembre", "nov"), ("dicembre", "dic"),
]
# Genitive (as written after a day: "27 ноября"), then nominative ("ноябрь 2019"), then abbreviations.
_RUSSIAN_MONTHS = [
    ("января", "январь", "янв"), ("февраля", "февраль", "фев"), ("марта", "март", "мар"),
    ("апреля", "апрель", "апр"), ("мая", "май"), ("июня", "июнь", "июн"),
    ("июля", "июль", "июл"), ("августа", "август", "авг"), ("сентября", "сентябрь", "сен", "сент"),
    ("октября", "октябрь", "окт"), ("ноября", "ноябрь", "ноя", "нояб"), ("декабря", "декабрь", "дек"),
]


# Words skipped around a date's parts, beside dateutil's own: "il 27 novembre", "27 ноября 2019 г."
_JUMP = {"it": ["il", "lì", "li", "addì"], "ru": ["г", "года", "год", "гг"]}
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Two defaults that differ in every field: a date that parses to both is complete (day, month and year).
_DEFAULTS = (dt.datetime(1901, 1, 1), dt.datetime(1902, 2, 2))


@lru_cache(maxsize=None)
def _parser(lang: str):
    """dateutil's parser with the month names and skipped words of ``lang``: (parse, parserinfo). dateutil
    (with its time zones, zoneinfo and importlib.resources) is imported when a long form is first read, not
    by every command that imports this module for ISO dates (a tenth of a `taskforce search` process)."""
    from dateutil import parser as dateutil_parser

    class ParserInfo(dateutil_parser.parserinfo):
        MONTHS = _ITALIAN_MONTHS if lang == "it" else _RUSSIAN_MONTHS
        JUMP = dateutil_parser.parserinfo.JUMP + _JUMP[lang]

    return dateutil_parser.parse, ParserInfo(dayfirst=True)


def month_names(lang: str) -> list[tuple[str, ...]]:
    """Month names per month (1-12) in ``lang``, every accepted form; used to find dates in text."""
    return list(_ITALIAN_MONTHS if lang == "it" else _RUSSIAN_MONTHS)


def parse_date(value, field: str = "date") -> dt.date:
    """A date from a ``datetime.date``, an ISO string, or an Italian or Russian long form.

    Raises DateFormatError naming ``field`` when the value is not a complete, real date.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not value.strip():
        raise DateFormatError("date.missing", field=field, value=value)
    text = " ".join(value.split())
    if _ISO.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError as err:
            raise DateFormatError("date.not_real", field=field, value=text, detail=str(err)) from None
    for lang in LANGUAGES:
        parsed = _parse_complete(text, lang)
        if parsed is not None:
            return parsed
    raise DateFormatError("date.unreadable", field=field, value=value)


_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_bound(value, field: str = "date", end: bool = False) -> dt.date:
    """A bound of a range of dates (a search's --from or --to): a date as :func:`parse_date` reads it, a
    month and year ("maggio 2015", "май 2015", "2015-05") or a year ("2010"), which means its first day for a
    start and its last day for an ``end``.

    Raises DateFormatError naming ``field`` when the value is neither."""
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}\s*", value) and int(value) >= 1000:
        return dt.date(int(value), 12, 31) if end else dt.date(int(value), 1, 1)     # a year: "--from 2010"
    try:
        return parse_date(value, field)
    except DateFormatError as err:
        month = _month_of_year(" ".join(value.split())) if isinstance(value, str) else None
        if month is None:
            if not isinstance(value, str) or _ISO.match(value.strip()):
                raise       # nothing given, or an impossible ISO date: parse_date said what is wrong
            raise DateFormatError("date.unreadable_bound", field=field, value=value) from err
    year, number = month
    return dt.date(year, number, calendar.monthrange(year, number)[1] if end else 1)


def _month_of_year(text: str) -> tuple[int, int] | None:
    """(year, month) of "maggio 2015", "май 2015 г.", "мая 2015" or "2015-05"; None for anything else."""
    iso = _YEAR_MONTH.match(text)
    if iso:
        year, number = int(iso[1]), int(iso[2])
        return (year, number) if 1 <= number <= 12 and dt.MINYEAR <= year else None
    if not re.search(r"\d{4}", text) or not re.search(r"[^\W\d_]", text):   # a four-digit year and a name
        return None
    for lang in LANGUAGES:
        parse, info = _parser(lang)
        try:
            results = [parse(text, parserinfo=info, default=default) for default in _DEFAULTS]
        except (ValueError, OverflowError):
            continue
        first, second = results
        if (first.year, first.month) == (second.year, second.month) and first.day != second.day:
            return first.year, first.month   # year and month given, the day from the default: a month
    return None


def _parse_complete(text: str, lang: str) -> dt.date | None:
    results = []
    parse, info = _parser(lang)
    for default in _DEFAULTS:
        try:
            results.append(parse(text, parserinfo=info, default=default))
        except (ValueError, OverflowError):
            return None
    if results[0] != results[1]:
        return None  # day, month or year missing: the default leaked in
    return results[0].date()


def format_date(value: dt.date, lang: str) -> str:
    """The date in legal style: '27 novembre 2019' (it), '27 ноября 2019 г.' (ru, with a no-break space
    before "г.")."""
    from babel.dates import format_date as babel_format_date

    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}")
    # CLDR puts a narrow no-break space (U+202F) before "г."; many fonts lack it, so use the ordinary
    # no-break space, which still keeps "2019 г." on one line.
    return babel_format_date(value, format="long", locale=lang).replace("\u202f", NBSP)


def format_range(start: dt.date, end: dt.date, lang: str) -> str:
    """A span of dates with both ends written in full: unambiguous across months and years, and the
    same construction in both languages."""
    if start == end:
        return format_date(start, lang)
    return f"{format_date(start, lang)} – {format_date(end, lang)}"


# --- dates as legal text writes them (drafts) --------------------------------------------------------------
def _day_it(day: int) -> str:
    return "1°" if day == 1 else str(day)


def _month_name(date: dt.date, lang: str) -> str:
    from babel.dates import format_date as babel_format_date

    return babel_format_date(date, format="d MMMM", locale=lang).split(" ", 1)[1]


def _year_ru(date: dt.date) -> str:
    return f"{date.year}{NBSP}г."


def compact_range(start: dt.date, end: dt.date, lang: str) -> str:
    """A session's dates as a heading writes them: '26–28 novembre 2014', '30 novembre – 2 dicembre 2014',
    '31 dicembre 2014 – 2 gennaio 2015'; '26–28 ноября 2014 г.'."""
    if start == end:
        return format_date(start, lang) if lang == "ru" else f"{_day_it(start.day)} {_month_name(start, 'it')} {start.year}"
    year = _year_ru if lang == "ru" else (lambda d: str(d.year))
    day = str if lang == "ru" else _day_it
    if (start.year, start.month) == (end.year, end.month):
        return f"{day(start.day)}–{day(end.day)} {_month_name(end, lang)} {year(end)}"
    if start.year == end.year:
        return f"{day(start.day)} {_month_name(start, lang)} – {day(end.day)} {_month_name(end, lang)} {year(end)}"
    return (f"{day(start.day)} {_month_name(start, lang)} {year(start)} – "
            f"{day(end.day)} {_month_name(end, lang)} {year(end)}")


def span(start: dt.date, end: dt.date, lang: str) -> str:
    """A span inside a sentence: 'dal 9 all’11 aprile 2003', 'dal 30 novembre al 2 dicembre 2014';
    'с 26 по 28 ноября 2014 г.', 'со 2 по 4 апреля 2015 г.'."""
    if start == end:
        if lang == "ru":
            return format_date(start, "ru")
        return ("l’" if start.day in (8, 11) else "il ") + f"{_day_it(start.day)} {_month_name(start, 'it')} {start.year}"
    same_month = (start.year, start.month) == (end.year, end.month)
    same_year = start.year == end.year
    if lang == "ru":
        first = str(start.day) if same_month else (f"{start.day} {_month_name(start, 'ru')}" if same_year
                                                  else f"{start.day} {_month_name(start, 'ru')} {_year_ru(start)}")
        word = "со" if start.day == 2 else "с"
        return f"{word} {first} по {end.day} {_month_name(end, 'ru')} {_year_ru(end)}"
    first = _day_it(start.day) if same_month else (f"{_day_it(start.day)} {_month_name(start, 'it')}" if same_year
                                                  else f"{_day_it(start.day)} {_month_name(start, 'it')} {start.year}")
    dal = "dall’" if start.day in (8, 11) else "dal "
    al = "all’" if end.day in (8, 11) else "al "
    return f"{dal}{first} {al}{_day_it(end.day)} {_month_name(end, 'it')} {end.year}".replace("  ", " ")
