import datetime
import json
import shutil

import pytest

from pipeline.pdf import text as pdftext
from pipeline.errors import PdfRejected, ToolMissingError
from pipeline.pdf.text import ExtractLimits, combined_source, detect_languages, extract, is_weak_text
from tests.conftest import require_tool
from pipeline.demo.pdfmake import text_to_pdf
from tests.pdfs import REFERENCE, UNICODE_NAME


def rejection(path, **kwargs) -> str:
    with pytest.raises(PdfRejected) as caught:
        extract(path, **kwargs)
    assert str(caught.value) == f"{path}: {caught.value.reason}"
    return caught.value.reason


# --- text PDFs ---

def test_italian_text_layer(pdf_factory):
    content = extract(pdf_factory.italian())
    assert content.page_count == 1
    assert content.page_sources == ["text"]
    assert content.text_source == "text"
    assert content.languages == ["it"]
    assert "Bergamo, 27 novembre 2019" in content.pages[0]
    assert REFERENCE in content.pages[0]
    assert content.encrypted is False
    assert content.signature_fields == []
    assert content.warnings == []


def test_russian_text_layer(pdf_factory):
    content = extract(pdf_factory.russian())
    assert content.languages == ["ru"]
    assert "Москва, 15 марта 2024 г." in content.pages[0]
    assert content.pdf_metadata["title"] == "Соглашение о сотрудничестве"


def test_bilingual_pages_metadata_and_languages(pdf_factory):
    content = extract(pdf_factory.bilingual())
    assert content.page_count == 2 and len(content.pages) == 2
    assert content.page_sources == ["text", "text"]
    assert "Accordo di cooperazione" in content.pages[0] and "Соглашение" in content.pages[1]
    assert content.languages == ["it", "ru"]
    metadata = content.pdf_metadata
    assert metadata["title"] == "Accordo di cooperazione / Соглашение о сотрудничестве"
    assert metadata["author"] == "Task Force Italia-Russia"
    assert metadata["subject"] == "Accordo"
    assert metadata["keywords"] == "PMI, distretti"
    assert metadata["creator"] == "taskforce"
    assert "ReportLab" in metadata["producer"]
    created = datetime.datetime.fromisoformat(metadata["creation_date"])
    assert abs(datetime.datetime.now(datetime.timezone.utc) - created) < datetime.timedelta(days=1)
    json.dumps(content.as_dict())  # plain JSON all the way down


def test_unicode_file_name(pdf_factory):
    path = pdf_factory.unicode_name()
    assert path.name == UNICODE_NAME
    assert extract(path).text_source == "text"


def test_signature_fields_are_listed(pdf_factory):
    assert extract(pdf_factory.signed()).signature_fields == [{"field": "FirmaPresidente", "kind": "signature"}]
    assert extract(pdf_factory.timestamped()).signature_fields == [
        {"field": "FirmaPresidente", "kind": "signature"}, {"field": "DocTimeStamp1", "kind": "timestamp"}]


# --- encryption ---

def test_encrypted_with_empty_user_password_opens(pdf_factory):
    content = extract(pdf_factory.encrypted())
    assert content.encrypted is True
    assert content.text_source == "text"
    assert "Bergamo" in content.pages[0]


def test_encrypted_needs_the_password(pdf_factory):
    path = pdf_factory.encrypted("segreto")
    assert rejection(path) == "encrypted: give password"       # the command line: --password (its option)
    assert rejection(path, password="sbagliata") == (
        "encrypted: the password given does not open it; give the right one with password")
    content = extract(path, password="segreto")
    assert content.encrypted is True
    assert "Бергамо, 27 ноября 2019 г." in content.pages[1]


def test_certificate_encrypted_is_rejected_cleanly(pdf_factory):
    reason = rejection(pdf_factory.certificate_encrypted())
    assert reason.startswith("encrypted with a certificate or an unknown security handler, which pypdf "
                             "cannot open (")
    assert reason.endswith("); ask the sender for an unencrypted copy")


# --- broken files and limits ---

def test_broken_files_are_rejected_with_the_reason(pdf_factory, tmp_path):
    assert rejection(pdf_factory.zero_bytes()) == "empty file (0 bytes)"
    assert rejection(pdf_factory.not_pdf()) == "not a PDF: no %PDF- header in the first 1024 bytes"
    assert rejection(pdf_factory.truncated()) == "truncated: no %%EOF marker in the last 1024 bytes"
    assert rejection(pdf_factory.damaged()) == "damaged PDF: pypdf cannot read it (PdfReadError: startxref not found)"
    assert rejection(tmp_path / "absent.pdf") == "no such file"
    assert rejection(tmp_path) == "not a regular file"


def test_header_after_leading_junk_is_accepted(pdf_factory, tmp_path):
    path = tmp_path / "junk-before.pdf"
    path.write_bytes(b"\r\n\x00junk\n" + pdf_factory.italian().read_bytes())
    assert extract(path).text_source == "text"


def test_size_and_page_limits(pdf_factory):
    path = pdf_factory.bilingual()
    size = path.stat().st_size
    reason = rejection(path, limits=ExtractLimits(max_bytes=1024 * 1024 // 100))
    assert reason == f"too big: {size / 1024 / 1024:.1f} MiB, the limit is 0 MiB"
    assert rejection(path, limits=ExtractLimits(max_pages=1)) == "too many pages: 2, the limit is 1"


def test_time_limit_rejects_instead_of_waiting(pdf_factory):
    assert rejection(pdf_factory.bilingual(), limits=ExtractLimits(seconds_per_file=0.001)) == (
        "text extraction took longer than 0.001 s")


def test_memory_limit_rejects(pdf_factory):
    path = pdf_factory.blank_pages()
    assert rejection(path, limits=ExtractLimits(memory_bytes=8 * 1024 * 1024, ocr=False)) == (
        "text extraction needed more than 8 MiB of memory")
    content = extract(path, limits=ExtractLimits(ocr=False))
    assert content.page_count == 3000
    assert content.text_source == "none"


def test_the_next_file_works_after_a_rejection(pdf_factory):
    rejection(pdf_factory.bilingual(), limits=ExtractLimits(seconds_per_file=0.001))
    assert extract(pdf_factory.italian()).text_source == "text"


# --- OCR ---

def test_scanned_page_is_read_by_ocr(pdf_factory):
    require_tool("pdftoppm")
    require_tool("tesseract")
    content = extract(pdf_factory.scanned())
    assert content.page_sources == ["ocr"]
    assert content.text_source == "ocr"
    assert "Bergamo" in content.pages[0] and "novembre" in content.pages[0]
    assert "it" in content.languages
    assert content.warnings == []


def test_text_and_scanned_pages_make_a_mixed_document(pdf_factory):
    require_tool("pdftoppm")
    require_tool("tesseract")
    content = extract(pdf_factory.mixed())
    assert content.page_sources == ["text", "ocr"]
    assert content.text_source == "mixed"
    assert content.languages == ["it", "ru"]
    assert "Москва" in content.pages[0] and "Task Force" in content.pages[1]


def test_ocr_of_a_password_protected_scan(pdf_factory, tmp_path):
    require_tool("pdftoppm")
    require_tool("tesseract")
    from pipeline.demo.pdfmake import encrypt_pdf

    locked = encrypt_pdf(pdf_factory.scanned(), tmp_path / "locked-scan.pdf", "segreto")
    # pdftoppm gets the password too; 100 dpi keeps this test fast and still reads 14-point text
    content = extract(locked, password="segreto", limits=ExtractLimits(ocr_dpi=100))
    assert content.encrypted is True
    assert content.page_sources == ["ocr"]
    assert "Task Force" in content.pages[0]


def test_without_ocr_a_scan_has_no_text(pdf_factory):
    require_tool("pdftoppm")  # to make the scan
    content = extract(pdf_factory.scanned(), limits=ExtractLimits(ocr=False))
    assert content.pages == [""]
    assert content.page_sources == ["none"]
    assert content.text_source == "none"
    assert content.languages == []


def test_missing_ocr_programs_name_the_packages(pdf_factory, monkeypatch):
    require_tool("pdftoppm")  # to make the scan
    scan = pdf_factory.scanned()
    real_which = shutil.which
    monkeypatch.setattr(pdftext.shutil, "which", lambda name: None if name == "tesseract" else real_which(name))
    with pytest.raises(ToolMissingError) as caught:
        extract(scan)
    assert str(caught.value) == ("OCR needs tesseract: install the Debian packages poppler-utils, tesseract-ocr, "
                                 "tesseract-ocr-ita, tesseract-ocr-rus")
    # a text PDF needs no OCR programs at all
    assert extract(pdf_factory.italian()).text_source == "text"


def test_ocr_timeout_leaves_the_page_with_a_warning(pdf_factory):
    require_tool("pdftoppm")
    require_tool("tesseract")
    # the older path's limit per page (OCRmyPDF's run has one limit for all its pages: pipeline/pdf/searchable.py)
    content = extract(pdf_factory.scanned(), limits=ExtractLimits(ocr_seconds_per_page=0.001, ocr_engine="tesseract"))
    assert content.page_sources == ["none"]
    assert content.warnings == ["page 1: OCR took longer than 0.001 s; page left without OCR"]


def test_failing_ocr_program_is_a_warning(pdf_factory):
    require_tool("pdftoppm")
    require_tool("tesseract")
    content = extract(pdf_factory.scanned(), limits=ExtractLimits(ocr_languages="xx_no_such_language"))
    assert content.page_sources == ["none"]
    # OCRmyPDF fails first (when installed), then the older path, each saying so in one line
    assert content.warnings[-1].startswith("page 1: tesseract failed: ")
    assert all(warning.startswith("OCRmyPDF failed: ") and "\n" not in warning and
               warning.endswith("; the scanned pages were read by tesseract alone") for warning in content.warnings[:-1])


# --- the pieces ---

def test_weak_text_detection():
    limits = ExtractLimits()
    assert is_weak_text("", limits)
    assert is_weak_text("Firma " * 5, limits)  # 25 letters, under 50 characters
    assert is_weak_text("%$#@! 12345 ()[]{} " * 10, limits)  # plenty of characters, few letters
    assert not is_weak_text("Accordo di cooperazione tra le parti firmatarie del presente atto", limits)


def test_combined_source():
    assert combined_source(["text", "text"]) == "text"
    assert combined_source(["ocr"]) == "ocr"
    assert combined_source(["text", "ocr", "none"]) == "mixed"
    assert combined_source(["text", "none"]) == "text"
    assert combined_source(["none", "none"]) == "none"
    assert combined_source([]) == "none"


def test_language_detection():
    assert detect_languages("Accordo di cooperazione tra le imprese") == ["it"]
    assert detect_languages("Соглашение о сотрудничестве между предприятиями") == ["ru"]
    assert detect_languages("Accordo di cooperazione / Соглашение о сотрудничестве") == ["it", "ru"]
    # a Latin reference code in a Russian text does not make it Italian
    assert detect_languages("Соглашение о сотрудничестве между предприятиями Казани TF25-AGR") == ["ru"]
    assert detect_languages("12345 TF25") == []


def test_short_page_without_images_is_not_ocred(tmp_path, monkeypatch):
    path = text_to_pdf(tmp_path / "firma.pdf", ["Firma / Подпись"])
    monkeypatch.setattr(pdftext.shutil, "which", lambda name: None)  # OCR would fail: it must not run
    content = extract(path)
    assert content.page_sources == ["text"]
    assert content.pages[0].startswith("Firma / Подпись")
    with pytest.raises(ToolMissingError):
        extract(path, limits=ExtractLimits(ocr_pages_without_images=True))


def test_images_are_noticed(pdf_factory, tmp_path):
    from PIL import Image
    from pypdf import PdfReader
    from reportlab.pdfgen import canvas

    inline = tmp_path / "inline.pdf"
    drawing = canvas.Canvas(str(inline))
    drawing.drawInlineImage(Image.new("L", (40, 40), 128), 100, 100)
    drawing.save()
    assert pdftext.may_hold_image(PdfReader(inline).pages[0])
    assert not pdftext.may_hold_image(PdfReader(pdf_factory.italian()).pages[0])
    require_tool("pdftoppm")  # to make the scan
    assert pdftext.may_hold_image(PdfReader(pdf_factory.scanned()).pages[0])
