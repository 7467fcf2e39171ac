"""Fault injection: SIGKILL during ingests, disk full and permission errors while writing, a damaged index,
a damaged workspace. Each test counts its cases for the scorecard (tests/scorecard.py).

The crash-at-every-step test of tests/test_archive.py kills one ingest at each named step; here many
batches are killed at random steps of random files, or after random delays, and the archive, the event
log and the index are checked after each kill.
"""
import errno
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import filelock
import pytest
from click.testing import CliRunner

from pipeline.drafting import register
from pipeline import index, search
from pipeline.index import storage as index_storage, writer as index_writer
from pipeline.archive.batch import plan_batch
from pipeline.archive.metadata import Given
from pipeline.archive.store import Archive
from pipeline.cli import cli
from pipeline.errors import StorageError
from pipeline.archive.eventlog import EventLog
from pipeline.fsutil import CRASH_ENV
from pipeline.demo.pdfmake import text_to_pdf
from pipeline.workspace import Workspace, init_workspace
from tests.conftest import REPO, assert_no_crash

INGEST_POINTS = ["copied", "extracted", "locked", "sidecar-written", "journal-written", "renamed",
                 "events-appended", "head-written", "committed"]
OPTIONS = ["--session", 25, "--type", "letter"]
GIVEN = [(Given(session=25, type="letter"), "option")]
TRIALS = 50


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def invoke(home, *args):
    return CliRunner().invoke(cli, ["--home", str(home), *map(str, args)])


def small_pdf(folder: Path, number: int) -> Path:
    return text_to_pdf(folder / f"lettera-{number:03d}.pdf",
                       [f"Lettera di intenti numero {number} tra due imprese del distretto.\n\nRoma, 3 aprile 2012"],
                       title=f"Lettera {number}")


@pytest.fixture
def ws(tmp_path):
    init_workspace(tmp_path / "ws", with_sample=True)
    return Workspace.at(tmp_path / "ws")


def archive_state(ws) -> dict[str, bytes]:
    """sha256 -> bytes of every archived original; the archive must verify clean."""
    with Archive(ws) as store:
        report = store.verify()
        assert report.findings == [], report.findings
        records, problems = store.records()
        assert problems == []
        ids = [record.doc_id for record in records]
        assert len(ids) == len(set(ids))
        originals = {}
        for record in records:
            data = (store.folder_of(record.doc_id) / "original.pdf").read_bytes()
            assert sha256(data) == record.sha256
            assert record.sha256 not in originals, "a file stored twice"
            originals[record.sha256] = data
        assert not (ws.archive / ".journal.json").exists()
        assert [p for p in (ws.archive / ".tmp").iterdir()] == [] if (ws.archive / ".tmp").exists() else True
    return originals


def assert_index_consistent_after_advice(ws):
    status = index.status(ws)
    if not status["ok"]:
        assert "taskforce index rebuild" in status["advice"]
        index.rebuild(ws)
        status = index.status(ws)
    assert status["ok"], status


# --- SIGKILL --------------------------------------------------------------------------------------------------
WORKSPACES = 3   # killed in parallel, so that one process's fsyncs overlap another's work


def archived_set(ws) -> set[str]:
    with Archive(ws) as store:
        records, problems = store.records()
    assert problems == []
    return {record.sha256 for record in records}


@pytest.mark.slow
def test_sigkill_of_ingest_at_random_moments(tmp_path, score):
    """At least 50 killed batches: a crash hook at a random step of a random file, or SIGKILL after a
    random delay. After each: verify clean, each file whole or absent, the next run archives the rest."""
    randomness = random.Random(7)
    environment = dict(os.environ, PYTHONPATH=str(REPO))
    environment.pop(CRASH_ENV, None)
    spaces = []
    for n in range(WORKSPACES):
        init_workspace(tmp_path / f"ws{n}", with_sample=True)
        (tmp_path / f"batch{n}").mkdir()
        spaces.append((Workspace.at(tmp_path / f"ws{n}"), tmp_path / f"batch{n}"))
    made = 0
    trials = 0
    while trials < TRIALS:
        running = []
        for ws, batch in spaces:
            for _ in range(2):
                made += 1
                small_pdf(batch, made)
            command = [sys.executable, "-m", "pipeline", "--home", str(ws.home), "ingest", str(batch),
                       *map(str, OPTIONS)]
            if randomness.random() < 0.3:   # a random delay: anywhere, the index update after the batch included
                process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL,
                                           stderr=subprocess.PIPE)
                running.append((process, time.monotonic() + randomness.uniform(0.2, 1.2), None))
            else:   # the crash hook: the n-th pass through a step (duplicates pass through "copied" too)
                point = f"{randomness.choice(INGEST_POINTS)}@{randomness.randint(1, 2)}"
                process = subprocess.Popen(command, env=dict(environment, **{CRASH_ENV: point}),
                                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                running.append((process, None, point))
        for process, deadline, point in running:
            if deadline is not None:
                time.sleep(max(0.0, deadline - time.monotonic()))
                process.send_signal(signal.SIGKILL)
            stderr = process.communicate()[1].decode()
            allowed = (-signal.SIGKILL,) if point else (0, -signal.SIGKILL)
            assert process.returncode in allowed, (point, stderr)
        for ws, batch in spaces:
            trials += 1
            originals = archive_state(ws)   # verify clean (after the recovery it runs), no file twice
            files = {sha256(path.read_bytes()): path for path in batch.iterdir()}
            assert set(originals) <= set(files)
            for digest, data in originals.items():   # whole: byte for byte
                assert data == files[digest].read_bytes()
            # the next run (here in-process, to keep the test short) archives the rest
            with Archive(ws) as store:
                outcomes = store.ingest(plan_batch([batch], GIVEN[0][0])[0])
            assert {o.outcome for o in outcomes} <= {"archived", "duplicate"}
            assert archived_set(ws) == set(files)
            if trials % 6 == 0:   # the index after a kill (the in-process run above did not update it)
                assert_index_consistent_after_advice(ws)
            score("sigkill")
    for ws, batch in spaces:
        archive_state(ws)
        assert_index_consistent_after_advice(ws)
        total = len(list(batch.iterdir()))
        assert search.search(ws, search.SearchRequest(query="lettera", limit=1))["total"] == total
    assert trials >= TRIALS


# --- disk full and permission errors ----------------------------------------------------------------------------
def _fd_path(fd: int) -> str:
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return ""


class Faults:
    """Makes writes to paths containing ``needle`` fail with ``error`` (ENOSPC, EACCES): os.open for
    writing, os.write (short write first, as a full disk does), fsync, rename, replace and link into such a
    path. ``remaining`` failures, then it stops (None: every time)."""

    def __init__(self, monkeypatch, needle: str, code: int, short_write: bool = False):
        self.needle, self.code, self.short_write = needle, code, short_write
        self.hits = 0
        self.active = True
        real = {name: getattr(os, name) for name in ("open", "write", "fsync", "rename", "replace", "link")}
        self.real = real

        def hit(path) -> bool:
            return self.active and self.needle in str(path)

        def fail(path):
            self.hits += 1
            raise (PermissionError if self.code == errno.EACCES else OSError)(self.code, os.strerror(self.code),
                                                                              str(path))

        def fake_open(path, flags, *args, **kwargs):
            if flags & (os.O_WRONLY | os.O_RDWR) and hit(path) and self.code == errno.EACCES:
                fail(path)
            return real["open"](path, flags, *args, **kwargs)

        def fake_write(fd, data):
            path = _fd_path(fd)
            if hit(path):
                if self.short_write and len(data) > 1:
                    self.short_write = False
                    return real["write"](fd, bytes(data)[: len(data) // 2])
                fail(path)
            return real["write"](fd, data)

        def fake_fsync(fd):
            path = _fd_path(fd)
            if hit(path) and not os.path.isdir(path):
                fail(path)
            return real["fsync"](fd)

        def moving(name):
            def fake(src, dst, *args, **kwargs):
                if hit(dst):
                    fail(dst)
                return real[name](src, dst, *args, **kwargs)
            return fake

        monkeypatch.setattr(os, "open", fake_open)
        monkeypatch.setattr(os, "write", fake_write)
        monkeypatch.setattr(os, "fsync", fake_fsync)
        for name in ("rename", "replace", "link"):
            monkeypatch.setattr(os, name, moving(name))


def tree_snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
            and ".lock" not in p.name}


@pytest.fixture
def filled(ws, tmp_path):
    """A workspace with two archived, indexed documents, and a third file waiting."""
    sources = [small_pdf(tmp_path, n) for n in (1, 2, 3)]
    assert invoke(ws.home, "ingest", sources[0], sources[1], *OPTIONS).exit_code == 0
    return ws, sources[2]


ARCHIVE_TARGETS = [
    ("original", "original.pdf"),        # the copy into the scratch folder
    ("page text", "page-0001.txt"),
    ("sidecar", "metadata-r"),
    ("event log", "events.jsonl"),
    ("event head", "events.head"),
    ("commit rename", "/archive/TFA-000003"),
]


@pytest.mark.parametrize("code, row", [(errno.ENOSPC, "enospc"), (errno.EACCES, "permission")])
@pytest.mark.parametrize("what, needle", ARCHIVE_TARGETS, ids=[t[0] for t in ARCHIVE_TARGETS])
def test_write_failure_during_ingest(filled, monkeypatch, what, needle, code, row, score):
    ws, new = filled
    before = {name: data for name, data in tree_snapshot(ws.archive).items() if name.startswith("TFA-")}
    faults = Faults(monkeypatch, needle, code, short_write=code == errno.ENOSPC)
    result = invoke(ws.home, "ingest", new, *OPTIONS)
    faults.active = False
    assert faults.hits, f"the fault at {needle} was never reached"
    assert result.exit_code == 1, result.output
    assert_no_crash(result)
    message = result.output
    assert ("disk is full" if code == errno.ENOSPC else "permission denied") in message, message
    # nothing archived before was touched; the new file is whole or absent (a commit whose log write failed
    # is completed by the next command)
    after = tree_snapshot(ws.archive)
    assert {name: after.get(name) for name in before} == before
    originals = archive_state(ws)
    assert len(originals) in (2, 3)
    if len(originals) == 3:
        assert originals[sha256(new.read_bytes())] == new.read_bytes()
    # the next run completes
    result = invoke(ws.home, "ingest", new, *OPTIONS)
    assert result.exit_code == 0, result.output
    assert sha256(new.read_bytes()) in archive_state(ws)
    assert_index_consistent_after_advice(ws)
    score(row)


@pytest.mark.parametrize("code, row", [(errno.ENOSPC, "enospc"), (errno.EACCES, "permission")])
def test_write_failure_during_an_edit(filled, monkeypatch, code, row, score):
    ws, _ = filled
    title = "Lettera 1"
    for needle in ("metadata-r", "events.jsonl", ".journal.json"):
        previous = title
        faults = Faults(monkeypatch, needle, code, short_write=code == errno.ENOSPC)
        result = invoke(ws.home, "archive", "edit", "1", "--title", f"Corretto {needle}")
        faults.active = False
        monkeypatch.undo()
        assert faults.hits and result.exit_code == 1, result.output
        assert ("disk is full" if code == errno.ENOSPC else "permission denied") in result.output
        archive_state(ws)
        with Archive(ws) as store:
            title = store.record("1").title
        assert title in (previous, f"Corretto {needle}")
        score(row)


@pytest.mark.parametrize("code, row", [(errno.ENOSPC, "enospc"), (errno.EACCES, "permission")])
def test_write_failure_of_the_index(filled, monkeypatch, tmp_path, code, row, score):
    ws, new = filled
    hits_before = search.search(ws, search.SearchRequest(query="lettera"))["total"]
    # a rebuild that cannot write: a clear error, the old index kept and still searchable
    faults = Faults(monkeypatch, "/index/.building-", code)
    original_create = index_writer.index.create_in

    def create_in(folder, schema, *args, **kwargs):
        if faults.active and ".building-" in str(folder):
            faults.hits += 1
            raise (PermissionError if code == errno.EACCES else OSError)(code, os.strerror(code), folder)
        return original_create(folder, schema, *args, **kwargs)

    monkeypatch.setattr(index_writer.index, "create_in", create_in)
    result = invoke(ws.home, "index", "rebuild")
    assert faults.hits and result.exit_code == 1, result.output
    assert ("disk is full" if code == errno.ENOSPC else "permission denied") in result.output
    assert "index rebuild" in result.output
    faults.active = False
    assert search.search(ws, search.SearchRequest(query="lettera"))["total"] == hits_before
    assert list(ws.index.glob(".building-*")) == []
    score(row)
    # an ingest whose index update cannot write: archived, with a warning naming the repair
    monkeypatch.undo()
    import whoosh.filedb.filestore as filestore

    real_create_file = filestore.FileStorage.create_file

    def create_file(self, name, *args, **kwargs):
        raise (PermissionError if code == errno.EACCES else OSError)(code, os.strerror(code), name)

    monkeypatch.setattr(filestore.FileStorage, "create_file", create_file)
    result = invoke(ws.home, "ingest", new, *OPTIONS)
    monkeypatch.setattr(filestore.FileStorage, "create_file", real_create_file)
    assert result.exit_code == 0, result.output
    assert "search index was not updated" in result.output and "taskforce index rebuild" in result.output
    assert len(archive_state(ws)) == 3
    assert_index_consistent_after_advice(ws)
    score(row)


@pytest.mark.parametrize("code, row", [(errno.ENOSPC, "enospc"), (errno.EACCES, "permission")])
def test_write_failure_of_the_drafts_register(ws, monkeypatch, code, row, score):
    from pipeline import drafting

    faults = Faults(monkeypatch, "register.jsonl", code, short_write=code == errno.ENOSPC)
    with pytest.raises(StorageError) as err:
        drafting.render_agreement(ws, 25, drafting.EXAMPLE_DATA)
    faults.active = False
    assert ("disk is full" if code == errno.ENOSPC else "permission denied") in str(err.value)
    # nothing half-written: no torn line, no draft file without its register entry
    path = register.register_path(ws)
    assert not path.exists() or path.read_bytes() == b""
    assert list(ws.drafts.glob("TF25-*/*.docx")) == []
    entry = drafting.render_agreement(ws, 25, drafting.EXAMPLE_DATA)
    assert entry["version"] == 1 and [e.reference for e in register.entries(ws)] == [entry["reference"]]
    score(row)


def test_short_write_of_the_event_log_leaves_no_torn_line(ws, tmp_path, monkeypatch, score):
    """A full disk can accept part of a write: the log must not keep half a line with a head that
    covers it."""
    sources = [small_pdf(tmp_path, n) for n in (1, 2)]
    assert invoke(ws.home, "ingest", sources[0], *OPTIONS).exit_code == 0
    log_before = (ws.archive / "events.jsonl").read_bytes()
    Faults(monkeypatch, "events.jsonl", errno.ENOSPC, short_write=True)
    with Archive(ws) as store, pytest.raises(StorageError):
        store.log.append([{"event_id": "x", "type": "fixity check"}])
    monkeypatch.undo()
    assert (ws.archive / "events.jsonl").read_bytes() == log_before
    assert EventLog(ws.archive).check() == []
    score("enospc")


# --- a damaged index --------------------------------------------------------------------------------------------
def _segments(ws):
    # segments are written as separate files (compound=False): terms, postings, columns
    return [p for p in (ws.index / "whoosh").glob("*_*.*") if p.suffix in (".seg", ".trm", ".pst", ".col")]


INDEX_DAMAGE = {
    "segment deleted": lambda ws: [p.unlink() for p in _segments(ws)],
    "segment truncated": lambda ws: [p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]) for p in _segments(ws)],
    "segment emptied": lambda ws: [p.write_bytes(b"") for p in _segments(ws)],
    "segment garbled": lambda ws: [p.write_bytes(bytes(b ^ 0x5A for b in p.read_bytes())) for p in _segments(ws)],
    "table of contents truncated": lambda ws: [p.write_bytes(p.read_bytes()[:10])
                                               for p in (ws.index / "whoosh").glob("_MAIN_*.toc")],
}


@pytest.mark.parametrize("damage", INDEX_DAMAGE, ids=list(INDEX_DAMAGE))
def test_damaged_index_is_reported_and_rebuild_repairs_it(filled, damage, score):
    ws, new = filled
    expected = search.search(ws, search.SearchRequest(query="lettera"))["total"]
    INDEX_DAMAGE[damage](ws)
    result = invoke(ws.home, "search", "lettera")
    if result.exit_code == 0:   # a garbled byte Whoosh does not read for this query: hits, still no traceback
        assert result.exception is None
    else:
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
        assert "search index" in result.output and "damaged" in result.output
        assert "taskforce index rebuild" in result.output
    status = invoke(ws.home, "index", "status")
    assert_no_crash(result)
    assert_no_crash(status)
    if status.exit_code:
        assert "taskforce index rebuild" in status.output
    # an ingest meanwhile archives, warns, and leaves the repair to the rebuild
    ingest = invoke(ws.home, "ingest", new, *OPTIONS)
    assert ingest.exit_code == 0, ingest.output
    rebuild = invoke(ws.home, "index", "rebuild")
    assert rebuild.exit_code == 0, rebuild.output
    assert search.search(ws, search.SearchRequest(query="lettera"))["total"] == expected + 1
    assert index.status(ws)["ok"]
    score("damaged-index")


def test_lock_files_left_by_a_dead_process_do_not_block(filled, score, monkeypatch):
    """Lock files a dead process left are no held locks: every lock is taken without waiting (each is tried
    once, with no wait at all, and a held one would fail the command with 'busy')."""
    ws, new = filled
    taken = []

    class LockAtOnce(filelock.FileLock):
        def acquire(self, timeout=None, *args, **kwargs):
            taken.append(0)
            return super().acquire(0, *args, **kwargs)

    (ws.index / index_storage.LOCK_NAME).write_text("4242")
    (ws.index / "whoosh" / "MAIN_WRITELOCK").write_text("4242")
    (ws.index / ".building-4242").mkdir()
    (ws.index / ".old-4242").mkdir()
    (ws.archive / ".lock").write_text("4242")
    monkeypatch.setattr(filelock, "FileLock", LockAtOnce)    # a lock that is held fails at once: no waiting
    assert invoke(ws.home, "ingest", new, *OPTIONS).exit_code == 0
    assert search.search(ws, search.SearchRequest(query="lettera"))["total"] == 3
    assert invoke(ws.home, "index", "rebuild").exit_code == 0
    assert len(taken) >= 3          # the archive's and the index's locks were taken through LockAtOnce
    assert not list(ws.index.glob(".building-*")) and not list(ws.index.glob(".old-*"))
    assert index.status(ws)["ok"]
    score("damaged-index")


def test_missing_or_garbled_schema_file_makes_the_next_command_rebuild(filled, score):
    ws, _ = filled
    for damage in (lambda p: p.unlink(), lambda p: p.write_text("{garbage", encoding="utf-8")):
        damage(ws.index / index_storage.SENTINEL)
        assert search.search(ws, search.SearchRequest(query="lettera"))["total"] == 2
        assert index.status(ws)["ok"]
        score("damaged-index")


# --- a damaged workspace ----------------------------------------------------------------------------------------
def test_damaged_workspace_verify_names_each_problem_and_nothing_else_breaks(ws, tmp_path, score):
    sources = [small_pdf(tmp_path, n) for n in range(1, 6)]
    assert invoke(ws.home, "ingest", *sources[:4], *OPTIONS).exit_code == 0
    sidecar = ws.archive / "TFA-000001" / "metadata-r1.json"
    sidecar.chmod(0o644)
    sidecar.write_text('{"doc_id": "TFA-000001", "title": ', encoding="utf-8")
    (ws.archive / "TFA-000002" / "original.pdf").unlink()
    log = ws.archive / "events.jsonl"
    lines = log.read_bytes().splitlines(keepends=True)
    edited = next(n for n, line in enumerate(lines) if b'"object": "TFA-000003"' in line)
    lines[edited] = lines[edited].replace(b"TFA-000003", b"TFA-000099", 1)
    log.write_bytes(b"".join(lines))

    verify = invoke(ws.home, "archive", "verify", "--json")
    assert verify.exit_code == 1
    found = json.loads(verify.output)["findings"]
    text = "\n".join(f"{f['where']}: {f['message']}" for f in found)
    assert "TFA-000001/metadata-r1.json: broken sidecar" in text
    assert "TFA-000002/original.pdf: missing" in text
    assert f"events.jsonl: line {edited + 2} does not follow line {edited + 1}" in text
    for args in (["archive", "list"], ["archive", "show", "3"], ["archive", "text", "4"], ["archive", "log"],
                 ["search", "lettera"], ["index", "status"], ["stats"]):
        result = invoke(ws.home, *args)
        assert_no_crash(result, args)
    listing = invoke(ws.home, "archive", "list", "--json")
    assert "TFA-000001" in listing.output and "not a valid metadata sidecar" in listing.output
    shown = invoke(ws.home, "archive", "show", "1")
    assert shown.exit_code == 1 and "TFA-000001/metadata-r1.json is not a valid metadata sidecar" in shown.output
    # ingest and edits go on; the findings stay named, nothing new is added to them
    assert invoke(ws.home, "ingest", sources[4], *OPTIONS).exit_code == 0
    assert invoke(ws.home, "archive", "edit", "4", "--title", "Corretto").exit_code == 0
    again = json.loads(invoke(ws.home, "archive", "verify", "--json").output)["findings"]
    assert {(f["where"], f["message"]) for f in again} == {(f["where"], f["message"]) for f in found}
    score("damaged-workspace", 3)
