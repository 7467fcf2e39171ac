"""Stage 3, the write-once archive: originals kept byte for byte with metadata sidecars, a hash-chained event
log, fixity checks and BagIt export.

The names below are the package's public face; code outside ``pipeline.archive`` imports from here.

- :class:`Archive` (``store``): ingest, read, edit, verify, export;
- :class:`Given`, the ``parse_*`` option parsers (``metadata``): metadata given by options or a manifest;
- :func:`plan_batch`, :func:`read_manifest`, :class:`BatchItem` (``batch``): what a batch is made of;
- :class:`Outcome` (``intake``): what became of one file; :class:`DocumentRecord` (``record``): a sidecar;
- :class:`FixityFinding` and its kinds (``fixity``): what a fixity check reports.
"""
from .batch import BatchItem, collect_files, plan_batch, read_manifest
from .fixity import (ChainBroken, ChecksumMismatch, FileMissing, FixityFinding, FixityReport, SidecarDamaged,
                     UnexpectedFile)
from .intake import Outcome
from .layout import ORIGINAL
from .metadata import (Given, find_place_and_date, parse_confidentiality, parse_languages, parse_reference,
                       parse_session, parse_signed_on, parse_type)
from .record import DocumentRecord
from .store import Archive

__all__ = ["Archive", "BatchItem", "ChainBroken", "ChecksumMismatch", "DocumentRecord", "FileMissing",
           "FixityFinding", "FixityReport", "Given", "ORIGINAL", "Outcome", "SidecarDamaged", "UnexpectedFile",
           "collect_files", "find_place_and_date", "parse_confidentiality", "parse_languages", "parse_reference",
           "parse_session", "parse_signed_on", "parse_type", "plan_batch", "read_manifest"]
