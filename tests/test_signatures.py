import datetime
import json
import subprocess
import sys

import pytest

from pipeline.errors import PdfRejected, ValidationError
from pipeline.pdf.text import ExtractLimits
from pipeline.pdf.signatures import inspect_signatures
from tests.conftest import REPO


def only_signature(path, trust_roots=None, **kwargs) -> dict:
    found = inspect_signatures(path, trust_roots, **kwargs)
    assert len(found) == 1
    json.dumps(found)  # plain JSON
    return found[0]


def test_unsigned_pdf_has_no_signatures(pdf_factory):
    assert inspect_signatures(pdf_factory.bilingual(), None) == []


def test_signed_sha256_untrusted_by_default(pdf_factory, tmp_path):
    path = pdf_factory.signed()
    signature = only_signature(path, tmp_path / "empty-trust-roots")
    signed_at = datetime.datetime.fromisoformat(signature.pop("signing_time"))
    assert abs(datetime.datetime.now(datetime.timezone.utc) - signed_at) < datetime.timedelta(days=1)
    assert signature == {
        "field": "FirmaPresidente", "kind": "signature", "signer": "Mario Rossi",
        "signer_subject": "Organization: Italy-Russia Task Force (demo), Common Name: Mario Rossi",
        "digest_algorithm": "sha256", "weak_algorithm": False, "intact": True, "valid": True,
        "trusted": False, "trusted_at_signing_time": False, "trust_problem": "chain_constraints_failure",
        "coverage": "entire file",
        "modification_level": "none", "signed_bytes": path.stat().st_size, "file_bytes": path.stat().st_size,
        "error": None,
    }


def test_signer_in_trust_roots_is_trusted(pdf_factory):
    signature = only_signature(pdf_factory.signed(), pdf_factory.trust_roots())
    assert (signature["intact"], signature["valid"], signature["trusted"]) == (True, True, True)
    assert signature["trusted_at_signing_time"] is True
    assert signature["trust_problem"] is None


def test_expired_certificate_was_trusted_when_it_signed(pdf_factory):
    path = pdf_factory.signed_expired()
    signature = only_signature(path, pdf_factory.authority_roots())
    assert signature["signer"] == "Giuseppe Verdi"
    assert (signature["intact"], signature["valid"], signature["weak_algorithm"]) == (True, True, True)
    assert signature["trusted"] is False
    assert signature["trust_problem"] == "out_of_bounds_no_poe"  # expired, and no proof it signed in time
    assert signature["trusted_at_signing_time"] is True
    # without the authority in the trust roots nothing is trusted, then or now
    signature = only_signature(path, None)
    assert (signature["trusted"], signature["trusted_at_signing_time"]) == (False, False)
    assert signature["trust_problem"] == "no_certificate_chain_found"


def test_sha1_signature_is_valid_but_weak(pdf_factory):
    signature = only_signature(pdf_factory.signed("sha1"), pdf_factory.trust_roots())
    assert signature["digest_algorithm"] == "sha1"
    assert signature["weak_algorithm"] is True
    assert (signature["intact"], signature["valid"], signature["trusted"]) == (True, True, True)
    assert signature["coverage"] == "entire file"


def test_flipped_byte_breaks_the_signature(pdf_factory):
    signature = only_signature(pdf_factory.signed_flipped(), pdf_factory.trust_roots())
    assert (signature["intact"], signature["valid"], signature["trusted"]) == (False, False, False)
    assert signature["trust_problem"] == "not checked: the signature is broken"
    assert signature["error"] is None
    assert signature["signer"] == "Mario Rossi"


def test_content_appended_after_signing(pdf_factory):
    signed, appended = pdf_factory.signed(), pdf_factory.signed_appended()
    signature = only_signature(appended, pdf_factory.trust_roots())
    assert (signature["intact"], signature["valid"], signature["trusted"]) == (True, True, True)
    assert signature["coverage"] == "content appended after signing"
    assert signature["modification_level"] == "other"  # a page was added
    assert signature["signed_bytes"] == signed.stat().st_size
    assert signature["file_bytes"] == appended.stat().st_size > signed.stat().st_size


def test_unreadable_signature_is_reported_not_raised(pdf_factory):
    path = pdf_factory.signed_garbled()
    signature = only_signature(path, pdf_factory.trust_roots())
    error = signature.pop("error")
    assert error.startswith("pyHanko cannot read the signatures: ValueError: ")
    assert signature == {"field": "FirmaPresidente", "kind": "signature", "signer": None, "signer_subject": None,
                         "signing_time": None, "digest_algorithm": None, "weak_algorithm": None, "intact": None,
                         "valid": None, "trusted": None, "trusted_at_signing_time": None, "trust_problem": None,
                         "coverage": None,
                         "modification_level": None, "signed_bytes": None, "file_bytes": path.stat().st_size}


def test_document_timestamp_is_recorded(pdf_factory):
    found = inspect_signatures(pdf_factory.timestamped(), pdf_factory.trust_roots())
    assert [(item["field"], item["kind"]) for item in found] == [
        ("FirmaPresidente", "signature"), ("DocTimeStamp1", "timestamp")]
    signature, timestamp = found
    assert signature["coverage"] == "content appended after signing"
    assert signature["modification_level"] == "lta_updates"  # a timestamp is a benign addition
    assert signature["trusted"] is True
    assert timestamp["signer"] == "Taskforce demo time-stamping authority"
    assert (timestamp["intact"], timestamp["valid"]) == (True, True)
    assert timestamp["trusted"] is False  # the TSA is not in the trust roots
    assert timestamp["coverage"] == "entire file"
    assert timestamp["error"] is None
    assert datetime.datetime.fromisoformat(timestamp["signing_time"]) >= datetime.datetime.fromisoformat(
        signature["signing_time"])


def test_encrypted_signed_pdf_needs_the_password(pdf_factory, tmp_path):
    from pipeline.demo import pdfmake

    locked = pdfmake.encrypt_pdf(pdf_factory.bilingual(), tmp_path / "locked.pdf", "segreto")
    signed = pdfmake.sign_pdf(locked, tmp_path / "locked-signed.pdf", *pdf_factory.signer, password="segreto")
    with pytest.raises(PdfRejected) as caught:
        inspect_signatures(signed, None)
    assert (caught.value.code, caught.value.field) == ("pdf.password_needed", "password")
    with pytest.raises(PdfRejected) as caught:
        inspect_signatures(signed, None, password="sbagliata")
    assert caught.value.reason.startswith("encrypted: the password given does not open it")
    signature = only_signature(signed, pdf_factory.trust_roots(), password="segreto")
    assert (signature["intact"], signature["valid"], signature["trusted"]) == (True, True, True)
    assert inspect_signatures(locked, None, password="segreto") == []


def test_broken_files_are_rejected(pdf_factory):
    with pytest.raises(PdfRejected) as caught:
        inspect_signatures(pdf_factory.not_pdf(), None)
    assert caught.value.reason == "not a PDF: no %PDF- header in the first 1024 bytes"
    with pytest.raises(PdfRejected) as caught:
        inspect_signatures(pdf_factory.damaged(), None)
    assert caught.value.reason.startswith("damaged PDF: pypdf cannot read it (")
    with pytest.raises(PdfRejected) as caught:
        inspect_signatures(pdf_factory.certificate_encrypted(), None)
    assert caught.value.reason.startswith("encrypted with a certificate or an unknown security handler, which")


def test_time_limit(pdf_factory):
    with pytest.raises(PdfRejected) as caught:
        inspect_signatures(pdf_factory.signed(), None, limits=ExtractLimits(seconds_per_file=0.001))
    assert caught.value.reason == "signature validation took longer than 0.001 s"


def test_a_bad_trust_root_is_named(pdf_factory, tmp_path):
    roots = tmp_path / "roots"
    roots.mkdir()
    (roots / "broken.pem").write_text("not a certificate\n")
    (roots / "notes.txt").write_text("ignored: not a certificate file name\n")
    with pytest.raises(ValidationError) as caught:
        inspect_signatures(pdf_factory.signed(), roots)
    message = str(caught.value)
    assert message.startswith(f"trust root {roots / 'broken.pem'} is not a PEM or DER certificate (")
    assert message.endswith("); remove it from the trust-roots folder or replace it")


def test_der_trust_root_works(pdf_factory, tmp_path):
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    roots = tmp_path / "roots"
    roots.mkdir()
    certificate = x509.load_pem_x509_certificate(pdf_factory.signer[1].read_bytes())
    (roots / "signer.cer").write_bytes(certificate.public_bytes(Encoding.DER))
    assert only_signature(pdf_factory.signed(), roots)["trusted"] is True


def test_pyhanko_is_imported_only_for_signed_files(pdf_factory):
    # in a fresh interpreter: the work function, run in-process, must not touch pyHanko for an unsigned PDF
    script = ("import sys; from pipeline.pdf.signatures import _inspect; "
              "assert _inspect(sys.argv[1], [], None) == []; "
              "print(sorted(name for name in sys.modules if name.startswith('pyhanko')))")
    unsigned = subprocess.run([sys.executable, "-c", script, str(pdf_factory.bilingual())], cwd=REPO,
                              capture_output=True, text=True, check=True)
    assert unsigned.stdout.strip() == "[]"
    script = script.replace("== []", "!= []")
    signed = subprocess.run([sys.executable, "-c", script, str(pdf_factory.signed())], cwd=REPO,
                            capture_output=True, text=True, check=True)
    assert "pyhanko.sign" in signed.stdout


def test_ingesting_a_signed_pdf_prints_no_cryptography_deprecation(pdf_factory, tmp_path):
    """Importing pyHanko made cryptography print "CryptographyDeprecationWarning: DSA is deprecated" on every
    ingest (issue 21). Run as a user does, in a real process with Python's default warning filters."""
    home = tmp_path / "ws"
    command = [sys.executable, "-m", "pipeline", "--home", str(home)]
    subprocess.run([*command, "init"], check=True, capture_output=True)
    result = subprocess.run([*command, "ingest", str(pdf_factory.signed())], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "1 signature(s)" in result.stdout
    assert all(line.startswith("Warning: ") for line in result.stderr.splitlines())   # ours, and only ours
    assert "Deprecation" not in result.stderr


def test_the_deprecation_filter_is_narrow():
    """Only that category, and only from pyHanko's imports: the same warning raised by other code still shows."""
    script = ("import warnings, pipeline.pdf.signatures\n"
              "from cryptography.utils import CryptographyDeprecationWarning\n"
              "warnings.warn('from our own code', CryptographyDeprecationWarning)\n"
              "import pyhanko.sign.general\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert "from our own code" in result.stderr
    assert "DSA is deprecated" not in result.stderr
