"""The legal staff's pages (issue 23 items 2 and 4): the session form, /drafts and a reference's page, through
Flask's test client on a fresh workspace with the sample session and one agreement in two versions."""
from __future__ import annotations

import hashlib
import html
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.sessions.registry import get_session
from pipeline.usecases.drafting import render_agreement
from pipeline.web import create_app
from pipeline.web.users import add_user
from pipeline.workspace import Workspace
from tests.conftest import REPO, require_tool

PASSWORD = "corretta-e-lunga"
EXAMPLE = REPO / "templates" / "agreement-example.yaml"
REFERENCE = "TF25-AGR-001"


@pytest.fixture
def legal_home(workspace, tmp_path):
    """The sample workspace, its accounts (lucia legal, piero admin, marta archivist, anna reads only) and the
    agreement TF25-AGR-001 in two versions whose Italian subject differs."""
    ws = Workspace.at(workspace)
    for name, roles in (("lucia", ["legal"]), ("piero", ["admin"]), ("marta", ["archivist"]), ("anna", [])):
        add_user(ws, name, PASSWORD, roles=roles)
    render_agreement(ws, 25, EXAMPLE)
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["subject"]["it"] = data["subject"]["it"].replace("industriale", "commerciale")
    changed = tmp_path / "agreement-v2.yaml"
    changed.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    render_agreement(ws, 25, changed, reference=REFERENCE)
    return workspace


def csrf_of(client, path="/login") -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get(path).get_data(as_text=True))[1]


def signed_in(home, name="lucia", lang=None):
    client = create_app(Workspace.at(home)).test_client()
    if name:
        response = client.post("/login", data={"name": name, "password": PASSWORD, "csrf": csrf_of(client)})
        assert response.status_code == 302
    if lang:
        assert client.post(f"/lang/{lang}", data={"csrf": csrf_of(client, "/")}).status_code == 302
    return client


class FormFields(HTMLParser):
    """The values a browser would post for the form of a page: text inputs, hidden inputs, selected options."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") and attrs.get("type") in ("text", "hidden"):
            self.fields[attrs["name"]] = attrs.get("value") or ""
        elif tag == "select":
            self._select = attrs.get("name")
            self.fields.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def form_of(client, path) -> dict[str, str]:
    response = client.get(path)
    assert response.status_code == 200
    parser = FormFields()
    parser.feed(response.get_data(as_text=True))
    return parser.fields


def field_error(page: str, path: str) -> str:
    """The message shown next to the input of ``path``; '' when none."""
    element_id = "f-" + re.sub(r"[^A-Za-z0-9_]+", "-", path).strip("-")
    found = re.search(rf'<span class="field-error" id="e-{element_id}">(.*?)</span>', page, re.S)
    return found[1] if found else ""


NEW_SESSION = {
    "number": "26", "start": "20 maggio 2015", "end": "2015-05-22", "country": "RU",
    "city.it": "Kazan", "city.ru": "Казань", "region.it": "Tatarstan", "region.ru": "Татарстан",
    "co_chairs[0].country": "IT", "co_chairs[0].name.it": "Giulia Bianchi", "co_chairs[0].name.ru": "Джулия Бьянки",
    "co_chairs[0].gender": "f", "co_chairs[0].role.it": "Co-presidente", "co_chairs[0].role.ru": "Сопредседатель",
    "co_chairs[1].country": "RU", "co_chairs[1].name.it": "Ivan Petrov", "co_chairs[1].name.ru": "Иван Петров",
    "co_chairs[1].gender": "m",
    "tables[0].sector.it": "Meccanica strumentale", "tables[0].sector.ru": "Машиностроение и оборудование",
    "tables[0].topics[0].it": "macchine utensili", "tables[0].topics[0].ru": "станки",
    "tables[0].topics[1].it": "", "tables[0].topics[1].ru": "",            # an empty row: dropped
    "participants[0].country": "RU", "participants[0].name.it": "Imprese del Tatarstan",
    "participants[0].name.ru": "Предприятия Татарстана",
    "next_session.country": "IT", "next_session.period.it": "autunno 2016", "next_session.period.ru": "осень 2016 г.",
}


@pytest.mark.parametrize("who, status", [(None, 404), ("anna", 403), ("marta", 403), ("lucia", 200),
                                         ("piero", 200)])
def test_every_page_answers_by_role(legal_home, who, status):
    client = signed_in(legal_home, who)
    for path in ("/sessions/new", "/session/25/edit", "/drafts", f"/drafts/{REFERENCE}",
                 f"/drafts/{REFERENCE}/1/it-ru.docx", "/drafts/TF99-AGR-001"):
        expected = 404 if path.endswith("TF99-AGR-001") and status == 200 else status
        assert client.get(path).status_code == expected, (who, path)
    # a post without the role changes nothing either, whatever its token
    if status != 200:
        response = client.post("/sessions/new", data={**NEW_SESSION, "csrf": "x"})
        assert response.status_code == status
        assert not (Path(legal_home) / "sessions" / "session-026.yaml").exists()


def test_a_post_without_the_csrf_token_is_refused(legal_home):
    client = signed_in(legal_home)
    assert client.post("/sessions/new", data=NEW_SESSION).status_code == 400
    assert client.post("/sessions/new", data={**NEW_SESSION, "csrf": "forged"}).status_code == 400
    fields = form_of(client, "/session/25/edit")
    del fields["csrf"]
    assert client.post("/session/25/edit", data=fields).status_code == 400
    assert not (Path(legal_home) / "sessions" / "session-026.yaml").exists()


def test_a_new_session_from_the_form_is_a_file_the_cli_accepts(legal_home, tmp_path):
    client = signed_in(legal_home)
    response = client.post("/sessions/new", data={**NEW_SESSION, "csrf": csrf_of(client, "/sessions/new")})
    assert response.status_code == 303, response.get_data(as_text=True)
    assert response.headers["Location"].endswith("/session/26?saved=1")
    written = Path(legal_home) / "sessions" / "session-026.yaml"
    text = written.read_text(encoding="utf-8")
    assert text.startswith("# Saved with the web page's form by lucia, ")
    check = CliRunner().invoke(cli, ["--home", str(legal_home), "sessions", "check", "--json"])
    assert check.exit_code == 0, check.output
    assert json.loads(check.stdout)["ok"] is True
    session = get_session(Workspace.at(legal_home), 26)
    assert session.city == {"it": "Kazan", "ru": "Казань"}
    assert [t["topics"] for t in session.tables] == [[{"it": "macchine utensili", "ru": "станки"}]]
    assert session.co_chairs[1]["name"] == {"it": "Ivan Petrov", "ru": "Иван Петров"}
    assert session.next_session["period"]["ru"] == "осень 2016 г."
    # the same file is what `taskforce sessions add` takes in another workspace
    other = tmp_path / "other"
    assert CliRunner().invoke(cli, ["--home", str(other), "init"]).exit_code == 0
    added = CliRunner().invoke(cli, ["--home", str(other), "sessions", "add", str(written)])
    assert added.exit_code == 0, added.output
    page = client.get("/session/26?saved=1").get_data(as_text=True)
    assert 'id="session-saved"' in page and 'id="edit-session"' in page


def test_the_edit_form_posted_unchanged_keeps_every_field(legal_home):
    ws = Workspace.at(legal_home)
    before = get_session(ws, 25).as_dict()
    client = signed_in(legal_home)
    fields = form_of(client, "/session/25/edit")
    assert fields["co_chairs[0].name.ru_gen"] == "Итальянского сопредседателя (уточняется)"   # a case form given
    assert fields["next_session.period.it"] == "primo semestre 2015"
    response = client.post("/session/25/edit", data=fields)
    assert response.status_code == 303, response.get_data(as_text=True)
    after = get_session(ws, 25).as_dict()
    assert {k: v for k, v in after.items() if k != "source"} == {k: v for k, v in before.items() if k != "source"}
    assert "by lucia" in (Path(legal_home) / "sessions" / "session-025.yaml").read_text(encoding="utf-8")


def test_an_error_lands_next_to_its_field_in_russian_with_the_values_typed(legal_home):
    client = signed_in(legal_home, lang="ru")
    data = {**NEW_SESSION, "city.ru": "", "end": "2015-05-19", "co_chairs[1].country": "FR",
            "tables[0].topics[0].ru": "", "csrf": csrf_of(client, "/sessions/new")}
    response = client.post("/sessions/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_error(page, "city.ru") == "Нет перевода"
    assert field_error(page, "end") == "Окончание раньше начала"
    assert field_error(page, "co_chairs[1].country").startswith("Неизвестная страна")
    assert field_error(page, "tables[0].topics[0].ru") == "Нет перевода"
    assert field_error(page, "city.it") == ""
    assert 'name="city.it" id="f-city-it" value="Kazan"' in page                  # what was typed is kept
    assert 'aria-invalid="true"' in page and 'href="#f-city-ru"' in page
    assert not (Path(legal_home) / "sessions" / "session-026.yaml").exists()
    # a date that is no date, a session that exists: each next to its field
    data.update({"city.ru": "Казань", "end": "31 febbraio 2015", "co_chairs[1].country": "RU",
                 "tables[0].topics[0].ru": "станки"})
    page = client.post("/sessions/new", data=data).get_data(as_text=True)
    assert field_error(page, "end").startswith("Это не дата")
    data.update({"number": "25", "end": "2015-05-22"})
    page = client.post("/sessions/new", data=data).get_data(as_text=True)
    assert field_error(page, "number") == "Сессия 25 уже существует: измените её на её странице"


def test_a_file_changed_since_the_form_was_opened_is_a_conflict(legal_home, tmp_path):
    client = signed_in(legal_home)
    fields = form_of(client, "/session/25/edit")
    registered = Path(legal_home) / "sessions" / "session-025.yaml"
    # meanwhile someone replaces the file with the command line
    corrected = tmp_path / "session-025.yaml"
    corrected.write_text(registered.read_text(encoding="utf-8").replace("Polo Fieristico", "Fiera"), encoding="utf-8")
    replaced = CliRunner().invoke(cli, ["--home", str(legal_home), "sessions", "add", str(corrected), "--replace"])
    assert replaced.exit_code == 0, replaced.output
    on_disk = registered.read_bytes()
    fields["venue.it"] = "Palazzo dei Congressi"
    response = client.post("/session/25/edit", data=fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Qualcuno ha modificato questa sessione" in page
    assert 'value="Palazzo dei Congressi"' in page
    assert registered.read_bytes() == on_disk                       # the command line's change stands
    # opened again, the form carries the new state and saves
    fields = form_of(client, "/session/25/edit")
    assert fields["venue.it"] == "Fiera di via Lunga"
    assert fields["sha256"] == hashlib.sha256(on_disk).hexdigest()
    assert client.post("/session/25/edit", data=fields).status_code == 303


def test_rows_are_added_and_removed_by_buttons_without_saving(legal_home):
    client = signed_in(legal_home)
    fields = {**NEW_SESSION, "csrf": csrf_of(client, "/sessions/new")}
    page = client.post("/sessions/new", data={**fields, "action": "add:tables[0].topics"}).get_data(as_text=True)
    assert 'name="tables[0].topics[2].it"' in page          # the empty row kept its place, one more after it
    page = client.post("/sessions/new", data={**fields, "action": "add:co_chairs"}).get_data(as_text=True)
    assert 'name="co_chairs[2].name.it"' in page
    page = client.post("/sessions/new", data={**fields, "action": "remove:co_chairs[0]"}).get_data(as_text=True)
    assert 'value="Ivan Petrov"' in page and 'value="Giulia Bianchi"' not in page
    assert 'name="co_chairs[1].name.it"' not in page
    assert not (Path(legal_home) / "sessions" / "session-026.yaml").exists()


def test_an_oversized_form_is_refused(legal_home):
    client = signed_in(legal_home)
    data = {**NEW_SESSION, "csrf": csrf_of(client, "/sessions/new"), "venue.it": "x" * (600 * 1024)}
    assert client.post("/sessions/new", data=data).status_code == 413
    assert not (Path(legal_home) / "sessions" / "session-026.yaml").exists()


def test_drafts_lists_every_reference_in_the_pages_language(legal_home):
    client = signed_in(legal_home)
    page = client.get("/drafts").get_data(as_text=True)
    assert f'href="/drafts/{REFERENCE}"' in page and "Accordo di cooperazione tra" in page and "v2" in page
    page = signed_in(legal_home, lang="ru").get("/drafts").get_data(as_text=True)
    assert "Соглашение о сотрудничестве" in page


def test_the_reference_page_shows_versions_files_and_the_word_redline(legal_home):
    client = signed_in(legal_home)
    page = client.get(f"/drafts/{REFERENCE}").get_data(as_text=True)
    assert 'id="version-1"' in page and 'id="version-2"' in page
    assert f'href="/drafts/{REFERENCE}/2/ru-it.docx"' in page
    assert re.search(r"<del>.*industriale</del>", page) and re.search(r"<ins>.*commerciale</ins>", page)
    page = client.get(f"/drafts/{REFERENCE}?old=2&new=2").get_data(as_text=True)
    assert 'id="no-differences"' in page
    response = client.get(f"/drafts/{REFERENCE}?old=7&new=2")
    assert response.status_code == 400
    assert re.search(r'id="e-old">«7» non è una versione', response.get_data(as_text=True))
    download = client.get(f"/drafts/{REFERENCE}/1/ru-it.docx")
    assert download.status_code == 200 and download.data[:2] == b"PK"
    assert f'filename={REFERENCE}-v1-ru-it.docx' in download.headers["Content-Disposition"]
    for missing in (f"/drafts/{REFERENCE}/3/it-ru.docx", f"/drafts/{REFERENCE}/1/it-ru.pdf",
                    f"/drafts/{REFERENCE}/1/..%2F..%2Fusers.docx", "/drafts/..%2Fregister.jsonl"):
        assert client.get(missing).status_code == 404, missing


# --- the reference page's actions: approve, PDFs, the upload of a .docx edited in Word ---------------------
def action(client, path, **data):
    return client.post(path, data={"csrf": csrf_of(client, f"/drafts/{REFERENCE}"), **data})


@pytest.mark.parametrize("who, status", [(None, 404), ("anna", 403), ("marta", 403)])
def test_the_actions_need_the_role_legal(legal_home, who, status):
    client = signed_in(legal_home, who)
    for path in ("approve", "pdf", "import"):
        assert client.post(f"/drafts/{REFERENCE}/{path}", data={"version": "2", "csrf": "x"}).status_code == status
    assert len(use_cases_of(legal_home).draft_versions(REFERENCE)) == 2


def use_cases_of(home):
    from pipeline.usecases.calls import UseCases
    return UseCases(Workspace.at(home))


def test_approve_as_final_from_the_page_records_the_account(legal_home):
    client = signed_in(legal_home)
    assert client.post(f"/drafts/{REFERENCE}/approve", data={"version": "2"}).status_code == 400   # no token
    response = action(client, f"/drafts/{REFERENCE}/approve", version="2")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/drafts/{REFERENCE}?done=approved&version=3")
    rows = use_cases_of(legal_home).draft_versions(REFERENCE)
    assert [(r["version"], r["state"], r["author"], r["approved_from"]) for r in rows][-1] == (3, "final", "lucia", 2)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'id="action-result"' in page and "v3 è il testo finale" in page
    assert 'id="approve-3"' not in page and 'id="approve-2"' not in page and 'id="approve-1"' in page
    again = action(client, f"/drafts/{REFERENCE}/approve", version="3")   # a forged post for a final version
    assert again.status_code == 400 and "final already" in again.get_data(as_text=True)
    twice = action(client, f"/drafts/{REFERENCE}/approve", version="2")       # approved already: v3
    assert twice.status_code == 400 and "approved already" in twice.get_data(as_text=True)
    assert action(client, f"/drafts/{REFERENCE}/approve", version="9").status_code == 400


def test_an_upload_of_the_wrong_type_or_size_is_refused_next_to_its_field(legal_home):
    client = signed_in(legal_home)
    token = csrf_of(client, f"/drafts/{REFERENCE}")

    def upload(data: bytes, name: str):
        return client.post(f"/drafts/{REFERENCE}/import", content_type="multipart/form-data",
                           data={"csrf": token, "docx": (io.BytesIO(data), name)})

    page = upload(b"plain text", "notes.txt").get_data(as_text=True)
    assert re.search(r'id="e-docx">Solo file Word \.docx', page)
    response = upload(b"not a zip at all", "accordo.docx")
    assert response.status_code == 400
    assert re.search(r'id="e-docx">accordo\.docx non è un file Word \.docx', response.get_data(as_text=True))
    from pipeline.web.draftactions import UPLOAD_LIMIT
    assert upload(b"0" * (UPLOAD_LIMIT + 100 * 1024), "big.docx").status_code == 413
    assert client.post(f"/drafts/{REFERENCE}/import", content_type="multipart/form-data",
                       data={"docx": (io.BytesIO(b"x"), "a.docx")}).status_code == 400        # no token
    assert len(use_cases_of(legal_home).draft_versions(REFERENCE)) == 2


def test_a_docx_edited_in_italian_only_comes_back_with_its_warning_and_redline(legal_home):
    from tests.test_draft_import import edited_in_italian

    client = signed_in(legal_home)
    edited = edited_in_italian(Path(legal_home) / "drafts" / REFERENCE / f"{REFERENCE}-v2.docx")
    response = client.post(f"/drafts/{REFERENCE}/import", content_type="multipart/form-data",
                           data={"csrf": csrf_of(client, f"/drafts/{REFERENCE}"),
                                 "docx": (io.BytesIO(edited), "Accordo rivisto.docx")})
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert "Importato come v3" in page
    assert "Articolo 3 – Durata: changed in Italian, not in Russian" in page
    assert 'id="redline-versions">v2 → v3' in page
    assert re.search(r"<del>.*per iscritto\.</del>", page) and re.search(r"<ins>.*tacitamente\.</ins>", page)
    rows = use_cases_of(legal_home).draft_versions(REFERENCE)
    assert (rows[-1]["source"], rows[-1]["author"], rows[-1]["original_name"]) == ("imported", "lucia",
                                                                                   "Accordo rivisto.docx")
    assert ".docx importato (Accordo rivisto.docx)" in client.get(f"/drafts/{REFERENCE}").get_data(as_text=True)


@pytest.mark.slow
def test_make_the_pdfs_from_the_page_then_download_both_originals(legal_home):
    require_tool("soffice")
    client = signed_in(legal_home)
    assert 'id="pdf-2"' in client.get(f"/drafts/{REFERENCE}").get_data(as_text=True)
    response = action(client, f"/drafts/{REFERENCE}/pdf", version="2")
    assert response.status_code == 303, response.get_data(as_text=True)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "I PDF di v2 sono pronti." in page and 'id="pdf-2"' not in page
    for order in ("it-ru", "ru-it"):
        download = client.get(f"/drafts/{REFERENCE}/2/{order}.pdf")
        assert download.status_code == 200 and download.data.startswith(b"%PDF")
        assert f"filename={REFERENCE}-v2-{order}.pdf" in download.headers["Content-Disposition"]


def test_the_form_saves_under_the_registrys_lock(legal_home, monkeypatch):
    """While another process holds the session registry's lock (a `sessions add` running), the form's save
    waits for it and then says the registry is busy, keeping what was typed; nothing is written."""
    from pipeline.locks import held
    from pipeline.usecases import sessions as session_cases

    monkeypatch.setattr(session_cases, "LOCK_TIMEOUT", 0.2)
    client = signed_in(legal_home)
    token = csrf_of(client, "/sessions/new")
    with held(Path(legal_home) / "sessions" / session_cases.LOCK_NAME, 5, "a test holding the lock"):
        response = client.post("/sessions/new", data={**NEW_SESSION, "csrf": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Il registro delle sessioni è occupato" in page
    assert 'value="Kazan"' in page
    assert not (Path(legal_home) / "sessions" / "session-026.yaml").exists()
    assert client.post("/sessions/new", data={**NEW_SESSION, "csrf": token}).status_code == 303


def test_a_broken_session_file_is_corrected_with_the_form(legal_home):
    """A registered file with a mistake (typed by hand: the end before the start) opens in the form as
    written, and saving the corrected values replaces it; a file that is no YAML at all says so."""
    registered = Path(legal_home) / "sessions" / "session-025.yaml"
    registered.write_text(registered.read_text(encoding="utf-8").replace("end: 2014-11-28", "end: 2014-11-20"),
                          encoding="utf-8")
    client = signed_in(legal_home)
    fields = form_of(client, "/session/25/edit")
    assert fields["end"] == "2014-11-20"
    page = client.post("/session/25/edit", data=fields).get_data(as_text=True)
    assert html.unescape(field_error(page, "end")) == "La fine viene prima dell'inizio"
    fields["end"] = "28 novembre 2014"
    assert client.post("/session/25/edit", data=fields).status_code == 303
    check = CliRunner().invoke(cli, ["--home", str(legal_home), "sessions", "check"])
    assert check.exit_code == 0, check.output
    registered.write_text("number: 25\nstart: [unclosed\n", encoding="utf-8")
    response = client.get("/session/25/edit")
    assert response.status_code == 400 and "non si legge" in response.get_data(as_text=True)
