"""Withdraw and supersede (issue 24), write-once kept: each a new sidecar revision of the documents concerned
(``withdrawn`` with its reason; ``superseded_by`` / ``supersedes`` linking the two) with a metadata
modification event and a withdrawal or supersession event, under the archive's lock. The PDFs and the older
revisions are never touched, so the fixity check stays clean. Who may then see a withdrawn document is
access.py's to say."""
from __future__ import annotations

import dataclasses

from ..errors import ConflictError, ValidationError
from ..sessions.fields import clean_value
from . import eventlog
from .eventlog import new_event
from .record import DocumentRecord
from .store import Archive


def withdraw(store: Archive, doc_id: str, reason: str, actor: str | None = None) -> DocumentRecord:
    """Take ``doc_id`` out of view with ``reason``: a new metadata revision saying it, and a withdrawal
    event; the PDF and the older revisions stay as they are. Returns the new record."""
    reason = clean_value(reason or "", "reason") or ""
    if not reason:
        raise ValidationError("archive.reason_missing", field="reason")
    folder = store.folder_of(doc_id)
    with store.locked():
        current = store.record(folder.name)
        if current.withdrawn:
            raise ConflictError("archive.withdrawn_already", doc_id=current.doc_id, reason=current.withdrawn)
        new = dataclasses.replace(current, withdrawn=reason, revision=current.revision + 1)
        store.write_revision(new, f"withdrawn: {reason}", [new_event(
            eventlog.WITHDRAWAL, current.doc_id, "success", f"withdrawn from view: {reason}", actor=actor)],
            actor=actor)
    return new


def supersede(store: Archive, old_id: str, new_id: str, actor: str | None = None) -> tuple[DocumentRecord, DocumentRecord]:
    """Record that ``new_id`` replaces ``old_id``: a revision of each linking it to the other
    (``superseded_by``, ``supersedes``) and a supersession event; the PDFs stay as they are. Returns the
    two new records (old, new)."""
    old_folder, new_folder = store.folder_of(old_id), store.folder_of(new_id)
    if old_folder.name == new_folder.name:
        raise ValidationError("archive.supersede_itself", doc_id=old_folder.name, field="new")
    with store.locked():
        old, new = store.record(old_folder.name), store.record(new_folder.name)
        if old.superseded_by == new.doc_id and new.supersedes == old.doc_id:
            raise ConflictError("archive.superseded_already", doc_id=old.doc_id, successor=new.doc_id)
        if old.superseded_by:
            raise ConflictError("archive.superseded_already", doc_id=old.doc_id, successor=old.superseded_by)
        if new.supersedes:
            raise ConflictError("archive.supersedes_already", doc_id=new.doc_id, predecessor=new.supersedes)
        if new.withdrawn:
            raise ConflictError("archive.successor_withdrawn", doc_id=new.doc_id, reason=new.withdrawn)
        if _successors(store, new.doc_id) and old.doc_id in _successors(store, new.doc_id):
            raise ConflictError("archive.supersede_cycle", doc_id=old.doc_id, successor=new.doc_id)
        old_new = dataclasses.replace(old, superseded_by=new.doc_id, revision=old.revision + 1)
        new_new = dataclasses.replace(new, supersedes=old.doc_id, revision=new.revision + 1)
        store.write_revision(old_new, f"superseded by {new.doc_id}", [new_event(
            eventlog.SUPERSESSION, old.doc_id, "success", f"superseded by {new.doc_id}", actor=actor)],
            actor=actor)
        store.write_revision(new_new, f"supersedes {old.doc_id}", [new_event(
            eventlog.SUPERSESSION, new.doc_id, "success", f"supersedes {old.doc_id}", actor=actor)],
            actor=actor)
    return old_new, new_new


def _successors(store: Archive, doc_id: str) -> list[str]:
    """The documents that ``doc_id``'s successors replace in turn, following ``superseded_by``."""
    found, current = [], doc_id
    while True:
        following = store.record(current).superseded_by
        if not following or following in found:
            return found
        found.append(following)
        current = following
