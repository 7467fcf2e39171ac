"""Title, place and sectors in both languages where a source gives both: kept in the record, indexed, shown
in the reader's language first, returned in --json and format=json; old sidecars keep working."""
import json
import re

from click.testing import CliRunner

from pipeline.archive.document import Document
from pipeline.archive.record import DocumentRecord
from pipeline.cli import cli
from pipeline.demo.pdfmake import text_to_pdf
from pipeline.web import create_app
from pipeline.workspace import Workspace
from tests.conftest import web_address
from tests.test_web import set_language


def page_text(response) -> str:
    """A page's text as read (a hit's title is two lines since issue 25: the page's language first, the other
    smaller; the " / " between them stays in the text)."""
    return re.sub(r"<[^>]+>", "", response.get_data(as_text=True))


def invoke(home, *args):
    result = CliRunner().invoke(cli, ["--home", str(home), *map(str, args)])
    assert result.exit_code == 0, result.output
    return result


def record_of(home, doc_id="TFA-000001"):
    return json.loads(invoke(home, "archive", "show", doc_id, "--json").output)


def test_options_register_session_and_manifest_give_both_languages(workspace, tmp_path):
    pdf = text_to_pdf(tmp_path / "a.pdf", ["Accordo sulla meccanica. Fatto a Bergamo il 27 novembre 2014."],
                      title="Accordo")
    invoke(workspace, "ingest", pdf, "--session", 25, "--type", "agreement", "--title", "Accordo di filiera",
           "--title-ru", "Соглашение о цепочке поставок", "--sector", "Meccanica strumentale")
    shown = record_of(workspace)
    both = shown.get("bilingual") or shown.get("record", {}).get("bilingual")
    assert both["title"] == {"it": "Accordo di filiera", "ru": "Соглашение о цепочке поставок"}
    assert both["place"] == {"it": "Bergamo", "ru": "Бергамо"}                # the session's city
    assert both["sectors"] == [{"it": "Meccanica strumentale", "ru": "Машиностроение и оборудование"}]
    # a manifest's title_ru / place_ru columns
    other = text_to_pdf(tmp_path / "b.pdf", ["Lettera."], title="Lettera")
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"file,session,type,title,title_ru,place,place_ru\n{other},25,letter,Lettera,Письмо,"
                        f"Milano,Милан\n", encoding="utf-8")
    invoke(workspace, "ingest", "--manifest", manifest)
    both = record_of(workspace, "TFA-000002")
    both = both.get("bilingual") or both.get("record", {}).get("bilingual")
    assert both["title"] == {"it": "Lettera", "ru": "Письмо"} and both["place"] == {"it": "Milano", "ru": "Милан"}
    # indexed: the Russian title finds it, and the hits carry both forms
    hits = json.loads(invoke(workspace, "search", "цепочке", "--json").output)["hits"]
    assert [hit["doc_id"] for hit in hits] == ["TFA-000001"]
    assert hits[0]["bilingual"]["title"]["ru"] == "Соглашение о цепочке поставок"
    # the page shows the reader's language first, and its JSON both
    client = create_app(Workspace.at(workspace)).test_client()
    body = page_text(client.get("/?q=filiera"))
    assert "Accordo di filiera / Соглашение о цепочке поставок" in body
    set_language(client, "ru")
    body = page_text(client.get("/?q=filiera"))
    assert "Соглашение о цепочке поставок / Accordo di filiera" in body
    page = client.get(f"/doc/{web_address(workspace, 'TFA-000001')}").get_data(as_text=True)
    assert "Бергамо / Bergamo" in page and "Машиностроение и оборудование" in page
    assert "Meccanica strumentale" not in page           # a sector is named in the page's language only
    data = json.loads(client.get("/?q=filiera&format=json").get_data(as_text=True))
    assert data["hits"][0]["bilingual"]["title"]["it"] == "Accordo di filiera"


def test_edit_sets_the_russian_title_and_old_sidecars_load(workspace, tmp_path):
    pdf = text_to_pdf(tmp_path / "a.pdf", ["Protocollo."], title="Protocollo")
    invoke(workspace, "ingest", pdf, "--session", 25, "--type", "protocol", "--title", "Protocollo")
    invoke(workspace, "archive", "edit", "TFA-000001", "--title-ru", "Протокол")
    shown = record_of(workspace)
    both = shown.get("bilingual") or shown.get("record", {}).get("bilingual")
    assert both["title"] == {"it": "Protocollo", "ru": "Протокол"}
    invoke(workspace, "archive", "verify")
    old = {"doc_id": "TFA-000009", "session": 25, "type": "letter", "title": "Vecchia", "sha256": "0" * 64,
           "size": 1, "filename": "v.pdf"}                                   # a sidecar from before
    record = DocumentRecord.from_dict(old)
    assert record.bilingual == {} and Document.from_record(record).title_in("ru") == "Vecchia"


def test_the_registers_texts_give_the_russian_title(workspace, tmp_path):
    """A draft rendered today keeps its title as one string and both languages in texts["title"]."""
    from pipeline.drafting.register import DraftEntry, append_entry

    append_entry(Workspace.at(workspace), DraftEntry.from_dict({
        "reference": "TF25-AGR-009", "session": 25, "kind": "agreement", "title": "Accordo di filiera",
        "parties": [], "sectors": ["Meccanica strumentale"], "subject": None, "version": 1, "state": "final",
        "sha256": "0" * 64, "file": "drafts/TF25-AGR-009/TF25-AGR-009-v1.docx", "created_at": "2014-11-20T10:00:00+00:00",
        "texts": {"title": {"it": "Accordo di filiera", "ru": "Соглашение о цепочке поставок"}}}))
    pdf = text_to_pdf(tmp_path / "a.pdf", ["Accordo sulla meccanica."], title="Accordo")
    invoke(workspace, "ingest", pdf, "--ref", "TF25-AGR-009")
    shown = record_of(workspace)
    both = shown.get("bilingual") or shown.get("record", {}).get("bilingual")
    assert both["title"] == {"it": "Accordo di filiera", "ru": "Соглашение о цепочке поставок"}
    client = create_app(Workspace.at(workspace)).test_client()
    set_language(client, "ru")
    assert "Соглашение о цепочке поставок / Accordo di filiera" in page_text(client.get("/"))


PROTOCOL_TITLE = {"it": "Protocollo della venticinquesima sessione", "ru": "Протокол двадцать пятого заседания"}


def test_a_protocol_rendered_and_signed_carries_its_title_in_both_languages(workspace, tmp_path):
    """Protocol records had no bilingual title, so the Russian page showed "Protocollo … / Протокол …"
    (issue 21): the register keeps the Protocol's two titles apart and the ingest pairs them."""
    from tests.comparisons import signed_pdf

    entry = json.loads(invoke(workspace, "draft", "protocol", 25, "--final", "--json").output)
    assert entry["texts"]["title"] == PROTOCOL_TITLE
    pdf = signed_pdf(workspace / entry["file"], tmp_path / "protocollo.pdf", "TF25-PROT · v1")
    invoke(workspace, "ingest", pdf)
    shown = record_of(workspace)
    assert shown["type"] == "protocol" and shown["bilingual"]["title"] == PROTOCOL_TITLE
    client = create_app(Workspace.at(workspace)).test_client()
    set_language(client, "ru")
    assert f"{PROTOCOL_TITLE['ru']} / {PROTOCOL_TITLE['it']}" in page_text(client.get("/"))


def test_an_old_protocol_record_gets_both_titles_on_index_rebuild_without_its_sidecar_changing(workspace, tmp_path):
    """A record archived before: its title "Italian / Russian" in one string, no bilingual title. `index
    rebuild` (and the document page) read both languages from it; the archived sidecar stays as written."""
    from pipeline.archive.record import split_title

    combined = f"{PROTOCOL_TITLE['it']} / {PROTOCOL_TITLE['ru']}"
    pdf = text_to_pdf(tmp_path / "p.pdf", ["Protocollo della sessione."], title="Protocollo")
    invoke(workspace, "ingest", pdf, "--session", 25, "--type", "protocol", "--title", combined)
    sidecar = next((workspace / "archive" / "TFA-000001").glob("metadata*"))
    before = sidecar.read_bytes()
    assert "title" not in (json.loads(before).get("bilingual") or {})         # as an old record was written
    invoke(workspace, "index", "rebuild")
    hits = json.loads(invoke(workspace, "search", "", "--json").output)["hits"]
    assert hits[0]["bilingual"]["title"] == PROTOCOL_TITLE
    client = create_app(Workspace.at(workspace)).test_client()
    set_language(client, "ru")
    expected = f"{PROTOCOL_TITLE['ru']} / {PROTOCOL_TITLE['it']}"
    assert expected in page_text(client.get("/"))
    page = client.get(f"/doc/{web_address(workspace, 'TFA-000001')}")
    assert '<h1 id="doc-title">' in page.get_data(as_text=True) and expected in page_text(page)
    assert sidecar.read_bytes() == before
    invoke(workspace, "archive", "verify")
    # only a Latin half and a Cyrillic half make a pair
    assert split_title("Chimica / Farmaceutica") is None and split_title("Accordo") is None
    assert split_title("Протокол / Protocollo") == {"it": "Protocollo", "ru": "Протокол"}
    assert split_title("Chimica / Farmaceutica / Химия и фармацевтика") == {
        "it": "Chimica / Farmaceutica", "ru": "Химия и фармацевтика"}
