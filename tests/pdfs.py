"""Real test PDFs for every case of the archive issue, made with pipeline.pdfmake.

    factory = PdfFactory(tmp_path)
    factory.bilingual()            # Italian and Russian text pages with a reference code
    factory.signed(digest="sha1")  # a 2000s-style signature
    factory.cases()                # {case name: path} for every case below

The text PDFs carry the reference code REFERENCE in their text and footer; the bilingual one was signed in
SIGNED_IN (place, ISO date), written "Bergamo, 27 novembre 2019" and "Бергамо, 27 ноября 2019 г."; the
Russian-only one in "Москва, 15 марта 2024 г.".

Files are made on first use and cached by name in the factory's folder; treat them as read-only (copy one
before changing it). The ``pdf_factory`` fixture in conftest shares one factory across the test session.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from pipeline.demo import pdfmake

REFERENCE = "TF25-AGR-003"
ITALIAN_TEXT = (
    "Accordo di cooperazione tra il Distretto della meccanica strumentale di Bergamo e l'Associazione "
    "delle imprese di Kazan, firmato nell'ambito della XXV sessione della Task Force Italia-Russia sulla "
    "collaborazione per lo sviluppo delle PMI e dei Distretti.\n\n"
    "Le parti convengono di promuovere lo scambio di esperienze, missioni imprenditoriali e progetti "
    "comuni nel settore delle macchine agricole e della lavorazione del legno.\n\n"
    f"Riferimento: {REFERENCE}\n\n"
    "Bergamo, 27 novembre 2019"
)
RUSSIAN_BODY = (
    "Соглашение о сотрудничестве между округом машиностроения Бергамо и Ассоциацией предприятий Казани, "
    "подписанное в рамках XXV заседания Российско-Итальянской рабочей группы по сотрудничеству в области "
    "развития малых и средних предприятий и промышленных округов.\n\n"
    "Стороны договорились содействовать обмену опытом, деловым миссиям и совместным проектам в области "
    "сельскохозяйственной техники и деревообработки.\n\n"
    f"Ссылка: {REFERENCE}\n\n"
)
# the bilingual agreement was signed in one place on one day, in both languages
RUSSIAN_TEXT = RUSSIAN_BODY + "Бергамо, 27 ноября 2019 г."
SIGNED_IN = ("Bergamo", "2019-11-27")
# the Russian-only document is a later one, signed in Moscow
RUSSIAN_MOSCOW_TEXT = RUSSIAN_BODY + "Москва, 15 марта 2024 г."
SCAN_TEXT = (
    "Protocollo della XXV sessione della Task Force Italia-Russia.\n\n"
    "Le delegazioni hanno esaminato i risultati dei tavoli tematici e hanno firmato gli accordi tra le "
    "imprese.\n\nBergamo, 27 novembre 2019"
)
UNICODE_NAME = "Протокол — accordo n°3 (Бергамо).pdf"


class PdfFactory:
    def __init__(self, folder):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._signer = None
        self._tsa = None

    def _cached(self, name: str, make) -> Path:
        path = self.folder / name
        if not path.exists():
            make(path)
        return path

    # --- text PDFs ---

    def italian(self) -> Path:
        return self._cached("italiano.pdf", lambda path: pdfmake.text_to_pdf(
            path, [ITALIAN_TEXT], footer=REFERENCE, title="Accordo di cooperazione", author="Task Force"))

    def russian(self) -> Path:
        return self._cached("russkij.pdf", lambda path: pdfmake.text_to_pdf(
            path, [RUSSIAN_MOSCOW_TEXT], footer=REFERENCE, title="Соглашение о сотрудничестве"))

    def bilingual(self) -> Path:
        """Two pages, Italian then Russian, reference code in the text and the footer."""
        return self._cached("bilingue.pdf", lambda path: pdfmake.text_to_pdf(
            path, [ITALIAN_TEXT, RUSSIAN_TEXT], footer=REFERENCE,
            title="Accordo di cooperazione / Соглашение о сотрудничестве", author="Task Force Italia-Russia",
            subject="Accordo", keywords="PMI, distretti"))

    def unicode_name(self) -> Path:
        return self._cached(UNICODE_NAME, lambda path: shutil.copyfile(self.bilingual(), path))

    # --- scans (need pdftoppm) ---

    def scanned(self) -> Path:
        """One image-only page with Italian text: no text layer, OCR must read it."""
        def make(path):
            source = pdfmake.text_to_pdf(self.folder / "scan-source.pdf", [SCAN_TEXT], font_size=14)
            pdfmake.scan_pdf(source, path, dpi=200)
        return self._cached("scansione.pdf", make)

    def mixed(self) -> Path:
        """Page 1 has a text layer (Russian), page 2 is the scanned Italian page."""
        def make(path):
            from pypdf import PdfReader, PdfWriter

            writer = PdfWriter()
            writer.add_page(PdfReader(self.russian()).pages[0])
            writer.add_page(PdfReader(self.scanned()).pages[0])
            writer.write(path)
        return self._cached("misto.pdf", make)

    # --- signatures ---

    @property
    def signer(self) -> tuple[Path, Path]:
        """(key, certificate) of a throwaway self-signed signer."""
        if self._signer is None:
            self._signer = pdfmake.make_demo_signer(self.folder, "Mario Rossi")
        return self._signer

    @property
    def tsa(self) -> tuple[Path, Path]:
        if self._tsa is None:
            self._tsa = pdfmake.make_demo_signer(self.folder, timestamping=True)
        return self._tsa

    def trust_roots(self) -> Path:
        """A trust-roots folder holding the signer's certificate."""
        folder = self.folder / "trust-roots"
        if not folder.is_dir():
            folder.mkdir()
            shutil.copyfile(self.signer[1], folder / "signer.pem")
        return folder

    def signed(self, digest: str = "sha256") -> Path:
        return self._cached(f"firmato-{digest}.pdf", lambda path: pdfmake.sign_pdf(
            self.bilingual(), path, *self.signer, digest=digest, field_name="FirmaPresidente",
            location="Bergamo"))

    def signed_flipped(self) -> Path:
        """The signed PDF with one bit flipped inside the signed bytes (in the producer string)."""
        def make(path):
            data = bytearray(self.signed().read_bytes())
            where = data.index(b"ReportLab PDF Library")
            data[where] ^= 0x01
            path.write_bytes(bytes(data))
        return self._cached("firmato-alterato.pdf", make)

    def signed_appended(self) -> Path:
        """The signed PDF plus an incremental update appending a page after signing."""
        def make(path):
            from pypdf import PdfReader, PdfWriter

            writer = PdfWriter(self.signed(), incremental=True)
            writer.add_page(PdfReader(self.italian()).pages[0])
            writer.write(path)
        return self._cached("firmato-aggiunto.pdf", make)

    def signed_garbled(self) -> Path:
        """The signed PDF with its signature's CMS blob replaced by garbage of the same length."""
        def make(path):
            import re

            data = self.signed().read_bytes()
            start, end = re.search(rb"/Contents <([0-9a-fA-F]+)>", data).span(1)
            path.write_bytes(data[:start] + b"3082" + b"ab" * ((end - start - 4) // 2) + data[end:])
        return self._cached("firmato-illeggibile.pdf", make)

    def authority(self) -> tuple[Path, Path]:
        """(key, certificate) of a demo certification authority, valid since 2000."""
        import datetime

        if not (self.folder / "ca-cert.pem").exists():
            pdfmake.make_demo_signer(self.folder, authority=True,
                                     valid_from=datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc))
        return self.folder / "ca-key.pem", self.folder / "ca-cert.pem"

    def authority_roots(self) -> Path:
        """A trust-roots folder holding the demo authority's certificate."""
        folder = self.folder / "trust-roots-ca"
        if not folder.is_dir():
            folder.mkdir()
            shutil.copyfile(self.authority()[1], folder / "ca.pem")
        return folder

    def signed_expired(self) -> Path:
        """Signed with SHA-1 by a certificate the demo authority issued, which has expired since, as the
        certificates of the Task Force's early signatures have. pyHanko signs with the current time, so the
        certificate is made to expire two seconds after signing (and this waits for it)."""
        def make(path):
            import datetime
            import time

            until = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=2)
            signer = pdfmake.make_demo_signer(self.folder, "Giuseppe Verdi", issuer=self.authority(),
                                              valid_until=until, stem="expiring")
            pdfmake.sign_pdf(self.bilingual(), path, *signer, digest="sha1")
            time.sleep(max(0.0, (until - datetime.datetime.now(datetime.timezone.utc)).total_seconds()) + 1)
        return self._cached("firmato-scaduto.pdf", make)

    def timestamped(self) -> Path:
        """The signed PDF with a document timestamp (/DocTimeStamp) added after the signature."""
        return self._cached("firmato-marcato.pdf", lambda path: pdfmake.timestamp_pdf(
            self.signed(), path, *self.tsa))

    # --- encryption ---

    def encrypted(self, user_password: str = "") -> Path:
        """AES-256; the empty user password opens the default one, the other needs ``user_password``."""
        name = f"cifrato-{user_password}.pdf" if user_password else "cifrato-aperto.pdf"
        return self._cached(name, lambda path: pdfmake.encrypt_pdf(self.bilingual(), path, user_password))

    def certificate_encrypted(self) -> Path:
        return self._cached("cifrato-certificato.pdf", lambda path: pdfmake.encrypt_pdf_for_certificate(
            self.bilingual(), path, self.signer[1]))

    # --- broken files ---

    def truncated(self) -> Path:
        return self._cached("troncato.pdf", lambda path: path.write_bytes(
            self.bilingual().read_bytes()[: self.bilingual().stat().st_size // 2]))

    def zero_bytes(self) -> Path:
        return self._cached("vuoto.pdf", lambda path: path.write_bytes(b""))

    def not_pdf(self) -> Path:
        return self._cached("non-pdf.pdf", lambda path: path.write_text("Verbale in formato testo, non PDF.\n"))

    def blank_pages(self, count: int = 3000) -> Path:
        """Many empty pages in a small file: parsing it needs some memory, and its pages have no text."""
        def make(path):
            from pypdf import PdfWriter

            writer = PdfWriter()
            for _ in range(count):
                writer.add_blank_page(595, 842)
            writer.write(path)
        return self._cached(f"bianche-{count}.pdf", make)

    def damaged(self) -> Path:
        """Header and %%EOF in place, nothing readable between them."""
        return self._cached("danneggiato.pdf", lambda path: path.write_bytes(
            b"%PDF-1.7\n" + b"\x00garbage " * 200 + b"\n%%EOF\n"))

    def cases(self, ocr: bool = True) -> dict[str, Path]:
        """Every case by name; ``ocr=False`` leaves out the ones that need pdftoppm."""
        makers = {
            "italian": self.italian, "russian": self.russian, "bilingual": self.bilingual,
            "unicode_name": self.unicode_name, "signed": self.signed,
            "signed_sha1": lambda: self.signed("sha1"), "signed_flipped": self.signed_flipped,
            "signed_appended": self.signed_appended, "signed_garbled": self.signed_garbled,
            "signed_expired": self.signed_expired,
            "timestamped": self.timestamped,
            "encrypted_open": self.encrypted, "encrypted_password": lambda: self.encrypted("segreto"),
            "certificate_encrypted": self.certificate_encrypted, "truncated": self.truncated,
            "zero_bytes": self.zero_bytes, "not_pdf": self.not_pdf, "damaged": self.damaged,
        }
        if ocr:
            makers.update({"scanned": self.scanned, "mixed": self.mixed})
        return {name: make() for name, make in makers.items()}
