"""A batch prepared by several workers at once (ingest --jobs N) gives the archive that one worker gives: the
same ids in the input's order, the same sidecars, the same events in the same order; failures and duplicates
are reported as they are one file at a time."""
from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.archive.batch import plan_batch
from pipeline.archive.metadata import Given
from pipeline.archive.store import Archive
from pipeline.archive.prepare import prepared_in_order
from pipeline.cli import cli
from pipeline.workspace import Workspace, init_workspace

GIVEN = Given(session=25, type="letter")
MOMENTS = ("time", "event_id", "agent", "ingested_at", "prev_hash")   # prev_hash: the chain hashes the times


def _workspace(path) -> Workspace:
    init_workspace(path)
    return Workspace.at(path)


def _batch(pdf_factory, folder):
    """Files named so that walking the folder gives this order: good files, a rejection in the middle, a signed
    file, two identical files, a damaged one, a scan (OCR)."""
    folder.mkdir()
    files = [pdf_factory.italian(), pdf_factory.russian(), pdf_factory.not_pdf(), pdf_factory.signed(),
             pdf_factory.bilingual(), pdf_factory.italian(), pdf_factory.damaged(), pdf_factory.mixed()]
    for number, source in enumerate(files, start=1):
        shutil.copyfile(source, folder / f"{number:02d}-{source.name}")
    return folder


def _without_moments(value):
    """``value`` without the times and what hashes them (the event chain, a sidecar's hash: it holds ingested_at)."""
    if isinstance(value, dict):
        return {key: _without_moments(item) for key, item in value.items()
                if key not in MOMENTS and "/metadata-r" not in key}
    if isinstance(value, list):
        return [_without_moments(item) for item in value]
    return value


def _archive_state(ws: Workspace):
    with Archive(ws) as store:
        records, problems = store.records()
        events = store.events()
    assert problems == []
    return ([_without_moments(record.as_dict()) for record in records],
            [_without_moments(event) for event in events])


def _ingest(ws, folder, jobs):
    with Archive(ws) as store:
        return store.ingest(plan_batch([folder], GIVEN)[0], jobs=jobs)


def test_a_parallel_batch_gives_the_archive_of_a_serial_one(pdf_factory, tmp_path):
    folder = _batch(pdf_factory, tmp_path / "in")
    results = {}
    for jobs in (1, 3):
        ws = _workspace(tmp_path / f"ws{jobs}")
        outcomes = _ingest(ws, folder, jobs)
        results[jobs] = ([(o.file, o.outcome, o.doc_id, o.reason) for o in outcomes], _archive_state(ws))
    outcomes, (records, events) = results[3]
    assert [outcome for _, outcome, _, _ in outcomes] == ["archived", "archived", "rejected", "archived",
                                                          "archived", "duplicate", "rejected", "archived"]
    assert [doc_id for _, kind, doc_id, _ in outcomes if kind == "archived"] == [
        "TFA-000001", "TFA-000002", "TFA-000003", "TFA-000004", "TFA-000005"]
    assert [record["filename"][:2] for record in records] == ["01", "02", "04", "05", "08"]
    assert results[3] == results[1]
    assert [event["type"] for event in events].count("ingestion") == 7   # five archived, two rejected


def test_a_failing_file_in_the_middle_of_a_parallel_batch_is_reported_and_the_rest_archived(pdf_factory, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for number, source in enumerate([pdf_factory.italian(), pdf_factory.russian(), pdf_factory.truncated(),
                                     pdf_factory.bilingual(), pdf_factory.mixed()], start=1):
        shutil.copyfile(source, folder / f"{number}.pdf")
    ws = _workspace(tmp_path / "ws")
    result = CliRunner().invoke(cli, ["--home", str(ws.home), "ingest", str(folder), "--session", "25", "--type",
                                      "letter", "--jobs", "2"])
    assert result.exit_code == 1, result.output
    assert "Summary: 4 archived, 0 duplicate(s), 1 rejected" in result.stdout
    assert "3.pdf: truncated: no %%EOF marker" in result.stderr
    records, events = _archive_state(ws)
    assert [(record["doc_id"], record["filename"]) for record in records] == [
        ("TFA-000001", "1.pdf"), ("TFA-000002", "2.pdf"), ("TFA-000003", "4.pdf"), ("TFA-000004", "5.pdf")]
    ingestions = [(event["object"], event["outcome"]) for event in events if event["type"] == "ingestion"]
    assert ingestions == [("TFA-000001", "success"), ("TFA-000002", "success"), (None, "failure"),
                          ("TFA-000003", "success"), ("TFA-000004", "success")]


def test_a_duplicate_pair_in_one_parallel_batch_archives_one_and_refuses_the_other(pdf_factory, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.pdf", "b.pdf", "c.pdf", "d.pdf"):   # both copies are prepared at once, before either commits
        shutil.copyfile(pdf_factory.russian() if name in ("a.pdf", "d.pdf") else pdf_factory.italian(),
                        folder / name)
    ws = _workspace(tmp_path / "ws")
    outcomes = _ingest(ws, folder, jobs=4)
    assert [(Path(o.file).name, o.outcome, o.doc_id) for o in outcomes] == [
        ("a.pdf", "archived", "TFA-000001"), ("b.pdf", "archived", "TFA-000002"),
        ("c.pdf", "duplicate", "TFA-000002"), ("d.pdf", "duplicate", "TFA-000001")]
    records, _ = _archive_state(ws)
    assert len(records) == 2
    with Archive(ws) as store:
        assert store.verify().findings == []
        assert list((ws.archive / ".tmp").iterdir()) == []   # no scratch left behind


def test_preparations_run_at_once_and_come_back_in_order():
    both_started = threading.Barrier(2, timeout=10)

    def prepare(item):
        if item < 2:
            both_started.wait()   # only passes when the first two items are prepared at the same time
        return item * 10

    assert list(prepared_in_order(prepare, range(6), jobs=2)) == [0, 10, 20, 30, 40, 50]


def test_a_failed_preparation_is_raised_at_its_turn_after_the_ones_before():
    def prepare(item):
        if item == 2:
            raise OSError("disk full")
        return item

    seen = []
    with pytest.raises(OSError):
        for value in prepared_in_order(prepare, range(8), jobs=3):
            seen.append(value)
    assert seen == [0, 1]


@pytest.mark.parametrize("jobs", [1, 2])
def test_ocr_runs_never_exceed_the_usable_cpus(monkeypatch, jobs):
    from pipeline.pdf import text

    running, most = [0], [0]
    lock = threading.Lock()

    def fake(*args):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        threading.Event().wait(0.05)
        with lock:
            running[0] -= 1
        return "testo"

    monkeypatch.setattr(text, "_ocr_page", fake)
    monkeypatch.setattr(text, "OCR_SLOTS", threading.BoundedSemaphore(jobs))
    limits = text.ExtractLimits(ocr_workers=4)
    workers = [threading.Thread(target=text.ocr_pages, args=("x.pdf", list(range(4)), [""] * 4, ["none"] * 4, [],
                                                              None, limits)) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert most[0] == jobs
