"""One library call per use case, above the stages and below the command line, the web page and the demo,
which only parse their input and render the result.

    searching   search, the index's status and rebuild, the statistics (what ``taskforce search``, ``index``,
                ``stats`` and the web page's search and statistics do)
    documents   the document page's read: a document, its page texts, fixity, events and session
    drafting    rendering the Protocol and the agreements, the drafts and templates
    sessions    adding (or, with replace, editing) a session of the registry
    archiving   ingest and every other change of the archive, each followed by the one index update
    calls       UseCases: the calls of one workspace, as the web page is given them

The names are loaded from their module when first used: ``taskforce search`` imports the search's use cases,
not the ingest's (archive store, PDF parsing).
"""
from __future__ import annotations

import importlib

_MODULE_OF = {
    "EditReport": "archiving", "IngestReport": "archiving", "compare_document": "archiving",
    "document_details": "archiving", "edit_metadata": "archiving", "export": "archiving", "ingest": "archiving",
    "list_documents": "archiving", "recompare_document": "archiving", "archive_changes": "archiving",
    "verify": "archiving", "withdraw": "archiving", "supersede": "archiving", "propose": "archiving",
    "SuccessionReport": "archiving", "FileProposal": "archiving",
    "search": "searching", "index_status": "searching", "rebuild_index": "searching", "statistics": "searching",
    "statistics_chart": "searching", "sector_names": "searching", "document_at": "searching",
    "DocumentPage": "documents", "read_document": "documents", "document_fixity": "documents",
    "render_protocol": "drafting", "render_agreement": "drafting",
    "add_session": "sessions", "edit_session": "sessions",
    "UseCases": "calls",
}
__all__ = sorted(_MODULE_OF)


def __getattr__(name: str):
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_MODULE_OF[name]}"), name)
    globals()[name] = value
    return value
