import stat

import pytest
from pypdf import PdfReader

from pipeline.demo import pdfmake
from pipeline.errors import ToolFailedError, ToolMissingError, ValidationError
from tests.conftest import require_tool


def page_texts(path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def test_text_to_pdf_pages_footer_and_metadata(tmp_path):
    path = pdfmake.text_to_pdf(tmp_path / "out.pdf", ["Prima pagina, città di Bergamo.", "Вторая страница, Москва."],
                               footer="TF25-PROT", title="Protocollo / Протокол", author="Segreteria",
                               subject="Protocollo", keywords="sessione 25")
    reader = PdfReader(path)
    assert len(reader.pages) == 2
    texts = page_texts(path)
    assert texts[0].splitlines()[0] == "Protocollo / Протокол"  # the title, first page only
    assert "Prima pagina, città di Bergamo." in texts[0]
    assert "Вторая страница, Москва." in texts[1] and "Protocollo / Протокол" not in texts[1]
    assert texts[0].rstrip().endswith("TF25-PROT · 1") and texts[1].rstrip().endswith("TF25-PROT · 2")
    assert reader.metadata.title == "Protocollo / Протокол"
    assert reader.metadata.author == "Segreteria"
    assert reader.metadata.subject == "Protocollo"
    fonts = {str(font["/BaseFont"]) for page in reader.pages
             for font in page["/Resources"]["/Font"].values()}
    assert all("DejaVuSans" in font for font in fonts)


def test_long_text_is_wrapped_and_continues_on_new_pages(tmp_path):
    words = [f"parola{number}" for number in range(1500)]
    path = pdfmake.text_to_pdf(tmp_path / "long.pdf", [" ".join(words)], footer="TF25-AGR-001")
    texts = page_texts(path)
    assert len(texts) > 1
    body_lines = [line for text in texts for line in text.splitlines() if not line.strip().startswith("TF25-AGR-001")]
    assert len(body_lines) > 50
    assert " ".join(body_lines).split() == words  # nothing lost or reordered by wrapping
    assert all(len(line) < 120 for line in body_lines)
    assert [text.strip().splitlines()[-1].strip() for text in texts] == [
        f"TF25-AGR-001 · {number}" for number in range(1, len(texts) + 1)]


def test_page_numbers_without_footer_and_empty_input(tmp_path):
    path = pdfmake.text_to_pdf(tmp_path / "empty.pdf", [])
    assert [text.strip() for text in page_texts(path)] == ["1"]


def test_reproducible_output(tmp_path):
    first = pdfmake.text_to_pdf(tmp_path / "a.pdf", ["Testo"], title="T", reproducible=True)
    second = pdfmake.text_to_pdf(tmp_path / "b.pdf", ["Testo"], title="T", reproducible=True)
    assert first.read_bytes() == second.read_bytes()


def test_missing_font_names_the_package(tmp_path, monkeypatch):
    from reportlab.pdfbase import pdfmetrics

    monkeypatch.setattr(pdfmake, "FONT_FOLDER", tmp_path / "no-fonts")
    monkeypatch.setattr(pdfmetrics, "getRegisteredFontNames", lambda: [])
    with pytest.raises(ToolMissingError) as caught:
        pdfmake.text_to_pdf(tmp_path / "out.pdf", ["x"])
    assert str(caught.value) == (f"font {tmp_path / 'no-fonts' / 'DejaVuSans.ttf'} is missing: "
                                 "install the Debian package fonts-dejavu-core")
    assert not (tmp_path / "out.pdf").exists()


def test_demo_signer_files(tmp_path):
    from cryptography import x509
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key_path, cert_path = pdfmake.make_demo_signer(tmp_path, "Ivan Petrov")
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert key_path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
    assert certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Ivan Petrov"
    assert certificate.issuer == certificate.subject
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment

    _, tsa_cert = pdfmake.make_demo_signer(tmp_path, timestamping=True)
    tsa = x509.load_pem_x509_certificate(tsa_cert.read_bytes())
    usages = tsa.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert usages.critical and list(usages.value) == [ExtendedKeyUsageOID.TIME_STAMPING]


def test_signing_is_an_incremental_update(pdf_factory):
    source, signed = pdf_factory.bilingual(), pdf_factory.signed()
    assert signed.read_bytes().startswith(source.read_bytes())
    fields = PdfReader(signed).get_fields()
    assert fields["FirmaPresidente"]["/FT"] == "/Sig"
    assert fields["FirmaPresidente"]["/V"]["/SubFilter"] == "/adbe.pkcs7.detached"


def test_bad_signing_key_is_an_error(pdf_factory, tmp_path):
    bad_key = tmp_path / "bad-key.pem"
    bad_key.write_text("not a key\n")
    with pytest.raises(ValidationError) as caught:
        pdfmake.sign_pdf(pdf_factory.bilingual(), tmp_path / "out.pdf", bad_key, pdf_factory.signer[1])
    assert str(caught.value) == (f"cannot load the signing key {bad_key} with the certificate "
                                 f"{pdf_factory.signer[1]}: give an unencrypted PEM or DER private key and "
                                 f"its certificate")
    assert not (tmp_path / "out.pdf").exists()


def test_encryption(pdf_factory):
    assert PdfReader(pdf_factory.encrypted()).is_encrypted
    reader = PdfReader(pdf_factory.encrypted("segreto"))
    assert reader.is_encrypted
    assert reader.decrypt("segreto") != 0
    raw = pdf_factory.certificate_encrypted().read_bytes()
    assert b"/Adobe.PubSec" in raw


def test_scan_has_no_text_layer_but_an_image(pdf_factory):
    require_tool("pdftoppm")
    reader = PdfReader(pdf_factory.scanned())
    assert len(reader.pages) == 1
    assert reader.pages[0].extract_text().strip() == ""
    assert len(reader.pages[0].images) == 1


def test_scan_without_pdftoppm(pdf_factory, tmp_path, monkeypatch):
    monkeypatch.setattr(pdfmake.shutil, "which", lambda name: None)
    with pytest.raises(ToolMissingError) as caught:
        pdfmake.scan_pdf(pdf_factory.italian(), tmp_path / "scan.pdf")
    assert str(caught.value) == "pdftoppm is not installed: install the Debian package poppler-utils"


def test_scan_of_a_broken_file_is_a_tool_error(pdf_factory, tmp_path):
    require_tool("pdftoppm")
    with pytest.raises(ToolFailedError) as caught:
        pdfmake.scan_pdf(pdf_factory.not_pdf(), tmp_path / "scan.pdf")
    assert str(caught.value).startswith("pdftoppm failed: ")
    assert not (tmp_path / "scan.pdf").exists()
