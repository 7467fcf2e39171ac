"""Regressions of the search items of issue 13, over the shared archive (tests/conftest.py) and over a
generated corpus indexed without PDFs (bench/corpus.py). Each test failed before its fix."""
import json

import pytest
from click.testing import CliRunner

from bench import corpus as bench_corpus
from pipeline import index, search
from pipeline.access import PUBLIC, STAFF, cli_reader
from pipeline.cli import cli
from pipeline.demo.pdfmake import text_to_pdf
from pipeline.errors import IndexDamagedError, ValidationError
from pipeline.index import storage
from pipeline.index.analysis import italian_analyzer
from pipeline.workspace import Workspace, init_workspace


def invoke(home, *args):
    return CliRunner().invoke(cli, ["--home", str(home), *map(str, args)])


def find(home, query="", **options):
    return search.search(Workspace.at(home), search.SearchRequest(query=query, **options))


def titles(result):
    return sorted(hit["title"] for hit in result["hits"])


def rows(result):
    return [(hit["doc_id"], hit["score"]) for hit in result["hits"]]


def no_traceback(result):
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output



def ingest(home, folder, name, pages, *options):
    pdf = text_to_pdf(folder / name, pages, title=name)
    result = invoke(home, "ingest", pdf, "--session", 25, "--type", "letter", "--title", name, *options)
    assert result.exit_code == 0, result.output
    assert index.status(Workspace.at(home))["ok"]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """300 generated documents (85% public, 10% internal, 5% restricted) indexed straight from their text."""
    home = tmp_path_factory.mktemp("generated") / "ws"
    init_workspace(home)
    ws = Workspace.at(home)
    bench_corpus.register_sessions(ws, 300)
    documents = [(record, "\n\n".join(pages)) for record, pages in bench_corpus.generate(300, seed=3, size=1500)]
    index.rebuild(ws, documents)
    return ws, {record.doc_id: text for record, text in documents}, documents


# --- 2: totals, pages and facets count the visible documents only ---------------------------------------------
@pytest.mark.parametrize("facets", [False, True])
@pytest.mark.parametrize("limit", [1, 10])
def test_totals_and_pages_count_only_visible_documents(archived, facets, limit):
    # "distretto": the public Progetto lungo, and the restricted Memorandum tessile
    result = find(archived, "distretto", facets=facets, limit=limit)
    assert titles(result) == ["Progetto lungo"] and result["total"] == 1 and result["pages"] == 1
    if facets:
        assert result["facets"]["sectors"] == {"Logistica e trasporti": 1}
    assert find(archived, "distretto", facets=facets, limit=limit, reader=STAFF)["total"] == 2
    public = find(archived, "memorandum OR distretto", facets=facets, limit=limit, reader=PUBLIC)
    assert public["total"] == 1 and public["pages"] == 1


def test_cli_totals_count_only_visible_documents(archived):
    result = invoke(archived, "search", "distretto")
    assert result.exit_code == 0 and "Page 1 of 1: 1 document(s)." in result.output
    for extra in ([], ["--facets"]):
        data = json.loads(invoke(archived, "search", "distretto", "--json", "--limit", 1, *extra).output)
        assert (data["total"], data["pages"], len(data["hits"])) == (1, 1, 1)
    data = json.loads(invoke(archived, "search", "distretto", "--json", "--include-restricted").output)
    assert data["total"] == 2


def test_hits_order_and_scores_do_not_depend_on_facets_page_size_or_page(generated):
    ws, texts, documents = generated
    from bench.bench_search import fixed_queries

    queries = fixed_queries(documents, 12) + ["accordo", "cooperazione OR sviluppo", "соглашение"]
    for query in queries:
        def run(**options):
            request = search.SearchRequest(query=query, snippets=False, **options)
            return search.search(ws, request, text_of=texts.get)

        faceted = run(limit=10, facets=True)
        plain = run(limit=10)
        assert rows(plain) == rows(faceted) and plain["total"] == faceted["total"], query
        assert plain["pages"] == faceted["pages"], query
        halves = run(limit=5, page=1)["hits"] + run(limit=5, page=2)["hits"]
        assert rows({"hits": halves}) == rows(plain), query
        assert run(limit=5)["total"] == plain["total"], query
        # the total is the number of visible documents that match, counted one by one
        every = run(limit=1000, reader=STAFF)
        visible = [hit for hit in every["hits"] if cli_reader().may_see(hit["confidentiality"])]
        assert plain["total"] == len(visible) == len(run(limit=1000)["hits"]), query
        assert sum(faceted["facets"]["type"].values()) == plain["total"], query


# --- 3: anonymous scores come from the public documents only ----------------------------------------------------
def test_public_scores_do_not_change_when_a_restricted_document_is_indexed(copy_of, tmp_path):
    home = copy_of()
    index.rebuild(Workspace.at(home))       # one segment: the statistics a rebuild gives (merges round lengths)
    queries = ["accordo", "cooperazione industriale", "Bergamo", "sessione"]
    before = [rows(find(home, q, reader=PUBLIC)) for q in queries]
    suggestions = [find(home, word, reader=PUBLIC)["suggestion"] for word in ("accrdo", "cooperazone")]
    ingest(home, tmp_path, "riservato.pdf",
           ["Accordo accordo accordo sulla cooperazione industriale a Bergamo. Sessione riservata, accordi."],
           "--confidentiality", "restricted")
    assert find(home, "accordo", reader=STAFF)["total"] == 3          # it is indexed
    after = [rows(find(home, q, reader=PUBLIC)) for q in queries]
    assert after == before
    assert [find(home, word, reader=PUBLIC)["suggestion"] for word in ("accrdo", "cooperazone")] == suggestions
    # the same after a rebuild, and after the document's level is changed to public and back
    index.rebuild(Workspace.at(home))
    assert [rows(find(home, q, reader=PUBLIC)) for q in queries] == before
    doc_id = find(home, "riservata", reader=STAFF)["hits"][0]["doc_id"]
    assert invoke(home, "archive", "edit", doc_id, "--confidentiality", "public").exit_code == 0
    assert titles(find(home, "riservata", reader=PUBLIC)) == ["riservato.pdf"]
    assert index.status(Workspace.at(home))["ok"]


def test_status_checks_the_public_index_too(copy_of):
    home = copy_of()
    ws = Workspace.at(home)
    public = storage.open_dir(ws, public=True)
    writer = public.writer()
    assert writer.delete_by_term("doc_id", "TFA-000002") == 1     # a public document lost from it
    writer.commit()
    public.close()
    result = index.status(ws)
    assert not result["ok"] and result["stale"] == ["TFA-000002"] and result["missing"] == []
    index.rebuild(ws)
    assert index.status(ws)["ok"]
    for segment in storage.index_dir(ws).glob("PUBLIC_*.pst"):
        segment.unlink()                                             # the public index damaged
    result = index.status(ws)
    assert not result["ok"] and result["damaged"] and "taskforce index rebuild" in result["advice"]
    result = invoke(home, "search", "accordo")                       # an anonymous reader is not the CLI's
    assert result.exit_code == 0
    with pytest.raises(IndexDamagedError, match="taskforce index rebuild"):
        find(home, "accordo", reader=PUBLIC)


# --- 10: a phrase on a field without positions ---------------------------------------------------------------------
@pytest.mark.parametrize("query, expected", [
    ('party:"Volga Trans"', ["Lettera di intenti"]),
    ('party:"Meccanica Orobica"', ["Accordo Kama", "Accordo quadro Bergamo"]),
    ('party:"Serralucente Viaggi"', []),
    ('party:"Orobica Kama"', ["Accordo Kama"]),                # the words of the parties, in any order
    ('accordo AND party:"Meccanica Orobica S.p.A."', ["Accordo Kama", "Accordo quadro Bergamo"]),
])
def test_a_phrase_on_the_parties_is_their_words(archived, query, expected):
    assert titles(find(archived, query)) == expected
    result = invoke(archived, "search", query)
    no_traceback(result)
    assert result.exit_code == 0, result.output


# --- 12: malformed queries are reported --------------------------------------------------------------------------
MALFORMED = ["accordo AND", "accordo OR", '"unclosed', "AND", "NOT", "(accordo", "accordo)", "accordo AND OR quadro",
             "OR accordo", "accordo NOT", "(accordo OR) quadro", "((accordo)"]


@pytest.mark.parametrize("query", MALFORMED)
def test_malformed_queries_are_reported(archived, query):
    with pytest.raises(ValidationError, match="cannot read the query"):
        find(archived, query)
    result = invoke(archived, "search", query)
    no_traceback(result)
    assert result.exit_code == 1 and result.output.startswith("Error: cannot read the query"), result.output
    assert "No documents found" not in result.output


@pytest.mark.parametrize("query", ['"cooperazione industriale"', "accordo AND NOT quadro", "(accordo OR lettera)",
                                   "session:[25 TO 26] AND accordo", "NOT accordo", "accordo NOT quadro",
                                   "l'accordo", "accord*", "type:letter OR (type:protocol AND Mosca)",
                                   'party:"Volga Trans" OR accordo', "year:>2014"])
def test_well_formed_queries_still_run(archived, query):
    find(archived, query)


# --- 14: usage mistakes are usage errors (exit 2) ----------------------------------------------------------------
@pytest.mark.parametrize("args, message", [
    (["--sessions", "x"], "give a range like 20-25"),
    (["--sessions", "25-20"], "give a range like 20-25"),
    (["--from", "31/02/2014"], "--from"),
    (["--to", "31 febbraio 2015"], "--to"),
    (["--json", "--csv"], "choose one of --csv and --json"),
    (["--country", "FR"], "IT"),
])
def test_usage_mistakes_exit_2(archived, args, message):
    result = invoke(archived, "search", "accordo", *args)
    no_traceback(result)
    assert result.exit_code == 2 and message in result.output, result.output


def test_country_in_either_case_and_documented_in_capitals(archived):
    upper = invoke(archived, "search", "", "--country", "RU", "--json")
    lower = invoke(archived, "search", "", "--country", "ru", "--json")
    assert upper.exit_code == lower.exit_code == 0 and upper.output == lower.output
    assert json.loads(upper.output)["total"] == 4
    assert "[IT|RU]" in invoke(archived, "search", "--help").output


# --- 15: sectors and parties match on their words, ignoring case and accents -------------------------------------
@pytest.mark.parametrize("query, options, expected", [
    ("sector:Logistica", {}, ["Lettera di intenti", "Progetto lungo"]),
    ("sector:logistica", {}, ["Lettera di intenti", "Progetto lungo"]),
    ("sector:TRASPORTI", {}, ["Lettera di intenti", "Progetto lungo"]),
    ("sector:lògistica", {}, ["Lettera di intenti", "Progetto lungo"]),
    ('sector:"logistica e trasporti"', {}, ["Lettera di intenti", "Progetto lungo"]),
    ('sector:"Meccanica strumentale"', {}, ["Accordo Kama", "Accordo quadro Bergamo"]),
    ("sector:strumentale AND accordo", {}, ["Accordo Kama", "Accordo quadro Bergamo"]),
    ("sector:trasporti", {"reader": STAFF, "session": 26}, ["Lettera di intenti", "Progetto lungo"]),
    ("party:Volga", {}, ["Lettera di intenti"]),
    ("party:volga", {}, ["Lettera di intenti"]),
    ("party:orobica", {}, ["Accordo Kama", "Accordo quadro Bergamo"]),
    ("", {"sector": "Logistica"}, ["Lettera di intenti", "Progetto lungo"]),
    ("", {"sector": "logistica e"}, ["Lettera di intenti", "Progetto lungo"]),
    ("", {"sector": "LOGISTICA E TRASPORTI"}, ["Lettera di intenti", "Progetto lungo"]),
    ("", {"sector": "Lógistica"}, ["Lettera di intenti", "Progetto lungo"]),
    ("", {"sector": "meccanica"}, ["Accordo Kama", "Accordo quadro Bergamo"]),
    ("", {"sector": "trasporti"}, ["Lettera di intenti", "Progetto lungo"]),          # a word of the label
    ("", {"sector": "Tessile", "reader": STAFF}, ["Memorandum tessile"]),
    ("", {"party": "volga"}, ["Lettera di intenti"]),
    ("", {"party": "VOLGA trans"}, ["Lettera di intenti"]),
])
def test_sectors_and_parties_match_words_ignoring_case_and_accents(archived, query, options, expected):
    assert titles(find(archived, query, limit=50, **options)) == expected


def test_a_sector_named_exactly_is_that_sector_only(copy_of, tmp_path):
    home = copy_of()
    ingest(home, tmp_path, "log.pdf", ["Logistica del freddo."], "--sector", "Logistica")
    assert titles(find(home, "", sector="logistica")) == ["log.pdf"]                 # the facet's label
    assert titles(find(home, "", sector="Logistica e")) == ["Lettera di intenti", "Progetto lungo"]
    assert titles(find(home, "", sector="Logist")) == ["Lettera di intenti", "Progetto lungo", "log.pdf"]


def test_sector_option_on_the_command_line(archived):
    data = json.loads(invoke(archived, "search", "", "--sector", "Logistica", "--json").output)
    assert sorted(hit["title"] for hit in data["hits"]) == ["Lettera di intenti", "Progetto lungo"]


# --- 16: Italian accents folded in every form ---------------------------------------------------------------------
@pytest.mark.parametrize("accented, plain", [
    ("responsabilità", "responsabilita"), ("università", "universita"), ("città", "citta"), ("caffè", "caffe"),
    ("però", "pero"), ("virtù", "virtu"), ("perché", "perche"), ("attività", "attivita"), ("Libertà", "liberta"),
    ("qualità", "qualita"), ("novità", "novita"), ("sostenibilità", "sostenibilita"),
])
def test_italian_words_with_and_without_accents_are_one_term(accented, plain):
    analyzer = italian_analyzer()
    assert [t.text for t in analyzer(accented)] == [t.text for t in analyzer(plain)]


def test_a_word_typed_without_its_accent_finds_the_document(copy_of, tmp_path):
    home = copy_of()
    ingest(home, tmp_path, "srl.pdf", ["Una società a responsabilità limitata per la sostenibilità e la qualità."])
    for query in ("responsabilità", "responsabilita", "RESPONSABILITA", "sostenibilita", "qualita", "societa"):
        assert titles(find(home, query)) == ["srl.pdf"], query
    hit = find(home, "responsabilita")["hits"][0]
    assert "**responsabilità**" in hit["snippet"]


# --- issue 15: the faster query path answers as the plain one did -------------------------------------------------
def test_terms_read_for_the_page_are_those_whoosh_records_for_every_match(generated):
    from pipeline.search.cache import page_terms
    from pipeline.search.query import parse_query

    ws, texts, documents = generated
    ix = index.open_index(ws)
    with ix.searcher() as searcher:
        for text in ["accordo", "cooperazione OR sviluppo", "accordo NOT sviluppo", '"accordo di"', "coop*",
                     "соглашение OR развитие", "svilupp*", "sector:logistica accordo",
                     '"accordo quadro" OR sviluppo']:
            q = parse_query(ix.schema, text)
            recorded = searcher.search(q, limit=None, terms=True)
            docnums = [hit.docnum for hit in recorded][:25]
            assert docnums, text
            read = page_terms(searcher, q, docnums)
            assert {d: sorted(read[d]) for d in docnums} == \
                {d: sorted(recorded.docterms.get(d, [])) for d in docnums}, text
    ix.close()


def test_a_filter_that_allows_nothing_finds_nothing(archived):
    """Whoosh reads an empty set of allowed documents as no filter: the search must answer empty itself."""
    # a type no document has (an unknown type is an error of the request: tests/test_errors.py)
    for options in ({"type": "other"}, {"session": 99}):
        result = find(archived, "accordo", facets=True, **options)
        assert result["total"] == 0 and result["hits"] == [] and result["pages"] == 1, options
        assert all(counts == {} for counts in result["facets"].values()), options
        listing = find(archived, "", facets=True, **options)
        assert listing["total"] == 0 and listing["hits"] == [], options
    # a sector no visible document has: the error lists those there are (issue 25 item 4)
    for sector in ("nessun settore", "aerospazio"):
        with pytest.raises(ValidationError) as raised:
            find(archived, "accordo", sector=sector)
        assert raised.value.field == "sector" and "Logistica e trasporti / Логистика и транспорт" in str(raised.value)
