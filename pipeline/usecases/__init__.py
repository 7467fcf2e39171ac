"""One library call per use case, above the stages and below the command line, the web page and the demo,
which only parse their input and render the result."""
from .archiving import (EditReport, IngestReport, compare_document, document_details, edit_metadata, export, ingest,
                        list_documents, recompare_document, update_index, verify)

__all__ = ["EditReport", "IngestReport", "compare_document", "document_details", "edit_metadata", "export", "ingest", "list_documents",
           "recompare_document", "update_index", "verify"]
