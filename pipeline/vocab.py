"""The vocabularies every stage shares, defined once: document types, languages, host countries,
confidentiality levels, sort orders and the columns of the CSV exports."""
from __future__ import annotations

LANGUAGES = ("it", "ru")                      # the two languages of every bilingual document
COUNTRIES = ("IT", "RU")                      # host countries of the sessions, countries of the parties
DOCUMENT_TYPES = ("protocol", "agreement", "memorandum", "letter", "project", "other")
# From least to most restricted: the order decides which of two disagreeing sources wins.
CONFIDENTIALITY_LEVELS = ("public", "internal", "restricted")
DEFAULT_CONFIDENTIALITY = "public"
# relevance: best match first (an empty query has no scores: it lists newest first); newest / oldest: by the
# date of signature, undated documents last in both; date: the older name of oldest, undated by session.
SORTS = ("relevance", "newest", "oldest", "date")
# What a staff account may change from the web page: legal staff the sessions and drafts, archivists the
# archive's intake, withdrawals and successions; admin everything. An account without a role reads only.
ROLES = ("legal", "archivist", "admin")
# One row per hit in `taskforce search --csv` and the web page's CSV download.
CSV_COLUMNS = ("doc_id", "reference", "session", "signed_on", "type", "title", "parties", "sectors", "place",
               "country", "confidentiality", "score", "snippet", "status", "in_force_on", "expires_on")


def more_restrictive(first: str, second: str) -> str:
    """The more restrictive of two confidentiality levels."""
    return max(first, second, key=CONFIDENTIALITY_LEVELS.index)
# The status of an agreement on a given day (pipeline/index/life.py computes it).
AGREEMENT_STATUSES = ("in-force", "expired", "not-yet", "withdrawn", "superseded")
