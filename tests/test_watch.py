"""The watched folder (issue 24 item 4): `taskforce watch DIR` ingests what stops growing, moves each file to
done/ or rejected/ with its note, and loses or doubles nothing when killed and started again."""
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.archive.metadata import Given
from pipeline.archive.store import Archive
from pipeline.cli import cli
from pipeline.demo.pdfmake import text_to_pdf
from pipeline.fsutil import CRASH_ENV
from pipeline.usecases.watching import Growth, Watcher
from pipeline.workspace import Workspace, init_workspace
from tests.conftest import REPO

OPTIONS = ["--session", "25", "--type", "letter"]


@pytest.fixture
def ws(tmp_path):
    init_workspace(tmp_path / "ws", with_sample=True)
    return Workspace.at(tmp_path / "ws")


@pytest.fixture
def drop(tmp_path):
    folder = tmp_path / "drop"
    folder.mkdir()
    return folder


def letter(folder: Path, number: int, name: str | None = None) -> Path:
    return text_to_pdf(folder / (name or f"lettera-{number:03d}.pdf"),
                       [f"Lettera di intenti numero {number} tra due imprese del distretto.\n\nRoma, 3 aprile 2012"],
                       title=f"Lettera {number}")


def invoke(ws, *args):
    return CliRunner().invoke(cli, ["--home", str(ws.home), "watch", *map(str, args)])


def archived(ws) -> list[str]:
    """The SHA-256 of every archived original (the archive verifying clean)."""
    with Archive(ws) as store:
        assert store.verify().findings == []
        records, problems = store.records()
    assert problems == []
    return sorted(record.sha256 for record in records)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_once_moves_each_file_to_done_or_rejected_with_its_reason(ws, drop):
    good = letter(drop, 1)
    digest = sha256(good)
    (drop / "seconda-copia.pdf").write_bytes(good.read_bytes())  # the same bytes under another name
    (drop / "rotto.pdf").write_bytes(b"%PDF-1.4\nnot really a pdf")
    (drop / "note.txt").write_text("not a PDF")
    (drop / ".partial.pdf").write_bytes(b"%PDF-")                # hidden: a copy in progress, left alone
    result = invoke(ws, drop, "--once", "--interval", "0.1", *OPTIONS)
    assert result.exit_code == 1, result.output                   # a file was rejected
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.splitlines()
    assert len([line for line in lines if " -> " in line]) == 4, result.output
    assert any(line.startswith("archived  ") and "lettera-001.pdf" in line and line.endswith("-> done/lettera-001.pdf")
               for line in lines)
    assert any(line.startswith("duplicate seconda-copia.pdf") and line.endswith("-> done/seconda-copia.pdf")
               for line in lines)
    assert any(line.startswith("rejected  rotto.pdf") and line.endswith("-> rejected/rotto.pdf") for line in lines)
    assert sorted(p.name for p in (drop / "done").iterdir()) == [
        "lettera-001.pdf", "lettera-001.pdf.reason.txt", "seconda-copia.pdf", "seconda-copia.pdf.reason.txt"]
    assert sorted(p.name for p in (drop / "rejected").iterdir()) == [
        "note.txt", "note.txt.reason.txt", "rotto.pdf", "rotto.pdf.reason.txt"]
    assert "archived as TFA-000001" in (drop / "done" / "lettera-001.pdf.reason.txt").read_text()
    assert "identical to the archived TFA-000001" in (drop / "done" / "seconda-copia.pdf.reason.txt").read_text()
    assert "rejected: " in (drop / "rejected" / "rotto.pdf.reason.txt").read_text()
    assert "not a PDF" in (drop / "rejected" / "note.txt.reason.txt").read_text()
    assert (drop / ".partial.pdf").exists() and list((drop / ".inflight").iterdir()) == []
    assert archived(ws) == [digest]
    # the archived file is searchable: the ingest use case updated the index
    search = CliRunner().invoke(cli, ["--home", str(ws.home), "search", "intenti", "--json"])
    assert json.loads(search.output)["total"] == 1


def test_a_file_of_the_same_name_dropped_again_keeps_both(ws, drop):
    letter(drop, 1, "lettera.pdf")
    assert invoke(ws, drop, "--once", "--interval", "0.1", *OPTIONS).exit_code == 0
    letter(drop, 2, "lettera.pdf")
    assert invoke(ws, drop, "--once", "--interval", "0.1", *OPTIONS).exit_code == 0
    assert sorted(p.name for p in (drop / "done").iterdir() if p.suffix == ".pdf") == ["lettera-2.pdf", "lettera.pdf"]
    assert len(archived(ws)) == 2


def test_a_growing_file_waits_until_it_stops_growing(ws, drop):
    growth = Growth()
    assert growth.stable({"a.pdf": (10, 1)}, 1.0, now=100.0) == []            # first seen
    assert growth.stable({"a.pdf": (20, 2)}, 1.0, now=101.5) == []            # grew: seen again from now
    assert growth.stable({"a.pdf": (20, 2)}, 1.0, now=102.0) == []            # same, but not for a whole interval
    assert growth.stable({"a.pdf": (20, 2)}, 1.0, now=102.6) == ["a.pdf"]     # unchanged for an interval
    assert growth.stable({}, 1.0, now=103.0) == [] and growth.seen == {}      # gone: forgotten

    # a real folder: a file still being written during --once is left for the next run
    source = letter(ws.home, 1).read_bytes()
    writing = drop / "lettera.pdf"
    with open(writing, "wb") as handle:
        handle.write(source[:100])
        handle.flush()
        watcher = Watcher(ws, drop, Given(session=25, type="letter"), interval=0.5)
        with watcher:
            watcher.step(time.monotonic())
            handle.write(source[100:])                                        # it grew during the interval
            handle.flush()
            time.sleep(0.5)
            assert watcher.step(time.monotonic()) == []
    assert writing.exists() and archived(ws) == []
    with watcher:
        time.sleep(0.5)
        moved = watcher.step(time.monotonic())
    assert [m.outcome.outcome for m in moved] == ["archived"] and not writing.exists()


def test_one_watcher_per_folder(ws, drop):
    with Watcher(ws, drop, interval=0.1):
        result = invoke(ws, drop, "--once", "--interval", "0.1")
    assert result.exit_code == 1 and "another 'taskforce watch' is watching" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_missing_folder_is_a_usage_error(ws, tmp_path):
    result = invoke(ws, tmp_path / "nowhere", "--once")
    assert result.exit_code == 2 and "does not exist" in result.output


def run_watch(ws, drop, crash_at: str | None = None) -> subprocess.CompletedProcess:
    environment = dict(os.environ, PYTHONPATH=str(REPO))
    environment.pop(CRASH_ENV, None)
    if crash_at:
        environment[CRASH_ENV] = crash_at
    return subprocess.run([sys.executable, "-m", "pipeline", "--home", str(ws.home), "watch", str(drop), "--once",
                           "--interval", "0.2", *OPTIONS], env=environment, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.slow
@pytest.mark.parametrize("crash_at", [
    "watch-ingested@2",     # the second file is committed (and indexed), not yet moved
    "watch-noted@1",        # the first file's note is written, the file not yet moved
    "renamed@2",            # inside the archive's commit of the second file: its folder renamed into place
    "watch-claimed@3",      # the third file claimed, not yet ingested
])
def test_killed_and_restarted_it_ingests_every_file_exactly_once(ws, drop, crash_at):
    """A real `taskforce watch` process kills itself with SIGKILL at a point of its work (the crash hook of
    pipeline/fsutil.py), in particular after the archive's commit and before the move; started again, it
    finishes: every file archived once, every file in done/, nothing left in the folder or in .inflight/."""
    files = [letter(drop, number) for number in range(1, 5)]
    digests = sorted(sha256(path) for path in files)
    killed = run_watch(ws, drop, crash_at)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert len(archived(ws)) < 4                                         # it did stop half-way
    again = run_watch(ws, drop)
    assert again.returncode == 0, again.stdout + again.stderr
    assert archived(ws) == digests                                       # each once, the archive verifying clean
    done = drop / "done"
    assert sorted(sha256(path) for path in done.glob("*.pdf")) == digests
    assert sorted(p.name for p in done.glob("*.pdf")) == [p.name for p in files]
    assert all((done / (p.name + ".reason.txt")).read_text().count("archived as TFA-") == 1 for p in files)
    assert list((drop / ".inflight").iterdir()) == [] and list((drop / "rejected").iterdir()) == []
    assert not any(p.is_file() and not p.name.startswith(".") for p in drop.iterdir())
    if crash_at.startswith(("watch-ingested", "watch-noted")):
        assert "(after an interrupted run)" in again.stdout
    status = CliRunner().invoke(cli, ["--home", str(ws.home), "index", "status", "--json"])
    assert json.loads(status.output)["documents"] == 4
