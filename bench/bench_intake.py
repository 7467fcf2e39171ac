"""Benchmark of intake in the browser (issue 24 item 1): N text PDFs uploaded to /intake, prepared (the
background thread: text, signatures, metadata, comparison), the review page drawn, and every file confirmed
one by one (each through the ingest use case, index updated) — beside `taskforce ingest` of the same files in
the same run, the baseline.

    .venv/bin/python -m bench.bench_intake [--files 50] [--pages 2]

Through Flask's test client (no network), so that the numbers are the application's. Prints a Markdown
report (copy it into bench/RESULTS-web.md).
"""
from __future__ import annotations

import argparse
import io
import os
import platform
import re
import tempfile
import time
from pathlib import Path


def main() -> None:
    from click.testing import CliRunner

    from bench.bench_pdftext import make_text_pdfs, page_count
    from pipeline.archive.metadata import Given
    from pipeline.cli.main import cli
    from pipeline.usecases import archiving
    from pipeline.web import create_app
    from pipeline.web.users import add_user
    from pipeline.workspace import Workspace

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--pages", type=int, default=2)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-intake-") as scratch:
        folder = Path(scratch)
        sources = folder / "in"
        sources.mkdir()
        files = make_text_pdfs(sources, options.files, options.pages)
        pages = sum(page_count(path) for path in files)

        def workspace(name: str) -> Workspace:
            home = folder / name
            assert CliRunner().invoke(cli, ["--home", str(home), "init", "--sample"]).exit_code == 0
            return Workspace.at(home)

        # the baseline: the same files through the ingest use case (`taskforce ingest --jobs 1`)
        ws = workspace("cli")
        start = time.perf_counter()
        report = archiving.ingest(ws, files, Given(session=25, type="agreement"), jobs=1)
        cli_seconds = time.perf_counter() - start
        assert report.summary["archived"] == len(files), report.as_dict()

        # and file by file, as confirming does (one ingest, one index update per file)
        ws = workspace("cli-each")
        start = time.perf_counter()
        for path in files:
            assert archiving.ingest(ws, [path], Given(session=25, type="agreement"), jobs=1).summary["archived"] == 1
        each_seconds = time.perf_counter() - start

        ws = workspace("web")
        add_user(ws, "anna", "password-lunga-abbastanza", roles=["archivist"])
        client = create_app(ws).test_client()

        def csrf(path):
            return re.search(r'name="csrf" value="([^"]+)"', client.get(path).get_data(as_text=True))[1]

        client.post("/login", data={"name": "anna", "password": "password-lunga-abbastanza", "csrf": csrf("/login")})
        timings = {}
        start = time.perf_counter()
        answer = client.post("/intake", content_type="multipart/form-data", data={
            "csrf": csrf("/intake"), "files": [(io.BytesIO(path.read_bytes()), path.name) for path in files]})
        assert answer.status_code == 303, answer.get_data(as_text=True)[:2000]
        address = answer.headers["Location"]
        timings["upload and stage"] = time.perf_counter() - start
        start = time.perf_counter()
        while 'http-equiv="refresh"' in client.get(address).get_data(as_text=True):
            time.sleep(0.2)
        timings["prepare (background thread)"] = time.perf_counter() - start
        start = time.perf_counter()
        review = client.get(address).get_data(as_text=True)
        timings["review page"] = time.perf_counter() - start
        token = re.search(r'name="csrf" value="([^"]+)"', review)[1]
        start = time.perf_counter()
        for number in range(1, len(files) + 1):
            answer = client.post(address, data={"csrf": token, "confirm": str(number),
                                                f"files[{number}].session": "25",
                                                f"files[{number}].type": "agreement"})
            assert answer.status_code == 303, answer.get_data(as_text=True)[:2000]
        timings["confirm each (ingest use case, index)"] = time.perf_counter() - start
        archived = sum(1 for child in ws.archive.iterdir() if child.name.startswith("TFA-"))
        assert archived == len(files), archived
        total = sum(timings.values())

        print("# Intake in the browser benchmark\n")
        print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.python_implementation()} "
              f"{platform.python_version()}, {os.cpu_count()} CPUs (shared), Linux {platform.release()}\n")
        print(f"{len(files)} text PDFs, {pages} pages, through Flask's test client; one round.\n")
        print("| step | seconds | ms/file |")
        print("| --- | ---: | ---: |")
        for step, seconds in timings.items():
            print(f"| {step} | {seconds:.2f} | {1000 * seconds / len(files):.0f} |")
        print(f"| **intake, all steps** | **{total:.2f}** | **{1000 * total / len(files):.0f}** |")
        print(f"| baseline: `taskforce ingest --jobs 1` of the same files (use case) | {cli_seconds:.2f} | "
              f"{1000 * cli_seconds / len(files):.0f} |")
        print(f"| baseline: `taskforce ingest FILE` once per file (use case, index updated after each) | "
              f"{each_seconds:.2f} | {1000 * each_seconds / len(files):.0f} |")
        print(f"\nIntake / ingest of the batch: {total / cli_seconds:.2f}x; confirming / ingest file by file: "
              f"{timings['confirm each (ingest use case, index)'] / each_seconds:.2f}x. Confirming runs the ingest use case on the staged file, "
              "so a file's text is read twice (for the review, then by the ingest itself): the price of archiving "
              "exactly what `taskforce ingest` archives.")


if __name__ == "__main__":
    main()
