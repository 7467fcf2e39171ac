"""Drafting in the browser (issue 23, item 3): the agreement form over the data file, its errors next to their
inputs in the page's language, the derived forms confirmed or corrected as overrides, the Protocol's
contents, and the same text from the CLI for the data file the form saved."""
from __future__ import annotations

import hashlib
import html
import json
import re
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.web import create_app
from pipeline.web.users import add_user
from pipeline.workspace import Workspace
from tests.test_web import csrf_of, login, set_language

PASSWORD = "corretta-e-lunga"
NEW = "/drafts/new?kind=agreement&session=25"

# a three-party agreement as typed into an empty form: every name is the data file's path
THREE_PARTIES = {
    "subject.it": "la cooperazione nel settore del legno e dell'arredo",
    "subject.ru": "сотрудничество в области деревообработки и производства мебели",
    "parties[0].name.it": "Consorzio Brianza Legno", "parties[0].name.ru": "Консорциум «Брианца Леньо»",
    "parties[0].country": "IT", "parties[0].legal_form.it": "consorzio", "parties[0].legal_form.ru": "консорциум",
    "parties[0].seat.it": "Monza", "parties[0].seat.ru": "Монца",
    "parties[0].representative.name.it": "Andrea Colombo", "parties[0].representative.name.ru": "Андреа Коломбо",
    "parties[0].representative.gender": "m",
    "parties[0].representative.role.it": "Presidente", "parties[0].representative.role.ru": "Президент",
    "parties[1].name.it": "OOO «Volga Mebel»", "parties[1].name.ru": "ООО «Волга Мебель»",
    "parties[1].country": "RU", "parties[1].legal_form.it": "società a responsabilità limitata",
    "parties[1].legal_form.ru": "общество с ограниченной ответственностью",
    "parties[1].seat.it": "Samara", "parties[1].seat.ru": "Самара",
    "parties[1].representative.name.it": "Ivan Petrov", "parties[1].representative.name.ru": "Иван Петров",
    "parties[1].representative.role.it": "Direttore generale",
    "parties[1].representative.role.ru": "Генеральный директор",
    "parties[1].representative.basis": "power_of_attorney",
    "parties[2].name.it": "Camera di commercio di Samara", "parties[2].name.ru": "Торгово-промышленная палата Самары",
    "parties[2].country": "RU", "parties[2].legal_form.it": "ente pubblico", "parties[2].legal_form.ru": "некоммерческая организация",
    "parties[2].seat.it": "Samara", "parties[2].seat.ru": "Самара",
    "parties[2].representative.name.it": "Olga Smirnova", "parties[2].representative.name.ru": "Ольга Смирнова",
    "parties[2].representative.role.it": "Presidente", "parties[2].representative.role.ru": "Президент",
    "commitments[0].it": "scambiarsi informazioni tecniche", "commitments[0].ru": "обмениваться технической информацией",
    "duration_months": "24",
    "governing_law.it": "diritto italiano", "governing_law.ru": "право Итальянской Республики",
    "disputes.it": "Camera Arbitrale di Milano", "disputes.ru": "Миланская арбитражная палата",
    "confidentiality": "public",
}


@pytest.fixture
def home(workspace):
    ws = Workspace.at(workspace)
    add_user(ws, "lucia", PASSWORD, roles=["legal"])
    add_user(ws, "aldo", PASSWORD, roles=["archivist"])
    return workspace


def client_of(home, name="lucia", lang=None):
    client = create_app(Workspace.at(home)).test_client()
    assert login(client, name, PASSWORD).status_code == 302
    if lang:
        set_language(client, lang)
    return client


def field_errors(body: str, input_id: str) -> list[str]:
    """The messages shown in the paragraph of input ``input_id``."""
    match = re.search(r'<p class="field[^"]*">(?:(?!</p>).)*?id="' + re.escape(input_id) + r'"(?:(?!</p>).)*</p>',
                      body, re.S)
    assert match, input_id
    return re.findall(r'class="field-error"[^>]*>([^<]*)<', match[0])


def post(client, path, data, action="save"):
    return client.post(path, data={"csrf": csrf_of(client, path), "action": action, **data})


def render_from_form(client, data=THREE_PARTIES, path=NEW):
    response = post(client, path, data)
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    return response.headers["Location"]


def register_entries(home) -> list[dict]:
    lines = (Path(home) / "drafts" / "register.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


# --- who may use the form --------------------------------------------------------------------------------
@pytest.mark.parametrize("who, status", [(None, 404), ("aldo", 403), ("lucia", 200)])
def test_the_forms_answer_only_the_legal_staff(home, who, status):
    client = client_of(home, who) if who else create_app(Workspace.at(home)).test_client()
    for path in (NEW, "/drafts/new?kind=memorandum&session=25", "/drafts/new?kind=protocol&session=25",
                 "/drafts/TF25-AGR-001/edit"):
        answer = client.get(path).status_code
        assert answer == (404 if path.endswith("/edit") and status == 200 else status), path
    # a post: the role is checked before anything is read or written
    assert client.post(NEW, data={"csrf": "x"}).status_code == (400 if status == 200 else status)
    assert not (Path(home) / "drafts" / "register.jsonl").exists()


def test_a_post_without_the_csrf_token_writes_nothing(home):
    client = client_of(home)
    response = client.post(NEW, data={**THREE_PARTIES, "action": "save"})
    assert response.status_code == 400
    response = client.post(NEW, data={**THREE_PARTIES, "action": "save", "csrf": "forged"})
    assert response.status_code == 400
    assert not (Path(home) / "drafts").exists() or not list((Path(home) / "drafts").rglob("*.yaml"))


def test_an_unknown_kind_or_session_is_a_missing_page(home):
    client = client_of(home)
    assert client.get("/drafts/new?kind=letter&session=25").status_code == 404
    assert client.get("/drafts/new?kind=agreement&session=99").status_code == 404
    assert client.get("/drafts/new?kind=agreement&session=../../etc").status_code == 404
    assert client.get("/drafts/..%2F..%2Fetc/edit").status_code == 404


# --- the form and its errors -----------------------------------------------------------------------------
def test_every_input_is_named_by_its_data_path(home):
    body = client_of(home).get(NEW).get_data(as_text=True)
    names = set(re.findall(r'name="([^"]+)"', body))
    for name in ("subject.it", "subject.ru", "parties[0].name.it", "parties[1].representative.name.ru",
                 "parties[0].representative.gender", "parties[0].representative.basis", "parties[0].legal_form.ru",
                 "parties[1].seat.it", "parties[0].article", "parties[0].gender", "commitments[0].ru",
                 "duration_months", "governing_law.it", "disputes.ru", "place.it", "signed_on", "confidentiality"):
        assert name in names, name


def empty_form(client, path=NEW) -> dict:
    """What a browser posts for the form left as it is: every input, empty; each select at its first choice."""
    body = client.get(path).get_data(as_text=True)
    values = {name: "" for name in re.findall(r'<(?:input|textarea)[^>]* name="([^"]+)"', body)
              if name not in ("csrf", "action", "confirm") and not name.startswith("was:")}
    for name, options in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', body, re.S):
        selected = re.search(r'<option value="([^"]*)" selected', options) or re.search(r'<option value="([^"]*)"', options)
        values[name] = selected[1]
    return values


def test_an_empty_form_says_each_problem_next_to_its_input_in_russian(home):
    client = client_of(home, lang="ru")
    blank = empty_form(client)
    assert blank["parties[0].country"] == "IT" and blank["parties[1].country"] == "RU"
    response = post(client, NEW, blank)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_errors(body, "f-subject-it") == ["Нет итальянского текста"]
    assert field_errors(body, "f-parties-1-representative-name-ru") == ["Нет русского текста"]
    assert field_errors(body, "f-duration-months") == ["Обязательно: целое число месяцев, например 36"]
    assert 'aria-invalid="true"' in body and "missing Italian translation" not in body
    # the list above the form names each field in words
    assert "Сторона 2 › Представитель › Название / имя › русский: Нет русского текста" in body
    assert not (Path(home) / "drafts" / "register.jsonl").exists()


def test_a_wrong_value_is_refused_in_italian_at_its_input(home):
    client = client_of(home)
    body = post(client, NEW, {**THREE_PARTIES, "duration_months": "tre anni", "parties[2].country": "IT",
                              "parties[1].country": "IT"}).get_data(as_text=True)
    assert field_errors(body, "f-duration-months") == ["Un numero intero di mesi da 1 a 1200, non «tre anni»"]
    assert "Un accordo richiede almeno una parte italiana (IT) e una russa (RU)" in body


def test_a_text_too_long_is_refused_at_its_input(home):
    client = client_of(home)
    body = post(client, NEW, {**THREE_PARTIES, "subject.it": "x" * 2500}).get_data(as_text=True)
    assert field_errors(body, "f-subject-it") == ["2500 caratteri, più dei 2000 ammessi"]


def test_more_rows_than_allowed_are_refused_at_their_group(home):
    client = client_of(home)
    many = {**THREE_PARTIES, **{f"parties[{i}].name.it": f"Parte {i}" for i in range(3, 12)}}
    body = post(client, NEW, many).get_data(as_text=True)
    assert "12, più dei 10 ammessi" in body
    assert not (Path(home) / "drafts" / "register.jsonl").exists()
    body = post(client, NEW, many, action="add:parties").get_data(as_text=True)
    assert 'name="parties[9].name.it"' in body and 'name="parties[10].name.it"' not in body
    assert 'id="add-parties"' not in body


def test_add_one_more_shows_another_row_without_saving(home):
    client = client_of(home)
    response = post(client, NEW, THREE_PARTIES, action="add:parties")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="parties[3].name.it"' in body and 'value="Consorzio Brianza Legno"' in body
    body = post(client, NEW, THREE_PARTIES, action="remove:parties[0]").get_data(as_text=True)
    assert 'value="Consorzio Brianza Legno"' not in body and 'name="parties[1].name.it" id="f-parties-1-name-it" ' \
        'value="Camera di commercio di Samara"' in body
    assert not (Path(home) / "drafts" / "register.jsonl").exists()


# --- saving and rendering --------------------------------------------------------------------------------
def test_a_three_party_agreement_from_an_empty_form_is_saved_and_rendered(home):
    client = client_of(home)
    location = render_from_form(client)
    assert location.startswith("/drafts/TF25-AGR-001/edit")
    entry = register_entries(home)[-1]
    assert (entry["reference"], entry["version"], len(entry["parties"])) == ("TF25-AGR-001", 1, 3)
    saved = Path(entry["source"])
    assert saved.parent == (Path(home) / "drafts" / "data").resolve()
    assert saved.name == hashlib.sha256(saved.read_bytes()).hexdigest() + ".yaml"
    data = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert data["parties"][2]["representative"]["name"] == {"it": "Olga Smirnova", "ru": "Ольга Смирнова"}
    assert data["duration_months"] == 24
    # the edit page: the saved data in the form, the derived forms at their fields
    body = client.get(location).get_data(as_text=True)
    assert "Creata la versione 1 di TF25-AGR-001." in body
    assert 'value="Olga Smirnova"' in body
    assert 'name="parties[0].representative.name.ru_gen"' in body and "Андреа Коломбо" in body
    assert re.search(r'id="derived-f-parties-2-representative-gender"><span class="source source-inferred">', body)


def test_a_corrected_derived_form_is_stored_as_the_override_and_used_by_the_next_render(home):
    client = client_of(home)
    location = render_from_form(client)
    edit = location.split("?")[0]
    body = client.get(location).get_data(as_text=True)
    derived = re.search(r'name="parties\[0\]\.representative\.name\.ru_gen" [^>]*value="([^"]*)"', body)[1]
    assert derived == "Андреа Коломбо"
    base = re.search(r'name="base" value="([^"]+)"', body)[1]
    corrected = {**THREE_PARTIES, "base": base,
                 "parties[0].representative.name.ru_gen": "Андреа Коломбо-Риччи",
                 "was:parties[0].representative.name.ru_gen": derived,
                 # a gender the software read from the first name, confirmed as it is
                 "was:parties[2].representative.gender": "f", "confirm": "parties[2].representative.gender"}
    assert post(client, edit, corrected).status_code == 303
    second = register_entries(home)[-1]
    assert (second["reference"], second["version"]) == ("TF25-AGR-001", 2)
    data = yaml.safe_load(Path(second["source"]).read_text(encoding="utf-8"))
    assert data["reference"] == "TF25-AGR-001"
    assert data["parties"][0]["representative"]["name"]["ru_gen"] == "Андреа Коломбо-Риччи"
    assert data["parties"][2]["representative"]["gender"] == "f"
    # the next render used it: the form is given, no longer derived, and the text carries it
    fields = {form["field"] for form in second["forms"]}
    assert "parties[0].representative.name.ru_gen" not in fields
    assert "parties[2].representative.gender" not in fields
    xml = zipfile.ZipFile(Path(home) / second["file"]).read("word/document.xml").decode("utf-8")
    assert "Коломбо-Риччи" in re.sub(r"<[^>]+>", "", xml)
    # an unchanged derived form that was not ticked stays derived (not written into the data)
    assert "ru_gen" not in data["parties"][1]["representative"]["name"]


def test_a_form_opened_before_a_newer_version_is_a_conflict(home):
    client = client_of(home)
    location = render_from_form(client)
    edit = location.split("?")[0]
    body = client.get(location).get_data(as_text=True)
    stale = re.search(r'name="base" value="([^"]+)"', body)[1]
    fresh = {**THREE_PARTIES, "base": stale}
    assert post(client, edit, fresh).status_code == 303          # another save from the same opened form ...
    response = post(client, edit, {**THREE_PARTIES, "base": stale, "subject.it": "altro oggetto"})
    assert response.status_code == 409                           # ... is now stale
    body = html.unescape(response.get_data(as_text=True))
    assert "TF25-AGR-001 è cambiato dopo l'apertura del modulo (ora c'è la versione 2)" in body
    assert ">altro oggetto</textarea>" in body                   # what was typed is kept
    assert [e["version"] for e in register_entries(home)] == [1, 2]


# --- the Protocol ------------------------------------------------------------------------------------------
def test_the_protocol_page_shows_its_contents_and_leaves_restricted_agreements_out(home):
    client = client_of(home)
    render_from_form(client)
    render_from_form(client, {**THREE_PARTIES, "subject.it": "un accordo riservato", "confidentiality": "restricted"})
    path = "/drafts/new?kind=protocol&session=25"
    body = client.get(path).get_data(as_text=True)
    annex = re.search(r'<ul id="annex">(.*?)</ul>', body, re.S)[1]
    assert "TF25-AGR-001" in annex and "TF25-AGR-002" not in body
    assert "Accordi riservati lasciati fuori: 1." in body
    response = client.post(path, data={"csrf": csrf_of(client, path)})
    assert response.status_code == 200
    entry = register_entries(home)[-1]
    assert (entry["reference"], entry["annex"], entry["annex_left_out"]) == ("TF25-PROT", ["TF25-AGR-001"],
                                                                             ["TF25-AGR-002"])
    assert "Creata la versione 1 di TF25-PROT." in response.get_data(as_text=True)


# --- the same text from the command line ---------------------------------------------------------------------
def parts(docx: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(docx) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_data_file_saved_by_the_form_renders_to_the_same_document_from_the_cli(home):
    """The page's render and `taskforce draft agreement 25 SAVED.yaml` of the file it saved: word/document.xml
    byte for byte (the version is not in the body: it is printed by the footer), in both layouts; the footer
    differs by its version number only, docProps/core.xml by the version and the time of the render; every
    other part is the same bytes."""
    client = client_of(home)
    location = render_from_form(client)
    body = client.get(location).get_data(as_text=True)
    base = re.search(r'name="base" value="([^"]+)"', body)[1]
    # a second version through the form (an edit: the data file then names its reference)
    assert post(client, location.split("?")[0], {**THREE_PARTIES, "base": base}).status_code == 303
    web = register_entries(home)[-1]
    result = CliRunner().invoke(cli, ["--home", str(home), "draft", "agreement", "25", web["source"], "--json"])
    assert result.exit_code == 0, result.output
    by_cli = register_entries(home)[-1]
    assert (by_cli["reference"], by_cli["version"], by_cli["source"]) == (web["reference"], web["version"] + 1,
                                                                         web["source"])
    for web_file, cli_file in ((web["file"], by_cli["file"]), (web["alternat"]["file"], by_cli["alternat"]["file"])):
        from_web, from_cli = parts(Path(home) / web_file), parts(Path(home) / cli_file)
        assert from_web["word/document.xml"] == from_cli["word/document.xml"]
        mark = lambda version: f"· v{version} ·".encode()   # noqa: E731  (the footer line: TF25-AGR-001 · v2 · BOZZA)
        assert mark(web["version"]) in from_web["word/footer1.xml"]
        assert from_web["word/footer1.xml"].replace(mark(web["version"]), mark(by_cli["version"])) == \
            from_cli["word/footer1.xml"]
        differing = {name for name in from_web if from_web[name] != from_cli.get(name)}
        assert differing == {"word/footer1.xml", "docProps/core.xml"} and set(from_web) == set(from_cli)
    # the comparison can fail: another subject typed into the form is another body
    body = client.get(location.split("?")[0]).get_data(as_text=True)
    base = re.search(r'name="base" value="([^"]+)"', body)[1]
    assert post(client, location.split("?")[0], {**THREE_PARTIES, "base": base,
                                                  "subject.it": "la cooperazione nel settore del mobile"}).status_code == 303
    changed = register_entries(home)[-1]
    assert parts(Path(home) / changed["file"])["word/document.xml"] != \
        parts(Path(home) / by_cli["file"])["word/document.xml"]


def test_a_memorandum_needs_no_governing_law_and_keeps_one_given(home):
    client = client_of(home)
    path = "/drafts/new?kind=memorandum&session=25"
    bare = {key: value for key, value in THREE_PARTIES.items() if not key.startswith(("governing_law", "disputes"))}
    location = render_from_form(client, bare, path)
    assert location.startswith("/drafts/TF25-MOU-001/edit")
    assert register_entries(home)[-1]["kind"] == "memorandum"
    location = render_from_form(client, THREE_PARTIES, path)      # given anyway: kept in the data, not printed
    entry = register_entries(home)[-1]
    assert entry["unused_fields"] == ["governing_law", "disputes"]
    assert yaml.safe_load(Path(entry["source"]).read_text(encoding="utf-8"))["kind"] == "memorandum"


def test_a_data_file_problem_carries_its_path_and_code_and_keeps_its_english_text():
    """What lets the page say it in Russian next to its input; the CLI's text is as before."""
    from pipeline.drafting.agreements import parse_agreement

    _, findings = parse_agreement({"subject": {"it": "x"}, "parties": [], "commitments": [{"it": "a", "ru": "б"}],
                                   "duration_months": "tre"}, "data.yaml")
    by_field = {finding.field: finding for finding in findings}
    assert str(by_field["subject.ru"]) == "data.yaml: subject.ru: missing Russian translation"
    assert by_field["subject.ru"].code == "data.translation_missing"
    assert by_field["duration_months"].code == "agreement.months"
    assert dict(by_field["duration_months"].params) == {"value": "tre"}
    assert str(by_field["duration_months"]) == ("data.yaml: duration_months: must be a whole number of months from "
                                                "1 to 1200, got 'tre'")


def test_a_draft_whose_data_file_is_gone_says_so(home, tmp_path):
    example = Path(__file__).resolve().parent.parent / "templates" / "agreement-example.yaml"
    data = tmp_path / "agreement.yaml"
    data.write_bytes(example.read_bytes())
    result = CliRunner().invoke(cli, ["--home", str(home), "draft", "agreement", "25", str(data)])
    assert result.exit_code == 0, result.output
    client = client_of(home)
    body = client.get("/drafts/TF25-AGR-001/edit").get_data(as_text=True)
    assert 'value="Meccanica Orobica S.p.A."' in body and 'name="parties[1].representative.name.ru_gen"' in body
    data.unlink()
    response = client.get("/drafts/TF25-AGR-001/edit")
    assert response.status_code == 404
    assert "Il file di dati della versione 1 di TF25-AGR-001 non c" in response.get_data(as_text=True)


def form_as_shown(body: str) -> dict:
    """What a browser posts for a form sent back unchanged: each input's value, each textarea's text, each
    select's selected option (boxes left unticked)."""
    values = {}
    for tag in re.findall(r"<input[^>]*>", body):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name and 'type="checkbox"' not in tag and name[1] != "action":
            values[html.unescape(name[1])] = html.unescape(value[1]) if value else ""
    for name, text in re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', body, re.S):
        values[name] = html.unescape(text)
    for name, options in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', body, re.S):
        selected = re.search(r'<option value="([^"]*)" selected', options)
        values[name] = html.unescape(selected[1]) if selected else ""
    return values


def test_a_data_file_sent_back_unchanged_through_the_form_is_the_same_agreement(home):
    """The example data file, rendered by the CLI, opened in the form and saved as it is: the data the next
    version is rendered from are the same (every field reaches an input and comes back)."""
    from pipeline.drafting.agreements import read_agreement_file

    example = Path(__file__).resolve().parent.parent / "templates" / "agreement-example.yaml"
    result = CliRunner().invoke(cli, ["--home", str(home), "draft", "agreement", "25", str(example)])
    assert result.exit_code == 0, result.output
    client = client_of(home)
    shown = form_as_shown(client.get("/drafts/TF25-AGR-001/edit").get_data(as_text=True))
    response = client.post("/drafts/TF25-AGR-001/edit", data={**shown, "action": "save"})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    entries = register_entries(home)
    before, after = (read_agreement_file(Path(entry["source"])) for entry in entries)
    for data in (before, after):
        data.pop("source"), data.pop("reference")
    assert after == before
    assert entries[1]["sha256"] != entries[0]["sha256"]          # the footer's version differs ...
    assert entries[1]["forms"] == entries[0]["forms"]             # ... the derived forms do not


def test_a_value_the_render_cannot_tell_is_asked_for_at_its_input_in_russian(home):
    """Андреа (a foreign first name) does not tell the representative's gender: the render's problem lands at
    that select, and nothing is registered."""
    client = client_of(home, lang="ru")
    unknown = {**THREE_PARTIES, "parties[0].representative.gender": ""}
    response = post(client, NEW, unknown)
    body = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert field_errors(body, "f-parties-0-representative-gender") == [
        "По имени «Андреа Коломбо» не определить, женщина это или мужчина: выберите"]
    assert not (Path(home) / "drafts" / "register.jsonl").exists()
    assert not list((Path(home) / "drafts").rglob("*.yaml"))     # the data file of a failed render is not kept
