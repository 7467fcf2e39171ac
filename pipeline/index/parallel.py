"""Rebuilding with two processes: Whoosh's MpWriter with ``multisegment=True`` (each child process writes a
segment of its own, none merged: with procs > 1 and merging, the parent re-reads and rewrites every
posting, which costs more than it saves), changed so that the result does not depend on which process was
faster. Whoosh hands batches to whichever child is free and lists the segments in the order the children
finish, so document numbers, and with them the order of hits with equal scores or dates, would change from
one rebuild to the next. Here the first half of the documents goes to the first child and the second half
to the second, and the segments are listed in that order: the document numbers are those of a one-process
rebuild, and so are hits, order, scores, facets and totals (tests/test_parallel_rebuild.py).

The children are forked: they inherit the schema's fast fields (fastfield.py) and their warm caches, and
open the index being built from its table of contents (the schema unpickled there). A child that fails
sends its exception back; the parent raises it, and a cancelled rebuild stops its children."""
from __future__ import annotations

import multiprocessing
import os
import pickle
import queue

from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.util import random_name

BATCH = 50                  # documents per job file handed to a child


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class _Child(SubWriterTask):
    """Whoosh's sub-writer process, which reports its failure instead of printing a traceback."""

    def run(self):
        try:
            super().run()
        except BaseException as err:        # noqa: BLE001 (sent to the parent, which raises it)
            try:
                self.resultqueue.put(("failed", err, None), timeout=5)
            except Exception:               # noqa: BLE001 (an exception that does not pickle)
                self.resultqueue.put(("failed", RuntimeError(repr(err)), None), timeout=5)
            os._exit(1)


class OrderedMpWriter(MpWriter):
    """An MpWriter for ``total`` documents in ``procs`` processes, each taking a contiguous share in the
    order the documents are added, its segment listed in that order."""

    def __init__(self, ix, procs: int, total: int, **kwargs):
        super().__init__(ix, procs=procs, batchsize=BATCH, multisegment=True, **kwargs)
        self.share = max(1, -(-total // procs))
        self.queues = [(multiprocessing.Queue(), multiprocessing.Queue()) for _ in range(procs)]
        self.children: list[_Child] = []
        self.count = 0
        self.current = 0

    def add_document(self, **fields):
        child = min(self.count // self.share, self.procs - 1)
        if child != self.current and self.docbuffer:
            self._enqueue()
        self.current = child
        self.docbuffer.append((0, fields))
        self.count += 1
        if len(self.docbuffer) >= self.batchsize:
            self._enqueue()
        self._added_sub = True

    def _child(self, number: int) -> _Child:
        while len(self.children) <= number:
            jobs, results = self.queues[len(self.children)]
            child = _Child(self.storage, self.indexname, jobs, results, self.subargs, True)
            child.daemon = True             # never outlives a parent that dies
            child.start()
            self.children.append(child)
        return self.children[number]

    def _enqueue(self):
        filename = "%s.doclist" % random_name()
        with self.temp_storage().create_file(filename).raw_file() as f:
            for item in self.docbuffer:
                pickle.dump(item, f, pickle.HIGHEST_PROTOCOL)
        self._child(self.current)
        self.queues[self.current][0].put((filename, len(self.docbuffer)))
        self.docbuffer = []

    def _commit(self, mergetype, optimize, merge):
        if self.docbuffer:
            self._enqueue()
        for jobs, _ in self.queues[:len(self.children)]:
            jobs.put(None)
        segments = self._merge_segments(mergetype, optimize, merge)
        for child, (_, results) in zip(self.children, self.queues):
            segments.append(self._result(child, results))
        for child in self.children:
            child.join()
        if self._added:
            segments.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc(segments)
        self._finish()

    @staticmethod
    def _result(child: _Child, results):
        while True:
            try:
                name, found, segment = results.get(timeout=1.0)
                break
            except queue.Empty:
                if not child.is_alive():
                    try:
                        name, found, segment = results.get(timeout=1.0)
                        break
                    except queue.Empty:
                        raise RuntimeError(f"an indexing process ended without its segment "
                                           f"(exit status {child.exitcode})") from None
        if name == "failed":
            raise found
        return segment

    def cancel(self):
        try:
            for child in self.children:
                if child.is_alive():
                    child.terminate()
                child.join()
        finally:
            self.children = []
            super(MpWriter, self).cancel()
