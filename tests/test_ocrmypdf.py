"""OCR through OCRmyPDF (issue 24 item 5): a scan's text comes from OCRmyPDF, its searchable PDF/A copy is
derived data outside the archive (verify ignores it, deleting it and asking again makes it again), the web
page offers it through the document's access check, and without OCRmyPDF the older path reads the scan."""
import json
import shutil

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from pipeline.archive.store import Archive
from pipeline.cli import cli
from pipeline.pdf import searchable
from pipeline.pdf.text import ExtractLimits, extract
from pipeline.workspace import Workspace, init_workspace
from tests.conftest import require_tool

pytestmark = pytest.mark.slow


def needs_ocrmypdf():
    for tool in ("pdftoppm", "tesseract", "gs"):
        require_tool(tool)
    pytest.importorskip("ocrmypdf")


def invoke(home, *args):
    return CliRunner().invoke(cli, ["--home", str(home), *map(str, args)])


@pytest.fixture
def ws(tmp_path):
    init_workspace(tmp_path / "ws", with_sample=True)
    return Workspace.at(tmp_path / "ws")


def test_extract_reads_a_scan_through_ocrmypdf_and_writes_its_pdfa_copy(pdf_factory, tmp_path):
    needs_ocrmypdf()
    seen = []
    copy = tmp_path / "copy.pdf"
    content = extract(pdf_factory.mixed(), progress=lambda done, total: seen.append((done, total)),
                      searchable_to=copy)
    assert content.page_sources == ["text", "ocr"] and content.searchable
    assert "Task Force" in content.pages[1] and "Москва" in content.pages[0]
    assert seen[0][0] == 0 and seen[-1][0] == seen[-1][1]             # OCR page n of m, to the end
    reader = PdfReader(copy)
    assert len(reader.pages) == 2 and "Task Force" in reader.pages[1].extract_text()   # a text layer on the scan
    assert b"pdfaid:part" in copy.read_bytes()                       # PDF/A metadata


def test_ingest_keeps_the_copy_outside_the_archive_and_verify_ignores_it(ws, pdf_factory):
    needs_ocrmypdf()
    result = invoke(ws.home, "ingest", pdf_factory.scanned(), "--session", 25, "--type", "protocol", "--json")
    assert result.exit_code == 0, result.output
    doc_id = json.loads(result.output)["files"][0]["doc_id"]
    record = Archive(ws).record(doc_id)
    assert record.text_source == "ocr"
    copy = searchable.copy_path(ws, record.sha256)
    assert copy.is_file() and copy.is_relative_to(ws.index)
    assert not list(ws.archive.rglob("*searchable*"))                 # nothing of it in the write-once archive
    assert json.loads(invoke(ws.home, "archive", "verify", "--json").output)["findings"] == []
    # the held-out word of the scan (only OCR can read it) finds it
    found = json.loads(invoke(ws.home, "search", "tavoli tematici", "--json").output)
    assert [hit["doc_id"] for hit in found["hits"]] == [doc_id]
    # deleted, the copy is made again when asked for, from the original
    first = copy.read_bytes()
    copy.unlink()
    again = invoke(ws.home, "archive", "searchable", doc_id)
    assert again.exit_code == 0 and again.output.strip() == str(copy)
    assert copy.is_file() and "Task Force" in PdfReader(copy).pages[0].extract_text()
    assert len(copy.read_bytes()) > 0 and first[:5] == b"%PDF-"
    assert json.loads(invoke(ws.home, "archive", "verify", "--json").output)["findings"] == []


def test_a_text_pdf_has_no_searchable_copy(ws, pdf_factory):
    result = invoke(ws.home, "ingest", pdf_factory.italian(), "--session", 25, "--type", "agreement", "--json")
    doc_id = json.loads(result.output)["files"][0]["doc_id"]
    missing = invoke(ws.home, "archive", "searchable", doc_id)
    assert missing.exit_code == 1 and "no searchable copy" in missing.output
    assert not (ws.index / searchable.FOLDER).exists()


def test_the_document_page_offers_the_copy_through_the_access_check(ws, pdf_factory):
    needs_ocrmypdf()
    from pipeline.web.app import create_app
    from pipeline.web.visibility import address_of

    scan = json.loads(invoke(ws.home, "ingest", pdf_factory.scanned(), "--session", 25, "--type", "protocol",
                             "--json").output)["files"][0]["doc_id"]
    hidden = json.loads(invoke(ws.home, "ingest", pdf_factory.mixed(), "--session", 25, "--type", "protocol",
                               "--confidentiality", "restricted", "--json").output)["files"][0]["doc_id"]
    client = create_app(ws).test_client()
    address, hidden_address = (address_of(Archive(ws).record(doc_id)) for doc_id in (scan, hidden))
    document = client.get(f"/doc/{address}")
    assert document.status_code == 200
    assert f'/doc/{address}/searchable.pdf' in document.get_data(as_text=True)
    copy = client.get(f"/doc/{address}/searchable.pdf")
    assert copy.status_code == 200 and copy.mimetype == "application/pdf" and copy.data[:5] == b"%PDF-"
    # the restricted scan: its copy answers as a missing document would, for a visitor
    assert client.get(f"/doc/{hidden_address}/searchable.pdf").status_code == 404
    assert client.get(f"/doc/{hidden}/searchable.pdf").status_code == 404
    assert client.get("/doc/nothing-here/searchable.pdf").status_code == 404


def test_without_ocrmypdf_the_older_path_reads_the_scan_and_ingest_says_so(ws, pdf_factory, monkeypatch):
    for tool in ("pdftoppm", "tesseract"):
        require_tool(tool)
    real_which = shutil.which
    monkeypatch.setattr(searchable.shutil, "which", lambda name: None if name == "gs" else real_which(name))
    assert "Ghostscript (gs)" in searchable.missing()
    with monkeypatch.context() as without_package:
        without_package.setattr(searchable.importlib.util, "find_spec", lambda name: None)
        assert searchable.missing().startswith("OCR through OCRmyPDF needs ocrmypdf and Ghostscript (gs) (install ")
    content = extract(pdf_factory.scanned(), searchable_to=ws.home / "copy.pdf")
    assert content.page_sources == ["ocr"] and not content.searchable and not (ws.home / "copy.pdf").exists()
    assert "Bergamo" in content.pages[0]
    result = CliRunner().invoke(cli, ["--home", str(ws.home), "ingest", str(pdf_factory.scanned()),
                                                      "--session", "25", "--type", "protocol"])
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stderr.splitlines() if line.startswith("Note: ")]
    assert notes == ["Note: OCR through OCRmyPDF needs Ghostscript (gs) (install the PyPI package ocrmypdf and the "
                     "Debian package ghostscript); the scans are read by tesseract page by page, without a "
                     "searchable PDF/A copy"]
    record = Archive(ws).records()[0][0]
    assert record.text_source == "ocr" and not searchable.copy_path(ws, record.sha256).exists()


def test_the_older_path_stays_available_by_choice(pdf_factory):
    for tool in ("pdftoppm", "tesseract"):
        require_tool(tool)
    content = extract(pdf_factory.scanned(), limits=ExtractLimits(ocr_engine="tesseract"))
    assert content.page_sources == ["ocr"] and not content.searchable and "Bergamo" in content.pages[0]


def test_the_sidecar_is_read_page_by_page_around_the_runs_not_read():
    text = "[OCR skipped on page(s) 1-3]\fQuarta pagina\f[OCR skipped on page(s) 5]\fSesta\nriga due\f"
    assert searchable.sidecar_pages(text) == {4: "Quarta pagina", 6: "Sesta\nriga due", 7: ""}
    assert searchable.sidecar_pages("Prima\fSeconda") == {1: "Prima", 2: "Seconda"}
