"""Concurrency: four processes ingesting overlapping folders into one archive, and searches running while
the index is rebuilt. (Two ingests at once and two index writers at once are in test_archive.py and
test_search.py; this goes further.)"""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from pipeline import index, search
from pipeline.search import run as search_run
from pipeline.archive.store import Archive
from pipeline.errors import BusyError
from pipeline.archive.eventlog import EventLog
from pipeline.workspace import Workspace, init_workspace
from tests.conftest import REPO, assert_no_crash
from tests.test_faults import OPTIONS, invoke, small_pdf

PROCESSES = 4


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def ws(tmp_path):
    init_workspace(tmp_path / "ws", with_sample=True)
    return Workspace.at(tmp_path / "ws")


def overlapping_folders(tmp_path, pdfs, round_number):
    """PROCESSES folders, each with a window of the files (every file in two or three folders), some under
    another name (same bytes: a duplicate whatever its name)."""
    folders = []
    for k in range(PROCESSES):
        folder = tmp_path / f"round{round_number}-in{k}"
        folder.mkdir()
        for offset in range(len(pdfs) // 2 + 1):
            source = pdfs[(k * 2 + offset) % len(pdfs)]
            name = source.name if offset % 3 else f"copia-{k}-{source.name}"
            shutil.copyfile(source, folder / name)
        folders.append(folder)
    return folders


@pytest.mark.slow
def test_four_processes_ingesting_overlapping_folders(ws, tmp_path, score):
    environment = dict(os.environ, PYTHONPATH=str(REPO))
    made = tmp_path / "made"
    made.mkdir()
    every = []
    for round_number, count in enumerate((8, 6)):
        pdfs = [small_pdf(made, len(every) + n) for n in range(count)]
        pdfs += every[:2]   # files archived in the round before come again
        every += pdfs[:count]
        folders = overlapping_folders(tmp_path, pdfs, round_number)
        processes = [subprocess.Popen([sys.executable, "-m", "pipeline", "--home", str(ws.home), "ingest", "--json",
                                       str(folder), *map(str, OPTIONS)], env=environment, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True) for folder in folders]
        results = [process.communicate(timeout=300) for process in processes]
        assert [process.returncode for process in processes] == [0] * PROCESSES, [err for _, err in results]
        reports = [json.loads(out) for out, _ in results]
        assert all(report["index_error"] is None for report in reports), reports
        outcomes = [entry for report in reports for entry in report["files"]]
        archived = [o for o in outcomes if o["outcome"] == "archived"]
        assert sorted(o["sha256"] for o in archived) == sorted({sha256(p) for p in pdfs} - {sha256(p) for p in every
                                                                                             if p not in pdfs[:count]})
        with Archive(ws) as store:
            records, problems = store.records()
            assert problems == []
            hashes = [record.sha256 for record in records]
            assert sorted(hashes) == sorted({sha256(p) for p in every})   # every distinct file stored once
            ids = [folder.name for folder in store.document_folders()]
            assert ids == [f"TFA-{n:06d}" for n in range(1, len(every) + 1)]   # no id twice, none skipped
            assert store.verify().findings == []
        assert EventLog(ws.archive).check() == []
        status = index.status(ws)
        assert status["ok"] and status["documents"] == len(every), status
        score("concurrent-ingest", PROCESSES)


REBUILDER = """
import sys
from pipeline import index
from pipeline.workspace import Workspace
if __name__ == "__main__":
    ws = Workspace.at(sys.argv[1])
    for _ in range(int(sys.argv[2])):
        index.rebuild(ws)
    print("done")
"""


@pytest.mark.slow
def test_search_during_rebuild_gets_results_or_index_busy(ws, tmp_path, score):
    sources = [small_pdf(tmp_path, n) for n in range(40)]
    assert invoke(ws.home, "ingest", *sources, *OPTIONS).exit_code == 0
    expected = search.search(ws, search.SearchRequest(query="lettera"))["total"]
    assert expected == 40
    rebuilder = subprocess.Popen([sys.executable, "-c", REBUILDER, str(ws.home), "12"], cwd=REPO,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    outcomes = {"results": 0, "busy": 0}
    queries = ["lettera", "distretto AND imprese", "", "Roma"]
    deadline = time.monotonic() + 120
    n = 0
    while rebuilder.poll() is None and time.monotonic() < deadline:
        query = queries[n % len(queries)]
        n += 1
        try:
            if n % 5 == 0:   # now and then through the CLI, as a user would
                result = invoke(ws.home, "search", query, "--json")
                assert_no_crash(result)
                if result.exit_code:
                    assert "index busy" in result.output, result.output
                    outcomes["busy"] += 1
                else:
                    assert json.loads(result.output)["total"] == expected
                    outcomes["results"] += 1
            else:
                found = search.search(ws, search.SearchRequest(query=query, limit=5))
                assert found["total"] == expected
                outcomes["results"] += 1
        except BusyError as err:
            assert "index busy" in str(err)
            outcomes["busy"] += 1
        for _ in (1,):
            status = index.status(ws)   # status during a rebuild: an answer, never a traceback
            assert status["documents"] in (0, expected)
        score("search-during-rebuild")
    out, err = rebuilder.communicate(timeout=120)
    assert rebuilder.returncode == 0 and out.strip() == "done", err
    assert outcomes["results"] > 0, outcomes
    assert index.status(ws)["ok"]


def test_a_search_that_keeps_meeting_a_writer_says_index_busy(ws, tmp_path, monkeypatch, score):
    """The rare case the test above may not hit: the index changes under every attempt while a writer holds
    the lock. The search retries, then says "index busy"; once the writer is done it gets results."""
    assert invoke(ws.home, "ingest", small_pdf(tmp_path, 1), *OPTIONS).exit_code == 0
    real = search_run._search_once

    def vanishing(*args):
        raise index.IndexUnreadable() from FileNotFoundError(2, "No such file or directory", "MAIN_x.seg")

    monkeypatch.setattr(search_run, "_search_once", vanishing)
    monkeypatch.setattr(search_run.time, "sleep", lambda seconds: None)
    with index.write_lock(ws):
        result = invoke(ws.home, "search", "lettera")
    assert result.exit_code == 1 and "index busy" in result.output, result.output
    # without a writer the same failure is a damaged index, with the repair
    result = invoke(ws.home, "search", "lettera")
    assert result.exit_code == 1 and "damaged" in result.output and "taskforce index rebuild" in result.output
    monkeypatch.setattr(search_run, "_search_once", real)
    assert search.search(ws, search.SearchRequest(query="lettera"))["total"] == 1
    score("search-during-rebuild", 2)


def test_status_answers_while_a_rebuild_swaps_the_folder_it_is_listing(copy_of, monkeypatch):
    """The cause of the flaky test above (about 1 run in 8): index.status listed the index folder, then a
    rebuild swapped a new folder in and deleted the old one's files, then the status looked a listed name up
    by path: a vanished file was left out of the size, or (the second listing) crashed with FileNotFoundError.
    Here the swap happens right after the first listing, every time."""
    ws = Workspace.at(copy_of())
    expected = index.status(ws)
    assert expected["ok"]
    real_scandir = os.scandir
    swaps = []

    class Listing(list):
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def scandir(path="."):
        with real_scandir(path) as entries:
            listing = Listing(entries)
        folder = os.readlink(f"/proc/self/fd/{path}") if isinstance(path, int) else os.fspath(path)
        if not swaps and os.path.realpath(folder) == os.path.realpath(index.index_dir(ws)):
            swaps.append(folder)
            monkeypatch.setattr(os, "scandir", real_scandir)
            index.rebuild(ws)                      # a new folder, the listed one's files deleted
        return listing

    monkeypatch.setattr(os, "scandir", scandir)
    status = index.status(ws)
    assert swaps                                   # the swap really happened during the listing
    assert status["ok"] and status["documents"] == expected["documents"]
    on_disk = sum(p.stat().st_size for p in index.index_dir(ws).iterdir() if p.is_file())
    assert status["size_bytes"] == on_disk
