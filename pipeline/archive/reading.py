"""Reading the archive: its documents, their newest (or any) metadata revision and their page texts.

What the index and the search need of the archive, and nothing of ingest (PDF parsing, signatures, the
comparison with the drafts): :class:`pipeline.archive.store.Archive` adds writing to this view, and the
index and the search read through it without importing that machinery (start-up time of ``taskforce
search``). The names on disk come from :mod:`pipeline.archive.layout`.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import Finding, NotFoundError, TaskforceError, ValidationError
from ..workspace import Workspace
from .layout import ID_PATTERN, TEXT_FOLDER, doc_id_of, load_sidecar, page_name, revisions, sidecar_name
from .record import DocumentRecord


class ArchiveReader:
    """The archive of a workspace, read only."""

    def __init__(self, ws: Workspace):
        self.ws = ws
        self.root = ws.archive

    def document_folders(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        return sorted(entry for entry in self.root.iterdir() if entry.is_dir() and ID_PATTERN.match(entry.name))

    def folder_of(self, doc_id: str) -> Path:
        """The folder of document ``doc_id`` ("TFA-000001", or just "1")."""
        text = str(doc_id).strip().upper()
        if text.isdigit():
            text = doc_id_of(int(text))
        folder = self.root / text
        if not ID_PATTERN.match(text) or not folder.is_dir():
            raise NotFoundError(f"no document {doc_id} in the archive {self.root}; "
                                f"'taskforce archive list' shows the ids")
        return folder

    @staticmethod
    def revisions(folder: Path) -> list[int]:
        return revisions(folder)

    def record(self, doc_id: str, revision: int | None = None) -> DocumentRecord:
        """The newest metadata revision of a document (or the one asked for)."""
        folder = self.folder_of(doc_id)
        present = revisions(folder)
        if not present:
            raise ValidationError(f"{folder.name} has no metadata sidecar: run 'taskforce archive verify'")
        chosen = revision or present[-1]
        if chosen not in present:
            raise NotFoundError(f"{folder.name} has no metadata revision {chosen}; it has "
                                f"{', '.join(map(str, present))}")
        return load_sidecar(folder / sidecar_name(chosen))

    def records(self) -> tuple[list[DocumentRecord], list[Finding]]:
        """Every document's newest metadata, and a finding for each sidecar that cannot be read."""
        found, problems = [], []
        for folder in self.document_folders():
            try:
                found.append(self.record(folder.name))
            except TaskforceError as err:
                problems.append(Finding(folder.name, err.message))
        return found, problems

    def page_texts(self, doc_id: str) -> list[str]:
        folder = self.folder_of(doc_id)
        pages = self.record(doc_id).pages
        return [(folder / TEXT_FOLDER / page_name(number)).read_text(encoding="utf-8")
                for number in range(1, pages + 1)]
