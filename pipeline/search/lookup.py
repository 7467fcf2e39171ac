"""Which archived document a public id (pipeline/archive/layout.py) names, for one reader.

The answer comes from the index the reader searches: a public-only reader's is the index of the public
documents, which holds no trace of the others. A hidden document's public id and one that never existed thus
take the same path (a term looked up, not found) and the same time; nothing of the archive is read before
the reader is known to see the document."""
from __future__ import annotations

from ..access import Reader
from ..archive.layout import PUBLIC_ID_PATTERN
from ..errors import BusyError
from ..index import UNREADABLE
from ..workspace import Workspace
from .cache import cached, forget


def document_of(ws: Workspace, public_id: str, reader: Reader) -> str | None:
    """The archive id (TFA-…) of the document with ``public_id`` that ``reader`` may see, or None."""
    if not PUBLIC_ID_PATTERN.match(public_id or ""):
        return None
    public = reader.public_only
    try:
        entry = cached(ws, public)
        searcher = entry.searcher
        for term in searcher.reader().expand_prefix("sha256", public_id):
            sha = term.decode("ascii") if isinstance(term, bytes) else term
            stored = searcher.document(sha256=sha)
            if stored and reader.may_see(stored.get("confidentiality", ""), stored.get("withdrawn")):
                return stored["doc_id"]
        return None
    except UNREADABLE:
        forget(ws, public)
        raise BusyError("index busy: the search index cannot be read just now; try again in a moment") from None
