"""Writing the index: one writer at a time (our lock), both indexes (every document, public documents)
written together by one context manager, a whole rebuild swapped in beside the old index, updates of a few
documents after an ingest or an edit."""
from __future__ import annotations

import contextlib
import os
import shutil
import threading
import time
from pathlib import Path
from typing import Callable, Iterable, Iterator

from whoosh import index
from whoosh.codec.whoosh3 import W3Codec

from ..access import is_public
from ..archive.document import Document
from ..archive.record import DocumentRecord
from ..archive.reading import ArchiveReader
from ..sessions.registry import readable_sessions
from ..errors import BusyError
from ..fsutil import storage_error
from ..locks import held
from ..workspace import Workspace
from . import parties
from .draftdata import agreement_data
from .schema import (archive_documents, build_schema, document_entry, record_facts, register_durations,
                     session_infos)
from .parallel import OrderedMpWriter, usable_cores
from .storage import (INDEX_NAMES, LOCK_NAME, UNREADABLE, WRITE_ERRNOS, damaged_error, index_dir, is_current, open_dir,
                      write_sentinel)
from .terms import DraftText, keep_tables, write_tables
from .vocabulary import VocabularyWriter, vocabulary_path

LOCK_TIMEOUT = 60.0
# A rebuild commits once: every commit of Whoosh's writer adds a segment, and queries slowed 2-3 times with a
# handful of segments (bench/RESULTS.md); the writer's memory is bounded anyway by WRITER_MB, past which it
# spills sorted runs to disk.
WRITER_MB = 256
# Posting blocks are written without zlib: the index is about twice as large, and both writing (no
# compression) and every query (no decompression of the blocks it reads) are faster (bench/RESULTS.md).
# inlinelimit is left at its default: whoosh-reloaded 2.7.5 calls a misspelt method when it is changed.
COMPRESSION = 0
# A rebuild of this many documents or more runs in two processes when two cores are there (parallel.py). On the
# shared 2-core machine (load 6-7) two processes lost at 50 and 200 documents and won 40 s against 46 s at
# 1,000; the index they write has two segments, which made queries ~15% slower at 1,000 (bench_rebuild.py).
PARALLEL_MIN_DOCUMENTS = 1000
PROCESSES = 2


class Codec(W3Codec):
    """Whoosh's codec without length statistics in the posting blocks. Scores do not use them (BM25F reads
    each document's field lengths from the length columns, which are still written for the scored fields);
    they only bound the block-skipping of a top-N search. Writing them looked up one length per posting,
    and, for a field without lengths (the spelling field), checked the file system once per posting."""

    length_stats = False


def write_lock(ws: Workspace, timeout: float = LOCK_TIMEOUT):
    """One writer at a time, across processes; waits up to ``timeout`` seconds, then says who to wait for."""
    return held(ws.index / LOCK_NAME, timeout, "writing the search index", "try again when it is done")


def _open_writer(ix, procs: int = 1, total: int = 0):
    # Whoosh's own lock fails at once when held; ours serialises writers, so this one waits only for a
    # process that crashed holding it (the kernel releases flock on exit, so a short wait suffices).
    # Separate segment files: Whoosh copies each part of a compound segment into memory on every open,
    # which cost ~75 ms a search at 10,000 documents. With several processes each gets a share of the memory.
    for attempt in range(50):
        try:
            if procs > 1:
                return OrderedMpWriter(ix, procs, total, limitmb=WRITER_MB // procs, compound=False,
                                       codec=Codec(compression=COMPRESSION))
            return ix.writer(limitmb=WRITER_MB, compound=False, codec=Codec(compression=COMPRESSION))
        except index.LockError:
            time.sleep(0.1)
    raise BusyError("the search index's own write lock stays held; if no taskforce process is running, "
                    "run 'taskforce index rebuild'")


def _public(values: dict) -> bool:
    """Whether a document's index fields go into the public index: public and not withdrawn."""
    return is_public(values["confidentiality"]) and not values.get("withdrawn")


def _suggested(values: dict, words: list[str]) -> list[str]:
    """The words a document gives the suggestions: none when it is withdrawn (as if it did not exist)."""
    return [] if values.get("withdrawn") else words


class IndexWriter:
    """Adds, replaces and removes documents in both indexes (every document in MAIN, public ones in PUBLIC)
    and their words in the vocabulary."""

    def __init__(self, main, public, vocabulary: VocabularyWriter):
        self.main, self.public, self.vocabulary = main, public, vocabulary
        self.public_changed = False
        # a document left the public index (withdrawn, made internal): its deleted entry would still count in
        # the segment's statistics, and so in every public score, until the segments are merged
        self.public_deleted = False

    def add(self, values: dict, words: list[str]) -> None:
        self.main.add_document(**values)
        self.vocabulary.add(values["doc_id"], values["confidentiality"], _suggested(values, words))
        if _public(values):
            self.public.add_document(**values)
            self.public_changed = True

    def update(self, values: dict, words: list[str]) -> None:
        """Replace the document's old version (reads the segments to delete it; subtracts its words)."""
        self.main.update_document(**values)
        self.vocabulary.replace(values["doc_id"], values["confidentiality"], _suggested(values, words))
        if _public(values):
            self.public.update_document(**values)
            self.public_changed = True
        elif self.public.delete_by_term("doc_id", values["doc_id"]):   # no longer public: out of it
            self.public_changed = self.public_deleted = True


@contextlib.contextmanager
def writing(folder: Path, create: bool = False, procs: int = 1, sizes: tuple[int, int] = (0, 0)
            ) -> Iterator[IndexWriter]:
    """Both indexes of ``folder`` and its vocabulary opened (made, with ``create``) for writing; committed
    together when the block ends, cancelled when it raises. Hold write_lock around it. The public index is
    left untouched when nothing public changed: a commit merges segments, which moves its statistics (and
    so the scores) a little, and a hidden document must not move them at all.

    The vocabulary's changes are written into its open transaction before the main index commits, and
    committed right after it; should that last step fail, the vocabulary file is removed, which makes the
    index out of date (is_current): the next command rebuilds it."""
    opened = [index.create_in(str(folder), build_schema(), indexname=name) if create else
              index.open_dir(str(folder), indexname=name) for name in INDEX_NAMES]
    writers, vocabulary = [], None
    try:
        writers = [_open_writer(ix, procs, size) for ix, size in zip(opened, sizes)]
        vocabulary = VocabularyWriter(folder, create=create)
        changes = IndexWriter(*writers, vocabulary)
        yield changes
        vocabulary.prepare()
    except BaseException:
        for writer in writers:
            writer.cancel()
        if vocabulary is not None:
            vocabulary.cancel()
        for ix in opened:
            ix.close()
        raise
    main, public = writers
    try:
        main.commit()
    except BaseException:
        public.cancel()
        vocabulary.cancel()
        raise
    finally:
        opened[0].close()
    try:
        vocabulary.commit()
    except BaseException:
        public.cancel()
        opened[1].close()
        vocabulary_path(folder).unlink(missing_ok=True)
        raise
    try:
        if changes.public_changed or create:
            # should this fail, 'index status' reports the public index out of step; after a deletion all
            # segments are merged, so that the public scores are those of an index that never held it
            public.commit(optimize=changes.public_deleted)
        else:
            public.cancel()
    finally:
        opened[1].close()


def rebuild(ws: Workspace, documents: Iterable[tuple[DocumentRecord, str]] | None = None,
            only_if_needed: bool = False, procs: int | None = None,
            drafts: Callable[[], list[DraftText]] | None = None) -> dict | None:
    """Build the index afresh beside the old one, then swap it in: a failed rebuild leaves the old index.
    With ``only_if_needed``, nothing happens (None) when the index is current once the lock is held: a
    process that waited for another's rebuild does not repeat it. ``procs``: how many processes write it
    (None: two for PARALLEL_MIN_DOCUMENTS documents or more on two cores or more, else one). ``drafts``: the
    drafts' parallel texts the term tables learn from (terms.py; None: the tables the index had are kept)."""
    started = time.perf_counter()
    with write_lock(ws):
        if only_if_needed and is_current(ws):
            return None
        documents = archive_documents(ws) if documents is None else documents
        sessions = session_infos(ws)
        durations = register_durations(ws)
        building = ws.index / f".building-{os.getpid()}"
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir(parents=True)
        count = 0
        sizes = _sizes(documents)
        if procs is None:
            # forking a process that runs other threads (a web server) could copy a lock another thread holds
            procs = PROCESSES if (sizes and sizes[0] >= PARALLEL_MIN_DOCUMENTS and usable_cores() >= 2
                                  and threading.active_count() == 1) else 1
        try:
            procs = procs if sizes else 1
            records = []
            with writing(building, create=True, procs=procs, sizes=sizes or (0, 0)) as writer:
                for record, text in documents:
                    writer.add(*document_entry(Document.from_record(record), text, sessions.get(record.session),
                                               record_facts(record, durations)))
                    records.append(record)
                    count += 1
            write_party_register(ws, building, records if not hasattr(documents, "records") else documents.records)
            if drafts is None:
                keep_tables(index_dir(ws), building)
            else:                              # the bilingual term tables, derived with the index
                write_tables(building, records, drafts())
            _swap_in(ws, building)
        except BaseException as err:
            shutil.rmtree(building, ignore_errors=True)
            if isinstance(err, OSError):
                raise storage_error(err, f"the search index in {ws.index}", "the previous index is kept; free "
                                    "some space or fix the permissions and run 'taskforce index rebuild'") from None
            raise
        try:
            write_sentinel(ws, count)
        except OSError as err:
            raise storage_error(err, f"the search index in {ws.index}", "run 'taskforce index rebuild' "
                                "when it can be written") from None
    return {"documents": count, "seconds": round(time.perf_counter() - started, 2), "index": str(index_dir(ws)),
            "processes": procs}


def _sizes(documents) -> tuple[int, int] | None:
    """How many documents, and public ones, a rebuild will index (None: not known before reading them)."""
    records = getattr(documents, "records", None)
    if records is None and isinstance(documents, (list, tuple)):
        records = [record for record, _ in documents]
    if records is None:
        return None
    return len(records), sum(is_public(record.confidentiality) and not record.withdrawn for record in records)


def _swap_in(ws: Workspace, building: Path) -> None:
    target = index_dir(ws)
    old = ws.index / f".old-{os.getpid()}"
    if target.exists():
        target.rename(old)
    building.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    for leftover in [*ws.index.glob(".building-*"), *ws.index.glob(".old-*")]:
        shutil.rmtree(leftover, ignore_errors=True)   # a crashed rebuild's; we hold the lock


def rebuild_if_needed(ws: Workspace, drafts: Callable[[], list[DraftText]] | None = None) -> dict | None:
    """Rebuild when the index is missing or was made with another schema; None when it is current."""
    return None if is_current(ws) else rebuild(ws, only_if_needed=True, drafts=drafts)


def update_documents(ws: Workspace, doc_ids: list[str], drafts: Callable[[], list[DraftText]] | None = None) -> dict:
    """Add or replace these archived documents in the index (after an ingest or a metadata edit).
    An index that is missing or out of date is rebuilt whole instead. ``drafts``: as for rebuild; the term
    tables learn again when one of the documents has a reference."""
    if not is_current(ws):
        rebuilt = rebuild(ws, only_if_needed=True, drafts=drafts)
        if rebuilt is not None:          # our documents were archived before this rebuild read the archive
            return {**rebuilt, "rebuilt": True}
        # Another process rebuilt the index while we waited for the lock, maybe from an archive listed before
        # our documents were committed (four ingests into a new workspace lost one that way): add them.
    archive = ArchiveReader(ws)
    with write_lock(ws):
        sessions = session_infos(ws)
        durations = register_durations(ws)
        opened = False
        try:
            with writing(index_dir(ws)) as writer:
                opened = True
                for doc_id in doc_ids:
                    record = archive.record(doc_id)
                    text = "\n\n".join(archive.page_texts(doc_id))
                    try:
                        writer.update(*document_entry(Document.from_record(record), text,
                                                     sessions.get(record.session), record_facts(record, durations)))
                    except UNREADABLE as err:
                        if isinstance(err, OSError) and err.errno in WRITE_ERRNOS:
                            raise
                        raise damaged_error(ws, err) from None
        except UNREADABLE as err:
            if not opened:
                raise damaged_error(ws, err) from None
            if not isinstance(err, OSError):
                raise
            raise storage_error(err, f"the search index in {ws.index}", "the index was left as it was; run "
                                "'taskforce index rebuild' when it can be written") from None
        records = archive.records()[0]
        write_party_register(ws, index_dir(ws), records)
        if drafts is not None and any(archive.record(doc_id).reference for doc_id in doc_ids):
            # a drafted document came, went public or hidden: the term tables learn again (the public one
            # from the drafts of public documents only)
            try:
                write_tables(index_dir(ws), records, drafts())
            except OSError as err:
                raise storage_error(err, f"the search index in {ws.index}", "run 'taskforce index rebuild' "
                                    "when it can be written") from None
    return {"documents": len(doc_ids), "rebuilt": False}


def write_party_register(ws: Workspace, folder: Path, records) -> None:
    """The party register derived from these records, the drafts register and the session registry, written
    into the index folder ``folder`` (index/parties.py)."""
    parties.write_derived(folder, parties.derive(records, agreement_data(ws), readable_sessions(ws)))


def open_index(ws: Workspace, public: bool = False):
    """The current index (``public``: the one of the public documents), rebuilt first when it is missing or
    its schema changed. A rebuild that is running (it may be between removing the old index and moving the
    new one in) is waited for, not repeated."""
    if not is_current(ws):
        rebuild(ws, only_if_needed=True)
    return open_dir(ws, public)

