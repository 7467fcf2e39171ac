"""Cross-language search (issue 25 item 6): how well the term table learned from the drafts lets a query in one
language find documents that exist only in the other, and what it costs a query.

    .venv/bin/python -m bench.bench_crosslang --old /work/main [--sessions 25] [--docs 1000] [--rounds 3]

Quality, on a held-out set: the drafts of the demo generator (sessions 1..N, rendered from the real templates:
each a parallel Italian–Russian text) are split by session, four in five to learn the table from, the fifth
held out. Each held-out draft becomes two one-language documents, its Italian half and its Russian half. A
query is one word of a held-out Italian half (five letters or more, not a stop word); the documents it should
find in Russian are the Russian halves of the drafts whose Italian half has its stem; the documents it does find
are those whose Russian half has one of the stem's translations (the search ORs exactly these terms into the
query). Recall and precision over all queries (micro-averaged), and the same from Russian to Italian. "content
words" leaves out the words of the templates' fixed text (those in more than half of the held-out drafts),
which the table learns trivially.

Cost: the benchmark archive of --docs generated documents (bench/bench_query.py), with the drafts of the demo's
first sessions in its register, indexed by each checkout; the same fixed queries through pipeline.search, old
code and new one after the other, round after round (the new code ORs each word's translations in).
--old is another checkout of the repository (its code is put first on sys.path of this python)."""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import corpus as bench_corpus
from bench.bench_query import make_workspace
from bench.bench_search import fixed_queries, percentile
from pipeline.demo.build import render_drafts, write_sessions
from pipeline.drafting.docx import text_by_language
from pipeline.drafting.register import entries
from pipeline.index.terms import Learner, learn
from pipeline.workspace import Workspace, init_workspace

HERE = Path(__file__).resolve().parent.parent
HELD_OUT_EVERY = 5          # every fifth session is held out

WORKER = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from pipeline import search
from pipeline.access import STAFF
from pipeline.workspace import Workspace
ws = Workspace.at(sys.argv[2]); queries = json.load(open(sys.argv[3]))
search.search(ws, search.SearchRequest(query="accordo", reader=STAFF))
out = []
for _ in range(2):
    times = []
    for q in queries:
        w, c = time.perf_counter(), time.process_time()
        search.search(ws, search.SearchRequest(query=q, limit=10, reader=STAFF))
        times.append((time.perf_counter() - w, time.process_time() - c))
    out.append(times)
print(json.dumps(out))
"""


def drafted(home: Path, sessions: int, agreements: int) -> Workspace:
    """A workspace with the demo's sessions and their drafts rendered (no PDF, no archive)."""
    init_workspace(home)
    ws = Workspace.at(home)
    rng = random.Random(1)
    render_drafts(ws, write_sessions(ws, sessions, rng), agreements, rng, lambda label, items: items)
    return ws


def parallel_drafts(ws: Workspace) -> list[tuple[int, list[str], list[str]]]:
    """(session, Italian paragraphs, Russian paragraphs) of each draft (one layout each)."""
    out, seen = [], set()
    for entry in entries(ws):
        if entry.file in seen:
            continue
        seen.add(entry.file)
        texts = text_by_language(ws.home / entry.file)
        out.append((entry.session, texts["it"], texts["ru"]))
    return out


def quality(ws: Workspace) -> list[str]:
    drafts = parallel_drafts(ws)
    train = [(it, ru) for session, it, ru in drafts if session % HELD_OUT_EVERY]
    held = [(it, ru) for session, it, ru in drafts if not session % HELD_OUT_EVERY]
    started = time.perf_counter()
    table = learn(train)
    seconds = time.perf_counter() - started
    stems = Learner()
    documents = [{"it": set(stems.stems(" ".join(it), "it")), "ru": set(stems.stems(" ".join(ru), "ru"))}
                 for it, ru in held]
    lines = [f"Term table: {len(train)} drafts learned ({table['paragraphs']} distinct paragraph pairs, "
             f"{seconds:.1f} s), {len(table['it'])} Italian and {len(table['ru'])} Russian stems translated; "
             f"{len(held)} held-out drafts (sessions divisible by {HELD_OUT_EVERY}).\n",
             "| direction | queries | kind | recall | precision | queries with a translation |",
             "| --- | ---: | --- | ---: | ---: | ---: |"]
    for source, target in (("it", "ru"), ("ru", "it")):
        counts = {}
        for document in documents:
            for stem in document[source]:
                counts[stem] = counts.get(stem, 0) + 1
        for kind, wanted in (("all words", lambda stem: True),
                             ("content words", lambda stem: counts[stem] <= len(documents) / 2)):
            queries = sorted(stem for stem in counts if wanted(stem) and len(stem) >= 4)
            found = relevant = correct = translated = 0
            for stem in queries:
                translations = {t for t, _form, _dice in table[source].get(stem, [])}
                translated += bool(translations)
                should = {n for n, d in enumerate(documents) if stem in d[source]}
                does = {n for n, d in enumerate(documents) if translations & d[target]}
                relevant += len(should)
                found += len(does)
                correct += len(should & does)
            recall = correct / relevant if relevant else 0.0
            precision = correct / found if found else 0.0
            lines.append(f"| {source} → {target} | {len(queries)} | {kind} | {recall:.2f} | {precision:.2f} | "
                         f"{translated} |")
    return lines


def cross_queries(ws_home: Path, count: int) -> list[str]:
    """Two-word queries of the benchmark corpus (bench_search.fixed_queries), each with one word the term
    table translates in its place, so that every query goes through the other language too."""
    table = json.loads(next((ws_home / "index" / "whoosh").glob("terms-public-internal-restricted.json"))
                       .read_text(encoding="utf-8"))
    stems = Learner()
    forms = {lang: [form for entries_ in table[lang].values() for _stem, form, _dice in entries_]
             for lang in ("it", "ru")}
    translatable = {"it": forms["ru"], "ru": forms["it"]}     # the words written that a table entry comes from
    documents = [(record, "\n\n".join(pages)) for record, pages in bench_corpus.generate(200, seed=1, size=10_000)]
    rng = random.Random(7)
    queries = []
    for plain in fixed_queries(documents, count):
        lang = "ru" if re.search("[Ѐ-ӿ]", plain) else "it"
        words = [w for w in translatable[lang] if stems.stems(w, lang)]
        queries.append(plain.split()[0] + " " + rng.choice(words) if words else plain)
    return queries


def cost(args, tmp: Path) -> list[str]:
    base = tmp / "ws"
    make_workspace(base, args.docs)
    ws = Workspace.at(base)
    rng = random.Random(1)
    render_drafts(ws, list(range(1, 6)), 3, rng, lambda label, items: items)   # the drafts the table learns
    checkouts = {"old": args.old.resolve(), "new": HERE}
    homes = {}
    for label, checkout in checkouts.items():
        homes[label] = tmp / f"ws-{label}"
        shutil.copytree(base, homes[label], symlinks=True)
        subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
                        "from pipeline.cli import main; sys.argv = ['taskforce', '--home', sys.argv[2], 'index', "
                        "'rebuild']; main()", str(checkout), str(homes[label])], check=True, capture_output=True)
    cross = cross_queries(homes["new"], args.queries)
    documents = [(record, "\n\n".join(pages)) for record, pages in bench_corpus.generate(200, seed=1, size=10_000)]
    sets = {"cross-language": cross, "plain": fixed_queries(documents, args.queries)}
    lines = [f"\n{args.docs} documents; cross-language: {len(cross)} two-word queries with a word the table "
             f"translates (e.g. {cross[0]!r}, {cross[1]!r}); plain: the fixed two-word queries of "
             f"bench_query.py; staff reader; old and new code in turn, each round (second pass).\n",
             "| round | load | queries | code | p50 ms | p95 ms | p50 CPU ms | p95 CPU ms |",
             "| ---: | ---: | --- | --- | ---: | ---: | ---: | ---: |"]
    p95s = {(name, label): [] for name in sets for label in checkouts}
    for number in range(1, args.rounds + 1):
        for name, queries in sets.items():
            queries_file = tmp / "queries.json"
            queries_file.write_text(json.dumps(queries), encoding="utf-8")
            for label in ("old", "new"):
                load = os.getloadavg()[0]
                done = subprocess.run([sys.executable, "-c", WORKER, str(checkouts[label]), str(homes[label]),
                                       str(queries_file)], check=True, capture_output=True, text=True)
                passes = json.loads(done.stdout)[1]           # the second pass: a server's steady state
                wall, cpu = [t[0] for t in passes], [t[1] for t in passes]
                p95s[name, label].append((percentile(wall, .95), percentile(cpu, .95)))
                lines.append(f"| {number} | {load:.1f} | {name} | {label} | {percentile(wall, .5) * 1000:.1f} | "
                             f"{percentile(wall, .95) * 1000:.1f} | {percentile(cpu, .5) * 1000:.1f} | "
                             f"{percentile(cpu, .95) * 1000:.1f} |")
    for name in sets:
        ratios = [statistics.median(v[n] for v in p95s[name, "new"]) / statistics.median(v[n] for v in p95s[name, "old"])
                  for n in (0, 1)]
        lines.append(f"\n{name}: p95 new / old (median of the rounds): wall {ratios[0]:.2f}, CPU {ratios[1]:.2f}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", type=Path, help="the checkout before the change (for the cost)")
    parser.add_argument("--sessions", type=int, default=25)
    parser.add_argument("--agreements", type=int, default=4)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-crosslang-"))
    try:
        print(f"# Cross-language search\n\n{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n")
        print("\n".join(quality(drafted(tmp / "drafts", args.sessions, args.agreements))))
        if args.old:
            print("\n".join(cost(args, tmp)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
