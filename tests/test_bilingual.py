"""Title, place and sectors in both languages where a source gives both: kept in the record, indexed, shown
in the reader's language first, returned in --json and format=json; old sidecars keep working."""
import json

from click.testing import CliRunner

from pipeline.archive.record import DocumentRecord
from pipeline.cli import cli
from pipeline.demo.pdfmake import text_to_pdf
from pipeline.web import create_app
from pipeline.workspace import Workspace
from tests.conftest import web_address
from tests.test_web import set_language


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
    body = client.get("/?q=filiera").get_data(as_text=True)
    assert "Accordo di filiera / Соглашение о цепочке поставок" in body
    set_language(client, "ru")
    body = client.get("/?q=filiera").get_data(as_text=True)
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
    assert record.bilingual == {} and record.title_in("ru") == "Vecchia"


def test_the_registers_texts_give_the_russian_title(workspace, tmp_path):
    """A draft rendered today keeps its title as one string and both languages in texts["title"]."""
    from pipeline.drafting.register import append_entry

    append_entry(Workspace.at(workspace), {
        "reference": "TF25-AGR-009", "session": 25, "kind": "agreement", "title": "Accordo di filiera",
        "parties": [], "sectors": ["Meccanica strumentale"], "subject": None, "version": 1, "state": "final",
        "sha256": "0" * 64, "file": "drafts/TF25-AGR-009/TF25-AGR-009-v1.docx", "created_at": "2014-11-20T10:00:00+00:00",
        "texts": {"title": {"it": "Accordo di filiera", "ru": "Соглашение о цепочке поставок"}}})
    pdf = text_to_pdf(tmp_path / "a.pdf", ["Accordo sulla meccanica."], title="Accordo")
    invoke(workspace, "ingest", pdf, "--ref", "TF25-AGR-009")
    shown = record_of(workspace)
    both = shown.get("bilingual") or shown.get("record", {}).get("bilingual")
    assert both["title"] == {"it": "Accordo di filiera", "ru": "Соглашение о цепочке поставок"}
    client = create_app(Workspace.at(workspace)).test_client()
    set_language(client, "ru")
    assert "Соглашение о цепочке поставок / Accordo di filiera" in client.get("/").get_data(as_text=True)
