"""Digital signatures and document timestamps of a PDF, validated offline with pyHanko.

Signature fields are found cheaply with pypdf (a /Sig field whose /V holds a value); pyHanko, slow to
import, is loaded only when there is one. Validation never fetches anything (no OCSP, no CRL download):
``trusted`` means a path to a certificate in the trust-roots folder, nothing else. Digests are checked
whatever their age: a SHA-1 signature from 2005 is reported intact and valid with ``weak_algorithm``
set, not as broken. Like text extraction, the work runs in a limited child process.

Each signature is a plain JSON dict:

- ``field``: the form field's name; ``kind``: "signature" or "timestamp" (/DocTimeStamp)
- ``signer``: common name of the signing (or time-stamping) certificate; ``signer_subject`` the full name
- ``signing_time``: ISO 8601, the time the signer claims (the token's time for a timestamp), or None
- ``digest_algorithm`` (sha256, sha1, ...) and ``weak_algorithm`` (True for sha1 and md5)
- ``intact``: the signed bytes hash to the signed digest; ``valid``: intact, and the signature value
  checks out against the certificate's key; ``trusted``: the certificate chains to a trust root today,
  and ``trust_problem`` says why not (an ETSI EN 319 102-1 sub-indication: "out_of_bounds_no_poe" for an
  expired certificate); ``trusted_at_signing_time``: the chain was good at the claimed signing time, which
  is what an old signature can still show (the signer's own clock, unless it is a timestamp)
- ``coverage``: "entire file", or "content appended after signing" (an incremental update was added
  later: pyHanko calls both "intact"), or "unclear"; ``modification_level`` rates what was appended
  ("none", "lta_updates", "form_filling", "annotations", "other"); ``signed_bytes`` and ``file_bytes``
  are the end of the signed byte range and the file's length
- ``error``: None, or why validation itself failed (then intact/valid/trusted are None)
"""
from __future__ import annotations

import warnings
from pathlib import Path

from ..errors import ValidationError
from .reader import ExtractLimits, check_bytes, find_signature_fields, open_pdf, rejecting_unreadable
from .sandbox import ChildLimits, run_limited



def quiet_pyhanko_imports() -> None:
    """Silence the CryptographyDeprecationWarning that importing pyHanko makes cryptography print ("DSA is
    deprecated", on every ingest): pyHanko's own imports, nothing a user can act on. Only that category, and only
    when pyHanko, its certificate validator or oscrypto is the importer; any other warning still shows."""
    from cryptography.utils import CryptographyDeprecationWarning

    warnings.filterwarnings("ignore", category=CryptographyDeprecationWarning,
                            module=r"(pyhanko|pyhanko_certvalidator|oscrypto)(\.|$)")


# before any pyHanko import: the parsers' fork server imports this module first (sandbox.PRELOAD)
quiet_pyhanko_imports()

WEAK_DIGESTS = {"md5", "sha1"}
TRUST_ROOT_SUFFIXES = {".pem", ".crt", ".cer", ".der"}
# trust problems that another validation time can change (ETSI EN 319 102-1 sub-indications, lower case)
TIME_PROBLEMS = {"expired", "not_yet_valid", "out_of_bounds_no_poe", "out_of_bounds_not_revoked",
                 "revocation_out_of_bounds_no_poe"}
COVERAGE_NAMES = {"ENTIRE_FILE": "entire file", "ENTIRE_REVISION": "content appended after signing"}


def inspect_signatures(path, trust_roots_dir=None, password: str | None = None,
                       limits: ExtractLimits = ExtractLimits()) -> list[dict]:
    """Every signature and document timestamp of the PDF at ``path``, validated offline against the
    certificates in ``trust_roots_dir`` (PEM or DER files; none, or a missing folder, trusts nothing).
    An unsigned PDF gives []. Raise :class:`PdfRejected` for a file that is not a readable PDF,
    :class:`ValidationError` for a trust-roots file that is not a certificate."""
    path = Path(path)
    check_bytes(path, limits)
    roots = [str(file) for file in trust_root_files(trust_roots_dir)]
    child_limits = ChildLimits(seconds=limits.seconds_per_file, memory_bytes=limits.memory_bytes)
    return run_limited(_inspect, (str(path), roots, password), child_limits, "signature validation", path)


def trust_root_files(folder) -> list[Path]:
    if folder is None or not Path(folder).is_dir():
        return []
    return sorted(file for file in Path(folder).iterdir()
                  if file.is_file() and file.suffix.lower() in TRUST_ROOT_SUFFIXES)


def _inspect(path: str, root_files: list[str], password: str | None) -> list[dict]:
    with rejecting_unreadable():
        fields = find_signature_fields(open_pdf(path, password)[0])
    if not fields:
        return []
    return _validate_with_pyhanko(path, root_files, password, fields)


def _load_trust_roots(root_files: list[str]) -> list:
    from pyhanko.sign.general import load_certs_from_pemder

    roots = []
    for file in root_files:
        try:
            roots.extend(load_certs_from_pemder([file]))
        except Exception as err:
            raise ValidationError(f"trust root {file} is not a PEM or DER certificate ({err}); "
                                  f"remove it from the trust-roots folder or replace it") from None
    return roots


def _validate_with_pyhanko(path: str, root_files: list[str], password: str | None, fields: list[dict]) -> list[dict]:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko_certvalidator import ValidationContext
    from pyhanko_certvalidator.policy_decl import AcceptAllAlgorithms

    roots = _load_trust_roots(root_files)
    file_bytes = Path(path).stat().st_size
    expected = {field["field"]: field["kind"] for field in fields}
    results = []
    with open(path, "rb") as handle:
        try:
            reader = PdfFileReader(handle, strict=False)
            if reader.encrypted:
                for candidate in ("", password):
                    if candidate is not None and _pyhanko_decrypt(reader, candidate):
                        break
            embedded_signatures = list(reader.embedded_signatures)
        except Exception as err:  # pypdf found signatures; pyHanko, stricter, cannot parse them (or the file)
            return [_blank_result(field["field"], field["kind"], file_bytes,
                                  f"pyHanko cannot read the signatures: {type(err).__name__}: {err}")
                    for field in fields]
        def context_at(moment=None):
            # weak digests are flagged by us, not refused: an old archive is full of SHA-1 signatures
            return ValidationContext(trust_roots=list(roots), allow_fetching=False, revocation_mode="soft-fail",
                                     algorithm_usage_policy=AcceptAllAlgorithms(), moment=moment)

        for embedded in embedded_signatures:
            kind = expected.pop(str(embedded.field_name), None) or _kind_of(embedded)
            results.append(_validate_one(embedded, kind, context_at, file_bytes))
    for name, kind in expected.items():
        results.append(_blank_result(name, kind, file_bytes,
                                     "pyHanko does not see this signature: its signature dictionary is malformed"))
    return results


def _blank_result(field: str, kind: str, file_bytes: int, error: str | None = None) -> dict:
    return {"field": field, "kind": kind, "signer": None, "signer_subject": None, "signing_time": None,
            "digest_algorithm": None, "weak_algorithm": None, "intact": None, "valid": None, "trusted": None,
            "trusted_at_signing_time": None, "trust_problem": None, "coverage": None, "modification_level": None, "signed_bytes": None,
            "file_bytes": file_bytes, "error": error}


def _pyhanko_decrypt(reader, password: str) -> bool:
    from pyhanko.pdf_utils.crypt import AuthStatus

    try:
        return reader.decrypt(password).status != AuthStatus.FAILED
    except Exception:
        return False


def _kind_of(embedded) -> str:
    return "timestamp" if embedded.sig_object.get("/Type") == "/DocTimeStamp" else "signature"


def _validate(embedded, kind: str, context):
    """(pyHanko's status, the claimed time) of one signature or document timestamp."""
    from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp

    if kind == "timestamp":
        status = validate_pdf_timestamp(embedded, validation_context=context)
        return status, status.timestamp
    status = validate_pdf_signature(embedded, signer_validation_context=context)
    return status, status.signer_reported_dt


def _validate_one(embedded, kind: str, context_at, file_bytes: int) -> dict:
    result = _blank_result(str(embedded.field_name), kind, file_bytes)
    try:
        result["signed_bytes"] = _signed_end(embedded)
        status, claimed = _validate(embedded, kind, context_at())
        then = status
        if claimed is not None and _trust_problem(status) in TIME_PROBLEMS:
            # certificates of old signatures have expired: was the chain good when the signer says it signed?
            then, _ = _validate(embedded, kind, context_at(claimed))
    except Exception as err:  # a malformed CMS blob or byte range is a finding about the file, not a crash
        result["error"] = f"validation failed: {type(err).__name__}: {err}"
        return result
    digest = (status.md_algorithm or "").lower()
    subject = status.signing_cert.subject
    result.update({
        "signer": _text(subject.native.get("common_name")),
        "signer_subject": subject.human_friendly,
        "signing_time": claimed.isoformat() if claimed is not None else None,
        "digest_algorithm": digest,
        "weak_algorithm": digest in WEAK_DIGESTS,
        "intact": bool(status.intact),
        "valid": bool(status.intact and status.valid),
        "trusted": bool(status.intact and status.valid and status.trusted),
        "trusted_at_signing_time": bool(then.intact and then.valid and then.trusted),
        "trust_problem": _trust_problem(status),
        "coverage": _coverage(status, result["signed_bytes"], file_bytes),
        "modification_level": _modification_level(status),
    })
    return result


def _text(value) -> str | None:
    return None if value is None else str(value)


def _signed_end(embedded) -> int:
    byte_range = list(embedded.sig_object["/ByteRange"])
    return int(byte_range[-2]) + int(byte_range[-1])


def _coverage(status, signed_end: int, file_bytes: int) -> str:
    level = getattr(status.coverage, "name", None)
    if level == "ENTIRE_FILE" and signed_end != file_bytes:
        return "unclear"  # pyHanko and the byte range disagree: say so rather than pick one
    if level == "ENTIRE_REVISION" and signed_end >= file_bytes:
        return "unclear"
    return COVERAGE_NAMES.get(level, "unclear")


def _modification_level(status) -> str | None:
    level = getattr(status, "modification_level", None)
    return level.name.lower() if level is not None else None


def _trust_problem(status) -> str | None:
    """None when trusted; else an ETSI EN 319 102-1 sub-indication as pyHanko names it, lower case
    (e.g. "no_certificate_chain_found", "chain_constraints_failure" for a self-signed certificate)."""
    if not (status.intact and status.valid):
        return "not checked: the signature is broken"
    if status.trusted:
        return None
    problem = getattr(status, "trust_problem_indic", None)
    return problem.name.lower() if problem is not None else "not trusted"
