import datetime as dt

import pytest

from pipeline.sessions.dates import NBSP, format_date, format_range, parse_date
from pipeline.errors import DateFormatError

D = dt.date


@pytest.mark.parametrize("text, expected", [
    ("2019-11-27", D(2019, 11, 27)),
    ("27 novembre 2019", D(2019, 11, 27)),
    ("27 Novembre 2019", D(2019, 11, 27)),
    ("1 marzo 2024", D(2024, 3, 1)),
    ("3 sett 2015", D(2015, 9, 3)),
    ("27 ноября 2019 г.", D(2019, 11, 27)),
    ("27 ноября 2019 года", D(2019, 11, 27)),
    ("27 ноября 2019", D(2019, 11, 27)),
    ("15 марта 2024 г.", D(2024, 3, 15)),
    ("1 мая 2010 г.", D(2010, 5, 1)),
    ("3 ноябрь 2019", D(2019, 11, 3)),  # nominative accepted too
    ("  27   novembre   2019 ", D(2019, 11, 27)),
])
def test_parse_accepts_iso_and_long_forms(text, expected):
    assert parse_date(text) == expected


def test_parse_passes_dates_through():
    assert parse_date(D(2002, 4, 1)) == D(2002, 4, 1)
    assert parse_date(dt.datetime(2002, 4, 1, 12, 30)) == D(2002, 4, 1)


@pytest.mark.parametrize("text", ["novembre 2019", "27 novembre", "2019-02-30", "31 febbraio 2020",
                                  "32 ноября 2019 г.", "ciao", "", "  ", None, 2019, "27 brumaio 2019"])
def test_parse_rejects_incomplete_or_unreal_dates(text):
    with pytest.raises(DateFormatError) as err:
        parse_date(text, field="start")
    assert str(err.value).startswith("start: ")


@pytest.mark.parametrize("lang, expected", [("it", "27 novembre 2019"), ("ru", "27 ноября 2019\u00a0г.")])
def test_format_in_legal_style(lang, expected):
    assert format_date(D(2019, 11, 27), lang) == expected


def test_every_month_round_trips_in_both_languages():
    for month in range(1, 13):
        for lang in ("it", "ru"):
            day = D(2020, month, 9)
            assert parse_date(format_date(day, lang)) == day


def test_russian_months_are_genitive():
    assert format_date(D(2024, 3, 15), "ru").replace(NBSP, " ") == "15 марта 2024 г."
    assert format_date(D(2024, 5, 1), "ru").replace(NBSP, " ") == "1 мая 2024 г."


def test_format_range():
    assert format_range(D(2014, 11, 26), D(2014, 11, 26), "it") == "26 novembre 2014"
    assert format_range(D(2014, 11, 26), D(2014, 11, 28), "ru").replace(NBSP, " ") == "26 ноября 2014 г. – 28 ноября 2014 г."


def test_format_rejects_unknown_language():
    with pytest.raises(ValueError):
        format_date(D(2019, 1, 1), "fr")


def test_formatted_russian_date_parses_back_with_its_no_break_space():
    assert parse_date("27 ноября 2019\u00a0г.") == D(2019, 11, 27)
