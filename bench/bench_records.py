"""Issue 25 (parties, the life of the agreements, sectors by any name), old and new code in the same run:
the query p95 of today's search (bench_query's fixed queries, with and without facets) in the old checkout and
in the new one (whose facets add the status, computed for today, and the parties' regions), then, new code
only, the status facet (--status in-force with every facet), a --sector synonym filter and the party page,
beside today's faceted query in the same process (second pass of each).

    .venv/bin/python -m bench.bench_records --old /path/to/checkout-before [--docs 1000] [--queries 200] [--rounds 3]

--old is a checkout of the code before the change with a .venv (or a link to one: the worker puts the
checkout first on sys.path). Prints Markdown; read the ratios of the same round on a shared machine.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from bench import corpus as bench_corpus
from bench.bench_query import make_workspace, ms, python_of, rebuild_if_needed, worker_times
from bench.bench_search import fixed_queries

HERE = Path(__file__).resolve().parent.parent

# New code only: the new answers, each timed in the same process after one warm-up search.
RECORDS = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from pipeline import search
from pipeline.access import STAFF
from pipeline.search import partyviews
from pipeline.search.records import party_register
from pipeline.workspace import Workspace
ws = Workspace.at(sys.argv[2]); queries = json.load(open(sys.argv[3]))
search.search(ws, search.SearchRequest(query="accordo"))
def timed(call):
    w, c = time.perf_counter(), time.process_time()
    call()
    return (time.perf_counter() - w, time.process_time() - c)
ids = [party.id for party in party_register(ws)][:len(queries)]
for _ in range(2):      # the second pass is reported: a server's steady state, as in the rounds above
    out = {"today's query, facets": [timed(lambda q=q: search.search(ws, search.SearchRequest(query=q, facets=True,
                                                                                              limit=10)))
                                      for q in queries],
           "status facet": [timed(lambda q=q: search.search(ws, search.SearchRequest(query=q, status="in-force",
                                                                                      facets=True, limit=10)))
                            for q in queries],
           "sector synonym": [timed(lambda q=q: search.search(ws, search.SearchRequest(query=q, sector="mobili",
                                                                                        limit=10)))
                              for q in queries]}
    out["party page"] = [timed(lambda pid=pid: partyviews.party_page(ws, pid, STAFF)) for pid in ids]
out["parties"] = len(party_register(ws))
print(json.dumps(out))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", type=Path, required=True)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    checkouts = {"old": args.old.resolve(), "new": HERE}
    tmp = Path(tempfile.mkdtemp(prefix="bench-records-"))
    try:
        base = tmp / "ws"
        make_workspace(base, args.docs)
        homes = {}
        for label, checkout in checkouts.items():
            homes[label] = tmp / f"ws-{label}"
            shutil.copytree(base, homes[label], symlinks=True)
            rebuild_if_needed(checkout, homes[label])
        documents = [(record, "\n\n".join(pages)) for record, pages in
                     bench_corpus.generate(args.docs, seed=1, size=10_000)]
        queries = fixed_queries(documents, args.queries)
        del documents
        queries_file = tmp / "queries.json"
        queries_file.write_text(json.dumps(queries), encoding="utf-8")
        print(f"# Issue 25: old ({checkouts['old']}) and new ({checkouts['new']}) in one run\n")
        print(f"{args.docs} documents, {args.queries} fixed two-word queries, {args.rounds} rounds (second pass: "
              f"a server's steady state).\n")
        print("| round | load | code | p95 wall | p95 CPU | p95 wall, facets | p95 CPU, facets |")
        print("| ---: | ---: | --- | ---: | ---: | ---: | ---: |")
        for number in range(1, args.rounds + 1):
            for label in ("old", "new"):
                load = os.getloadavg()[0]
                plain = worker_times(checkouts[label], homes[label], queries_file, False)[1]
                faceted = worker_times(checkouts[label], homes[label], queries_file, True)[1]
                print(f"| {number} | {load:.1f} | {label} | {ms(plain, 0, .95)} | {ms(plain, 1, .95)} | "
                      f"{ms(faceted, 0, .95)} | {ms(faceted, 1, .95)} |")
        done = subprocess.run([python_of(HERE), "-c", RECORDS, str(HERE), str(homes["new"]), str(queries_file)],
                              cwd=HERE, check=True, capture_output=True, text=True)
        found = json.loads(done.stdout)
        print(f"\n## New answers (new code, load {os.getloadavg()[0]:.1f}; {found.pop('parties')} parties)\n")
        print("| what | p50 wall | p95 wall | p95 CPU |")
        print("| --- | ---: | ---: | ---: |")
        for name, times in found.items():
            print(f"| {name} | {ms(times, 0, .5)} | {ms(times, 0, .95)} | {ms(times, 1, .95)} |")
        print("\n(ms; the status facet is --status in-force with every facet, status and regions included)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
