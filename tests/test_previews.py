"""Page images (pipeline/web/previews.py): made once with pdftoppm, atomically, outside the archive."""
import re
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


# --- hostile sizes (issue 26) ----------------------------------------------------------------------------------
WORDS = "Accordo di cooperazione industriale tra le imprese del distretto e le università del territorio. "


def huge_page_pdf(path):
    """A blank 200 x 200-inch page (the PDF format's largest) with a line of text: 1.9 GB at 110 dpi."""
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=(14400, 14400), invariant=1)
    pdf.drawString(100, 14000, WORDS)
    pdf.showPage()
    pdf.save()
    return path


def huge_image_pdf(path):
    """An A4 page with a text line and a 100,000 x 100,000-pixel image (its stream short: the decoder pads
    it): pdftoppm spends minutes on it."""
    import zlib

    data = zlib.compress(b"\x00" * 100_000, 9)
    content = f"q 500 0 0 600 50 50 cm /Im1 Do Q BT /F1 10 Tf 40 800 Td ({WORDS}) Tj ET".encode("latin-1")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> "
               b"/Font << /F1 6 0 R >> >> /Contents 4 0 R >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
               b"<< /Type /XObject /Subtype /Image /Width 100000 /Height 100000 /ColorSpace /DeviceRGB "
               b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % len(data) + data + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, start)
    path.write_bytes(bytes(out))
    return path


def test_a_huge_page_is_made_within_the_pixel_cap(ws, tmp_path, score):
    require_tool("pdftoppm")
    from PIL import Image

    from pipeline.pdf.pagesize import MAX_PAGE_PIXELS

    path = previews.page_image(ws, huge_page_pdf(tmp_path / "huge.pdf"), SHA, 1, 1)
    width, height = Image.open(path).size
    assert width == height and 1000 < width and width * height <= MAX_PAGE_PIXELS      # ~17 dpi, not 110
    score("web-images")


def test_a_huge_image_fails_once_and_the_failure_is_remembered(ws, tmp_path, monkeypatch, score):
    require_tool("pdftoppm")
    monkeypatch.setattr(previews, "SECONDS", 1.0)        # the limits of the child: 30 s in service
    calls = []
    render = previews._render
    monkeypatch.setattr(previews, "_render", lambda *a: calls.append(a) or render(*a))
    pdf = huge_image_pdf(tmp_path / "image.pdf")
    assert previews.page_image(ws, pdf, SHA, 1, 1) == previews.PLACEHOLDER
    assert "took longer than" in (ws.index / "previews" / SHA / "page-0001.png.failed").read_text()
    assert previews.page_image(ws, pdf, SHA, 1, 1) == previews.PLACEHOLDER and len(calls) == 1
    assert previews.thumbnail(ws, pdf, SHA) == previews.PLACEHOLDER and len(calls) == 2
    assert previews.thumbnail(ws, pdf, SHA) == previews.PLACEHOLDER and len(calls) == 2
    score("web-images", 4)


def test_renders_at_once_are_bounded(ws, pdf, monkeypatch, score):
    import time

    running, most = [0], [0]
    lock = threading.Lock()

    def slow(original, options):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.2)
        with lock:
            running[0] -= 1
        return b"\x89PNG fake"
    monkeypatch.setattr(previews, "_render", slow)
    threads = [threading.Thread(target=previews.thumbnail, args=(ws, pdf, f"{n:064x}")) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] <= previews.RENDERS_AT_ONCE
    assert all(previews.cached(ws, f"{n:064x}") for n in range(6))
    score("web-images", 6)


def test_the_document_page_never_waits_for_an_image_and_none_is_made_twice(tmp_path, monkeypatch, score):
    """The probe's two PDFs, archived as public: their document pages and a search list answer without a
    rendering; each image is made at most once, its failure answered with the placeholder afterwards."""
    require_tool("pdftoppm")
    from click.testing import CliRunner

    from pipeline.cli import cli
    from pipeline.web import create_app

    home = tmp_path / "home"
    assert CliRunner().invoke(cli, ["--home", str(home), "init", "--sample"]).exit_code == 0
    warnings = []
    for name, make in (("huge-page.pdf", huge_page_pdf), ("huge-image.pdf", huge_image_pdf)):
        result = CliRunner().invoke(cli, ["--home", str(home), "ingest", str(make(tmp_path / name)), "--session", "1",
                                          "--type", "agreement", "--title", name])
        assert result.exit_code == 0, result.output
        warnings.append(result.stderr)
    assert "Warning: page 1 is 200 × 200 inches" in warnings[0] and "inches" not in warnings[1]   # ingest says so
    monkeypatch.setattr(previews, "SECONDS", 1.0)
    calls = []
    render = previews._render
    monkeypatch.setattr(previews, "_render", lambda *a: calls.append(a) or render(*a))
    client = create_app(Workspace.at(home)).test_client()
    listing = client.get("/?q=accordo").get_data(as_text=True)
    addresses = re.findall(r'<img src="/doc/([0-9a-f]{16})/thumb.png"', listing)
    assert len(addresses) == 2 and not calls                      # the list refers to the thumbnails
    for address in addresses:
        page = client.get(f"/doc/{address}")
        assert page.status_code == 200 and f"/doc/{address}/page/1.png" in page.get_data(as_text=True)
    assert not calls                                              # nor does a document page make one
    for address in addresses:
        for image in ("thumb.png", "page/1.png"):
            first, again = client.get(f"/doc/{address}/{image}"), client.get(f"/doc/{address}/{image}")
            assert first.status_code == again.status_code == 200 and first.data == again.data
            assert first.data.startswith(b"\x89PNG")
    assert len(calls) == 4                                        # two images each, each made (or failed) once
    # (whether the huge page's image is made within the second allowed here depends on the machine's load:
    # test_a_huge_page_is_made_within_the_pixel_cap makes it with the limits of service)
    score("web-images", 2 + 2 + 8)


def test_the_renderers_run_with_memory_and_cpu_limits(tmp_path):
    result = previews._run(["/bin/sh", "-c", "ulimit -v; ulimit -t"], "sh", tmp_path / "x.pdf")
    assert result.stdout.decode().split() == [str(previews.MEMORY_BYTES // 1024), str(int(previews.SECONDS) + 1)]
