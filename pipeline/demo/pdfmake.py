"""Making real PDFs: bilingual text pages (reportlab, DejaVu), a throwaway signer, signing (pyHanko), an
image-only "scanned" copy and encrypted copies.

The demo command and the test suite both use it, so it is library code with its heavy imports inside the
functions.
"""
from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import ToolFailedError, ToolMissingError, ValidationError
from ..fsutil import atomic_write_bytes
from ..pdf.signatures import quiet_pyhanko_imports

FONT_FOLDER = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {"DejaVuSans": "DejaVuSans.ttf", "DejaVuSans-Bold": "DejaVuSans-Bold.ttf"}
PAGE_MARGIN = 56  # points: about 2 cm
BODY_SIZE = 11
FOOTER_SIZE = 8


def register_fonts() -> None:
    """Register DejaVu Sans (regular, bold) with reportlab once; Latin and Cyrillic in one font."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, file_name in FONT_FILES.items():
        if name in registered:
            continue
        font_path = FONT_FOLDER / file_name
        if not font_path.is_file():
            raise ToolMissingError(f"font {font_path} is missing: install the Debian package fonts-dejavu-core")
        pdfmetrics.registerFont(TTFont(name, str(font_path)))


def text_to_pdf(path, pages: list[str], footer: str | None = None, title: str | None = None, *,
                author: str | None = None, subject: str | None = None, keywords: str | None = None,
                font_size: float = BODY_SIZE, reproducible: bool = False, print_title: bool = True) -> Path:
    """Write an A4 PDF with a real text layer: each string of ``pages`` starts a new page (text that does
    not fit continues on the next one), lines wrapped to the margins, blank lines kept as paragraph breaks.
    ``title`` is printed in bold on the first page (unless not ``print_title``: a text that holds its own
    title) and stored as the PDF title; ``footer`` (e.g. the
    reference code) is printed at the bottom of every page with the page number. ``reproducible`` fixes
    the dates and ids so that the same input gives the same bytes. The file is written atomically."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    register_fonts()
    width, height = A4
    text_width = width - 2 * PAGE_MARGIN
    leading = font_size * 1.35
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1 if reproducible else 0, initialFontName="DejaVuSans",
                        initialFontSize=font_size)
    pdf.setTitle(title or "")
    pdf.setAuthor(author or "")
    pdf.setSubject(subject or "")
    pdf.setKeywords(keywords or "")
    pdf.setCreator("taskforce")
    bottom = PAGE_MARGIN + 2 * FOOTER_SIZE
    state = {"page": 0, "y": 0.0}

    def finish_page() -> None:
        # drawn last so that text extraction reads the footer after the body
        pdf.setFont("DejaVuSans", FOOTER_SIZE)
        label = f"{footer} · {state['page']}" if footer else str(state["page"])
        pdf.drawCentredString(width / 2, PAGE_MARGIN, label)
        pdf.showPage()

    def new_page() -> None:
        if state["page"]:
            finish_page()
        state["page"] += 1
        state["y"] = height - PAGE_MARGIN

    def write_line(line: str, font: str, size: float, line_leading: float) -> None:
        if state["y"] - line_leading < bottom:
            new_page()
        state["y"] -= line_leading
        pdf.setFont(font, size)
        pdf.drawString(PAGE_MARGIN, state["y"], line)

    for page_index, page_text in enumerate(pages or [""]):
        new_page()
        if page_index == 0 and title and print_title:
            for line in simpleSplit(title, "DejaVuSans-Bold", font_size + 3, text_width):
                write_line(line, "DejaVuSans-Bold", font_size + 3, (font_size + 3) * 1.35)
            state["y"] -= leading / 2
        for paragraph in page_text.split("\n"):
            lines = simpleSplit(paragraph, "DejaVuSans", font_size, text_width) or [""]
            for line in lines:
                write_line(line, "DejaVuSans", font_size, leading)
    finish_page()
    pdf.save()
    return write_pdf(path, buffer.getvalue())


def require_program(name: str, package: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise ToolMissingError(f"{name} is not installed: install the Debian package {package}")
    return found


def run_program(command: list[str], what: str, timeout: float = 300) -> None:
    try:
        result = subprocess.run(command, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise ToolFailedError(f"{what} took longer than {timeout:g} s") from None
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", errors="replace").strip() or f"exit status {result.returncode}"
        raise ToolFailedError(f"{what} failed: {detail}")


def write_pdf(dst, data: bytes) -> Path:
    """Write a made PDF atomically and return its path."""
    dst = Path(dst)
    atomic_write_bytes(dst, data)
    return dst


# --- signing ---------------------------------------------------------------------------------------------

def make_demo_signer(folder, common_name: str | None = None, *, timestamping: bool = False,
                     authority: bool = False, issuer: tuple[Path, Path] | None = None,
                     valid_from=None, valid_until=None, stem: str | None = None) -> tuple[Path, Path]:
    """Create a throwaway RSA key and a certificate in ``folder``; return (key, cert) paths (PEM, key
    unencrypted). Self-signed unless ``issuer`` = (key, cert) of an ``authority`` made before;
    ``timestamping`` makes a time-stamping authority's certificate (extended key usage timeStamping, as
    RFC 3161 requires). Valid from yesterday for ten years unless ``valid_from``/``valid_until``
    (datetimes) say otherwise: an expired certificate imitates a signature from the 2000s. Files are named
    ``<stem>-key.pem`` and ``<stem>-cert.pem`` (stem: "ca", "tsa" or "signer" by default). For demos and
    tests only: nobody trusts it unless its certificate, or its issuer's, is in the trust-roots folder."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    folder = Path(folder)
    role = "ca" if authority else "tsa" if timestamping else "signer"
    default_names = {"ca": "Taskforce demo certification authority",
                     "tsa": "Taskforce demo time-stamping authority", "signer": "Taskforce demo signer"}
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name or default_names[role]),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Italy-Russia Task Force (demo)")])
    signing_key, issuer_name = key, name
    if issuer is not None:
        signing_key = serialization.load_pem_private_key(Path(issuer[0]).read_bytes(), password=None)
        issuer_name = x509.load_pem_x509_certificate(Path(issuer[1]).read_bytes()).subject
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder()
               .subject_name(name).issuer_name(issuer_name).public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(valid_from or now - datetime.timedelta(days=1))
               .not_valid_after(valid_until or now + datetime.timedelta(days=3650))
               .add_extension(x509.BasicConstraints(ca=authority, path_length=None), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
               .add_extension(x509.KeyUsage(digital_signature=not authority, content_commitment=not authority,
                                            key_encipherment=not authority, data_encipherment=False,
                                            key_agreement=False, key_cert_sign=authority, crl_sign=authority,
                                            encipher_only=False, decipher_only=False), critical=True))
    if timestamping:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    certificate = builder.sign(signing_key, hashes.SHA256())
    stem = stem or role
    key_path, cert_path = folder / f"{stem}-key.pem", folder / f"{stem}-cert.pem"
    atomic_write_bytes(key_path, key.private_bytes(serialization.Encoding.PEM,
                                                   serialization.PrivateFormat.PKCS8,
                                                   serialization.NoEncryption()), mode=0o600)
    atomic_write_bytes(cert_path, certificate.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


def sign_pdf(src, dst, key_path, cert_path, digest: str = "sha256", field_name: str = "Signature1", *,
             reason: str | None = None, location: str | None = None, password: str | None = None) -> Path:
    """Sign ``src`` with pyHanko into ``dst`` (an incremental update, so ``src``'s bytes are a prefix of
    ``dst``). ``digest`` is the message digest: sha256, sha384, sha512, or sha1 to imitate a 2000s
    signature. An encrypted ``src`` needs its ``password`` (the empty one is tried)."""
    quiet_pyhanko_imports()
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load(str(key_path), str(cert_path))
    if signer is None:
        raise ValidationError(f"cannot load the signing key {key_path} with the certificate {cert_path}: "
                              f"give an unencrypted PEM or DER private key and its certificate")
    metadata = signers.PdfSignatureMetadata(field_name=field_name, md_algorithm=digest, reason=reason,
                                            location=location)
    with open(src, "rb") as handle:
        writer = IncrementalPdfFileWriter(handle, strict=False)
        if writer.prev.encrypted:
            writer.encrypt(password or "")
        output = signers.sign_pdf(writer, metadata, signer=signer, output=io.BytesIO())
    return write_pdf(dst, output.getvalue())


def timestamp_pdf(src, dst, tsa_key_path, tsa_cert_path, field_name: str = "DocTimeStamp1") -> Path:
    """Add a document timestamp (/DocTimeStamp) to ``src``, issued by a local time-stamping authority made
    by ``make_demo_signer(..., timestamping=True)`` instead of a network TSA."""
    quiet_pyhanko_imports()
    from asn1crypto import keys, pem, x509
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers, timestamps

    def load_der(path):
        data = Path(path).read_bytes()
        return pem.unarmor(data)[2] if pem.detect(data) else data

    timestamper = timestamps.DummyTimeStamper(
        tsa_cert=x509.Certificate.load(load_der(tsa_cert_path)),
        tsa_key=keys.PrivateKeyInfo.load(load_der(tsa_key_path)))
    with open(src, "rb") as handle:
        writer = IncrementalPdfFileWriter(handle, strict=False)
        output = signers.PdfTimeStamper(timestamper, field_name=field_name).timestamp_pdf(
            writer, "sha256", output=io.BytesIO())
    return write_pdf(dst, output.getvalue())


# --- encryption --------------------------------------------------------------------------------------------

def encrypt_pdf(src, dst, user_password: str = "", owner_password: str = "owner-secret") -> Path:
    """An AES-256 password-encrypted copy. With the empty user password any reader opens it (only the
    owner's permissions are protected), as many published PDFs are."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=str(src))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    return write_pdf(dst, buffer.getvalue())


def encrypt_pdf_for_certificate(src, dst, cert_path) -> Path:
    """A copy encrypted for the holder of ``cert_path`` (public-key security, /Adobe.PubSec): only their
    private key opens it, no password does."""
    quiet_pyhanko_imports()
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import copy_into_new_writer
    from pyhanko.sign.general import load_cert_from_pemder

    certificate = load_cert_from_pemder(str(cert_path))
    with open(src, "rb") as handle:
        writer = copy_into_new_writer(PdfFileReader(handle, strict=False))
        writer.encrypt_pubkey([certificate])
        buffer = io.BytesIO()
        writer.write(buffer)
    return write_pdf(dst, buffer.getvalue())


# --- scans -------------------------------------------------------------------------------------------------

def scan_pdf(src, dst, dpi: int = 150, *, rotate: float = 0.4, noise: bool = True) -> Path:
    """An image-only copy of ``src``, as a paper scan would be: every page rendered in gray with pdftoppm,
    turned by ``rotate`` degrees, sprinkled with faint noise, and put back into a PDF with no text layer."""
    from PIL import Image, ImageChops

    pdftoppm = require_program("pdftoppm", "poppler-utils")
    with tempfile.TemporaryDirectory(prefix="taskforce-scan-") as folder:
        prefix = Path(folder) / "page"
        run_program([pdftoppm, "-r", str(dpi), "-gray", "-png", str(src), str(prefix)], "pdftoppm")
        images = []
        for image_path in sorted(Path(folder).glob("page*.png")):
            with Image.open(image_path) as opened:
                image = opened.convert("L")
            if rotate:
                image = image.rotate(rotate, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
            if noise:
                speckle = Image.effect_noise(image.size, 24).point(lambda value: 255 if value > 40 else 200)
                image = ImageChops.darker(image, speckle)
            images.append(image)
        if not images:
            raise ToolFailedError(f"pdftoppm made no page images from {src}")
        buffer = io.BytesIO()
        images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=float(dpi))
    return write_pdf(dst, buffer.getvalue())
