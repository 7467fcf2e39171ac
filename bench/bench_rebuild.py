"""Rebuild and query figures of one checkout, as one JSON line: run it with each checkout's Python and its
folder first on PYTHONPATH to compare two versions in the same session, interleaved (issue 15).

    PYTHONPATH=/work/main /work/main/.venv/bin/python bench/bench_rebuild.py --docs 1000
    PYTHONPATH=. .venv/bin/python bench/bench_rebuild.py --docs 1000 [--procs 1|2]

Rebuild wall time; CPU seconds of this process and of its children (the indexing processes of a
two-process rebuild); the index folder's size; query p50/p95 without and with facets over the fixed
queries of bench_search; p50/p95 of queries with one misspelt word (no hits: "did you mean" runs)."""
from __future__ import annotations

import argparse
import inspect
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench import corpus as bench_corpus
from bench.bench_search import fixed_queries, load_corpus, percentile, whoosh_latencies
from pipeline import index, search
from pipeline.workspace import Workspace, init_workspace


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def misspelt(queries: list[str]) -> list[str]:
    """Each query's first word with its second letter dropped (almost always a word found nowhere)."""
    return [text.split()[0][0] + text.split()[0][2:] for text in queries]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--procs", type=int, default=None, help="processes of the rebuild (new code only)")
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "ws"
        init_workspace(home)
        ws = Workspace.at(home)
        bench_corpus.register_sessions(ws, args.docs)
        documents = load_corpus(args.docs, args.size)
        texts = {record.doc_id: text for record, text in documents}
        queries = fixed_queries(documents, args.queries)
        options = {}
        if args.procs is not None and "procs" in inspect.signature(index.rebuild).parameters:
            options["procs"] = args.procs
        started, cpu = time.perf_counter(), cpu_seconds()
        index.rebuild(ws, documents, **options)
        wall, cpu = time.perf_counter() - started, cpu_seconds() - cpu
        size = sum(p.stat().st_size for p in index.index_dir(ws).iterdir() if p.is_file())
        plain = whoosh_latencies(ws, queries, texts, facets=False)
        facets = whoosh_latencies(ws, queries, texts, facets=True)
        wrong = []
        for text in misspelt(queries[:100]):
            start = time.perf_counter()
            search.search(ws, search.SearchRequest(query=text, limit=10), text_of=texts.get)
            wrong.append(time.perf_counter() - start)

    def ms(values, share):
        return round(1000 * (statistics.median(values) if share == 0.5 else percentile(values, share)), 1)

    print(json.dumps({
        "label": args.label, "code": os.path.dirname(os.path.abspath(index.__file__)), "docs": args.docs,
        "procs": options.get("procs", "default"), "rebuild_s": round(wall, 2), "rebuild_cpu_s": round(cpu, 2),
        "index_mb": round(size / 1e6, 1), "p50": ms(plain, 0.5), "p95": ms(plain, 0.95),
        "p50_facets": ms(facets, 0.5), "p95_facets": ms(facets, 0.95), "p50_suggest": ms(wrong, 0.5),
        "p95_suggest": ms(wrong, 0.95), "load": round(os.getloadavg()[0], 1)}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
