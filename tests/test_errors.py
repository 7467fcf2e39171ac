"""Errors with a code and parameters (issue 22, item 2): the library says which field is wrong by its data
path; the command line names the option that sets it, the web page says it in the reader's language next to
the form field. The library itself names no option (tests/test_layout.py checks every module)."""
import pickle
import re

import click
import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.errors import MESSAGES, DateFormatError, PdfRejected, ValidationError
from pipeline.search import SearchRequest, count_by, search
from pipeline.web import create_app
from pipeline.workspace import Workspace
from tests.test_web import set_language


def cli_search(home, *args):
    return CliRunner().invoke(cli, ["--home", str(home), "search", *map(str, args)])


@pytest.fixture(scope="module")
def client(archived, tmp_path_factory):
    import shutil

    home = tmp_path_factory.mktemp("errors") / "ws"
    shutil.copytree(archived, home, symlinks=True)
    return create_app(Workspace.at(home)).test_client()


def field_paragraph(body: str, input_id: str) -> str:
    """The form's paragraph (or fieldset) holding the input ``input_id``."""
    match = re.search(r'<(p|fieldset) class="field[^"]*">(?:(?!</\1>).)*?id="' + input_id + r'"(?:(?!</\1>).)*</\1>',
                      body, re.S)
    assert match, input_id
    return match[0]


def test_a_russian_reader_hears_of_an_impossible_date_next_to_its_field(client):
    set_language(client, "ru")
    response = client.get("/?q=x&from=2014-02-31")
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    message = "Подписан с: «2014-02-31» — не дата"
    assert message in field_paragraph(body, "f-from")            # next to the field ...
    assert message in body[body.index('id="errors"'):]            # ... and in the list of problems
    assert 'aria-invalid="true"' in field_paragraph(body, "f-from")
    assert "--from" not in body and "is not a real date" not in body


def test_a_date_range_backwards_is_said_at_its_end_in_the_readers_language(client):
    set_language(client, "ru")
    body = client.get("/?q=x&from=2015-01-01&to=2014-01-01").get_data(as_text=True)
    assert "Конечная дата 2014-01-01 раньше начальной 2015-01-01" in field_paragraph(body, "f-to")
    assert "--to" not in body and "--from" not in body
    set_language(client, "it")
    body = client.get("/?q=x&from=2015-01-01&to=2014-01-01").get_data(as_text=True)
    assert "La data finale 2014-01-01 viene prima di quella iniziale 2015-01-01" in field_paragraph(body, "f-to")


def test_a_choice_and_a_query_the_library_refuses_are_shown_at_their_fields(client):
    set_language(client, "ru")
    body = client.get("/?q=x&sort=sideways&country=FR").get_data(as_text=True)
    assert "Сортировка: «sideways» — недопустимое значение" in field_paragraph(body, "sort")
    assert "Страна проведения: «FR» — недопустимое значение" in field_paragraph(body, "f-country")
    response = client.get('/?q="accordo')
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert re.search(r'id="error-q">Кавычки \(&#34;\) не закрыты<', body)


def test_the_command_line_names_its_options_for_the_same_mistakes(archived):
    impossible = cli_search(archived, "x", "--from", "2014-02-31")
    assert impossible.exit_code == 2 and "'--from'" in impossible.stderr and "2014-02-31" in impossible.stderr
    backwards = cli_search(archived, "x", "--from", "2015-01-01", "--to", "2014-01-01")
    assert backwards.exit_code == 1
    assert backwards.stderr == "Error: --to 2014-01-01 is before --from 2015-01-01\n"
    no_letters = cli_search(archived, "x", "--party", "!!!")
    assert no_letters.stderr == "Error: --party '!!!' has no letters to match\n"


def test_the_command_line_names_the_option_in_an_ingest_rejection(workspace, pdf_factory):
    locked = pdf_factory.encrypted("segreto")
    result = CliRunner().invoke(cli, ["--home", str(workspace), "ingest", str(locked), "--session", "25",
                                      "--type", "letter"])
    assert result.exit_code == 1
    assert f"rejected  {locked}: encrypted: give --password" in result.output


def test_a_key_of_a_data_file_is_not_named_as_an_option(workspace, tmp_path):
    """'draft agreement' has no --signed-on option: a wrong signed_on in its YAML file stays signed_on."""
    from tests.test_impossible_dates import EXAMPLE

    data = tmp_path / "agreement.yaml"
    data.write_text(EXAMPLE.read_text(encoding="utf-8") + "\nsigned_on: 2014-02-30\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--home", str(workspace), "draft", "agreement", "25", str(data)])
    assert result.exit_code == 1 and "signed_on" in result.stderr and "--signed-on" not in result.stderr


def test_the_library_validates_a_request_once_and_names_fields_by_data_path(archived):
    ws = Workspace.at(archived)
    for options, field in (({"sort": "sideways"}, "sort"), ({"type": "nonexistent"}, "type"),
                           ({"lang": "en"}, "lang"), ({"country": "FR"}, "country"), ({"limit": 0}, "limit"),
                           ({"date_from": "2014-02-31"}, "from")):
        with pytest.raises(ValidationError) as caught:
            search(ws, SearchRequest(query="accordo", **options))
        assert caught.value.field == field and caught.value.code in MESSAGES, options
        assert "--" not in str(caught.value), options
    with pytest.raises(ValidationError) as caught:
        count_by(ws, ["weekday"])
    assert (caught.value.code, caught.value.field, str(caught.value)) == (
        "value.choice", "by", "by must be one of session, year, sector, type, country")


def test_a_coded_error_survives_pickling_and_keeps_a_plain_message():
    """Parser children send their errors to the parent (pipeline/pdf/sandbox.py)."""
    err = PdfRejected("pdf.password_wrong", "/tmp/x.pdf", field="password")
    again = pickle.loads(pickle.dumps(err))
    assert (again.code, again.field, again.reason, str(again)) == (
        "pdf.password_wrong", "password", err.reason, f"/tmp/x.pdf: {err.reason}")
    date = DateFormatError("date.not_real", field="from", value="2014-02-31", detail="day is out of range")
    assert str(date) == "from: '2014-02-31' is not a real date (day is out of range)"
    assert str(ValidationError("a sentence without a code")) == "a sentence without a code"


def test_the_search_options_are_parsed_by_the_cli_and_checked_by_the_library_once(archived):
    from pipeline.cli import load_all

    command = load_all().commands["search"]
    checked = {param.name: param for param in command.params
               if param.name in ("sort", "doc_type", "lang", "country", "date_from", "date_to")}
    assert len(checked) == 6
    assert all(param.type == click.STRING and param.callback is None for param in checked.values())
    for args, flag in ((("--country", "fr"), "--country"), (("--lang", "en"), "--lang"),
                       (("--to", "2014-02-31"), "--to"), (("--sort", "sideways"), "--sort")):
        result = cli_search(archived, "x", *args)
        assert result.exit_code == 2 and f"Invalid value for '{flag}'" in result.stderr, args
