"""Page images (pipeline/web/previews.py): made once with pdftoppm, atomically, outside the archive."""
import threading

import pytest
from pypdf import PdfReader, PdfWriter

from pipeline.web import previews
from pipeline.demo.pdfmake import text_to_pdf
from pipeline.errors import NotFoundError, ToolMissingError
from pipeline.workspace import Workspace
from tests.conftest import require_tool

SHA = "a" * 64


@pytest.fixture
def pdf(tmp_path):
    require_tool("pdftoppm")
    return text_to_pdf(tmp_path / "two.pdf", ["Prima pagina.", "Вторая страница."], title="Due pagine")


@pytest.fixture
def ws(tmp_path):
    (tmp_path / "ws" / "index").mkdir(parents=True)
    return Workspace(tmp_path / "ws")


def test_images_are_made_once_and_kept_under_the_index(ws, pdf, monkeypatch):
    calls = []
    render = previews._render
    monkeypatch.setattr(previews, "_render", lambda *a: calls.append(a) or render(*a))
    threads = [threading.Thread(target=previews.page_image, args=(ws, pdf, SHA, 2, 2)) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    path = ws.index / "previews" / SHA / "page-0002.png"
    assert path.read_bytes().startswith(b"\x89PNG") and len(calls) == 1
    assert previews.page_image(ws, pdf, SHA, 2, 2) == path and len(calls) == 1        # served, not made
    thumb = previews.thumbnail(ws, pdf, SHA)
    assert thumb.name == "thumb.png" and previews.cached(ws, SHA)
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".tmp-")]     # nothing half-written


def test_wrong_pages_and_hashes_are_not_found(ws, pdf):
    for number in (0, 3):
        with pytest.raises(NotFoundError):
            previews.page_image(ws, pdf, SHA, number, 2)
    for sha in ("", "../../etc", "A" * 64):
        with pytest.raises(NotFoundError):
            previews.thumbnail(ws, pdf, sha)


def test_an_encrypted_original_has_no_images_and_the_failure_is_remembered(ws, pdf, tmp_path, monkeypatch):
    writer = PdfWriter(clone_from=PdfReader(pdf))
    writer.encrypt("segreta")
    locked = tmp_path / "locked.pdf"
    with open(locked, "wb") as handle:
        writer.write(handle)
    calls = []
    render = previews._render
    monkeypatch.setattr(previews, "_render", lambda *a: calls.append(a) or render(*a))
    assert previews.thumbnail(ws, locked, SHA) == previews.PLACEHOLDER
    assert not (ws.index / "previews" / SHA / "thumb.png").exists()
    assert "pdftoppm" in (ws.index / "previews" / SHA / "thumb.png.failed").read_text()
    # remembered like a success: served again without rendering again
    assert previews.thumbnail(ws, locked, SHA) == previews.PLACEHOLDER and len(calls) == 1
    assert previews.PLACEHOLDER.read_bytes().startswith(b"\x89PNG")


def test_without_pdftoppm_the_error_says_what_to_install(ws, pdf, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(ToolMissingError, match="poppler-utils"):
        previews.thumbnail(ws, pdf, SHA)


def test_prune_removes_the_images_of_originals_no_longer_archived(ws, pdf):
    previews.thumbnail(ws, pdf, SHA)
    previews.thumbnail(ws, pdf, "b" * 64)
    assert previews.prune(ws, keep={SHA}) == ["b" * 64]
    assert previews.cached(ws, SHA) and not previews.cached(ws, "b" * 64)
