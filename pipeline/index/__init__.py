"""Stage 4, the index: a bilingual Whoosh index derived from the archive (rebuildable at any time).

Everything Whoosh-specific about writing and storing the index lives in this package. Italian and Russian
text go into separate fields (split by script) with Snowball stemming; proper names are also indexed
unstemmed under a transliteration key (pipeline/translit.py) so that Kazan finds Казань. Two indexes with
one schema are written together: every document, and the public documents only (see storage.py).
Imports point down the data path: this package reads the archive and the sessions, never the search.
"""
from __future__ import annotations

from .schema import SCHEMA_VERSION, build_schema, document_fields, schema_fingerprint, session_infos
from .status import status
from .storage import (IndexUnreadable, UNREADABLE, damaged_error, generation, index_dir, is_current, read_sentinel,
                      writer_active)
from .writer import open_index, rebuild, rebuild_if_needed, update_documents, write_lock, writing

__all__ = ["SCHEMA_VERSION", "IndexUnreadable", "UNREADABLE", "build_schema", "damaged_error", "document_fields",
           "generation", "index_dir", "is_current", "open_index", "read_sentinel", "rebuild", "rebuild_if_needed",
           "schema_fingerprint", "session_infos", "status", "update_documents", "write_lock", "writer_active",
           "writing"]
