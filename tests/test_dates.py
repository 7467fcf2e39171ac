import datetime as dt

import pytest

from pipeline.sessions.dates import NBSP, format_date, format_range, parse_bound, parse_date
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


@pytest.mark.parametrize("text, first, last", [
    ("maggio 2015", D(2015, 5, 1), D(2015, 5, 31)),
    ("Maggio  2015", D(2015, 5, 1), D(2015, 5, 31)),
    ("май 2015", D(2015, 5, 1), D(2015, 5, 31)),
    ("мая 2015 г.", D(2015, 5, 1), D(2015, 5, 31)),
    ("febbraio 2016", D(2016, 2, 1), D(2016, 2, 29)),
    ("февраль 2015 года", D(2015, 2, 1), D(2015, 2, 28)),
    ("2015-05", D(2015, 5, 1), D(2015, 5, 31)),
    ("27 novembre 2019", D(2019, 11, 27), D(2019, 11, 27)),      # a whole date stays itself
])
def test_a_month_bounds_a_range_by_its_first_and_last_day(text, first, last):
    """A month and year for --from / --to (issue 21): its first day as a start, its last day as an end."""
    assert parse_bound(text, "--from") == first
    assert parse_bound(text, "--to", end=True) == last


def test_a_year_bounds_a_range_by_its_first_and_last_day():
    """--from 2010 (issue 25's question): 1 January as a start, 31 December as an end."""
    assert parse_bound("2010", "--from") == dt.date(2010, 1, 1)
    assert parse_bound(" 2010 ", "--to", end=True) == dt.date(2010, 12, 31)


@pytest.mark.parametrize("text", ["maggio", "201", "2015-13", "foo 2015", "may 2015", "31 febbraio 2015"])
def test_what_is_neither_a_date_nor_a_month_is_refused(text):
    with pytest.raises(DateFormatError) as caught:
        parse_bound(text, "--from")
    assert str(caught.value).startswith(f"--from: cannot read {text!r} as a date")
    assert "or a month: 'maggio 2015', 'май 2015'" in str(caught.value)
    with pytest.raises(DateFormatError, match="not a real date"):
        parse_bound("2015-02-30", "--from")
