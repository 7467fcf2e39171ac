"""The query side of issue 15, old and new code in the same run: query latency (p50, p95, with and without
facets) and whole `taskforce search` / `taskforce --help` processes, each checkout timed in turn, round after
round, with SQLite FTS5 over the same texts timed in the same rounds; and the cold cost of the searcher's cached
arrays (the CLI's first search) against loading them from a file or counting the facets without them.

    .venv/bin/python -m bench.bench_query --old /work/main [--docs 1000] [--queries 200] [--rounds 3]
                                          [--workspace DIR]

--old is another checkout of the repository with its own .venv (the code before a change). The workspace
holds an archive as ingest leaves it (sidecars and page texts, no PDFs: snippets read the real files) and its
index; --workspace keeps it (made when missing) for the next run. Prints Markdown. The machine is shared:
read the ratios of the same round, and the load average printed with them.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench import corpus as bench_corpus
from bench.bench_search import fixed_queries, fts_latencies, fts_rebuild, percentile
from pipeline.archive.layout import TEXT_FOLDER, doc_id_of, page_name, sidecar_bytes, sidecar_name
from pipeline.index import session_infos
from pipeline.workspace import Workspace, init_workspace

HERE = Path(__file__).resolve().parent.parent

# Run inside each checkout (its own python, its own code): the fixed queries through pipeline.search.search,
# twice, wall and CPU seconds of each; the first search opens the index. The first pass meets most words of the
# snippets for the first time; the second is a server's steady state (the same words again).
WORKER = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from pipeline import search
from pipeline.workspace import Workspace
ws = Workspace.at(sys.argv[2]); queries = json.load(open(sys.argv[3])); facets = sys.argv[4] == "1"
search.search(ws, search.SearchRequest(query="accordo"))
passes = []
for _ in range(2):
    out = []
    for q in queries:
        w, c = time.perf_counter(), time.process_time()
        search.search(ws, search.SearchRequest(query=q, facets=facets, limit=10))
        out.append((time.perf_counter() - w, time.process_time() - c))
    passes.append(out)
print(json.dumps(passes))
"""

# The cold cost of the searcher's derived data in a fresh process (the CLI's first search), in the new code:
# the visibility set and the five facet columns as the cache builds them, the same loaded from a pickle (what
# arrays stored at rebuild time would cost), and cache.Once (the command line: no arrays).
COLD = """
import json, pickle, sys, time
from collections import Counter
from pipeline.search import cache
from pipeline.search.request import SearchRequest
from pipeline.search.query import parse_query
from pipeline.index.schema import FACETS
from pipeline.workspace import Workspace
ws = Workspace.at(sys.argv[1]); mode = sys.argv[2]; query = sys.argv[3]
entry = cache.opened_once(ws, False) if mode == "once" else cache.cached(ws, False)
q = parse_query(entry.ix.schema, query)
allowed = SearchRequest().allowed()
c = time.process_time()
if mode == "cached":
    docs = entry.docset(allowed)
    matched = entry.searcher.search(q, limit=None, filter=docs).docs()
    counts = {name: entry.facet_counts(name, matched) for name in FACETS}
elif mode == "stored":
    with open(sys.argv[4], "rb") as handle:
        stored = pickle.load(handle)
    docs = stored["docs"]
    matched = entry.searcher.search(q, limit=None, filter=docs).docs()
    counts = {}
    for name in FACETS:
        column = stored[name]
        counts[name] = Counter(label for d in matched for label in column[d]) if name == "sectors" else \\
            Counter(column[d] for d in matched)
else:   # once: the command line's cache.Once, facets from the matched documents' values
    docs = entry.docset(allowed)
    matched = entry.searcher.search(q, limit=None, filter=docs).docs()
    counts = {name: entry.facet_counts(name, matched) for name in FACETS}
seconds = time.process_time() - c
if len(sys.argv) > 5:
    with open(sys.argv[5], "wb") as handle:
        pickle.dump({"docs": entry.docset(allowed), **{n: entry.column(n) for n in FACETS}}, handle)
print(json.dumps([seconds, {k: sorted((str(a), b) for a, b in v.items() if a) for k, v in counts.items()}]))
"""


def make_workspace(home: Path, docs: int) -> None:
    """An archive of ``docs`` generated documents as ingest leaves them (sidecar, page texts; no PDF), and the
    sessions they belong to; the index is built by each checkout."""
    init_workspace(home)
    ws = Workspace.at(home)
    bench_corpus.register_sessions(ws, docs)
    for n, (record, pages) in enumerate(bench_corpus.generate(docs, seed=1, size=10_000), 1):
        record = dataclasses.replace(record, doc_id=doc_id_of(n))
        folder = ws.archive / record.doc_id
        (folder / TEXT_FOLDER).mkdir(parents=True)
        (folder / sidecar_name(1)).write_bytes(sidecar_bytes(record))
        for number, page in enumerate(pages, 1):
            (folder / TEXT_FOLDER / page_name(number)).write_text(page, encoding="utf-8")


def python_of(checkout: Path) -> str:
    return str(checkout / ".venv" / "bin" / "python")


def rebuild_if_needed(checkout: Path, home: Path) -> None:
    subprocess.run([python_of(checkout), "-m", "pipeline", "--home", str(home), "index", "rebuild", "--if-needed"],
                   cwd=checkout, check=True, capture_output=True)


def worker_times(checkout: Path, home: Path, queries_file: Path, facets: bool) -> list[list[tuple[float, float]]]:
    done = subprocess.run([python_of(checkout), "-c", WORKER, str(checkout), str(home), str(queries_file),
                           "1" if facets else "0"], cwd=checkout, check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


def process_time(command: list[str], cwd: Path) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", type=Path, required=True)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--processes", type=int, default=7, help="whole processes per command and round")
    parser.add_argument("--workspace", type=Path)
    args = parser.parse_args()
    checkouts = {"old": args.old.resolve(), "new": HERE}
    tmp = Path(tempfile.mkdtemp(prefix="bench-query-"))
    try:
        base = args.workspace or tmp / "ws"
        if not (base / ".taskforce-workspace").exists():
            make_workspace(base, args.docs)
        homes = {}
        for label, checkout in checkouts.items():     # each checkout's own index (their schemas may differ)
            homes[label] = tmp / f"ws-{label}"
            shutil.copytree(base, homes[label], symlinks=True)
            rebuild_if_needed(checkout, homes[label])
        ws = Workspace.at(base)
        documents = [(record, "\n\n".join(pages)) for record, pages in bench_corpus.generate(args.docs, seed=1,
                                                                                              size=10_000)]
        queries = fixed_queries(documents, args.queries)
        queries_file = tmp / "queries.json"
        queries_file.write_text(json.dumps(queries), encoding="utf-8")
        countries = {number: info.country for number, info in session_infos(ws).items()}
        fts_path = tmp / "fts.sqlite"
        fts_rebuild(fts_path, documents, countries)
        del documents
        run_rounds(args, checkouts, homes, queries, queries_file, fts_path)
        run_processes(args, checkouts, homes, queries[0])
        run_cold(homes["new"], queries, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run_rounds(args, checkouts, homes, queries, queries_file, fts_path) -> None:
    print(f"# Query side of issue 15: old ({checkouts['old']}) and new ({checkouts['new']}) in one run\n")
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {args.docs} documents, {args.queries} fixed "
          f"two-word queries, {args.rounds} rounds; each round runs old, new and FTS5 one after the other.\n")
    print("| round | load | engine | p50 wall | p95 wall | p50 CPU | p95 CPU | p95 wall, 5 facets | p95 CPU, 5 facets |")
    print("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for number in range(1, args.rounds + 1):
        for label in ("old", "new"):
            load = os.getloadavg()[0]
            plain = worker_times(checkouts[label], homes[label], queries_file, False)
            faceted = worker_times(checkouts[label], homes[label], queries_file, True)
            for n, name in enumerate(("first pass", "second pass")):
                print(f"| {number} | {load:.1f} | taskforce, {label}, {name} | {ms(plain[n], 0, .5)} | "
                      f"{ms(plain[n], 0, .95)} | {ms(plain[n], 1, .5)} | {ms(plain[n], 1, .95)} | "
                      f"{ms(faceted[n], 0, .95)} | {ms(faceted[n], 1, .95)} |")
        load = os.getloadavg()[0]
        plain = [(t, t) for t in fts_latencies(fts_path, queries, facets=False)]
        faceted = [(t, t) for t in fts_latencies(fts_path, queries, facets=True)]
        print(f"| {number} | {load:.1f} | SQLite FTS5 | {ms(plain, 0, .5)} | {ms(plain, 0, .95)} | | | "
              f"{ms(faceted, 0, .95)} | |")
    print("\n(ms; CPU = the searching process's CPU time, steadier than wall time on a shared machine; FTS5 "
          "runs in the benchmark's own process: wall only)\n")


def ms(times: list[tuple[float, float]], which: int, share: float) -> str:
    values = [pair[which] for pair in times]
    return f"{1000 * (statistics.median(values) if share == .5 else percentile(values, share)):.1f}"


def run_processes(args, checkouts, homes, query: str) -> None:
    commands = {"python -c pass": lambda label: [python_of(checkouts[label]), "-c", "pass"],
                "taskforce --help": lambda label: [python_of(checkouts[label]), "-m", "pipeline", "--help"],
                f'taskforce search "{query}"': lambda label: [python_of(checkouts[label]), "-m", "pipeline",
                                                               "--home", str(homes[label]), "search", query],
                f'taskforce search "{query}" --facets': lambda label: [python_of(checkouts[label]), "-m", "pipeline",
                                                                        "--home", str(homes[label]), "search",
                                                                        query, "--facets"]}
    times = {(name, label): [] for name in commands for label in ("old", "new")}
    loads = []
    for _ in range(args.processes):
        for name, command in commands.items():
            for label in ("old", "new"):
                times[name, label].append(process_time(command(label), checkouts[label]))
        loads.append(os.getloadavg()[0])
    print(f"## Whole processes (median of {args.processes}, old and new interleaved; load {min(loads):.1f}–"
          f"{max(loads):.1f})\n")
    print("| command | old wall | new wall | new / old | old CPU | new CPU | new / old (CPU) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name in commands:
        old = [statistics.median(t[i] for t in times[name, "old"]) for i in (0, 1)]
        new = [statistics.median(t[i] for t in times[name, "new"]) for i in (0, 1)]
        print(f"| `{name}` | {old[0]:.3f} | {new[0]:.3f} | {new[0] / old[0]:.2f} | {old[1]:.3f} | {new[1]:.3f} | "
              f"{new[1] / old[1]:.2f} |")
    print()


def run_cold(home: Path, queries: list[str], tmp: Path) -> None:
    """Item 2 of the brief: the arrays built by the first search, loaded from a file, or not built at all."""
    stored = tmp / "arrays.pickle"
    python = python_of(HERE)
    subprocess.run([python, "-c", COLD, str(home), "cached", queries[0], "-", str(stored)], cwd=HERE, check=True,
                   capture_output=True)
    results = {"cached": [], "stored": [], "once": []}
    answers = {}
    for query in queries[:20]:
        for mode in results:
            done = subprocess.run([python, "-c", COLD, str(home), mode, query, str(stored)], cwd=HERE, check=True,
                                  capture_output=True, text=True)
            seconds, counts = json.loads(done.stdout)
            results[mode].append(seconds)
            answers.setdefault(query, {})[mode] = counts
    same = all(len({json.dumps(found, sort_keys=True) for found in by_mode.values()}) == 1
               for by_mode in answers.values())
    print("## The CLI's first search: the filter and facet arrays (new code, a fresh process per search, 20 "
          "queries with 5 facets)\n")
    print("| how the arrays come | CPU ms, median | max |")
    print("| --- | ---: | ---: |")
    labels = {"cached": "built by the first search (the cached path)",
              "stored": "loaded from a file written beforehand (arrays stored at rebuild time)",
              "once": "not built: the matched documents' values (cache.Once, what the command line runs)"}
    for mode, label in labels.items():
        print(f"| {label} | {1000 * statistics.median(results[mode]):.1f} | {1000 * max(results[mode]):.1f} |")
    print(f"\nThe same facet counts from all three: {same}. (Times cover the visibility filter, the search "
          f"collecting every match, and the five facets.)")


if __name__ == "__main__":
    main()
