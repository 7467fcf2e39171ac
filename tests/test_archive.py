"""The write-once archive: ingest of every kind of PDF, metadata precedence, corrections, fixity, crash
safety and concurrent ingests."""
import datetime
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from pipeline.drafting import register
from pipeline.cli import cli
from pipeline.archive.batch import plan_batch, read_manifest
from pipeline.archive.metadata import Given, find_place_and_date
from pipeline.archive.store import Archive
from pipeline.errors import NotFoundError, ValidationError
from pipeline.archive.eventlog import EventLog, line_hash
from pipeline.fsutil import CRASH_ENV
from pipeline.demo.pdfmake import text_to_pdf
from pipeline.pdf.text import ExtractLimits
from pipeline.workspace import Workspace, init_workspace
from tests.conftest import REPO, require_tool
from tests.pdfs import REFERENCE, UNICODE_NAME

# no reference code, no title word and no ordinal of a session: nothing to read its session or type from
NO_REFERENCE_TEXT = ("Nota di intenti tra due imprese del distretto, senza codice di riferimento, "
                     "firmata durante la sessione della Task Force.\n\nRoma, 3 aprile 2012")


@pytest.fixture
def ws(tmp_path):
    init_workspace(tmp_path / "ws")
    return Workspace.at(tmp_path / "ws")


@pytest.fixture
def store(ws):
    with Archive(ws) as archive:
        yield archive


def ingest(store, path, **given):
    return store.ingest_file(path, [(Given(**given), "option")])


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files_under(folder):
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def assert_clean(store):
    report = store.verify()
    assert report.findings == []
    return report


# --- ingest: text PDFs and metadata -----------------------------------------------------------------------

def test_italian_pdf_is_archived_with_metadata_from_its_text(store, pdf_factory):
    path = pdf_factory.italian()
    outcome = ingest(store, path)
    assert (outcome.outcome, outcome.doc_id, outcome.reason) == ("archived", "TFA-000001", None)
    record = store.record("TFA-000001")
    assert (record.session, record.type, record.reference) == (25, "agreement", REFERENCE)
    assert (record.place, record.signed_on) == ("Bergamo", datetime.date(2019, 11, 27))
    assert record.title == "Accordo di cooperazione"
    assert record.languages == ["it"]
    assert (record.pages, record.text_source, record.page_sources) == (1, "text", ["text"])
    assert (record.sha256, record.size, record.filename) == (sha256(path), path.stat().st_size, "italiano.pdf")
    assert record.metadata_sources == {"session": "reference code", "type": "reference code", "reference": "text",
                                       "title": "pdf metadata", "place": "text", "signed_on": "text",
                                       "languages": "text"}
    folder = store.root / "TFA-000001"
    assert files_under(folder) == ["metadata-r1.json", "original.pdf", "text/page-0001.txt"]
    assert (folder / "original.pdf").read_bytes() == path.read_bytes()
    assert (folder / "original.pdf").stat().st_mode & 0o777 == 0o444
    assert (folder / "metadata-r1.json").stat().st_mode & 0o777 == 0o444
    assert "Bergamo, 27 novembre 2019" in (folder / "text" / "page-0001.txt").read_text(encoding="utf-8")
    assert [e["type"] for e in store.events("TFA-000001")] == [
        "message digest calculation", "metadata extraction", "ingestion"]
    assert_clean(store)


def test_russian_place_and_date(store, pdf_factory):
    ingest(store, pdf_factory.russian())
    record = store.record("1")
    assert (record.place, record.signed_on, record.languages) == ("Москва", datetime.date(2024, 3, 15), ["ru"])


def test_bilingual_pages_and_unicode_file_name(store, pdf_factory):
    outcome = ingest(store, pdf_factory.unicode_name())
    assert outcome.outcome == "archived"
    record = store.record(outcome.doc_id)
    assert record.filename == UNICODE_NAME
    assert (record.pages, record.languages, record.place) == (2, ["it", "ru"], "Bergamo")
    assert "Соглашение" in store.page_texts(outcome.doc_id)[1]


def test_drafted_pdf_takes_its_metadata_from_the_drafts_register(ws, store, tmp_path):
    register.append_entry(ws, register.DraftEntry.from_dict({
        "reference": "TF26-MOU-002", "session": 26, "kind": "memorandum",
        "title": {"it": "Memorandum sui distretti", "ru": "Меморандум об округах"},
        "parties": [{"it": "Distretto di Lumezzane", "ru": "Округ Лумеццане"}, "Технопарк Казани"],
        "sectors": ["meccanica"], "subject": None, "version": 1, "state": "final", "sha256": "0" * 64,
        "file": "drafts/TF26-MOU-002/v1.docx", "created_at": "2020-05-01T10:00:00Z"}))
    register.append_entry(ws, register.DraftEntry.from_dict({
        "reference": "TF26-MOU-002", "session": 26, "kind": "memorandum", "title": "Memorandum, versione 2",
        "parties": ["Distretto di Lumezzane"], "sectors": ["meccanica", "legno"], "subject": None, "version": 2,
        "state": "final", "sha256": "0" * 64, "file": "drafts/TF26-MOU-002/v2.docx",
        "created_at": "2020-05-02T10:00:00Z"}))
    path = text_to_pdf(tmp_path / "memo.pdf", ["Memorandum d'intesa.\n\nTF26-MOU-002\n\nKazan, 12 maggio 2020"],
                       footer="TF26-MOU-002", title="Titolo nei metadati del PDF")
    record = store.record(ingest(store, path).doc_id)
    assert (record.session, record.type, record.reference) == (26, "memorandum", "TF26-MOU-002")
    assert record.title == "Memorandum, versione 2"  # the newest version, not the PDF's own title
    assert (record.parties, record.sectors) == (["Distretto di Lumezzane"], ["meccanica", "legno"])
    assert (record.place, record.signed_on) == ("Kazan", datetime.date(2020, 5, 12))
    assert record.metadata_sources["title"] == "drafts register"


def test_options_win_over_everything(store, pdf_factory):
    outcome = ingest(store, pdf_factory.italian(), session=24, type="protocol", title="Dato a mano",
                     parties=["A", "B"], place="Brescia", signed_on=datetime.date(2019, 5, 6), languages=["it", "ru"],
                     confidentiality="restricted")
    record = store.record(outcome.doc_id)
    assert (record.session, record.type, record.title, record.parties) == (24, "protocol", "Dato a mano", ["A", "B"])
    assert (record.place, record.signed_on, record.languages) == ("Brescia", datetime.date(2019, 5, 6), ["it", "ru"])
    assert record.confidentiality == "restricted"
    assert record.metadata_sources["session"] == "option"


def test_without_session_and_type_the_file_is_rejected(store, tmp_path):
    path = text_to_pdf(tmp_path / "lettera.pdf", [NO_REFERENCE_TEXT])
    outcome = ingest(store, path)
    assert (outcome.outcome, outcome.doc_id) == ("rejected", None)
    # the library names the fields by their data paths; the command line by its options (test_archive_cli.py)
    assert (outcome.problem.code, outcome.problem.params) == ("ingest.unknown", {"fields": ["session", "type"]})
    assert outcome.reason == (
        "session and type unknown: give session and type (or a manifest row), or ingest a PDF whose text carries "
        "a registered reference code")
    assert ingest(store, path, session=10).reason.startswith("type unknown: give type (")
    outcome = ingest(store, path, session=10, type="letter")
    record = store.record(outcome.doc_id)
    assert (record.title, record.place, record.signed_on) == ("lettera", "Roma", datetime.date(2012, 4, 3))
    assert record.metadata_sources["title"] == "file name"
    # a title word in its heading: the type is read from the text, the session is still asked for (issue 24)
    letter = text_to_pdf(tmp_path / "lettera-2.pdf", ["Lettera di intenti\n\n" + NO_REFERENCE_TEXT])
    outcome = ingest(store, letter)
    assert (outcome.problem.code, outcome.problem.params["fields"]) == ("ingest.uncertain", ["session"])
    record = store.record(ingest(store, letter, session=10).doc_id)
    assert (record.type, record.metadata_sources["type"]) == ("letter", "read from the text: «Lettera»")


def test_duplicate_is_not_stored_twice(store, pdf_factory, tmp_path):
    first = ingest(store, pdf_factory.italian())
    copy = tmp_path / "copia con altro nome.pdf"
    shutil.copyfile(pdf_factory.italian(), copy)
    second = ingest(store, copy, session=3, type="letter")
    assert (second.outcome, second.doc_id) == ("duplicate", first.doc_id)
    assert [folder.name for folder in store.document_folders()] == ["TFA-000001"]
    assert_clean(store)


# --- ingest: signatures --------------------------------------------------------------------------------

def only_signature(store, path):
    record = store.record(ingest(store, path).doc_id)
    assert len(record.signatures) == 1
    return record.signatures[0]


def test_signed_pdf_records_its_signature(store, pdf_factory):
    signature = only_signature(store, pdf_factory.signed())
    assert (signature["signer"], signature["digest_algorithm"]) == ("Mario Rossi", "sha256")
    assert (signature["intact"], signature["valid"], signature["trusted"]) == (True, True, False)
    assert signature["coverage"] == "entire file"
    events = store.events("1")
    assert [e["type"] for e in events] == ["message digest calculation", "metadata extraction",
                                           "digital signature validation", "ingestion"]
    assert events[2]["outcome"] == "success"
    assert events[2]["detail"] == ("FirmaPresidente (signature) by Mario Rossi: intact, valid, not trusted "
                                   "(chain_constraints_failure), sha256, entire file")


def test_signer_in_the_workspace_trust_roots_is_trusted(ws, store, pdf_factory):
    shutil.copyfile(pdf_factory.signer[1], ws.trust_roots / "signer.pem")
    assert only_signature(store, pdf_factory.signed())["trusted"] is True


def test_sha1_signature_is_valid_but_weak(store, pdf_factory):
    signature = only_signature(store, pdf_factory.signed("sha1"))
    assert (signature["intact"], signature["valid"], signature["weak_algorithm"]) == (True, True, True)


def test_flipped_byte_breaks_the_signature_but_the_file_is_archived_as_is(store, pdf_factory):
    path = pdf_factory.signed_flipped()
    outcome = ingest(store, path)
    assert outcome.outcome == "archived"
    signature = store.record(outcome.doc_id).signatures[0]
    assert (signature["intact"], signature["valid"]) == (False, False)
    assert store.events(outcome.doc_id)[2]["outcome"] == "failure"
    assert (store.root / outcome.doc_id / "original.pdf").read_bytes() == path.read_bytes()


def test_content_appended_after_signing(store, pdf_factory):
    signature = only_signature(store, pdf_factory.signed_appended())
    assert signature["intact"] is True
    assert signature["coverage"] == "content appended after signing"


def test_document_timestamp_and_garbled_signature_are_recorded(store, pdf_factory):
    record = store.record(ingest(store, pdf_factory.timestamped()).doc_id)
    assert [s["kind"] for s in record.signatures] == ["signature", "timestamp"]
    signature = only_signature(store, pdf_factory.signed_garbled())
    assert signature["error"] is not None and signature["intact"] is None


# --- ingest: encryption and broken files -------------------------------------------------------------------

def test_encrypted_pdfs(store, pdf_factory):
    opened = ingest(store, pdf_factory.encrypted())
    assert opened.outcome == "archived" and store.record(opened.doc_id).encrypted is True
    locked = pdf_factory.encrypted("segreto")
    refused = ingest(store, locked)
    assert (refused.problem.code, refused.problem.field) == ("pdf.password_needed", "password")
    assert refused.reason == "encrypted: give password"
    assert ingest(store, locked, password="sbagliata").reason == (
        "encrypted: the password given does not open it; give the right one with password")
    outcome = ingest(store, locked, password="segreto")
    assert outcome.outcome == "archived"
    assert (store.root / outcome.doc_id / "original.pdf").read_bytes() == locked.read_bytes()
    assert '"segreto"' not in (store.root / outcome.doc_id / "metadata-r1.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("case, reason", [
    ("certificate_encrypted", "encrypted with a certificate or an unknown security handler"),
    ("truncated", "truncated: no %%EOF marker in the last 1024 bytes"),
    ("zero_bytes", "empty file (0 bytes)"),
    ("not_pdf", "not a PDF: no %PDF- header in the first 1024 bytes"),
    ("damaged", "damaged PDF: pypdf cannot read it"),
])
def test_broken_files_are_rejected_with_the_reason(store, pdf_factory, case, reason):
    path = pdf_factory.cases(ocr=False)[case]
    outcome = ingest(store, path, session=25, type="agreement")
    assert (outcome.outcome, outcome.doc_id) == ("rejected", None)
    assert outcome.reason.startswith(reason)
    assert store.document_folders() == []
    event = store.events()[-1]
    assert (event["type"], event["outcome"], event["object"]) == ("ingestion", "failure", None)
    assert event["detail"] == f"{path.name} rejected: {outcome.reason}"
    assert list((store.root / ".tmp").glob("*/*")) == []  # no work folder left behind
    assert_clean(store)


def test_missing_file_and_folder_are_rejected(store, tmp_path):
    assert ingest(store, tmp_path / "nope.pdf").reason == "no such file"
    assert ingest(store, tmp_path).reason == "not a regular file"


def test_limits_reject_instead_of_waiting(ws, pdf_factory):
    with Archive(ws, ExtractLimits(max_pages=1)) as limited:
        assert ingest(limited, pdf_factory.bilingual()).reason == "too many pages: 2, the limit is 1"
    with Archive(ws, ExtractLimits(max_bytes=1000)) as limited:
        assert ingest(limited, pdf_factory.bilingual()).reason.startswith("too big: ")
    with Archive(ws, ExtractLimits(seconds_per_file=0.001)) as limited:
        assert ingest(limited, pdf_factory.bilingual()).reason == "text extraction took longer than 0.001 s"


def test_scanned_page_is_ocred(store, pdf_factory):
    require_tool("pdftoppm")
    require_tool("tesseract")
    record = store.record(ingest(store, pdf_factory.scanned(), session=25, type="protocol").doc_id)
    assert (record.text_source, record.page_sources) == ("ocr", ["ocr"])
    assert "Protocollo" in store.page_texts(record.doc_id)[0]
    assert record.place == "Bergamo"


# --- place and date in the text ----------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Letto e firmato.\nBergamo, 27 novembre 2019", ("Bergamo", datetime.date(2019, 11, 27))),
    ("Москва, 15 марта 2024 г.", ("Москва", datetime.date(2024, 3, 15))),
    ("Reggio Emilia, lì 1 Dicembre 2005", ("Reggio Emilia", datetime.date(2005, 12, 1))),
    ("Нижний Новгород, 3 июня 2010 года", ("Нижний Новгород", datetime.date(2010, 6, 3))),
    ("Roma, 31 febbraio 2010\nMilano, 2 marzo 2010", ("Milano", datetime.date(2010, 3, 2))),  # not a real date
    ("signed on 27 novembre 2019", (None, None)),
    ("Bergamo, novembre 2019", (None, None)),
    # the drafts' closing clauses, without a comma (issue 14); the Italian place when both are there
    ("Fatto a Bergamo il 28 novembre 2014 in due originali", ("Bergamo", datetime.date(2014, 11, 28))),
    ("Совершено в г.\u00a0Казани 28 ноября 2014\u00a0г. в двух экземплярах\nFatto a Kazan il 28 novembre 2014",
     ("Kazan", datetime.date(2014, 11, 28))),
    ("Совершено в г. Москве 15 марта 2024 г.", ("Москве", datetime.date(2024, 3, 15))),
    ("Regolamento 12 marzo 2010. Fatto ad Ancona l'11 aprile 2003", ("Ancona", datetime.date(2003, 4, 11))),
])
def test_find_place_and_date(text, expected):
    assert find_place_and_date(text) == expected


# --- batches, manifests, quarantine --------------------------------------------------------------------

def test_manifest_rows(tmp_path, pdf_factory):
    shutil.copyfile(pdf_factory.italian(), tmp_path / "a.pdf")
    manifest = tmp_path / "list.csv"
    manifest.write_text("file,session,type,party,signed-on,lang\n"
                        "a.pdf,7,letter,Uno;Due,27 novembre 2019,it\n"
                        "b.pdf,zero,letter,,,\n"
                        ",,,,,\n", encoding="utf-8")
    rows = read_manifest(manifest)
    assert len(rows) == 2
    file, given, label, error = rows[0]
    assert (file, label, error) == (tmp_path / "a.pdf", "manifest list.csv line 2", None)
    assert (given.session, given.type, given.parties, given.signed_on, given.languages) == (
        7, "letter", ["Uno", "Due"], datetime.date(2019, 11, 27), ["it"])
    assert rows[1][3] == "manifest list.csv line 3: session: expected a whole number from 1, got 'zero'"
    manifest.write_text("file,colour\na.pdf,red\n", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        read_manifest(manifest)
    assert str(caught.value) == (f"manifest {manifest}: unknown column(s) 'colour'; the columns are file, session, "
                                 "type, title, party, sector, signed_on, place, lang, confidentiality, ref, password, title_ru, place_ru")


def test_folder_is_taken_recursively_without_hidden_files(tmp_path, pdf_factory):
    (tmp_path / "in" / "sub").mkdir(parents=True)
    shutil.copyfile(pdf_factory.italian(), tmp_path / "in" / "sub" / "b.pdf")
    shutil.copyfile(pdf_factory.russian(), tmp_path / "in" / "a.pdf")
    (tmp_path / "in" / ".hidden").write_text("x")
    items, early = plan_batch([tmp_path / "in"], Given())
    assert [str(item.path.relative_to(tmp_path)) for item in items] == ["in/a.pdf", "in/sub/b.pdf"]
    assert early == []


def test_batch_goes_on_after_rejections_and_quarantines_them(store, pdf_factory, tmp_path):
    quarantine = tmp_path / "q"
    items, _ = plan_batch([pdf_factory.not_pdf(), pdf_factory.italian(), pdf_factory.zero_bytes()], Given())
    outcomes = store.ingest(items, quarantine)
    assert [o.outcome for o in outcomes] == ["rejected", "archived", "rejected"]
    assert sorted(p.name for p in quarantine.iterdir()) == ["non-pdf.pdf", "non-pdf.pdf.reason.txt", "vuoto.pdf",
                                                            "vuoto.pdf.reason.txt"]
    assert (quarantine / "non-pdf.pdf").read_bytes() == pdf_factory.not_pdf().read_bytes()
    reason = (quarantine / "non-pdf.pdf.reason.txt").read_text(encoding="utf-8")
    assert "rejected: not a PDF: no %PDF- header in the first 1024 bytes" in reason
    store.ingest(plan_batch([pdf_factory.not_pdf()], Given())[0], quarantine)
    assert (quarantine / "non-pdf-2.pdf").is_file()


# --- corrections ---------------------------------------------------------------------------------------

def test_edit_writes_a_new_revision_and_keeps_the_old(store, pdf_factory):
    doc_id = ingest(store, pdf_factory.italian()).doc_id
    original = (store.root / doc_id / "original.pdf").read_bytes()
    record, changed = store.edit(doc_id, {"title": "Titolo corretto", "parties": ["Distretto di Bergamo"]})
    assert (record.revision, changed) == (2, ["title", "parties"])
    assert store.record(doc_id).title == "Titolo corretto"
    assert store.record(doc_id, revision=1).title == "Accordo di cooperazione"
    assert store.record(doc_id).metadata_sources["title"] == "correction"
    assert (store.root / doc_id / "original.pdf").read_bytes() == original
    event = store.events(doc_id)[-1]
    assert event["type"] == "metadata modification"
    assert event["detail"] == ("revision 2: title 'Accordo di cooperazione' -> 'Titolo corretto'; "
                               "parties [] -> [Distretto di Bergamo]")
    assert store.edit(doc_id, {"title": "Titolo corretto"}) == (store.record(doc_id), [])
    assert Archive.revisions(store.root / doc_id) == [1, 2]
    with pytest.raises(ValidationError, match="nothing to change"):
        store.edit(doc_id, {})
    with pytest.raises(NotFoundError, match="no document TFA-000009 in the archive"):
        store.edit("TFA-000009", {"title": "x"})
    assert_clean(store)


# --- fixity ----------------------------------------------------------------------------------------------

@pytest.fixture
def filled(store, pdf_factory):
    ingest(store, pdf_factory.italian())
    ingest(store, pdf_factory.russian())
    store.edit("1", {"title": "Corretto"})
    assert_clean(store)
    return store


def findings(store):
    report = store.verify()
    event = store.events()[-1]
    assert (event["type"], event["outcome"]) == ("fixity check", "failure" if report.findings else "success")
    return [f"{f.where}: {f.message}" for f in report.findings]


def writable(path):
    os.chmod(path, 0o644)
    return path


def test_fixity_flipped_bit(filled):
    path = writable(filled.root / "TFA-000002" / "original.pdf")
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    os.chmod(path, 0o444)
    found = findings(filled)
    assert len(found) == 1
    assert found[0].startswith("TFA-000002/original.pdf: changed: SHA-256 is ")


def test_fixity_truncation_and_size_only_is_not_enough(filled):
    path = writable(filled.root / "TFA-000001" / "text" / "page-0001.txt")
    path.write_bytes(path.read_bytes()[:-10])
    sidecar = writable(filled.root / "TFA-000002" / "metadata-r1.json")
    before = sidecar.read_bytes()
    same_size = before.replace(b'"pages": 1,', b'"pages": 9,')
    assert same_size != before and len(same_size) == len(before)
    sidecar.write_bytes(same_size)
    os.chmod(sidecar, 0o444)
    found = findings(filled)
    assert [line.split(": changed")[0] for line in found] == ["TFA-000001/text/page-0001.txt",
                                                              "TFA-000002/metadata-r1.json"]


def test_fixity_deleted_and_extra_files(filled):
    (filled.root / "TFA-000001" / "metadata-r2.json").unlink()
    (filled.root / "TFA-000002" / "notes.txt").write_text("x")
    (filled.root / "stray.pdf").write_text("x")
    assert findings(filled) == [
        "stray.pdf: untracked: no event of the log created it (a file that is not a document)",
        "TFA-000002/notes.txt: untracked: no event of the log created it",
        "TFA-000001/metadata-r2.json: missing: the log recorded it, the archive does not have it",
    ]


def test_fixity_edited_and_broken_sidecars(filled):
    sidecar = writable(filled.root / "TFA-000001" / "metadata-r1.json")
    data = json.loads(sidecar.read_text(encoding="utf-8"))
    data["sha256"] = "f" * 64
    sidecar.write_text(json.dumps(data), encoding="utf-8")
    writable(filled.root / "TFA-000002" / "metadata-r1.json").write_text("{not json", encoding="utf-8")
    found = findings(filled)
    assert any(line.startswith("TFA-000001/metadata-r1.json: changed: ") for line in found)
    assert any(line.startswith("TFA-000001/metadata-r1.json: writable") for line in found)
    assert any(line.startswith(f"TFA-000001/metadata-r1.json: broken sidecar: it records SHA-256 {'f' * 64}")
               for line in found)
    assert any(line.startswith("TFA-000002/metadata-r1.json: broken sidecar: TFA-000002/metadata-r1.json is not "
                               "a valid metadata sidecar") for line in found)


def test_fixity_edited_event_line(filled):
    log = filled.root / "events.jsonl"
    lines = log.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace("metadata extraction", "metadata Extraction")
    log.write_text("".join(lines), encoding="utf-8")
    assert findings(filled)[0] == ("events.jsonl: line 3 does not follow line 2: its prev_hash does not match "
                                   "(a line was edited, inserted or deleted)")


def test_fixity_deleted_event_lines(filled):
    log = filled.root / "events.jsonl"
    lines = log.read_bytes().splitlines(keepends=True)
    log.write_bytes(b"".join(lines[:2] + lines[3:]))
    found = findings(filled)
    assert found[0] == ("events.jsonl: line 3 does not follow line 2: its prev_hash does not match "
                        "(a line was edited, inserted or deleted)")
    assert "TFA-000001/original.pdf: untracked: no event of the log created it" in found  # its event is gone


def test_fixity_lines_cut_off_the_end(filled):
    log = filled.root / "events.jsonl"
    lines = log.read_bytes().splitlines(keepends=True)
    log.write_bytes(b"".join(lines[:-1]))  # the last fixity check's line
    assert findings(filled)[0].startswith(f"events.head: records {len(lines)} line(s) ending in hash ")


def test_event_chain_links_every_line(filled):
    lines = (filled.root / "events.jsonl").read_bytes().splitlines()
    assert json.loads(lines[0])["prev_hash"] == "0" * 64
    for before, after in zip(lines, lines[1:]):
        assert json.loads(after)["prev_hash"] == line_hash(before)
    event = json.loads(lines[0])
    assert set(event) == {"event_id", "type", "time", "agent", "object", "outcome", "detail", "prev_hash"}
    assert event["time"].endswith("Z") and event["agent"]


# --- crash safety -----------------------------------------------------------------------------------------

INGEST_POINTS = ["copied", "extracted", "locked", "sidecar-written", "journal-written", "renamed",
                 "events-appended", "head-written", "committed"]


def run_cli(home, *args, env=None, **kwargs):
    environment = dict(os.environ, PYTHONPATH=str(REPO), **(env or {}))
    return subprocess.run([sys.executable, "-m", "pipeline", "--home", str(home), *map(str, args)],
                          env=environment, capture_output=True, text=True, **kwargs)


def archived_hashes(store):
    records, problems = store.records()
    assert problems == []
    return sorted(record.sha256 for record in records)


@pytest.mark.slow
def test_sigkill_at_every_step_of_an_ingest_leaves_all_or_nothing(ws, pdf_factory, tmp_path):
    source = pdf_factory.italian()
    home = ws.home
    for point in INGEST_POINTS:
        before = len(list(ws.archive.glob("TFA-*")))
        result = run_cli(home, "ingest", source, env={CRASH_ENV: point})
        assert result.returncode == -signal.SIGKILL, (point, result.stderr)
        verify = CliRunner().invoke(cli, ["--home", str(home), "archive", "verify"])
        assert (verify.exit_code, verify.stdout.splitlines()[-1].endswith("no findings")) == (0, True), verify.output
        with Archive(ws) as store:
            folders = store.document_folders()
            assert len(folders) in (before, before + 1)
            if len(folders) == before + 1:  # committed: complete, with its events
                assert point in ("renamed", "events-appended", "head-written", "committed"), point
                assert [e["type"] for e in store.events(folders[-1].name)][-1] == "ingestion"
                assert files_under(folders[-1])[:2] == ["metadata-r1.json", "original.pdf"]
                for folder in folders:
                    shutil.rmtree(folder)  # start the next point from an empty archive
                (ws.archive / "events.jsonl").unlink()
                (ws.archive / "events.head").unlink()
            else:
                assert point in INGEST_POINTS[:5], point
            assert list((ws.archive / ".tmp").iterdir()) == []
            assert not (ws.archive / ".journal.json").exists()
    result = run_cli(home, "ingest", source)
    assert result.returncode == 0, result.stderr
    with Archive(ws) as store:
        assert archived_hashes(store) == [sha256(source)]


@pytest.mark.slow
def test_sigkill_while_editing(ws, pdf_factory):
    with Archive(ws) as store:
        ingest(store, pdf_factory.italian())
    for point in ("revision-written", "events-appended"):
        result = run_cli(ws.home, "archive", "edit", "1", "--title", f"dopo {point}", env={CRASH_ENV: point})
        assert result.returncode == -signal.SIGKILL
        with Archive(ws) as store:
            assert_clean(store)
            assert store.record("1").title == f"dopo {point}"  # the revision was written: finished, logged
            assert store.events("1")[-1]["type"] == "metadata modification"


@pytest.mark.slow
def test_sigkill_after_random_delays_during_a_batch(ws, pdf_factory, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    for name in ("italian", "russian", "bilingual", "signed"):
        shutil.copyfile(pdf_factory.cases(ocr=False)[name], folder / f"{name}.pdf")
    randomness = random.Random(4)
    environment = dict(os.environ, PYTHONPATH=str(REPO))
    for _ in range(4):
        process = subprocess.Popen([sys.executable, "-m", "pipeline", "--home", str(ws.home), "ingest", str(folder)],
                                   env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(randomness.uniform(0.3, 2.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        with Archive(ws) as store:
            assert_clean(store)
            hashes = archived_hashes(store)
            assert len(hashes) == len(set(hashes))
    assert run_cli(ws.home, "ingest", folder).returncode == 0
    with Archive(ws) as store:
        assert archived_hashes(store) == sorted(sha256(path) for path in folder.iterdir())
        assert_clean(store)


@pytest.mark.slow
def test_two_processes_ingesting_at_once_lose_nothing_and_store_nothing_twice(ws, pdf_factory, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    for name in ("italian", "russian", "bilingual", "signed", "signed_appended", "encrypted_open"):
        shutil.copyfile(pdf_factory.cases(ocr=False)[name], folder / f"{name}.pdf")
    environment = dict(os.environ, PYTHONPATH=str(REPO))
    command = [sys.executable, "-m", "pipeline", "--home", str(ws.home), "ingest", "--json", str(folder)]
    processes = [subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for _ in range(2)]
    reports = [json.loads(process.communicate(timeout=120)[0]) for process in processes]
    assert [process.returncode for process in processes] == [0, 0]
    outcomes = [entry for report in reports for entry in report["files"]]
    assert sum(1 for o in outcomes if o["outcome"] == "archived") == 6
    assert sum(1 for o in outcomes if o["outcome"] == "duplicate") == 6
    with Archive(ws) as store:
        assert archived_hashes(store) == sorted(sha256(path) for path in folder.iterdir())
        assert [f.name for f in store.document_folders()] == [f"TFA-{n:06d}" for n in range(1, 7)]
        assert_clean(store)


def test_leftovers_of_a_dead_process_are_removed(ws, store):
    scratch = ws.archive / ".tmp"
    scratch.mkdir(parents=True, exist_ok=True)
    (scratch / "999999-dead").mkdir()
    (scratch / "999999-dead" / "half.pdf").write_bytes(b"%PDF-")
    (scratch / "999999-dead.lock").write_text("")
    (ws.archive / ".tmp-abc").write_text("torn")
    own = store.scratch()  # taking scratch space cleans up, under the lock
    assert sorted(p.name for p in scratch.iterdir()) == [own.name, own.name + ".lock"]
    assert not (ws.archive / ".tmp-abc").exists()


def test_torn_event_line_is_dropped_and_head_moved(ws, store, pdf_factory):
    ingest(store, pdf_factory.italian())
    log = EventLog(ws.archive)
    with open(log.path, "ab") as handle:
        handle.write(b'{"torn": ')
    assert log.recover() == ["removed a torn last line of the event log"]
    assert log.check() == []


def test_an_edit_cut_short_before_its_sidecar_is_discarded(ws, store, pdf_factory):
    ingest(store, pdf_factory.italian())
    (ws.archive / ".journal.json").write_text(json.dumps(
        {"requires": ["TFA-000001/metadata-r2.json"], "events": []}), encoding="utf-8")
    (ws.archive / "TFA-000001" / ".tmp-half-sidecar").write_text("{")
    with store.locked():
        pass
    assert not (ws.archive / ".journal.json").exists()
    assert not (ws.archive / "TFA-000001" / ".tmp-half-sidecar").exists()
    assert_clean(store)


def test_a_scratch_lock_that_vanishes_while_cleaning_is_skipped(tmp_path, monkeypatch):
    """Found by the four-process ingest test in CI: another process closing its scratch folder removed its
    lock file between the listing and the open, and the cleaning process failed."""
    from pathlib import Path

    from pipeline.archive.store import Archive
    from pipeline.workspace import Workspace, init_workspace

    init_workspace(tmp_path / "ws")
    ws = Workspace.at(tmp_path / "ws")
    scratch = ws.archive / ".tmp"
    scratch.mkdir(parents=True)
    ghost = scratch / "999-deadbeef.lock"
    real_iterdir = Path.iterdir
    monkeypatch.setattr(Path, "iterdir", lambda self: iter([ghost]) if self == scratch else real_iterdir(self))
    assert Archive(ws).recover() == []
