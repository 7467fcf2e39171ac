"""A rebuild in two processes (pipeline/index/parallel.py) gives the index a one-process rebuild gives, as
far as anyone can tell: the same hits in the same order with the same scores, facets, totals, pages,
snippets and suggestions, for every kind of reader, on a generated demo-like corpus; the same vocabulary;
and the same document numbers (the order of equal scores depends on them). Also: the schema, with the
fast fields, survives the pickling that carries it into the child processes."""
import pickle
import sqlite3
import threading

import pytest
from whoosh.query import Term

from bench import bench_search, corpus as bench_corpus
from pipeline import index, search
from pipeline.access import PUBLIC, STAFF, cli_reader
from pipeline.index import writer
from pipeline.index.schema import build_schema, document_entry
from pipeline.index.storage import open_dir
from pipeline.index.vocabulary import vocabulary_path
from pipeline.search.query import KeyPrefix
from pipeline.workspace import Workspace, init_workspace

COUNT = 240
SLICE = 30        # documents enough to cross a lowered threshold


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    home = tmp_path_factory.mktemp("parallel") / "ws"
    init_workspace(home)
    ws = Workspace.at(home)
    bench_corpus.register_sessions(ws, COUNT)
    documents = [(record, "\n\n".join(pages)) for record, pages in bench_corpus.generate(COUNT, seed=5, size=1500)]
    queries = bench_search.fixed_queries(documents, 40)
    misspelt = [word[0] + word[2:] for word in (text.split()[0] for text in queries[:10])]   # a letter dropped
    queries += misspelt + ["accordo", "cooperazione OR сотрудничество", "accordo NOT distretto", ""]
    return ws, documents, {record.doc_id: text for record, text in documents}, queries


def answers(ws, queries, texts) -> list:
    found = []
    for reader in (PUBLIC, cli_reader(), STAFF):
        for text in queries:
            for options in ({"facets": True, "limit": 10}, {"limit": 7, "page": 2},
                            {"sort": "newest", "limit": 5, "facets": True}):
                found.append(search.search(ws, search.SearchRequest(query=text, reader=reader, **options),
                                           text_of=texts.get))
    return found


def layout(ws) -> dict:
    """Per index: the number of segments and every document's doc_id in document-number order."""
    shape = {}
    for public in (False, True):
        ix = open_dir(ws, public)
        try:
            with ix.searcher() as searcher:
                shape[public] = (len(searcher.reader().leaf_readers()),
                                 [searcher.stored_fields(n)["doc_id"] for n in range(searcher.doc_count_all())])
        finally:
            ix.close()
    return shape


def vocabulary_rows(ws) -> list:
    db = sqlite3.connect(vocabulary_path(index.index_dir(ws)))
    try:
        return db.execute("SELECT * FROM words ORDER BY word, level").fetchall()
    finally:
        db.close()


def test_two_processes_give_the_results_of_one(corpus):
    ws, documents, texts, queries = corpus
    index.rebuild(ws, documents, procs=1)
    one, one_layout, one_words = answers(ws, queries, texts), layout(ws), vocabulary_rows(ws)
    index.rebuild(ws, documents, procs=2)
    two_layout = layout(ws)
    assert two_layout[False][0] == 2 and two_layout[True][0] == 2     # really written by two processes
    assert one_layout[False][0] == 1
    assert [ids for _, ids in two_layout.values()] == [ids for _, ids in one_layout.values()]
    assert vocabulary_rows(ws) == one_words
    two = answers(ws, queries, texts)
    assert sum(answer["total"] for answer in one) > 1000 and any(answer["suggestion"] for answer in one)
    for query_answers in zip(one, two):
        assert query_answers[0] == query_answers[1], query_answers[0]["query"]
    assert index.is_current(ws)


def test_a_large_rebuild_uses_two_processes_a_small_one_one(corpus, monkeypatch):
    """Which rebuild forks: the threshold is lowered to a slice of the corpus (the choice, not the size of the
    index, is under test; the results of two processes are compared above)."""
    ws, documents, _, _ = corpus
    documents = documents[:SLICE]
    used = []
    real = writer.writing

    def spy(folder, create=False, procs=1, sizes=(0, 0)):
        used.append((procs, sizes))
        return real(folder, create, procs, sizes)

    monkeypatch.setattr(writer, "writing", spy)
    monkeypatch.setattr(writer, "usable_cores", lambda: 2)
    monkeypatch.setattr(writer, "PARALLEL_MIN_DOCUMENTS", SLICE)
    assert index.rebuild(ws, documents)["processes"] == 2
    assert index.rebuild(ws, documents[:-1])["processes"] == 1
    publics = sum(record.confidentiality == "public" for record, _ in documents)
    assert 0 < publics < SLICE
    assert used == [(2, (SLICE, publics)), (1, (SLICE - 1, publics - (documents[-1][0].confidentiality == "public")))]
    monkeypatch.setattr(writer, "usable_cores", lambda: 1)
    index.rebuild(ws, documents)
    assert used[-1][0] == 1
    monkeypatch.setattr(writer, "usable_cores", lambda: 2)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)          # a web server's threads: no fork
    other.start()
    try:
        index.rebuild(ws, documents)
    finally:
        stop.set()
        other.join()
    assert used[-1][0] == 1


def test_a_failing_child_fails_the_rebuild_and_keeps_the_old_index(corpus, monkeypatch):
    ws, documents, texts, _ = corpus
    index.rebuild(ws, documents, procs=1)
    before = layout(ws)
    broken = [(record, text) for record, text in documents]
    record, text = broken[-1]
    # a value the child's writer refuses (a revision that is not a number): raised in the child
    monkeypatch.setattr(writer, "document_entry", lambda *args: _with_bad_revision(*args))
    with pytest.raises(Exception) as raised:
        index.rebuild(ws, broken, procs=2)
    assert "Traceback" not in str(raised.value)
    assert layout(ws) == before and index.is_current(ws)
    assert not list(ws.index.glob(".building-*"))


def _with_bad_revision(record, text, session, *facts):
    values, words = document_entry(record, text, session, *facts)
    return {**values, "revision": "not a number"}, words


def test_the_schema_and_its_fast_fields_survive_pickling():
    schema = build_schema()
    copy = pickle.loads(pickle.dumps(schema, pickle.HIGHEST_PROTOCOL))
    for name in ("text_it", "text_ru"):
        assert type(copy[name]) is type(schema[name]) and copy[name].lang == schema[name].lang
        value = "Gli accordi firmati a Казань: соглашения подписаны, perché l'accordo è città"
        assert sorted(copy[name].index(value)) == sorted(schema[name].index(value))


def test_a_name_prefix_keeps_its_boost_when_it_expands_to_one_term(corpus):
    """Whoosh matched a prefix that a segment expands to one term with the bare term, its boost dropped; so
    a name's score changed with the segments (found by the comparison above)."""
    ws, documents, _, _ = corpus
    index.rebuild(ws, documents, procs=1)
    ix = open_dir(ws)
    try:
        with ix.searcher() as searcher:
            reader = searcher.reader()
            prefix, word = next((word[:5], word) for word in (w.decode() for w in reader.lexicon("keys"))
                                if len(word) > 6 and len(list(reader.expand_prefix("keys", word[:5]))) == 1)
            plain = {hit.docnum: hit.score for hit in searcher.search(Term("keys", word), limit=None)}
            boosted = {hit.docnum: hit.score for hit in searcher.search(KeyPrefix("keys", prefix, boost=0.6),
                                                                         limit=None)}
    finally:
        ix.close()
    assert plain and boosted == pytest.approx({docnum: 0.6 * score for docnum, score in plain.items()})
