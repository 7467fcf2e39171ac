"""Benchmark of the search index on the demo's generated corpus, side by side with SQLite FTS5 over the same
texts in the same run: rebuild time, query latency (p50, p95) for a fixed set of queries with and without
facets, and the time of a whole `taskforce search` process.

    .venv/bin/python -m bench.bench_search [--docs 10000] [--queries 200] [--size 10000]

Prints a Markdown report (copy it into bench/RESULTS.md). One run; the machine is shared: read ratios.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import corpus as bench_corpus
from bench import summary
from pipeline import index, search
from pipeline.index import analysis
from pipeline.workspace import Workspace, init_workspace

FACET_COLUMNS = ("session", "year", "type", "sector", "country")


def load_corpus(docs: int, size: int) -> list[tuple]:
    return [(record, "\n\n".join(pages)) for record, pages in bench_corpus.generate(docs, seed=1, size=size)]


def fixed_queries(documents: list[tuple], count: int) -> list[str]:
    """Two-word queries of words that occur in the corpus (one language per query), from a fixed seed."""
    rng = random.Random(200)
    queries = []
    while len(queries) < count:
        _, text = rng.choice(documents)
        words = [w for w in re.findall(r"\w{5,}", text) if not w.isdigit()]
        latin = [w for w in words if analysis.LATIN.search(w)]
        cyrillic = [w for w in words if analysis.CYRILLIC.search(w)]
        pool = latin if len(queries) % 2 == 0 else cyrillic
        if len(pool) >= 2:
            queries.append(" ".join(w.lower() for w in rng.sample(pool, 2)))
    return queries


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


# --- Whoosh (the taskforce index) ----------------------------------------------------------------------------
def whoosh_rebuild(ws: Workspace, documents: list[tuple]) -> float:
    start = time.perf_counter()
    index.rebuild(ws, documents)
    return time.perf_counter() - start


def whoosh_latencies(ws: Workspace, queries: list[str], texts: dict, facets: bool) -> list[float]:
    times = []
    for text in queries:
        start = time.perf_counter()
        search.search(ws, search.SearchRequest(query=text, facets=facets, limit=10), text_of=texts.get)
        times.append(time.perf_counter() - start)
    return times


# --- SQLite FTS5 over the same texts ---------------------------------------------------------------------------
def fts_rebuild(path: Path, documents: list[tuple], sessions: dict) -> float:
    start = time.perf_counter()
    db = sqlite3.connect(path)
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(doc_id UNINDEXED, title, body, "
               "tokenize='unicode61 remove_diacritics 2')")
    db.execute("CREATE TABLE meta (rowid INTEGER PRIMARY KEY, session INT, year INT, type TEXT, sector TEXT, "
               "country TEXT, confidentiality TEXT)")
    for rowid, (record, text) in enumerate(documents, 1):
        db.execute("INSERT INTO docs (rowid, doc_id, title, body) VALUES (?, ?, ?, ?)",
                   (rowid, record.doc_id, record.title, text))
        db.execute("INSERT INTO meta VALUES (?, ?, ?, ?, ?, ?, ?)",
                   (rowid, record.session, record.year, record.type, (record.sectors or [""])[0],
                    sessions.get(record.session, ""), record.confidentiality))
    db.commit()
    db.close()
    return time.perf_counter() - start


def fts_latencies(path: Path, queries: list[str], facets: bool) -> list[float]:
    db = sqlite3.connect(path)
    times = []
    for text in queries:
        match = " ".join(f'"{word}"' for word in text.split())
        start = time.perf_counter()
        db.execute("SELECT doc_id, snippet(docs, 2, '**', '**', '…', 20) FROM docs JOIN meta ON meta.rowid = docs.rowid "
                   "WHERE docs MATCH ? AND meta.confidentiality != 'restricted' ORDER BY rank LIMIT 10",
                   (match,)).fetchall()
        db.execute("SELECT count(*) FROM docs JOIN meta ON meta.rowid = docs.rowid WHERE docs MATCH ? "
                   "AND meta.confidentiality != 'restricted'", (match,)).fetchall()
        if facets:
            for column in FACET_COLUMNS:
                db.execute(f"SELECT meta.{column}, count(*) FROM docs JOIN meta ON meta.rowid = docs.rowid WHERE docs MATCH ? "
                           f"AND meta.confidentiality != 'restricted' GROUP BY meta.{column}", (match,)).fetchall()
        times.append(time.perf_counter() - start)
    db.close()
    return times


def process_times(home: Path, query: str, runs: int = 5) -> dict:
    taskforce = Path(sys.executable).with_name("taskforce")
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "taskforce --help": [str(taskforce), "--help"],
        f"taskforce search \"{query}\"": [str(taskforce), "--home", str(home), "search", query],
        f"taskforce search \"{query}\" --facets": [str(taskforce), "--home", str(home), "search", query, "--facets"],
    }
    result = {}
    for label, command in commands.items():
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True)
            times.append(time.perf_counter() - start)
        result[label] = statistics.median(times)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--size", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "ws"
        init_workspace(home)
        ws = Workspace.at(home)
        bench_corpus.register_sessions(ws, args.docs)
        started = time.perf_counter()
        documents = load_corpus(args.docs, args.size)
        generated = time.perf_counter() - started
        texts = {record.doc_id: text for record, text in documents}
        megabytes = sum(len(text.encode("utf-8")) for text in texts.values()) / 1e6
        countries = {number: info.country for number, info in index.session_infos(ws).items()}
        queries = fixed_queries(documents, args.queries)

        whoosh_build = whoosh_rebuild(ws, documents)
        index_bytes = sum(p.stat().st_size for p in index.index_dir(ws).iterdir())
        fts_path = Path(tmp) / "fts.sqlite"
        fts_build = fts_rebuild(fts_path, documents, countries)
        whoosh_plain = whoosh_latencies(ws, queries, texts, facets=False)
        whoosh_facets = whoosh_latencies(ws, queries, texts, facets=True)
        fts_plain = fts_latencies(fts_path, queries, facets=False)
        fts_facets = fts_latencies(fts_path, queries, facets=True)
        processes = process_times(home, queries[0])
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        fts_bytes = fts_path.stat().st_size

    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print("# Search benchmark\n")
    print(f"{now}, CPython {platform.python_version()}, {os.cpu_count()} CPUs (shared), one run. Corpus: "
          f"{args.docs} generated documents of ~{args.size // 1000} KB ({megabytes:.0f} MB of Italian and Russian "
          f"text, generated in {generated:.0f} s), {args.queries} fixed two-word queries (half Italian, half "
          f"Russian).\n")
    print("## Rebuild\n")
    print("| engine | seconds | documents/s | index size | target |")
    print("| --- | ---: | ---: | ---: | --- |")
    print(f"| taskforce (Whoosh, one process, one commit) | {whoosh_build:.1f} | "
          f"{args.docs / whoosh_build:.0f} | {index_bytes / 1e6:.0f} MB | < 60 s |")
    print(f"| SQLite FTS5 (unicode61, no stemming) | {fts_build:.1f} | {args.docs / fts_build:.0f} | "
          f"{fts_bytes / 1e6:.0f} MB | |")
    print(f"| ratio Whoosh / FTS5 | {whoosh_build / fts_build:.1f} | | | |\n")
    print("## Query latency (ms; hits with snippets, restricted documents masked)\n")
    print("| engine | p50 | p95 | p95 target |")
    print("| --- | ---: | ---: | --- |")
    for label, times, target in (("taskforce search, no facets", whoosh_plain, "< 50 ms"),
                                 ("taskforce search, 5 facets", whoosh_facets, "< 100 ms"),
                                 ("FTS5, no facets", fts_plain, ""),
                                 ("FTS5, 5 facets (GROUP BY each)", fts_facets, "")):
        print(f"| {label} | {1000 * statistics.median(times):.1f} | {1000 * percentile(times, 0.95):.1f} | {target} |")
    print(f"| ratio Whoosh / FTS5, no facets | {statistics.median(whoosh_plain) / statistics.median(fts_plain):.1f} | "
          f"{percentile(whoosh_plain, 0.95) / percentile(fts_plain, 0.95):.1f} | |\n")
    print("## Whole process (median of 5 runs, seconds)\n")
    print("| command | seconds | target |")
    print("| --- | ---: | --- |")
    for label, seconds in processes.items():
        print(f"| `{label}` | {seconds:.2f} | {'< 0.5 s' if 'search' in label else ''} |")
    print(f"\nPeak resident memory of the benchmark process (rebuild included): {peak:.0f} MiB")
    n = f"{args.docs:,} docs"
    summary(f"index rebuild, {n}", args.docs / whoosh_build, "documents/s", "SQLite FTS5", args.docs / fts_build)
    summary(f"query p50, {n}", 1000 * statistics.median(whoosh_plain), "ms", "SQLite FTS5",
            1000 * statistics.median(fts_plain), better="lower")
    summary(f"query p95, {n}", 1000 * percentile(whoosh_plain, 0.95), "ms", "SQLite FTS5",
            1000 * percentile(fts_plain, 0.95), better="lower")
    summary(f"query p95 with facets, {n}", 1000 * percentile(whoosh_facets, 0.95), "ms", "SQLite FTS5",
            1000 * percentile(fts_facets, 0.95), better="lower")
    search_label = next(label for label in processes if label.startswith("taskforce search") and "--facets" not in label)
    summary(f"whole `taskforce search` process, {n}", processes[search_label], "s", "python -c pass",
            processes["python -c pass"], better="lower")
    summary("whole `taskforce --help` process", processes["taskforce --help"], "s", "python -c pass",
            processes["python -c pass"], better="lower")
    summary(f"peak memory of rebuild, {n}", peak, "MiB", better="lower")


if __name__ == "__main__":
    main()
