"""Benchmark of drafting in the browser (issue 23 item 3): the agreement form's page and a render from the form
(save the data file + render both layouts, no PDF), in a workspace of 1,000 archived (indexed) documents, 25
sessions and a drafts register of a few hundred versions; targets: the page <= 200 ms, the render <= 1.5 s.

    .venv/bin/python -m bench.bench_draftforms [--docs 1000] [--pages 30] [--renders 10] [--register 300]

Baselines of the same run: the search page without a query (the site's cheapest staff page), and the render
use case called directly on the data file the form saved (what `taskforce draft agreement` does, without the
CLI's start-up): the form's own cost is the difference. In process (Flask's test client), one run on a shared
machine. Prints a Markdown report (copy it into bench/RESULTS-web.md).
"""
from __future__ import annotations

import argparse
import datetime as dt
import platform
import re
import statistics
import tempfile
import time
from pathlib import Path

from bench import corpus as bench_corpus
from bench.bench_search import load_corpus, percentile
from pipeline import index
from pipeline.drafting import register
from pipeline.usecases.drafting import render_agreement
from pipeline.web import create_app, users
from pipeline.workspace import Workspace, init_workspace

PASSWORD = "benchmark-password"


def three_parties() -> dict:
    from tests.test_web_draftforms import THREE_PARTIES

    return THREE_PARTIES


def timed(call, times: int) -> list[float]:
    found = []
    for _ in range(times):
        start = time.perf_counter()
        call()
        found.append((time.perf_counter() - start) * 1000)
    return found


def row(label: str, times: list[float], target: str = "") -> str:
    return (f"| {label} | {statistics.median(times):.0f} | {percentile(times, 0.95):.0f} | {max(times):.0f} | "
            f"{len(times)} | {target} |")


def fill_register(ws: Workspace, count: int) -> None:
    """``count`` more versions in the drafts register (copies of a real entry under other references), as a
    busy workspace has: the form's pages and renders read the register."""
    template = register.entries(ws)[-1].as_dict()
    for i in range(count):
        session = 1 + i % 24
        entry = {**template, "reference": f"TF{session}-AGR-{100 + i // 24:03d}", "session": session, "version": 1}
        register.append_entry(ws, register.DraftEntry.from_dict(entry))


def run(docs: int, pages: int, renders: int, register_size: int) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "ws"
        init_workspace(home)
        ws = Workspace.at(home)
        number = max(s["number"] for s in bench_corpus.register_sessions(ws, docs))   # 25 at 1,000 documents
        started = time.perf_counter()
        index.rebuild(ws, load_corpus(docs, 3000))
        built = time.perf_counter() - started
        users.add_user(ws, "lucia", PASSWORD, roles=["legal"])
        app = create_app(ws)
        client = app.test_client()
        client.get("/login")
        with client.session_transaction() as session:
            token = session["csrf"]
        assert client.post("/login", data={"name": "lucia", "password": PASSWORD, "csrf": token}).status_code == 302
        with client.session_transaction() as session:
            token = session["csrf"]                          # a sign-in starts a new session and token
        new = f"/drafts/new?kind=agreement&session={number}"
        data = {**three_parties(), "csrf": token, "action": "save"}
        first = client.post(new, data=data)
        assert first.status_code == 303, first.get_data(as_text=True)[:2000]
        fill_register(ws, register_size)
        edit = first.headers["Location"].split("?")[0]

        def get(path):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            return response

        def save():
            base = re.search(r'name="base" value="([^"]+)"', get(edit).get_data(as_text=True))[1]
            start = time.perf_counter()
            response = client.post(edit, data={**data, "base": base})
            SAVES.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 303, response.get_data(as_text=True)[:2000]

        SAVES: list[float] = []
        get(new), get(edit), get("/")                                # warm the templates and caches
        results = {
            "search page, no query (baseline)": (timed(lambda: get("/"), pages), ""),
            "empty agreement form": (timed(lambda: get(new), pages), "<= 200"),
            "a draft's form with its derived forms": (timed(lambda: get(edit), pages), "<= 200"),
            "empty form posted: errors at their inputs": (
                timed(lambda: client.post(new, data={"csrf": token, "action": "save"}), pages), ""),
        }
        for _ in range(renders):
            save()
        newest = register.latest(ws, edit.split("/")[2])
        source = newest.source
        direct = timed(lambda: render_agreement(ws, number, source, reference=newest.reference), renders)
        results["render from the form (save + render, no PDF)"] = (SAVES, "<= 1500")
        results["render use case on the saved file (baseline)"] = (direct, "")
        html_kb = len(get(edit).data) / 1024
        versions = len(register.entries(ws))
    lines = [f"### {docs:,} documents, {versions} register entries\n",
             f"Index rebuilt in {built:.1f} s. A draft's form is about {html_kb:.0f} KB of HTML.\n",
             "| request | p50 ms | p95 ms | max ms | requests | target ms |", "| --- | ---: | ---: | ---: | ---: | --- |"]
    lines += [row(label, times, target) for label, (times, target) in results.items()]
    return lines + [""]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--renders", type=int, default=10)
    parser.add_argument("--register", type=int, default=300)
    args = parser.parse_args(argv)
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(f"## Drafting in the browser (issue 23 item 3)\n\n{now}, CPython {platform.python_version()}, "
          f"one run on a shared machine; in process (Flask's test client).\n")
    print("\n".join(run(args.docs, args.pages, args.renders, args.register)))


if __name__ == "__main__":
    main()
