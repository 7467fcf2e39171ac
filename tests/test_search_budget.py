"""What one search may cost (issue 26, pipeline/search/budget.py): a phrase's slop is capped with a message
naming the limit (the command line: exit 2; the web page: in its language), a wildcard may stand for a
bounded number of words, and the search, its collector and the snippets' phrase check stop at a deadline with
a clear error. Deterministic: the deadline's clock is a counter here; the timings are in bench/bench_web.py."""
import itertools
import json

import pytest
from click.testing import CliRunner

from pipeline import search
from pipeline.access import PUBLIC, STAFF
from pipeline.cli import cli
from pipeline.errors import QueryTooCostlyError, SearchTimeLimitError
from pipeline.search import budget as budgets
from pipeline.search.budget import MAX_SLOP, Budget
from pipeline.web import create_app
from pipeline.workspace import Workspace
from tests.test_web import set_language


def run(home, *args):
    return CliRunner().invoke(cli, ["--home", str(home), *map(str, args)])


def ticking(step: float = 1.0):
    """A clock that moves ``step`` seconds each time it is read."""
    counter = itertools.count()
    return lambda: next(counter) * step


@pytest.mark.parametrize("slop", [11, 100, 1000, 10 ** 6])
def test_a_phrase_with_too_much_slop_is_refused_naming_the_limit(archived, slop, score):
    result = run(archived, "search", f'"accordo cooperazione"~{slop}')
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert f"at most {MAX_SLOP} words between its words, not {slop}" in result.stderr
    with pytest.raises(QueryTooCostlyError) as caught:
        search.search(Workspace.at(archived), search.SearchRequest(query=f'party:"Kama Stanki" OR "a b"~{slop}',
                                                                   reader=STAFF))
    assert caught.value.code == "query.slop" and caught.value.params == {"field": "query", "slop": slop, "limit": MAX_SLOP}
    score("web-slop", 2)


def test_a_phrase_within_the_limit_is_searched(archived):
    result = run(archived, "search", f'"accordo cooperazione"~{MAX_SLOP}', "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["total"] >= 1


@pytest.mark.parametrize("lang, expected", [("it", "Una frase può ammettere al massimo 10 parole tra le sue parole, "
                                                    "non 1000"),
                                           ("ru", "Во фразе между её словами допускается не больше 10 слов, а не 1000")])
def test_the_web_page_says_the_limit_in_its_language(archived, lang, expected, score):
    client = create_app(Workspace.at(archived)).test_client()
    set_language(client, lang)
    for fmt in ("html", "json", "csv"):
        response = client.get("/", query_string={"q": '"accordo cooperazione"~1000', "format": fmt})
        assert response.status_code == 400 and expected in response.get_data(as_text=True), fmt
        score("web-slop")


def test_a_wildcard_standing_for_too_many_words_is_refused(archived, monkeypatch, score):
    ws = Workspace.at(archived)
    assert search.search(ws, search.SearchRequest(query="a*", reader=PUBLIC))["total"] >= 1
    monkeypatch.setattr(budgets, "MAX_EXPANSION", 1)          # keys:a* stands for two words here
    with pytest.raises(QueryTooCostlyError) as caught:
        search.search(ws, search.SearchRequest(query="a*", reader=PUBLIC))
    assert caught.value.code == "query.expansion" and caught.value.params["limit"] == 1
    result = run(archived, "search", "a*")
    assert result.exit_code == 2 and "stands for more than 1 words of the archive" in result.stderr
    score("web-slop", 2)


def test_the_collector_stops_at_the_deadline(archived, score):
    ws = Workspace.at(archived)
    request = search.SearchRequest(query="accordo OR sessione OR соглашение", reader=STAFF, snippets=False)
    found = search.search(ws, request)["total"]
    assert found >= 3
    # a clock that moves a second at each reading: the collector reads it at each match, past 1.5 s it stops
    with pytest.raises(SearchTimeLimitError) as caught:
        search.search(ws, request, budget=Budget(1.5, clock=ticking()))
    assert caught.value.code == "search.time_budget" and caught.value.params == {"field": "query", "seconds": "1.5"}
    assert "took longer than 1.5 s" in caught.value.message
    # with time enough, the same answer as without a deadline at all
    assert search.search(ws, request, budget=Budget(10 ** 6, clock=ticking()))["total"] == found
    assert search.search(ws, request, budget=Budget(None))["total"] == found
    # and so with a filter, whose collector drives the loop around the deadline's
    filtered = search.SearchRequest(query="accordo OR sessione OR соглашение", reader=PUBLIC, snippets=False,
                                    session=25)
    assert search.search(ws, filtered)["total"] >= 1
    with pytest.raises(SearchTimeLimitError):
        search.search(ws, filtered, budget=Budget(0.5, clock=ticking()))
    score("web-slop", 2)


def test_the_snippets_phrase_check_stops_at_the_deadline_too(archived, score):
    from pipeline.search.cache import page_terms

    ws = Workspace.at(archived)
    result = search.search(ws, search.SearchRequest(query='"accordo quadro"', reader=STAFF))
    assert result["total"] >= 1
    from pipeline.index import open_index
    from pipeline.search.query import parse_query

    ix = open_index(ws, public=False)
    try:
        with ix.searcher() as searcher:
            q = parse_query(ix.schema, '"accordo quadro"')
            docnums = list(searcher.docs_for_query(q))
            assert page_terms(searcher, q, docnums, Budget(10 ** 6))
            spent = Budget(0.5, clock=ticking())
            with pytest.raises(SearchTimeLimitError):
                page_terms(searcher, q, docnums, spent)
            score("web-slop")
    finally:
        ix.close()


def test_the_web_page_answers_a_search_past_its_time_with_a_clear_error(archived, monkeypatch, score):
    import pipeline.search.run as search_run

    monkeypatch.setattr(search_run, "Budget", lambda: Budget(1.5, clock=ticking()))
    client = create_app(Workspace.at(archived)).test_client()
    response = client.get("/", query_string={"q": "accordo OR sessione OR соглашение"})
    assert response.status_code == 400
    assert "La ricerca ha superato 1.5 secondi ed è stata interrotta" in response.get_data(as_text=True)
    score("web-slop")
