"""What an archivist reviews before a staged file is archived: the metadata ``taskforce ingest`` would give
it, each value with its source, and what is wrong with the file (a duplicate, damaged, a reference already
archived, no clue to its session), worked out by the ingest's own steps (extract, signatures, resolve the
metadata, compare with the draft) without writing anything to the archive.

A file whose session or type cannot be found is not rejected here, as ``ingest`` would: its other values
are proposed and the missing ones asked for.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Callable

from ..errors import PdfRejected, ToolMissingError
from ..pdf.signatures import inspect_signatures
from ..pdf.text import ExtractLimits, extract
from ..workspace import Workspace
from .intake import signature_summary
from .layout import CHUNK
from .metadata import Given, resolve_metadata
from .prepare import CheckText, no_text_check
from .proposals import READ, propose_metadata

# the fields the review shows and the archivist may correct, in the page's order
FIELDS = ("session", "type", "title", "parties", "signed_on", "place", "reference", "confidentiality")
REQUIRED = ("session", "type")
PLACEHOLDER = "missing"       # the source of a stand-in value for a missing required field, never kept


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def review_file(ws: Workspace, limits: ExtractLimits, path: Path, name: str, layers: list[tuple[Given, str]],
                duplicate_of: Callable[[str], str | None], archived_with_reference: Callable[[str], list[str]],
                check_text: CheckText = no_text_check) -> dict:
    """The review of the staged file at ``path`` (recorded as ``name``) as JSON-ready data: ``status`` (ready,
    duplicate, damaged), ``values`` and ``sources`` of the FIELDS, ``missing`` required fields, ``warnings``
    [{"code", ...}] and the text's ``notes``, the comparison's ``verdict``, ``pages``, ``text_source``,
    ``signatures``."""
    sha256 = sha256_of(path)
    review = {"sha256": sha256, "status": "ready", "values": {}, "sources": {}, "missing": [], "warnings": [],
              "notes": [], "verdict": None, "pages": None, "text_source": None, "signatures": []}
    duplicate = duplicate_of(sha256)
    if duplicate:
        review["status"] = "duplicate"
        review["warnings"].append({"code": "duplicate", "doc_id": duplicate})
        return review
    password = next((given.password for given, _ in layers if given.password), None)
    try:
        content = extract(path, password, limits)
        signatures = inspect_signatures(path, ws.trust_roots, password, limits) if content.signature_fields else []
    except (PdfRejected, ToolMissingError) as err:
        review["status"] = "damaged"
        review["warnings"].append({"code": "damaged", "reason": err.reason if isinstance(err, PdfRejected)
                                   else err.message})
        return review
    proposals = propose_metadata(ws, content.pages, content.page_sources)
    try:
        resolved = resolve_metadata(layers, content, ws, name)
    except PdfRejected as err:          # no session or type found, or not for certain: propose the rest, ask for those
        review["missing"] = [field for field in err.params.get("fields", REQUIRED) if field in REQUIRED]
        stand_in = Given(session=0 if "session" in review["missing"] else None,
                         type="other" if "type" in review["missing"] else None)
        resolved = resolve_metadata([*layers, (stand_in, PLACEHOLDER)], content, ws, name)
    values = {field: resolved.values.get(field) for field in FIELDS
              if resolved.sources.get(field) != PLACEHOLDER or field == "confidentiality"}
    review["values"] = {field: value.isoformat() if isinstance(value, dt.date) else value
                        for field, value in values.items() if field not in review["missing"]}
    review["sources"] = {field: source for field, source in resolved.sources.items()
                         if field in FIELDS and source != PLACEHOLDER}
    for field in review["missing"]:     # what the text suggests, for the archivist to confirm or correct
        if field in proposals.values:
            review["values"][field] = proposals.values[field]
            review["sources"][field] = proposals.sources[field]
            others = "; ".join(proposals.ambiguities.get(field) or [])
            review["warnings"].append({"code": f"uncertain_{field}", "value": proposals.values[field],
                                       "others": others})
        else:
            review["warnings"].append({"code": f"no_{field}"})
    review["confidence"] = {field: proposals.confidence[field] for field in FIELDS
                            if field in proposals.confidence and str(review["sources"].get(field, "")).startswith(READ)}
    same = archived_with_reference(values.get("reference")) if values.get("reference") else []
    if same:
        review["warnings"].append({"code": "same_reference", "reference": values["reference"], "doc_ids": same})
    if not review["missing"]:
        check = check_text(ws, content.pages, content.page_sources, resolved.values, resolved.sources)
        review["verdict"] = check.verdict
        review["notes"] = list(content.warnings) + list(check.warnings)
    else:
        review["notes"] = list(content.warnings)
    review.update(pages=content.page_count, text_source=content.text_source,
                  signatures=[signature_summary(signature) for signature in signatures])
    return review
