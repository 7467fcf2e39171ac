"""Benchmark of the web page: response times of the search page (`GET /?q=...`, facets and ten hits with
snippets, rendered HTML) at 1,000 and 10,000 documents, for an anonymous visitor (public documents only) and a
signed-in staff member (every level), in process (Flask's test client) and over HTTP (waitress, as
`taskforce serve` runs it, on 127.0.0.1).

    .venv/bin/python -m bench.bench_web [--docs 1000 10000] [--queries 100] [--size 5000]
    .venv/bin/python -m bench.bench_web --burst-only [--burst-docs 1000]
    .venv/bin/python -m bench.bench_web --slop-only [--burst-docs 1000]

The burst: a real `taskforce serve` process on a free port of 127.0.0.1 (never another address), 200 search
requests, 8 at a time, then the process is stopped; p50/p95 of the whole requests and the requests per second.

The slop attack (issue 26): the same server; 8 requests of a phrase with a slop of 1,000 (then of 10, the most
allowed) on the corpus's two most frequent words, all at once, while a normal search is asked every 0.1 s;
the normal search's times while they run, against its times before. `--slop-only` runs only this.

The index is built from bench/corpus.py's generated documents with index.rebuild (no PDFs); snippets read the
generated texts. Prints a Markdown report (copy it into bench/RESULTS-web.md). One run on a shared machine.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench import corpus as bench_corpus
from bench.bench_search import fixed_queries, load_corpus, percentile
from pipeline import index
from pipeline.web import users
from pipeline.workspace import Workspace, init_workspace

PASSWORD = "benchmark-password"


def timed_get(get, paths: list[str]) -> list[float]:
    times = []
    for path in paths:
        start = time.perf_counter()
        status = get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert status == 200, (path, status)
    return times


def row(label: str, times: list[float]) -> str:
    return (f"| {label} | {statistics.median(times):.0f} | {percentile(times, 0.95):.0f} | {max(times):.0f} | "
            f"{len(times)} |")


def run(docs: int, queries_count: int, size: int) -> list[str]:
    from waitress.server import create_server

    from pipeline.web import create_app

    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "ws"
        init_workspace(home)
        ws = Workspace.at(home)
        bench_corpus.register_sessions(ws, docs)
        documents = load_corpus(docs, size)
        texts = {record.doc_id: text for record, text in documents}
        started = time.perf_counter()
        index.rebuild(ws, documents)
        built = time.perf_counter() - started
        users.add_user(ws, "staff", PASSWORD)
        queries = fixed_queries(documents, queries_count)
        rng = random.Random(7)
        paths = [f"/?{urllib.parse.urlencode({'q': q})}" for q in queries]
        filtered = [f"/?{urllib.parse.urlencode({'q': q, 'type': rng.choice(['agreement', 'memorandum']), 'sort': 'date'})}"
                    for q in queries[: queries_count // 2]]
        listing = ["/", "/?page=5", "/?sort=date&session_from=3&session_to=9"] * 5
        app = create_app(ws, text_of=texts.get)
        anonymous = app.test_client()
        timed_get(lambda p: anonymous.get(p).status_code, paths[:5])         # warm the caches
        staff = app.test_client()
        staff.get("/login")
        with staff.session_transaction() as session:
            token = session["csrf"]
        assert staff.post("/login", data={"name": "staff", "password": PASSWORD, "csrf": token}).status_code == 302
        results = {
            "anonymous, query": timed_get(lambda p: anonymous.get(p).status_code, paths),
            "anonymous, query + filter, by date": timed_get(lambda p: anonymous.get(p).status_code, filtered),
            "anonymous, listing (no query)": timed_get(lambda p: anonymous.get(p).status_code, listing),
            "staff, query": timed_get(lambda p: staff.get(p).status_code, paths),
        }
        # waitress, as `taskforce serve` runs it: a fixed pool of threads, each keeping its searcher and caches.
        # (Werkzeug's threaded server starts a thread per request, so every request would open the index anew.)
        server = create_server(app, host="127.0.0.1", port=0, threads=4)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{server.effective_port}"

        def http_get(path):
            with urllib.request.urlopen(base + path) as response:
                response.read()
                return response.status

        timed_get(http_get, paths[:8])          # warm each of the server's threads, as for the test client
        results["anonymous, query, over HTTP"] = timed_get(http_get, paths)
        server.close()
        size_kb = len(anonymous.get(paths[0]).data) / 1024
    lines.append(f"### {docs:,} documents\n")
    lines.append(f"Index rebuilt in {built:.1f} s. A result page is about {size_kb:.0f} KB of HTML.\n")
    lines.append("| request | p50 ms | p95 ms | max ms | requests |")
    lines.append("| --- | ---: | ---: | ---: | ---: |")
    lines += [row(label, times) for label, times in results.items()]
    lines.append("")
    return lines


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def served(home: Path):
    """`taskforce serve` for ``home`` in a child process on a free port of 127.0.0.1: yields (its address, its
    Server header, a list that receives its output once it is stopped); stopped afterwards, whatever happens."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "--home", str(home), "serve", "--host",
                                "127.0.0.1", "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output: list[str] = []
    try:
        for _ in range(600):
            if process.poll() is not None:
                raise SystemExit(f"the server stopped: {process.stdout.read().decode()}")
            try:
                with urllib.request.urlopen(base + "/login", timeout=2) as response:
                    server = response.headers.get("Server", "")
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit("the server did not answer within 60 s")
        yield base, server, output
    finally:
        process.terminate()
        try:
            output.append(process.communicate(timeout=20)[0].decode(errors="replace"))
        except subprocess.TimeoutExpired:
            process.kill()
            output.append(process.communicate()[0].decode(errors="replace"))


def fetch(base: str, path: str, timeout: float = 60) -> tuple[float, object]:
    """(milliseconds, status) of one GET; the status is the error's name when there is no answer."""
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(base + path, timeout=timeout) as response:
            response.read()
            status = response.status
    except OSError as err:
        status = getattr(err, "code", type(err).__name__)
    return (time.perf_counter() - start) * 1000, status


def slop_attack(docs: int, size: int, queries_count: int, hostile: int = 8) -> list[str]:
    """The probe's attack of issue 26 against `taskforce serve`: ``hostile`` phrase queries with a large slop
    at once, and a normal search every 0.1 s meanwhile."""
    from collections import Counter

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "ws"
        init_workspace(home)
        ws = Workspace.at(home)
        bench_corpus.register_sessions(ws, docs)
        documents = load_corpus(docs, size)
        index.rebuild(ws, documents)
        frequency = Counter()
        for _, text in documents:
            frequency.update(word.lower() for word in re.findall(r"[^\W\d_]{5,}", text) if word.isascii())
        first, second = [word for word, _ in frequency.most_common(2)]
        normal = f"/?{urllib.parse.urlencode({'q': fixed_queries(documents, 1)[0]})}"
        lines = [f"### Slop attack: {hostile} phrase queries at once against `taskforce serve` ({docs:,} documents)\n",
                 f"The phrase: \"{first} {second}\" (the two most frequent words). The normal search: "
                 f"`{urllib.parse.unquote_plus(normal[4:])}`, asked every 0.1 s while the phrase queries run.\n",
                 "| phrase queries | their answers | their p50 / max ms | normal search p50 / max ms | normal searches |",
                 "| --- | --- | ---: | ---: | ---: |"]
        with served(home) as (base, _, output):
            for _ in range(5):
                fetch(base, normal)
            quiet = [fetch(base, normal)[0] for _ in range(20)]
            lines.append(f"| none | | | {statistics.median(quiet):.0f} / {max(quiet):.0f} | {len(quiet)} |")
            for slop in (1000, 10):
                phrase = '"' + f"{first} {second}" + '"' + f"~{slop}"
                path = "/?" + urllib.parse.urlencode({"q": phrase})
                with ThreadPoolExecutor(hostile) as pool:
                    attacks = [pool.submit(fetch, base, path, 600) for _ in range(hostile)]
                    during = []
                    while not all(attack.done() for attack in attacks) or len(during) < 10:
                        during.append(fetch(base, normal)[0])
                        time.sleep(0.1)
                    answers = [attack.result() for attack in attacks]
                statuses = Counter(str(status) for _, status in answers)
                times = [ms for ms, _ in answers]
                lines.append(f"| {hostile} × `~{slop}` | {', '.join(f'{n} × {s}' for s, n in statuses.items())} | "
                             f"{statistics.median(times):.0f} / {max(times):.0f} | "
                             f"{statistics.median(during):.0f} / {max(during):.0f} | {len(during)} |")
    if any("Traceback" in text for text in output):
        lines.append("\nThe server printed a traceback.")
    lines.append("")
    return lines


def burst(docs: int, size: int, queries_count: int, requests: int = 200, concurrency: int = 8) -> list[str]:
    """``requests`` GETs of the search page, ``concurrency`` at a time, against `taskforce serve` in a child
    process on 127.0.0.1; the process is stopped afterwards, whatever happens."""
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "ws"
        init_workspace(home)
        ws = Workspace.at(home)
        bench_corpus.register_sessions(ws, docs)
        documents = load_corpus(docs, size)
        index.rebuild(ws, documents)
        queries = fixed_queries(documents, queries_count)
        paths = [f"/?{urllib.parse.urlencode({'q': q})}" for q in queries]
        paths = [paths[n % len(paths)] for n in range(requests)]
        with served(home) as (base, server, printed):
            for path in paths[:5]:               # warm the caches
                fetch(base, path)
            started = time.perf_counter()
            with ThreadPoolExecutor(concurrency) as pool:
                answers = list(pool.map(lambda path: fetch(base, path), paths))
            wall = time.perf_counter() - started
    output = "".join(printed)
    times = [ms for ms, _ in answers]
    failed = sorted({str(status) for _, status in answers if status != 200})
    refused = sum(1 for _, status in answers if status != 200)
    lines = [f"### Burst: {requests} requests, {concurrency} at a time, `taskforce serve` on 127.0.0.1 "
             f"({docs:,} documents)\n",
             f"Server header: `{server or '(none)'}`. {requests / wall:.1f} requests/s over {wall:.1f} s; "
             f"{refused} not 200{' (' + ', '.join(failed) + ')' if failed else ''}."
             + (" The server printed a traceback." if "Traceback" in output else "") + "\n",
             "| request | p50 ms | p95 ms | max ms | requests |",
             "| --- | ---: | ---: | ---: | ---: |",
             row("anonymous, query, 8 concurrent", times), ""]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--burst-docs", type=int, default=1000, help="documents of the burst's workspace")
    parser.add_argument("--burst-only", action="store_true", help="only the burst against `taskforce serve`")
    parser.add_argument("--no-burst", action="store_true", help="only the in-process and HTTP tables")
    parser.add_argument("--slop-only", action="store_true", help="only the slop attack against `taskforce serve`")
    args = parser.parse_args()
    report = []
    if args.slop_only:
        report += slop_attack(args.burst_docs, args.size, args.queries)
        print("\n".join(report))
        return
    for docs in [] if args.burst_only or args.slop_only else args.docs:
        report += run(docs, args.queries, args.size)
        print("\n".join(report[-12:]), file=sys.stderr, flush=True)     # kept should a later run fail
    if not args.no_burst:
        report += burst(args.burst_docs, args.size, args.queries)
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print("# Web benchmark: the search page\n")
    print(f"{now}, CPython {platform.python_version()}, {os.cpu_count()} CPUs (shared with other jobs), one run. "
          f"Generated documents of ~{args.size // 1000} KB of Italian and Russian text; {args.queries} fixed "
          f"two-word queries (half Italian, half Russian); every page computes the five facets and ten "
          f"snippets.\n")
    print("\n".join(report))


if __name__ == "__main__":
    main()
