"""Start-up and first search of `taskforce search` (issue 15): what the command imports, the same answer
from cold and warm caches, the snippet maker's per-word cache, and the message of an unreadable date."""
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bench import corpus as bench_corpus
from bench.bench_search import fixed_queries
from pipeline import index, search
from pipeline.access import PUBLIC, STAFF
from pipeline.cli import cli
from pipeline.search import snippets
from pipeline.workspace import Workspace, init_workspace

ROOT = Path(__file__).resolve().parent.parent


def invoke(home, *args):
    return CliRunner().invoke(cli, ["--home", str(home), *map(str, args)])


def test_an_unreadable_date_names_its_option_once(tmp_path):
    init_workspace(tmp_path)
    result = invoke(tmp_path, "search", "accordo", "--from", "nonsense")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "Error: Invalid value for '--from': cannot read 'nonsense' as a date; write it as 2019-11-27, "
        "'27 novembre 2019', '27 ноября 2019 г.', a year: 2010, or a month: 'maggio 2015', 'май 2015'")
    result = invoke(tmp_path, "search", "accordo", "--to", "31 febbraio 2015")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1].startswith("Error: Invalid value for '--to': cannot read '31 febbraio")


def _modules_loaded_by(tmp_path, *arguments) -> set[str]:
    script = tmp_path / "taskforce"
    script.write_text(f"import sys\nfrom pipeline.cli import main\nsys.argv = ['taskforce', *{list(arguments)!r}]\n"
                      "try:\n    main()\nexcept SystemExit:\n    pass\n"
                      "print(' '.join(sorted(sys.modules)))\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True, cwd=ROOT)
    return set(result.stdout.splitlines()[-1].split())


def test_a_search_reads_the_archive_without_importing_ingest(tmp_path):
    """`taskforce search` reads the archive through its read-only view: not the store's ingest, PDF parsing,
    signatures, the comparison with drafts, the event log, drafting or python-docx; nor dateutil (ISO dates
    only), filelock (no lock taken when the index is current) or PyYAML (no session file read)."""
    home = tmp_path / "ws"
    init_workspace(home)
    assert invoke(home, "index", "rebuild").exit_code == 0
    loaded = _modules_loaded_by(tmp_path, "--home", str(home), "search", "accordo", "--facets")
    assert {"pipeline.search.run", "pipeline.archive.reading", "whoosh.searching"} <= loaded
    heavy = {"pipeline.archive.store", "pipeline.archive.metadata", "pipeline.compare.comparison",
             "pipeline.pdf.text", "pipeline.pdf.signatures", "pipeline.drafting", "pipeline.usecases.archiving", "docx",
             "pypdf", "pyhanko", "lxml", "importlib.resources", "dateutil", "filelock", "yaml",
             "pipeline.archive.eventlog"}
    assert loaded & heavy == set()


def test_facets_of_an_empty_archive(tmp_path):
    """A workspace with nothing archived yet: the faceted search answers (it raised NotImplementedError from
    Whoosh's empty reader, a traceback)."""
    init_workspace(tmp_path)
    result = invoke(tmp_path, "search", "accordo", "--facets")
    assert result.exit_code == 0 and result.output == "No documents found.\n", result.output



@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """120 generated documents of ~4 KB (some internal and restricted) indexed straight from their text, and
    60 of the benchmark's two-word queries over them, with a few of every other kind."""
    home = tmp_path_factory.mktemp("start") / "ws"
    init_workspace(home)
    ws = Workspace.at(home)
    bench_corpus.register_sessions(ws, 120)
    documents = [(record, "\n\n".join(pages)) for record, pages in bench_corpus.generate(120, seed=5, size=4000)]
    index.rebuild(ws, documents)
    queries = fixed_queries(documents, 60) + ["coop*", '"piccole e medie imprese"', "accordo OR сотрудничество",
                                               "Kazan", "Nizhniy", "accordo NOT lettera", "perche", "ёлка"]
    return ws, {record.doc_id: text for record, text in documents}, queries


def whoosh_highlights(hit, fieldname, text, top):
    return hit.highlights(fieldname, text=text, top=top)


def test_the_cached_highlighter_makes_whooshs_snippets(generated, monkeypatch):
    """The snippet maker analyses each word once (snippets.highlights): every snippet of every page is what
    Whoosh's own highlighter, analysing every occurrence again, makes of it."""
    ws, texts, queries = generated
    answers = {}
    for text in queries:
        for page in (1, 2):
            request = search.SearchRequest(query=text, page=page, limit=10, reader=STAFF)
            answers[text, page] = search.search(ws, request, text_of=texts.get)
    assert sum(bool(hit.get("snippet")) and "**" in hit["snippet"] for answer in answers.values()
               for hit in answer["hits"]) > 400
    monkeypatch.setattr(snippets, "highlights", whoosh_highlights)
    for (text, page), answer in answers.items():
        request = search.SearchRequest(query=text, page=page, limit=10, reader=STAFF)
        assert search.search(ws, request, text_of=texts.get) == answer, text


@pytest.mark.parametrize("reader", [STAFF, PUBLIC])
def test_a_search_opened_once_answers_as_the_cached_searcher(generated, reader):
    """The command line opens the index for its one search (cache.Once: facets from the matched documents'
    values, nothing kept); a server reuses its searcher and the arrays it derived (cache.Cached), first cold,
    then warm. Hits, their order and scores, totals, pages, facets and suggestions are the same."""
    ws, texts, queries = generated
    for text in queries[:25] + queries[-8:] + ["", "accrdo"]:
        for options in ({"facets": True}, {"facets": True, "page": 2, "limit": 5}, {"facets": True, "type": "agreement"},
                        {"facets": True, "sort": "newest"}):
            request = search.SearchRequest(query=text, reader=reader, **options)
            once = search.search(ws, request, text_of=texts.get, once=True)
            assert search.search(ws, request, text_of=texts.get) == once, (text, options)
            assert search.search(ws, request, text_of=texts.get) == once, (text, options)
            assert once["facets"] is not None
