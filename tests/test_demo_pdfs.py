"""The demo's PDFs: the drafts shared among several LibreOffice processes come back in the drafts' order, and
the progress bar counts every PDF once."""
from pathlib import Path

from pipeline.demo import build
from pipeline.workspace import Workspace


def test_the_drafts_are_shared_among_libreoffice_processes_and_come_back_in_order(tmp_path, monkeypatch):
    calls = []

    def convert(sources, outdir, timeout=None, on_each=None):
        calls.append([source.stem for source in sources])
        made = []
        for count, source in enumerate(sources, start=1):
            made.append(outdir / f"{source.stem}.pdf")
            made[-1].write_bytes(b"%PDF-1.7 " + source.stem.encode())
            on_each(count)
        return made

    monkeypatch.setattr(build, "convert_many_to_pdf", convert)
    monkeypatch.setattr(build.shutil, "which", lambda name: "/usr/bin/" + name)
    drafts = [{"file": f"drafts/TF{n}-AGR-001-v1.docx"} for n in range(1, 46)]
    ticks = []

    def progress(label, items):
        items = list(items)
        for position, item in enumerate(items):
            ticks.append(position)
            yield item

    made = build.make_pdfs(Workspace(tmp_path), drafts, progress, print, jobs=2)
    assert [path.stem for path in made] == [Path(d["file"]).stem for d in drafts]
    assert [path.read_bytes() for path in made] == [b"%PDF-1.7 " + path.stem.encode() for path in made]
    assert len(calls) == 2 and sorted(sum(calls, [])) == sorted(path.stem for path in made)
    assert ticks == list(range(45))
    calls.clear()
    build.make_pdfs(Workspace(tmp_path), drafts[:10], lambda label, items: items, print, jobs=2)
    assert len(calls) == 1   # too few drafts to pay a second LibreOffice start-up
