"""The progress line of `ingest` and `watch` (issue 24, item 1's terminal part): file n of m and OCR page n of
m with the time left, on a terminal only, never in --json or in a pipe."""
import io
import os
import pty
import subprocess
import sys

import pytest

from pipeline.cli.progress import ProgressLine
from pipeline.workspace import init_workspace
from tests.conftest import REPO, require_tool


def test_the_line_says_file_n_of_m_and_ocr_page_n_of_m_with_the_time_left(monkeypatch):
    clock = iter([100.0, 110.0, 115.0])
    monkeypatch.setattr("pipeline.cli.progress.time.monotonic", lambda: next(clock))
    stream = io.StringIO()
    line = ProgressLine(True, stream)
    line.engine_said = True
    line.file_started(2, 5, "scan.pdf")
    line.ocr_page("scan.pdf", 0, 4)          # at 100 s
    line.ocr_page("scan.pdf", 2, 4)          # at 110 s: 5 s a page, 2 pages left
    assert stream.getvalue().split("\r\x1b[K")[-1] == "file 2 of 5: scan.pdf · scan.pdf: OCR page 3 of 4, about 10 s left"
    line.ocr_page("scan.pdf", 4, 4)          # done: the OCR part goes
    assert stream.getvalue().split("\r\x1b[K")[-1] == "file 2 of 5: scan.pdf"
    line.close()
    assert stream.getvalue().endswith("\r\x1b[K")


def test_nothing_is_drawn_when_not_enabled():
    stream = io.StringIO()
    line = ProgressLine(False, stream)
    line.engine_said = True
    line.file_started(1, 2)
    line.ocr_page("a.pdf", 0, 3)
    line.close()
    assert stream.getvalue() == ""


def run_ingest(home, scan, *extra, stderr_tty: bool):
    environment = dict(os.environ, PYTHONPATH=str(REPO))
    command = [sys.executable, "-m", "pipeline", "--home", str(home), "ingest", str(scan), str(scan.with_name("b.pdf")),
               "--session", "25", "--type", "protocol", "--jobs", "1", *extra]
    if not stderr_tty:
        done = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=600)
        return done.stdout, done.stderr
    leader, follower = pty.openpty()
    process = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=follower, text=True)
    os.close(follower)
    said = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:        # the terminal closed: the process ended
            break
        if not chunk:
            break
        said += chunk
    stdout = process.stdout.read()
    process.wait(timeout=600)
    os.close(leader)
    return stdout, said.decode("utf-8", errors="replace")


@pytest.mark.slow
def test_ingest_shows_progress_on_a_terminal_only(tmp_path, pdf_factory):
    for tool in ("pdftoppm", "tesseract"):
        require_tool(tool)
    home = tmp_path / "ws"
    init_workspace(home, with_sample=True)
    folder = tmp_path / "in"
    folder.mkdir()
    scan = folder / "a.pdf"
    scan.write_bytes(pdf_factory.scanned().read_bytes())
    (folder / "b.pdf").write_bytes(pdf_factory.italian().read_bytes())
    stdout, stderr = run_ingest(home, scan, stderr_tty=True)
    assert "a.pdf: OCR page 1 of 1" in stderr and "file 2 of 2" in stderr
    assert "OCR page" not in stdout and stdout.count("archived  ") == 2
    home2 = tmp_path / "ws2"
    init_workspace(home2, with_sample=True)
    stdout, stderr = run_ingest(home2, scan, stderr_tty=False)
    assert "OCR page" not in stderr and "file 2 of 2" not in stderr
    home3 = tmp_path / "ws3"
    init_workspace(home3, with_sample=True)
    stdout, stderr = run_ingest(home3, scan, "--json", stderr_tty=True)
    assert "OCR page" not in stderr and "OCR page" not in stdout
