"""Intake in the browser (issue 24 items 1 and 6): archivists upload PDFs, review the proposed metadata,
correct, discard or confirm; nothing staged reaches the archive or the index before it is confirmed, and
what is confirmed is archived as ``taskforce ingest`` would archive it."""
from __future__ import annotations

import io
import re
import shutil
import stat
import time
from pathlib import Path

import pytest

from pipeline.archive.reading import ArchiveReader
from pipeline.demo import pdfmake
from pipeline.web import create_app, intake as web_intake
from pipeline.web.users import add_user, set_roles
from pipeline.workspace import Workspace
from tests.test_web import PASSWORD, cli_run, csrf_of, login, own_home, web_home  # noqa: F401

OLD_PROTOCOL = ("PROTOCOLLO\n\ndella VII sessione della Task Force italo-russa sulle piccole e medie imprese\n\n"
                "Le delegazioni hanno esaminato la cooperazione tra i distretti industriali e le regioni.\n\n"
                "Fatto a Roma il 12 marzo 2004")
LETTER = ("Lettera\n\nGentile Presidente,\n\nLe scriviamo a proposito della cooperazione tra le imprese "
          "calzaturiere marchigiane e i loro partner. Restiamo a disposizione per un incontro.\n\n"
          "Cordiali saluti")


@pytest.fixture(scope="module")
def five(pdf_factory, tmp_path_factory):
    """The five files of the issue: a signed agreement with a reference, a scan of an old Protocol without
    one, a duplicate (the agreement again), a damaged file, a letter with no clue to its session."""
    folder = tmp_path_factory.mktemp("intake")
    source = pdfmake.text_to_pdf(folder / "protocol-source.pdf", [OLD_PROTOCOL], font_size=14, print_title=False)
    scan = pdfmake.scan_pdf(source, folder / "protocollo-2004.pdf", dpi=200)
    letter = pdfmake.text_to_pdf(folder / "lettera.pdf", [LETTER], title="Lettera calzaturiera", reproducible=True)
    signed = pdf_factory.signed()
    return [("accordo firmato.pdf", signed), ("protocollo-2004.pdf", scan), ("accordo copia.pdf", signed),
            ("danneggiato.pdf", pdf_factory.damaged()), ("lettera.pdf", letter)]


def archivist(home, role="archivist"):
    ws = Workspace.at(home)
    set_roles(ws, "anna", [role] if role else [])
    client = create_app(ws).test_client()
    assert login(client).status_code == 302
    return client


def upload(client, files, manifest=None, csrf=True):
    data = {"files": [(io.BytesIO(Path(path).read_bytes()), name) for name, path in files]}
    if manifest is not None:
        data["manifest"] = (io.BytesIO(manifest), "manifest.csv")
    if csrf:
        data["csrf"] = csrf_of(client, "/intake")
    return client.post("/intake", data=data, content_type="multipart/form-data")


def prepared(client, address, timeout=180):
    """The review page once every file is prepared (it refreshes itself while they are)."""
    deadline = time.monotonic() + timeout
    while True:
        page = client.get(address).get_data(as_text=True)
        if 'http-equiv="refresh"' not in page:
            return page
        assert time.monotonic() < deadline, "the preparation did not end"
        time.sleep(0.3)


def documents(home) -> list[str]:
    return [folder.name for folder in ArchiveReader(Workspace.at(home)).document_folders()]


def section(page, number):
    return re.search(rf'<section class="card staged[^"]*" id="file-{number}".*?</section>', page, re.S)[0]


@pytest.mark.parametrize("role, status", [(None, 404), ("", 403), ("legal", 403)])
def test_intake_is_for_archivists(own_home, role, status):
    ws = Workspace.at(own_home)
    client = create_app(ws).test_client()
    if role is not None:
        set_roles(ws, "anna", [role] if role else [])
        assert login(client).status_code == 302
    assert client.get("/intake").status_code == status
    assert client.post("/intake", data={}).status_code == status
    assert client.get("/intake/0123456789abcdef").status_code == status


def test_admin_may_and_the_page_links_it(own_home):
    client = archivist(own_home, "admin")
    page = client.get("/intake")
    assert page.status_code == 200
    assert 'id="nav-intake"' in page.get_data(as_text=True)


def test_an_upload_without_csrf_is_400_and_stages_nothing(own_home, pdf_factory):
    client = archivist(own_home)
    assert upload(client, [("a.pdf", pdf_factory.italian())], csrf=False).status_code == 400
    assert not (own_home / "intake").exists() or not any((own_home / "intake").iterdir())


def test_not_a_pdf_too_big_too_many_and_a_bad_manifest_are_errors_next_to_their_field(own_home, pdf_factory,
                                                                                          tmp_path, monkeypatch):
    client = archivist(own_home)
    count = len(documents(own_home))
    fake = tmp_path / "fattura.pdf"
    fake.write_bytes(b"PK\x03\x04 a zip file named .pdf")
    answer = upload(client, [("fattura.pdf", fake)])
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert re.search(r'id="error-files">fattura.pdf non è un PDF', page)
    answer = upload(client, [("a.pdf", pdf_factory.italian())], manifest=pdf_factory.italian().read_bytes())
    assert answer.status_code == 400 and 'id="error-manifest"' in answer.get_data(as_text=True)
    monkeypatch.setattr(web_intake, "MAX_FILE", 1000)
    answer = upload(client, [("grande.pdf", pdf_factory.italian())])
    assert answer.status_code == 400 and "grande.pdf supera" in answer.get_data(as_text=True)
    monkeypatch.setattr(web_intake, "MAX_FILE", 100 * 2 ** 20)
    monkeypatch.setattr(web_intake, "MAX_FILES", 2)
    answer = upload(client, [(f"{n}.pdf", pdf_factory.italian()) for n in range(3)])
    assert answer.status_code == 400 and "3 file: al massimo 2" in answer.get_data(as_text=True)
    monkeypatch.setattr(web_intake, "MAX_REQUEST", 1000)
    assert upload(client, [("a.pdf", pdf_factory.italian())]).status_code == 413
    assert len(documents(own_home)) == count    # nothing archived by any of them
    staged = own_home / "intake"
    assert not staged.exists() or not any(staged.iterdir())


def test_five_files_prepared_reviewed_corrected_and_confirmed_as_the_cli_would(own_home, five, tmp_path):
    twin = tmp_path / "twin"                  # the same workspace, for the same file through the CLI
    shutil.copytree(own_home, twin, symlinks=True)
    before = documents(own_home)
    client = archivist(own_home)
    answer = upload(client, five)
    assert answer.status_code == 303
    address = answer.headers["Location"]
    page = prepared(client, address)

    # staged outside the archive, owner-only, under generated names; nothing archived or indexed
    batch = next((own_home / "intake").iterdir())
    assert stat.S_IMODE((own_home / "intake").stat().st_mode) == 0o700
    assert stat.S_IMODE(batch.stat().st_mode) == 0o700
    assert sorted(p.name for p in batch.glob("*.pdf")) == [f"f00{n}.pdf" for n in range(1, 6)]
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in batch.iterdir())
    assert documents(own_home) == before
    assert 'class="hit-title"' not in client.get("/?q=calzaturiere").get_data(as_text=True)

    agreement, protocol, copy, damaged, letter = (section(page, n) for n in range(1, 6))
    assert 'name="files[1].session" id="f1-session" value="25"' in agreement
    assert "codice di riferimento" in agreement                   # the source of the session
    assert "da confermare" in agreement
    assert "Duplicato: lo stesso file è il n. 1 di questo lotto." in copy
    assert "confirm-3" not in copy and "discard-3" in copy
    assert "File danneggiato o illeggibile" in damaged and "confirm-4" not in damaged
    assert "Nessun indizio della sessione nel testo: indicate la sessione." in letter
    assert 'name="files[5].session" id="f5-session" value=""' in letter
    assert "Roma" in protocol and "2004-03-12" in protocol        # read from the scan's text (OCR)
    # the old Protocol's session and type proposed from its text ("della VII sessione", "PROTOCOLLO")
    assert 'name="files[2].session" id="f2-session" value="7"' in protocol, protocol
    assert '<option value="protocol" selected>Protocollo</option>' in protocol
    assert "letto dal testo" in protocol

    # the letter confirmed without its session: the error next to the field, nothing archived
    form = {"csrf": csrf_of(client, address), "confirm": "5", "files[5].type": "letter"}
    answer = client.post(address, data=form)
    assert answer.status_code == 400
    assert re.search(r'id="error-files-5-session">Indicate la sessione', answer.get_data(as_text=True))
    assert documents(own_home) == before

    # one value corrected (the session), then confirmed: archived, and as the CLI archives it
    form.update({"files[5].session": "26"})
    answer = client.post(address, data=form)
    assert answer.status_code == 303, answer.get_data(as_text=True)
    archived = [doc_id for doc_id in documents(own_home) if doc_id not in before]
    assert len(archived) == 1
    page = client.get(address).get_data(as_text=True)
    assert f'id="file-5-doc">{archived[0]}<' in page
    assert not (batch / "f005.pdf").exists()

    # the type was read from the letter's heading (certain): only the session is the archivist's, as on the CLI
    result = cli_run(twin, "ingest", str(five[4][1]), "--session", "26")
    assert result.exit_code == 0, result.output
    by_web = ArchiveReader(Workspace.at(own_home)).record(archived[0]).as_dict()
    by_cli = ArchiveReader(Workspace.at(twin)).record(archived[0]).as_dict()
    for data in (by_web, by_cli):
        data.pop("ingested_at")
    assert by_web == by_cli
    assert by_web["filename"] == "lettera.pdf" and by_web["metadata_sources"]["session"] == "option"
    assert by_web["type"] == "letter" and by_web["metadata_sources"]["type"].startswith("read from the text")
    # now in the index
    assert 'class="hit-title"' in client.get("/?q=calzaturiere").get_data(as_text=True)

    # the agreement confirmed as proposed: nothing given, everything found as the CLI finds it
    answer = client.post(address, data={"csrf": csrf_of(client, address), "confirm": "1"})
    assert answer.status_code == 303
    record = ArchiveReader(Workspace.at(own_home)).record(documents(own_home)[-1])
    assert (record.session, record.type, record.filename) == (25, "agreement", "accordo firmato.pdf")
    assert record.metadata_sources["session"] == "reference code"

    # the damaged file discarded: its bytes are gone
    answer = client.post(address, data={"csrf": csrf_of(client, address), "discard": "4"})
    assert answer.status_code == 303 and not (batch / "f004.pdf").exists()

    # a new instance of the application (a restart) still has the staged Protocol, with its review
    again = create_app(Workspace.at(own_home)).test_client()
    assert login(again).status_code == 302
    page = again.get(address).get_data(as_text=True)
    assert 'http-equiv="refresh"' not in page
    assert "2004-03-12" in section(page, 2) and (batch / "f002.pdf").exists()
    assert "scartato" in section(page, 4)


def test_a_manifest_row_is_used_and_confirmed_as_ingest_manifest_would(own_home, five, tmp_path):
    twin = tmp_path / "twin"
    shutil.copytree(own_home, twin, symlinks=True)
    client = archivist(own_home)
    manifest = "file,session,type,title\nlettera.pdf,24,letter,Lettera sulle calzature\n".encode()
    answer = upload(client, [five[4]], manifest=manifest)
    assert answer.status_code == 303
    address = answer.headers["Location"]
    page = prepared(client, address)
    assert 'value="Lettera sulle calzature"' in page and "fonte: manifest" in page
    answer = client.post(address, data={"csrf": csrf_of(client, address), "confirm": "1"})
    assert answer.status_code == 303
    web_id = documents(own_home)[-1]
    folder = tmp_path / "cli"
    folder.mkdir()
    shutil.copyfile(five[4][1], folder / "lettera.pdf")
    (folder / "manifest.csv").write_bytes(manifest)
    assert cli_run(twin, "ingest", "--manifest", str(folder / "manifest.csv")).exit_code == 0
    by_web = ArchiveReader(Workspace.at(own_home)).record(web_id).as_dict()
    by_cli = ArchiveReader(Workspace.at(twin)).record(web_id).as_dict()
    for data in (by_web, by_cli):
        data.pop("ingested_at")
    assert by_web == by_cli and by_web["metadata_sources"]["title"] == "manifest"


def test_a_batch_id_is_never_a_path(own_home):
    client = archivist(own_home)
    for batch in ("..", "..%2F..%2Fetc", "0123456789ABCDEF", "x" * 16):
        assert client.get(f"/intake/{batch}").status_code == 404


def test_a_preparation_cut_off_by_a_restart_is_taken_up_again(own_home, pdf_factory, monkeypatch):
    """A server stopped while preparing (here: the thread never ran, one file left 'preparing'): a new
    application instance resumes the batch when its review page is opened, and prepares each file once."""
    from pipeline.archive import staging
    from pipeline.usecases import intake as intake_cases

    monkeypatch.setattr(web_intake, "_start_preparing", lambda batch_id: None)    # the first server: no thread
    client = archivist(own_home)
    answer = upload(client, [("uno.pdf", pdf_factory.italian()), ("due.pdf", pdf_factory.russian())])
    address = answer.headers["Location"]
    folder = next((own_home / "intake").iterdir())
    with staging.changing(folder) as state:          # cut off in the middle of file 1
        state["files"][0]["status"] = "preparing"
    assert 'http-equiv="refresh"' in client.get(address).get_data(as_text=True)
    monkeypatch.undo()
    reviewed = []
    real = intake_cases.review_file
    monkeypatch.setattr(intake_cases, "review_file", lambda *args, **kw: reviewed.append(args[3]) or real(*args, **kw))
    again = create_app(Workspace.at(own_home)).test_client()
    assert login(again).status_code == 302
    page = prepared(again, address)
    assert sorted(reviewed) == ["due.pdf", "uno.pdf"]
    assert "da confermare" in section(page, 1) and "da confermare" in section(page, 2)


def test_confirm_all_archives_the_complete_files_and_leaves_the_others_with_their_errors(own_home, pdf_factory, five):
    client = archivist(own_home)
    before = documents(own_home)
    answer = upload(client, [("it.pdf", pdf_factory.italian()), ("ru.pdf", pdf_factory.russian()), five[4]])
    address = answer.headers["Location"]
    page = prepared(client, address)
    assert "same_reference" not in page        # the two share a reference, but neither is archived yet
    assert 'id="confirm-all"' in page
    answer = client.post(address, data={"csrf": csrf_of(client, address), "confirm_all": "1"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert re.search(r'id="error-files-3-session">Indicate la sessione', page)
    assert len(documents(own_home)) == len(before) + 2
    assert "archiviato" in section(page, 1) and "archiviato" in section(page, 2)
    assert "da confermare" in section(page, 3)


def test_a_batch_whose_files_are_all_decided_leaves_the_staging_area(own_home, pdf_factory):
    client = archivist(own_home)
    answer = upload(client, [("it.pdf", pdf_factory.italian()), ("ru.pdf", pdf_factory.russian())])
    address = answer.headers["Location"]
    prepared(client, address)
    assert client.post(address, data={"csrf": csrf_of(client, address), "discard": "2"}).status_code == 303
    answer = client.post(address, data={"csrf": csrf_of(client, address), "confirm": "1"})
    assert answer.status_code == 303 and answer.headers["Location"].startswith("/intake?done=TFA-")
    assert not any((own_home / "intake").iterdir())
    assert client.get(address).status_code == 404
    assert "Archiviato come TFA-" in client.get(answer.headers["Location"]).get_data(as_text=True)


def test_an_archived_duplicate_and_an_archived_reference_are_explained_in_russian_too(own_home, pdf_factory, tmp_path):
    from tests.test_web import set_language

    assert cli_run(own_home, "ingest", str(pdf_factory.italian())).exit_code == 0      # TF25-AGR-003
    archived = documents(own_home)[-1]
    client = archivist(own_home)
    set_language(client, "ru")
    fake = tmp_path / "scan.pdf"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n an image named .pdf")
    answer = upload(client, [("scan.pdf", fake)])
    assert re.search(r'id="error-files">scan.pdf — не PDF', answer.get_data(as_text=True))
    answer = upload(client, [("copia.pdf", pdf_factory.italian()), ("russo.pdf", pdf_factory.russian())])
    page = prepared(client, answer.headers["Location"])
    assert f"Дубликат: тот же файл уже в архиве как {archived}." in section(page, 1)
    assert f"Документ с кодом TF25-AGR-003 уже в архиве ({archived}), из другого файла." in section(page, 2)
    assert 'id="confirm-2"' in section(page, 2)         # another copy may still be archived (or superseded later)


def test_a_file_whose_preparation_fails_unexpectedly_is_explained_and_the_batch_goes_on(own_home, pdf_factory,
                                                                                         monkeypatch):
    from pipeline.usecases import intake as intake_cases

    real = intake_cases.review_file

    def flaky(ws, limits, path, name, *args, **kw):
        if name == "uno.pdf":
            raise RecursionError("a hostile file")
        return real(ws, limits, path, name, *args, **kw)
    monkeypatch.setattr(intake_cases, "review_file", flaky)
    client = archivist(own_home)
    answer = upload(client, [("uno.pdf", pdf_factory.italian()), ("due.pdf", pdf_factory.russian())])
    page = prepared(client, answer.headers["Location"])
    assert "File danneggiato o illeggibile, non si può archiviare (RecursionError)" in section(page, 1)
    assert "da confermare" in section(page, 2)


@pytest.mark.parametrize("sent, kept", [("../../etc/passwd.pdf", "passwd.pdf"), ("C:\\Users\\anna\\a.pdf", "a.pdf"),
                                        ("..", "upload.pdf"), ("lettera\x07.pdf", "lettera\\x07.pdf")])
def test_the_browsers_file_name_is_data_never_a_path(sent, kept):
    assert web_intake.upload_name(sent) == kept
