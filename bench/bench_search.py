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
CPU: dict[str, float] = {}     # CPU seconds of each rebuild (this process, all its threads): steadier than wall
                               # time on a shared machine


PROCESSES: dict[str, int] = {}


def children_cpu() -> float:
    """CPU seconds of the finished child processes (the indexing processes of a two-process rebuild)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def whoosh_rebuild(ws: Workspace, documents: list[tuple]) -> float:
    start, cpu, children = time.perf_counter(), time.process_time(), children_cpu()
    result = index.rebuild(ws, documents)
    CPU["whoosh"] = time.process_time() - cpu + children_cpu() - children
    PROCESSES["whoosh"] = result.get("processes", 1)
    return time.perf_counter() - start


def whoosh_latencies(ws: Workspace, queries: list[str], texts: dict, facets: bool) -> list[float]:
    times = []
    for text in queries:
        start = time.perf_counter()
        search.search(ws, search.SearchRequest(query=text, facets=facets, limit=10), text_of=texts.get)
        times.append(time.perf_counter() - start)
    return times


# --- tantivy over the same texts (comparison only: an optional 'bench' extra) --------------------------------------
def tantivy_analyzers(tantivy) -> dict:
    """Italian and Russian analyzers like ours: words, lower case, stop words, (Italian) accents folded,
    Snowball stemming."""
    def analyzer(language: str, fold: bool):
        builder = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.lowercase())
        builder = builder.filter(tantivy.Filter.stopword(language))
        if fold:
            builder = builder.filter(tantivy.Filter.ascii_fold())
        return builder.filter(tantivy.Filter.stemmer(language)).build()
    return {"it_stem": analyzer("italian", True), "ru_stem": analyzer("russian", False)}


def tantivy_rebuild(tantivy, path: Path, documents: list[tuple], sessions: dict) -> tuple[float, object]:
    start, cpu = time.perf_counter(), time.process_time()
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("doc_id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=True, tokenizer_name="it_stem")
    builder.add_text_field("text_it", stored=True, tokenizer_name="it_stem")     # stored: snippets
    builder.add_text_field("text_ru", stored=True, tokenizer_name="ru_stem")
    for column in ("session", "year"):
        builder.add_integer_field(column, fast=True, indexed=True)
    for column in ("type", "sector", "country", "confidentiality"):
        builder.add_text_field(column, tokenizer_name="raw", fast=True)
    path.mkdir()
    ix = tantivy.Index(builder.build(), path=str(path))
    for name, analyzer in tantivy_analyzers(tantivy).items():
        ix.register_tokenizer(name, analyzer)
    writer = ix.writer(heap_size=256_000_000, num_threads=2)
    for record, text in documents:
        writer.add_document(tantivy.Document(
            doc_id=record.doc_id, title=record.title, text_it=" ".join(analysis.LATIN_WORD.findall(text)),
            text_ru=" ".join(analysis.CYRILLIC_WORD.findall(text)), session=record.session, year=record.year or 0,
            type=record.type, sector=(record.sectors or [""])[0], country=sessions.get(record.session, "") or "",
            confidentiality=record.confidentiality))
    writer.commit()
    writer.wait_merging_threads()
    ix.reload()
    CPU["tantivy"] = time.process_time() - cpu
    return time.perf_counter() - start, ix


def tantivy_latencies(tantivy, ix, queries: list[str], facets: bool) -> list[float]:
    searcher = ix.searcher()
    hidden = ix.parse_query("confidentiality:restricted", ["confidentiality"])
    times = []
    for text in queries:
        start = time.perf_counter()
        words = ix.parse_query(text, ["text_it", "text_ru", "title"], conjunction_by_default=True)
        q = tantivy.Query.boolean_query([(tantivy.Occur.Must, words), (tantivy.Occur.MustNot, hidden)])
        found = searcher.search(q, limit=10, count=True)
        field = "text_ru" if analysis.CYRILLIC.search(text) else "text_it"
        generator = tantivy.SnippetGenerator.create(searcher, q, ix.schema, field)
        for _, address in found.hits:
            generator.snippet_from_doc(searcher.doc(address)).to_html()
        if facets:
            searcher.aggregate(q, {name: {"terms": {"field": name, "size": 100}} for name in FACET_COLUMNS})
        times.append(time.perf_counter() - start)
    return times


# --- SQLite FTS5 over the same texts ---------------------------------------------------------------------------
def fts_rebuild(path: Path, documents: list[tuple], sessions: dict) -> float:
    start, cpu = time.perf_counter(), time.process_time()
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
    CPU["fts"] = time.process_time() - cpu
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
    # python -m pipeline from this checkout (what the taskforce script runs), so that a benchmark run from
    # another checkout (the code before a change) times its own code
    taskforce = [sys.executable, "-m", "pipeline"]
    checkout = Path(__file__).resolve().parent.parent
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "taskforce --help": [*taskforce, "--help"],
        f"taskforce search \"{query}\"": [*taskforce, "--home", str(home), "search", query],
        f"taskforce search \"{query}\" --facets": [*taskforce, "--home", str(home), "search", query, "--facets"],
    }
    result = {}
    for label, command in commands.items():
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True, cwd=checkout)
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
        try:
            import tantivy  # noqa: PLC0415 - optional ('bench' extra): the column is skipped without it
        except ImportError:
            tantivy = None
        tantivy_build = tantivy_plain = tantivy_facets = None
        if tantivy is not None:
            tantivy_build, tantivy_ix = tantivy_rebuild(tantivy, Path(tmp) / "tantivy", documents, countries)
            tantivy_bytes = sum(p.stat().st_size for p in (Path(tmp) / "tantivy").iterdir() if p.is_file())
            tantivy_plain = tantivy_latencies(tantivy, tantivy_ix, queries, facets=False)
            tantivy_facets = tantivy_latencies(tantivy, tantivy_ix, queries, facets=True)
        processes = process_times(home, queries[0])
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        fts_bytes = fts_path.stat().st_size

    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print("# Search benchmark\n")
    print(f"{now}, CPython {platform.python_version()}, {os.cpu_count()} CPUs (shared), one run. Corpus: "
          f"{args.docs} generated documents of ~{args.size // 1000} KB ({megabytes:.0f} MB of Italian and Russian "
          f"text, generated in {generated:.0f} s), {args.queries} fixed two-word queries (half Italian, half "
          f"Russian).\n")
    # issue 15's targets (2 cores): 1,000 and 10,000 documents
    targets = ("≤ 10 s", "≤ 40 ms", "≤ 50 ms") if args.docs <= 1000 else ("≤ 120 s", "≤ 150 ms", "≤ 150 ms")
    print("## Rebuild\n")
    print("| engine | seconds | documents/s | CPU seconds | documents/CPU-s | index size | target |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    print(f"| taskforce (Whoosh, {PROCESSES['whoosh']} process(es), one commit) | {whoosh_build:.1f} | "
          f"{args.docs / whoosh_build:.0f} | {CPU['whoosh']:.1f} | {args.docs / CPU['whoosh']:.0f} | "
          f"{index_bytes / 1e6:.0f} MB | {targets[0]} |")
    print(f"| SQLite FTS5 (unicode61, no stemming) | {fts_build:.1f} | {args.docs / fts_build:.0f} | "
          f"{CPU['fts']:.1f} | {args.docs / CPU['fts']:.0f} | {fts_bytes / 1e6:.0f} MB | |")
    if tantivy_build is not None:
        print(f"| tantivy {tantivy.__version__.split(',')[0].split()[-1]} (Snowball it/ru, comparison only) | "
              f"{tantivy_build:.1f} | {args.docs / tantivy_build:.0f} | {CPU['tantivy']:.1f} | "
              f"{args.docs / CPU['tantivy']:.0f} | {tantivy_bytes / 1e6:.0f} MB | |")
    print(f"| ratio Whoosh / FTS5 | {whoosh_build / fts_build:.1f} | | {CPU['whoosh'] / CPU['fts']:.1f} | | | |\n")
    if tantivy_build is None:
        print("tantivy is not installed (pip install -e '.[bench]'): its column is left out.\n")
    print("## Query latency (ms; hits with snippets, restricted documents masked)\n")
    print("| engine | p50 | p95 | p95 target |")
    print("| --- | ---: | ---: | --- |")
    for label, times, target in (("taskforce search, no facets", whoosh_plain, targets[1]),
                                 ("taskforce search, 5 facets", whoosh_facets, targets[2]),
                                 ("FTS5, no facets", fts_plain, ""),
                                 ("FTS5, 5 facets (GROUP BY each)", fts_facets, ""),
                                 ("tantivy, no facets", tantivy_plain, ""),
                                 ("tantivy, 5 facets (terms aggregations)", tantivy_facets, "")):
        if times is None:
            continue
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
    summary(f"index rebuild, {n}, per CPU second", args.docs / CPU["whoosh"], "documents/CPU-s", "SQLite FTS5",
            args.docs / CPU["fts"])
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
    if tantivy_build is not None:
        summary(f"index rebuild, {n}, tantivy", args.docs / tantivy_build, "documents/s", "SQLite FTS5",
                args.docs / fts_build)
        summary(f"query p95, {n}, tantivy", 1000 * percentile(tantivy_plain, 0.95), "ms", "SQLite FTS5",
                1000 * percentile(fts_plain, 0.95), better="lower")
    summary(f"peak memory of rebuild, {n}", peak, "MiB", better="lower")


if __name__ == "__main__":
    main()
