"""The web page through Flask's test client, over a real archive (PDFs ingested through the CLI).

Anonymous visitors must see public documents only, on every path: hits, snippets, facet counts, totals,
suggestions, statistics, session pages, document and PDF URLs, downloads.
"""
import csv
import io
import json
import os
import re
import shutil
import stat

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.web import create_app
from pipeline.web.app import MARK, marked
from pipeline.workspace import Workspace
from tests.conftest import ingest_documents

PASSWORD = "corretta-e-lunga"
# added to the shared archive: an internal note (with markup in its text) and a public letter of session 25
WEB_DOCUMENTS = [
    ("internal.pdf", ["--session", 26, "--type", "other", "--title", "Nota interna doganale", "--sector",
                      "Dogane", "--signed-on", "2015-05-22", "--confidentiality", "internal"],
     ["Nota interna sulla cooperazione doganale. <script>alert(1)</script> & <b>grassetto</b>"]),
    ("markup.pdf", ["--session", 25, "--type", "letter", "--title", "Lettera <i>marcata</i> & co",
                    "--party", "Rossi & Figli <S.p.A.>", "--signed-on", "2014-11-29"],
     ["Lettera sulla fiera: <img src=x onerror=alert(1)> ecosistema & distretti."]),
]
RESTRICTED = "Memorandum tessile"         # session 25, sector "Tessile e moda", words tessile / Меморандум
INTERNAL = "Nota interna doganale"        # session 26, sector "Dogane"


def cli_run(home, *args, input=None):
    return CliRunner().invoke(cli, ["--home", str(home), *map(str, args)], input=input)


@pytest.fixture(scope="module")
def web_home(archived, tmp_path_factory):
    """The shared archive plus WEB_DOCUMENTS, and the staff user anna."""
    root = tmp_path_factory.mktemp("web")
    home = root / "ws"
    shutil.copytree(archived, home, symlinks=True)
    ingest_documents(home, root, WEB_DOCUMENTS)
    result = cli_run(home, "users", "add", "anna", input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    return home


@pytest.fixture
def own_home(web_home, tmp_path):
    """A copy of the web workspace that a test may change."""
    home = tmp_path / "ws"
    shutil.copytree(web_home, home, symlinks=True)
    return home


@pytest.fixture
def app(web_home):
    return create_app(Workspace.at(web_home))


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_of(client, path="/login"):
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf" value="([^"]+)"', page)[1]


def set_language(client, code, next=None):
    """The page's language switched as its menu does it: a post with the session's CSRF token."""
    return client.post(f"/lang/{code}", data={"csrf": csrf_of(client, "/"), **({"next": next} if next else {})})


def login(client, name="anna", password=PASSWORD, **extra):
    return client.post("/login", data={"name": name, "password": password, "csrf": csrf_of(client), **extra})


@pytest.fixture
def staff(client):
    assert login(client).status_code == 302
    return client


def doc_id_of(client, title):
    """The id of a document by its title, looked up by a signed-in client."""
    page = client.get("/?sort=date").get_data(as_text=True)
    for doc_id, shown in re.findall(r'href="/doc/([0-9a-f]{16})(?:\?[^"]*)?" class="hit-title">([^<]*)<', page):
        if shown == title:
            return doc_id
    raise AssertionError(f"{title} not listed")


def archive_id_of(staff, address):
    """The archive's id (TFA-…) of the document at ``address`` (its public id), as staff's page shows it."""
    return re.search(r"\((TFA-\d+)\)</dd>", staff.get(f"/doc/{address}").get_data(as_text=True))[1]


def titles(response):
    page = response.get_data(as_text=True)
    import html

    return sorted(html.unescape(t) for t in re.findall(r'class="hit-title">([^<]*)<', page))


def text(response):
    return response.get_data(as_text=True)


# --- the search page -----------------------------------------------------------------------------------------
def test_search_finds_and_marks_words(client):
    response = client.get("/?q=accordo")
    assert response.status_code == 200
    assert titles(response) == ["Accordo Kama", "Accordo quadro Bergamo"]
    assert "<mark>Accordo</mark>" in text(response) and "2 documenti" in text(response)


def test_empty_query_lists_public_documents_by_date(client):
    response = client.get("/")
    assert titles(response) == sorted(["Accordo Kama", "Accordo quadro Bergamo", "Protocollo della sessione 26",
                                       "Lettera di intenti", "Progetto lungo", "Lettera <i>marcata</i> & co"])
    assert "6 documenti" in text(response)


@pytest.mark.parametrize("query", ["tessile", "Меморандум", "riservato", "doganale", "memorandum",
                                   "type:memorandum", "confidentiality:restricted", "sector:Dogane"])
def test_anonymous_search_never_shows_hidden_documents(client, query):
    response = client.get("/", query_string={"q": query})
    answer = re.sub(r'href="[^"]*"', "", text(response).split('<div class="layout">')[1])   # not the query
    assert titles(response) == [] and 'id="no-results"' in answer and 'id="suggestion"' not in answer
    for hidden in (RESTRICTED, INTERNAL, "essile", "Dogane", "riservato", "Меморандум"):
        assert hidden not in answer


def test_anonymous_facet_counts_leave_hidden_documents_out(client):
    body = text(client.get("/"))
    assert "Tessile e moda" not in body and "Dogane" not in body
    assert re.search(r'data-facet="session" data-value="25">25 · Bergamo 2014</a> <span class="count">2</span>', body)
    assert re.search(r'data-facet="session" data-value="26">26 · [^<]* 2015</a> <span class="count">3</span>', body)
    assert 'data-value="memorandum"' not in body and 'data-value="other"' not in body


@pytest.mark.parametrize("query", ["distretto", "memorandum OR accordo", "tessile OR distretto", "cooperazione",
                                   "doganale OR lettera"])
def test_anonymous_totals_count_only_the_documents_shown(client, query):
    body = text(client.get("/", query_string={"q": query}))
    shown = len(titles(client.get("/", query_string={"q": query})))
    assert (f"{shown} documenti" in body) if shown else 'id="no-results"' in body
    data = json.loads(client.get("/", query_string={"q": query, "format": "json"}).get_data(as_text=True))
    assert data["total"] == len(data["hits"]) == shown and data["pages"] == 1


def test_a_phrase_on_the_parties_is_a_page_not_an_error(client):
    response = client.get("/", query_string={"q": 'party:"Serralucente Viaggi"'})
    assert response.status_code == 200 and 'id="no-results"' in text(response)
    assert titles(client.get("/", query_string={"q": 'party:"Volga Trans"'})) == ["Lettera di intenti"]


def test_staff_see_every_level_with_its_mark(staff):
    response = staff.get("/")
    assert RESTRICTED in titles(response) and INTERNAL in titles(response) and "8 documenti" in text(response)
    body = text(staff.get("/?q=tessile"))
    assert RESTRICTED in body and "level-restricted" in body
    body = text(staff.get("/"))
    assert re.search(r'data-value="25">25 · Bergamo 2014</a> <span class="count">3</span>', body) and "Tessile e moda" in body


def test_did_you_mean_comes_from_visible_documents_only(client, app):
    body = text(client.get("/?q=accrdo"))
    assert 'id="suggestion"' in body and "accordo" in body
    body = text(client.get("/?q=tessle"))               # tessile is only in the restricted document
    assert 'id="suggestion"' not in body and "tessile" not in body
    staff = app.test_client()
    login(staff)
    body = text(staff.get("/?q=tessle"))
    assert 'id="suggestion"' in body and ">tessile</a>" in body


def test_snippets_and_titles_are_escaped(client):
    body = text(client.get("/?q=ecosistema"))
    assert "<img src=x" not in body and "&lt;img src=x onerror=alert(1)&gt;" in body
    assert "<mark>ecosistema</mark>" in body
    assert "Lettera &lt;i&gt;marcata&lt;/i&gt; &amp; co" in body and "<i>marcata" not in body
    assert "Rossi &amp; Figli &lt;S.p.A.&gt;" in body


def snippets_of(response) -> dict:
    import html

    body = text(response)
    found = re.findall(r'class="hit-title">([^<]*)</a>.*?<p class="snippet"[^>]*>(.*?)</p>', body, re.S)
    return {html.unescape(title): html.unescape(re.sub(r"<[^>]+>", "", snippet)) for title, snippet in found}


def test_snippets_are_one_language_without_the_title(client):
    shown = snippets_of(client.get("/?q=accordo"))
    assert shown["Accordo Kama"] == "Gli accordi sono firmati dalle parti"          # no Russian glued to it
    assert not shown["Accordo quadro Bergamo"].startswith("Accordo quadro Bergamo")
    shown = snippets_of(client.get("/?q=соглашение"))
    assert shown["Accordo quadro Bergamo"] == "Соглашение подписано в Бергамо"
    assert all(len(snippet) <= 242 for snippet in shown.values())
    set_language(client, "ru")
    listing = snippets_of(client.get("/"))                     # no matched word: the reader's language
    assert listing["Accordo Kama"].startswith("Настоящих соглашений")
    set_language(client, "it")
    assert snippets_of(client.get("/"))["Accordo Kama"] == "Gli accordi sono firmati dalle parti."


def test_marked_escapes_text_and_balances_marks():
    assert marked(f"a <b> {MARK[0]}x & y{MARK[1]} z") == "a &lt;b&gt; <mark>x &amp; y</mark> z"
    assert marked(f"{MARK[1]}stray {MARK[0]}open") == "stray <mark>open</mark>"
    assert marked("<mark>typed</mark>") == "&lt;mark&gt;typed&lt;/mark&gt;"


@pytest.mark.parametrize("params, expected", [
    ({"session": "25"}, ["Accordo quadro Bergamo", "Lettera <i>marcata</i> & co"]),
    ({"session_from": "24", "session_to": "25"}, ["Accordo Kama", "Accordo quadro Bergamo",
                                                   "Lettera <i>marcata</i> & co"]),
    ({"session_from": "26"}, ["Lettera di intenti", "Progetto lungo", "Protocollo della sessione 26"]),
    ({"year": "2014"}, ["Accordo Kama", "Accordo quadro Bergamo", "Lettera <i>marcata</i> & co"]),
    ({"from": "2015-05-21"}, ["Lettera di intenti", "Progetto lungo"]),
    ({"to": "2014-04-17"}, ["Accordo Kama"]),
    ({"type": "protocol"}, ["Protocollo della sessione 26"]),
    ({"sector": "logistica e trasporti"}, ["Lettera di intenti", "Progetto lungo"]),
    ({"party": "Кама"}, ["Accordo Kama"]),
    ({"country": "it"}, ["Accordo quadro Bergamo", "Lettera <i>marcata</i> & co"]),
    ({"lang": "ru"}, ["Accordo Kama", "Accordo quadro Bergamo", "Protocollo della sessione 26"]),
    ({"q": "accordo", "type": "agreement", "session": "24"}, ["Accordo Kama"]),
])
def test_every_filter(client, params, expected):
    response = client.get("/", query_string=params)
    assert response.status_code == 200 and titles(response) == sorted(expected)
    assert "class=\"chip\"" in text(response)          # the filter is shown, with a link that removes it


def test_facet_links_narrow_the_search(client):
    body = text(client.get("/?q=accordo"))
    link = re.search(r'href="([^"]+)" data-facet="country" data-value="IT"', body)[1].replace("&amp;", "&")
    assert titles(client.get(link)) == ["Accordo quadro Bergamo"]
    link = re.search(r'href="([^"]+)" data-facet="year" data-value="2014"', text(client.get("/")))[1]
    assert len(titles(client.get(link.replace("&amp;", "&")))) == 3


def in_order(response):
    import html

    return [html.unescape(t) for t in re.findall(r'class="hit-title">([^<]*)<', text(response))]


def test_sort_by_date_and_pagination(client):
    body = text(client.get("/?q=sessione&sort=date"))            # the older name of oldest first
    assert re.search(r'<option value="oldest" selected>', body) and 'id="sort-active">meno recenti prima' in body
    # the form carries no sort of its own unless one was chosen: a query typed after a listing is by relevance
    assert re.search(r'<option value="" selected>', text(client.get("/")))
    first = client.get("/?sort=date")
    assert "Pagina 1 di 1" in text(first)

    # ten hits a page: the fifty-odd-page FILLER document is one hit; make pages with the listing
    page2 = client.get("/?page=2")
    assert page2.status_code == 200 and titles(page2) == [] and "Nessun documento trovato" in text(page2)


def signed_dates(client, query_string):
    data = json.loads(client.get("/?format=json&" + query_string).get_data(as_text=True))
    return [hit["signed_on"] for hit in data["hits"]]


def test_the_sort_says_what_it_does(client):
    # an empty query has no relevance: newest first, and the page says so
    body = text(client.get("/"))
    assert 'id="sort-active">più recenti prima' in body and 'id="sort-relevance"' not in body
    assert signed_dates(client, "") == sorted(signed_dates(client, ""), reverse=True)
    assert in_order(client.get("/"))[-1] == "Accordo Kama"                       # the oldest, 17 April 2014
    assert signed_dates(client, "sort=oldest") == sorted(signed_dates(client, "sort=oldest"))
    assert in_order(client.get("/?sort=oldest"))[0] == "Accordo Kama"
    assert 'id="sort-active">più recenti prima' in text(client.get("/?sort=relevance"))   # shown as it is
    # a query: relevance by default, the two date orders on offer
    body = text(client.get("/?q=accordo"))
    assert 'id="sort-active">pertinenza' in body and 'id="sort-newest"' in body and 'id="sort-oldest"' in body
    assert signed_dates(client, "q=accordo&sort=newest") == ["2014-11-28", "2014-04-17"]
    assert "сначала новые" in text(client.post("/lang/ru", data={"csrf": csrf_of(client, "/"), "next": "/"},
                                               follow_redirects=True))


def test_undated_documents_come_last_in_both_date_orders(web_home, tmp_path):
    home = tmp_path / "ws"
    shutil.copytree(web_home, home, symlinks=True)
    ingest_documents(home, tmp_path, [("undated.pdf", ["--session", 24, "--type", "letter", "--title",
                                                       "Lettera senza data"], ["Una lettera della sessione."])])
    client = create_app(Workspace.at(home)).test_client()
    for sort in ("", "newest", "oldest"):
        order = in_order(client.get(f"/?sort={sort}"))
        assert order[-1] == "Lettera senza data", sort
    body = text(client.get("/?q=lettera"))
    assert "senza data" in body and "None" not in body


@pytest.mark.parametrize("params, message", [
    ({"q": "("}, "non contiene parole da cercare"),
    ({"q": "colore:rosso"}, "Campo sconosciuto nella ricerca: 'colore:'"),
    ({"q": "accordo AND"}, "AND vuole una parola o una frase dopo di sé"),
    ({"q": '"unclosed'}, "Le virgolette (&#34;) non sono chiuse"),
    ({"q": "(accordo"}, "La parentesi «(» non è chiusa"),
    ({"page": "x"}, "Pagina: «x» non è un numero intero"),
    ({"page": "0"}, "Pagina: «0» non è un numero intero"),
    ({"session": "-3"}, "Sessione: «-3»"),
    ({"session_from": "9", "session_to": "2"}, "La sessione iniziale 9 viene dopo quella finale 2"),
    ({"year": "12"}, "Anno: «12»"),
    ({"from": "31 febbraio 2015"}, "Firmato dal: «31 febbraio 2015» non è una data"),
    ({"from": "2015-05-21", "to": "2014-01-01"}, "viene prima di quella iniziale"),
    ({"type": "poem"}, "Tipo: «poem» non è tra i valori ammessi"),
    ({"country": "FR"}, "Paese ospitante: «FR» non è tra i valori ammessi"),
    ({"lang": "en"}, "Lingua del testo: «en» non è tra i valori ammessi"),
    ({"sort": "size"}, "Ordina per: «size» non è tra i valori ammessi"),
    ({"format": "xml"}, "Formato: «xml» non è tra i valori ammessi"),
    ({"party": "!!"}, "Parte: «!!» non contiene lettere"),
])
def test_bad_parameters_are_messages_on_the_page(client, params, message):
    response = client.get("/", query_string=params)
    body = text(response)
    assert response.status_code == 400 and 'id="errors"' in body and message in body.replace("&#39;", "'")
    assert "Traceback" not in body


def test_csv_and_json_downloads_of_the_current_results(client, app):
    response = client.get("/?q=accordo&format=csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert sorted(row["title"] for row in rows) == ["Accordo Kama", "Accordo quadro Bergamo"]
    assert all(MARK[0] not in row["snippet"] and "accord" in row["snippet"].lower() for row in rows)
    data = json.loads(client.get("/?session=25&format=json").get_data(as_text=True))
    assert data["total"] == 2 and RESTRICTED not in json.dumps(data)
    everything = json.loads(client.get("/?format=json").get_data(as_text=True))
    assert {hit["confidentiality"] for hit in everything["hits"]} == {"public"} and everything["total"] == 6
    staff = app.test_client()
    login(staff)
    data = json.loads(staff.get("/?session=25&format=json").get_data(as_text=True))
    assert data["total"] == 3 and RESTRICTED in json.dumps(data)


# --- the document page and its PDF ---------------------------------------------------------------------------
def test_document_page_shows_metadata_text_pdf_and_the_session(client, app):
    staff = app.test_client()
    login(staff)
    doc_id = doc_id_of(staff, "Accordo quadro Bergamo")
    body = text(client.get(f"/doc/{doc_id}"))
    for expected in ("Accordo quadro Bergamo", "Meccanica Orobica S.p.A.", "Meccanica strumentale", "28 novembre 2014",
                     "Sessione 25", "Pagina 1", "cooperazione industriale", f"/doc/{doc_id}/pdf",
                     f"/doc/{doc_id}/pdf?download=1", "Firme digitali", "nessuna firma digitale",
                     "Controllo di integrità", "testo del PDF", "Lettera &lt;i&gt;marcata"):
        assert expected in body, expected
    assert RESTRICTED not in body                       # the other documents of session 25: public only
    assert RESTRICTED in text(staff.get(f"/doc/{doc_id}"))
    archived = archive_id_of(staff, doc_id)
    assert archived not in body and doc_id in body        # a visitor sees the public id, never the archive's
    for short in (archived, str(int(archived[4:])), archived.lower()):     # staff may type the archive's id
        answer = staff.get(f"/doc/{short}")
        assert answer.status_code == 301 and answer.headers["Location"] == f"/doc/{doc_id}", short
        assert client.get(f"/doc/{short}").status_code == 404, short        # a visitor may not


def test_document_page_shows_the_last_fixity_check(web_home, client):
    result = cli_run(web_home, "archive", "verify")
    assert result.exit_code == 0, result.output
    doc_id = doc_id_of(client, "Accordo Kama")
    body = text(client.get(f"/doc/{doc_id}"))
    assert "ultimo controllo" in body and "nessun problema" in body


def _signed_in(app):
    client = app.test_client()
    login(client)
    return client


def test_pdf_inline_and_as_download(client, app):
    staff = _signed_in(app)
    doc_id = doc_id_of(staff, "Accordo Kama")
    inline = client.get(f"/doc/{doc_id}/pdf")
    assert inline.status_code == 200 and inline.mimetype == "application/pdf"
    assert inline.data.startswith(b"%PDF-") and "attachment" not in inline.headers.get("Content-Disposition", "")
    assert inline.headers["X-Frame-Options"] == "SAMEORIGIN"
    download = client.get(f"/doc/{doc_id}/pdf?download=1")
    assert download.data == inline.data and "attachment" in download.headers["Content-Disposition"]
    folder = Workspace.at(app.extensions["taskforce"]["ws"].home).archive / archive_id_of(staff, doc_id)
    original = (folder / "original.pdf").read_bytes()
    assert inline.data == original


@pytest.mark.parametrize("title", [RESTRICTED, INTERNAL])
def test_hidden_documents_do_not_exist_for_anonymous_visitors(client, app, title):
    staff = _signed_in(app)
    doc_id = doc_id_of(staff, title)
    archived = archive_id_of(staff, doc_id)
    for path in (f"/doc/{doc_id}", f"/doc/{doc_id}/pdf", f"/doc/{doc_id}/pdf?download=1", f"/doc/{int(archived[4:])}",
                 f"/doc/{archived}", f"/doc/{doc_id}/page/1.png", f"/doc/{doc_id}/thumb.png"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert title not in text(response) and b"%PDF" not in response.data and b"PNG" not in response.data
        assert staff.get(path).status_code in (200, 301)
    for tail in ("", "/page/1.png", "/thumb.png", "/page/2.png"):          # the same answer as a missing one
        missing = client.get(f"/doc/0123456789abcdef{tail}")
        hidden = client.get(f"/doc/{doc_id}{tail}")
        assert (missing.status_code, text(missing).replace("0123456789abcdef", doc_id)) == \
            (hidden.status_code, text(hidden))
        assert {k: v for k, v in missing.headers if k not in ("Content-Length",)} == \
            {k: v for k, v in hidden.headers if k not in ("Content-Length",)}


# --- dates and words in the page's language ------------------------------------------------------------------
def visible_text(response) -> str:
    import html

    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", text(response), flags=re.S)
    body = re.sub(r'<p class="help date-hint".*?</p>', " ", body, flags=re.S)      # the hint shows an ISO form
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


@pytest.mark.parametrize("lang, signed, stamp", [("it", "28 novembre 2014", r"\d+ \w+ 20\d\d, \d\d:\d\d UTC"),
                                                    ("ru", "28 ноября 2014\u00a0г.", r"\d+ \w+ 20\d\d\u00a0г\., \d\d:\d\d UTC")])
def test_dates_and_words_are_in_the_page_language_everywhere(client, app, lang, signed, stamp):
    staff = _signed_in(app)
    doc_id = doc_id_of(staff, "Accordo quadro Bergamo")
    for who in (client, staff):
        set_language(who, lang)
    body = visible_text(client.get(f"/doc/{doc_id}"))
    assert signed in body and re.search(stamp, body)
    assert signed in visible_text(client.get("/?q=accordo"))
    for who in (client, staff):
        for path in ("/", "/?q=accordo", f"/doc/{doc_id}", "/session/25", "/sessions", "/stats", "/login",
                     "/?q=colore:rosso", "/?page=x", "/?from=ieri", "/no/such/page"):
            shown = visible_text(who.get(path)).replace("2019-11-27", "")    # the example of the ISO form
            assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", shown), (path, re.findall(r".{30}\d{4}-\d{2}-\d{2}.{10}", shown))
            for english in ("undated", "(none)", "unknown", "None", "is not", "query", "Error", "signature",
                            "entire file"):
                assert not re.search(rf"(?<!\w){re.escape(english)}(?!\w)", shown), (path, english)


def test_date_filters_take_the_forms_the_command_line_takes(client):
    expected = ["Lettera di intenti", "Progetto lungo"]
    for value in ("2015-05-21", "21 maggio 2015", "21 мая 2015 г."):
        response = client.get("/", query_string={"from": value})
        assert response.status_code == 200 and titles(response) == expected, value
    body = text(client.get("/"))
    assert 'name="from" id="f-from" type="text"' in body and 'aria-describedby="date-hint"' in body
    assert "es. 27 novembre 2019" in body and "maggio 2015" in body


def test_a_month_means_its_first_day_from_and_its_last_day_to(client):
    """'maggio 2015' / 'май 2015' was refused (issue 21): a month and year is its first day in "from", its last
    day in "to", in both languages."""
    may_2015 = ["Lettera di intenti", "Progetto lungo", "Protocollo della sessione 26"]
    for value in ("maggio 2015", "Maggio 2015", "май 2015", "мая 2015 г.", "2015-05"):
        response = client.get("/", query_string={"from": value})
        assert response.status_code == 200 and sorted(titles(response)) == may_2015, value
        response = client.get("/", query_string={"from": value, "to": value})
        assert sorted(titles(response)) == may_2015, value
    until_november = ["Accordo Kama", "Accordo quadro Bergamo", "Lettera <i>marcata</i> & co"]   # the letter: 29th
    response = client.get("/", query_string={"to": "novembre 2014"})
    assert sorted(titles(response)) == until_november
    set_language(client, "ru")
    response = client.get("/", query_string={"to": "апрель 2015"})
    assert sorted(titles(response)) == until_november
    response = client.get("/", query_string={"from": "май"})
    assert response.status_code == 400 and "«май» — не дата" in text(response)
    set_language(client, "it")
    response = client.get("/", query_string={"to": "ottobre 2014"})
    assert sorted(titles(response)) == ["Accordo Kama"]
    response = client.get("/", query_string={"from": "giugno 2015"})
    assert response.status_code == 200 and titles(response) == []
    response = client.get("/", query_string={"from": "maggio"})
    assert response.status_code == 400 and "«maggio» non è una data" in text(response)


# --- navigation -----------------------------------------------------------------------------------------------
def test_back_to_results_keeps_the_search(client, app):
    body = text(client.get("/?q=accordo&country=IT&sort=newest"))
    link = re.search(r'href="(/doc/[0-9a-f]{16}\?back=[^"]+)" class="hit-title"', body)[1].replace("&amp;", "&")
    page = text(client.get(link))
    back = re.search(r'href="([^"]+)" id="back"', page)[1].replace("&amp;", "&")
    assert back.startswith("/?") and "q=accordo" in back and "country=IT" in back and "sort=newest" in back
    assert titles(client.get(back)) == ["Accordo quadro Bergamo"]
    # only search parameters travel, and only to the search page
    doc_id = re.search(r"/doc/([0-9a-f]{16})", link)[1]
    page = text(client.get(f"/doc/{doc_id}", query_string={"back": "q=x&next=//evil.example&csrf=1"}))
    assert re.search(r'href="/\?q=x" id="back"', page)
    assert re.search(r'href="/" id="back"', text(client.get(f"/doc/{doc_id}?back=//evil.example")))
    staff = _signed_in(app)
    short = staff.get(f"/doc/{int(archive_id_of(staff, doc_id)[4:])}?back=q%3Daccordo")   # staff's short address keeps it
    assert short.status_code == 301 and short.headers["Location"] == f"/doc/{doc_id}?back=q%3Daccordo"


def test_the_document_links_the_protocol_and_the_agreements_of_its_session(client, app):
    doc_id = doc_id_of(_signed_in(app), "Lettera di intenti")                  # session 26
    body = text(client.get(f"/doc/{doc_id}"))
    assert re.search(r'id="session-protocol">.*?Protocollo della sessione 26', body, re.S)
    assert re.search(r'id="session-agreements">.*?Progetto lungo', body, re.S) and INTERNAL not in body


def test_long_facet_lists_show_a_few_and_link_to_all(client, monkeypatch):
    import pipeline.web.app as web_app

    monkeypatch.setattr(web_app, "FACET_SHOWN", 2)
    body = text(client.get("/"))
    session_facet = re.search(r'id="facet-session">(.*?)</section>', body, re.S)[1]
    assert session_facet.count('data-facet="session"') == 2 and 'id="more-session"' in session_facet
    assert "mostra tutti (3)" in session_facet
    more = re.search(r'href="([^"]+)" class="more" id="more-session"', session_facet)[1].replace("&amp;", "&")
    everything = re.search(r'id="facet-session">(.*?)</section>', text(client.get(more)), re.S)[1]
    assert everything.count('data-facet="session"') == 3 and "mostra meno" in everything


def test_statistics_tables_link_to_their_searches(client):
    body = text(client.get("/stats"))
    assert 'href="/?year=2014" class="stats-link">2014</a>' in body
    assert 'href="/?country=IT" class="stats-link">Italia</a>' in body
    assert 'href="/?session=25" class="stats-link">25 · Bergamo 2014</a>' in body
    assert "nessuno" in body and "(none)" not in body                      # documents without a sector
    link = re.search(r'href="(/\?sector=[^"]+)" class="stats-link">Logistica e trasporti<', body)[1]
    assert titles(client.get(link.replace("&amp;", "&"))) == ["Lettera di intenti", "Progetto lungo"]


# --- page images ----------------------------------------------------------------------------------------------
def test_page_images_and_thumbnails_are_cached_files_outside_the_archive(client, app, web_home):
    staff = _signed_in(app)
    doc_id = doc_id_of(staff, "Accordo quadro Bergamo")
    archived = archive_id_of(staff, doc_id)
    record = json.loads((web_home / "archive" / archived / "metadata-r1.json").read_text())
    body = text(client.get(f"/doc/{doc_id}"))
    assert f'src="/doc/{doc_id}/page/1.png"' in body and 'class="page-image"' in body and "<iframe" not in body
    folder = web_home / "index" / "previews" / record["sha256"]
    assert not folder.exists()                                # never made by the document page: referred to
    thumb = client.get(f"/doc/{doc_id}/thumb.png")
    assert thumb.status_code == 200 and thumb.mimetype == "image/png" and thumb.data.startswith(b"\x89PNG")
    image = client.get(f"/doc/{doc_id}/page/1.png")
    assert image.status_code == 200 and image.data.startswith(b"\x89PNG") and (folder / "page-0001.png").is_file()
    from PIL import Image

    assert Image.open(io.BytesIO(image.data)).size[0] >= 800 and max(Image.open(io.BytesIO(thumb.data)).size) <= 240
    assert image.headers["Cache-Control"] == "private, max-age=86400" and "Set-Cookie" not in image.headers
    assert record["sha256"] in image.headers["ETag"] and image.headers["ETag"] != thumb.headers["ETag"]
    again = client.get(f"/doc/{doc_id}/page/1.png", headers={"If-None-Match": image.headers["ETag"]})
    assert again.status_code == 304 and not again.data
    assert client.get(f"/doc/{doc_id}").headers["Cache-Control"] == "no-store"     # HTML never cached
    assert client.get("/stats/year.png").headers["Cache-Control"] == "no-store"    # counts differ by reader
    for wrong in (f"/doc/{doc_id}/page/0.png", f"/doc/{doc_id}/page/2.png", f"/doc/{int(archived[4:])}/thumb.png"):
        assert client.get(wrong).status_code == 404, wrong
    # nothing was added to the write-once archive: the fixity check stays clean
    assert sorted(p.name for p in (web_home / "archive" / archived).iterdir()) == ["metadata-r1.json", "original.pdf",
                                                                                 "text"]
    result = cli_run(web_home, "archive", "verify")
    assert result.exit_code == 0, result.output
    # derived data: deleted, made again the same
    shutil.rmtree(web_home / "index" / "previews")
    assert client.get(f"/doc/{doc_id}/page/1.png").data == image.data


def test_the_search_shows_thumbnails_and_hidden_images_revalidate(client, app):
    body = text(client.get("/?q=accordo"))
    assert len(re.findall(r'<img src="/doc/[0-9a-f]{16}/thumb.png" alt="" class="thumb"', body)) == 2
    staff = _signed_in(app)
    doc_id = doc_id_of(staff, RESTRICTED)
    image = staff.get(f"/doc/{doc_id}/thumb.png")
    assert image.status_code == 200 and image.headers["Cache-Control"] == "private, no-cache"
    # after signing out, the same validator gets the 404 of a missing document, not a 304
    assert client.get(f"/doc/{doc_id}/thumb.png", headers={"If-None-Match": image.headers["ETag"]}).status_code == 404


def test_answers_set_the_cookie_only_when_the_session_changes(app):
    staff = _signed_in(app)
    staff.get("/")                                              # the CSRF token is made once
    for path in ("/", "/stats", "/favicon.ico"):
        assert "Set-Cookie" not in staff.get(path).headers, path   # a late answer cannot undo a sign-out
    assert "Set-Cookie" in set_language(staff, "ru").headers


def test_a_document_without_images_still_shows_its_text(client, app, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")                 # no pdftoppm
    doc_id = doc_id_of(_signed_in(app), "Lettera di intenti")
    import pipeline.web.previews as previews

    monkeypatch.setattr(previews, "previews_root", lambda ws: ws.index / "previews-none")
    body = text(client.get(f"/doc/{doc_id}"))
    assert 'id="no-preview"' in body and "page-image" not in body and "Pagina 1" in body
    assert client.get(f"/doc/{doc_id}/page/1.png").status_code == 404


@pytest.mark.parametrize("path", ["/doc/TFA-999999", "/doc/TFA-999999/pdf", "/doc/..%2F..%2Fevents.jsonl",
                                  "/doc/events.jsonl/pdf", "/doc/%2E%2E/pdf", "/archive/events.jsonl",
                                  "/static/../../archive/events.jsonl", "/session/99", "/stats/party.png",
                                  "/no/such/page"])
def test_missing_things_are_404_pages(client, path):
    response = client.get(path)
    assert response.status_code == 404 and "Errore 404" in text(response) and "Traceback" not in text(response)


# --- sessions and statistics ---------------------------------------------------------------------------------
def test_session_page_with_protocol_documents_and_timeline(client, app):
    body = text(client.get("/session/25"))
    assert "Bergamo" in body and "Tavoli tematici" in body and "Accordo quadro Bergamo" in body
    assert RESTRICTED not in body and "Il Protocollo non è nell&#39;archivio" in body
    assert 'id="timeline"' in body and "/session/24" in body and "/session/26" in body
    body = text(client.get("/session/26"))
    assert re.search(r'id="protocols">.*Protocollo della sessione 26', body, re.S) and INTERNAL not in body
    assert RESTRICTED in text(_signed_in(app).get("/session/25"))


def test_a_date_chip_shows_the_date_in_the_pages_language(client):
    """The chip of a date filter showed the ISO date "2010-01-01" (issue 21)."""
    import html

    def chips(response):
        return [html.unescape(chip).strip() for chip in re.findall(r'<span class="chip">([^<]*)<a ', text(response))]

    assert chips(client.get("/?from=2010-01-01&to=maggio 2015")) == [
        "Firmato dal: 1 gennaio 2010", "al: 31 maggio 2015"]
    set_language(client, "ru")
    shown = chips(client.get("/?from=2010-01-01"))
    assert shown == ["Подписан с: 1 января 2010\u00a0г."]
    set_language(client, "it")
    # a value that is not a date stays as typed (its error says why)
    assert chips(client.get("/?from=ieri"))[0].endswith(": ieri")


def test_the_next_session_reads_well_without_its_city(client, own_home):
    """The sample session 25 announces a session in Russia whose city is not decided: the page read
    "Sessione successiva: (RU), primo semestre 2015" (issue 21)."""
    import html

    def next_line(page):
        return html.unescape(re.search(r'<dd id="next-session">(.*?)</dd>', text(page), re.S)[1])

    assert next_line(client.get("/session/25")) == ("Russia, città da definire, primo semestre 2015 / первое "
                                                    "полугодие 2015 г.")
    set_language(client, "ru")
    assert next_line(client.get("/session/25")) == ("Россия, город будет определён, первое полугодие 2015 г. / "
                                                    "primo semestre 2015")
    set_language(client, "it")
    # with a city and dates: the city, its country's name, the dates in the page's language
    import yaml

    path = own_home / "sessions" / "session-025.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["next_session"] = {"country": "RU", "city": {"it": "Mosca", "ru": "Москва"}, "start": "2015-05-19",
                            "end": "2015-05-22"}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    own = create_app(Workspace.at(own_home)).test_client()
    assert next_line(own.get("/session/25")) == "Mosca / Москва (Russia), 19 maggio 2015 – 22 maggio 2015"


def test_timeline_counts_visible_documents(client, app):
    body = text(client.get("/sessions"))
    row = r'id="session-row-25">.*?class="num documents"><a href="/\?session=25">{}</a>'
    assert re.search(row.format(2), body, re.S) and "Documenti pubblici" in body
    staff_body = text(_signed_in(app).get("/sessions"))
    assert re.search(row.format(3), staff_body, re.S) and "Documenti visibili" in staff_body
    assert re.search(r'id="session-row-25">.*?26–28 novembre 2014.*?Bergamo, Lombardia.*?Italia', body,
                     re.S)


def test_statistics_count_visible_documents_only(client, app):
    body = text(client.get("/stats"))
    assert "6 documenti in tutto" in body and "Tessile e moda" not in body and "Dogane" not in body
    for by in ("year", "session", "sector", "country"):
        chart = client.get(f"/stats/{by}.png")
        assert chart.status_code == 200 and chart.data.startswith(b"\x89PNG")
    staff_body = text(_signed_in(app).get("/stats"))
    assert "8 documenti in tutto" in staff_body and "Tessile e moda" in staff_body


def test_statistics_chart_differs_by_level(client, app):
    assert client.get("/stats/sector.png").data != _signed_in(app).get("/stats/sector.png").data


# --- signing in and out ---------------------------------------------------------------------------------------
def test_login_form_has_a_csrf_token_and_refuses_a_post_without_it(client):
    body = text(client.get("/login"))
    assert 'name="csrf"' in body and 'type="password"' in body
    response = client.post("/login", data={"name": "anna", "password": PASSWORD})
    assert response.status_code == 400 and "Il modulo è scaduto" in text(response)
    response = client.post("/login", data={"name": "anna", "password": PASSWORD, "csrf": "forged"})
    assert response.status_code == 400
    assert "signed-in" not in text(client.get("/"))


def test_login_logout_round_trip(client):
    response = login(client, next="/session/25")
    assert response.status_code == 302 and response.headers["Location"] == "/session/25"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and PASSWORD not in cookie
    assert "anna" in text(client.get("/")) and RESTRICTED in text(client.get("/?q=tessile"))
    assert client.post("/logout").status_code == 400                 # no token: refused
    assert client.get("/logout").status_code == 405
    token = re.search(r'name="csrf" value="([^"]+)"', text(client.get("/")))[1]
    response = client.post("/logout", data={"csrf": token})
    assert response.status_code == 302
    assert RESTRICTED not in text(client.get("/?q=tessile")) and 'id="login-link"' in text(client.get("/"))


@pytest.mark.parametrize("name, password", [("anna", "sbagliata-del-tutto"), ("nessuno", PASSWORD), ("", "")])
def test_wrong_credentials(client, name, password):
    response = login(client, name, password)
    assert response.status_code == 401 and "Nome utente o password errati" in text(response)
    assert "signed-in" not in text(client.get("/"))


def test_failed_attempts_are_limited(client):
    for _ in range(5):
        assert login(client, password="sbagliata-del-tutto").status_code == 401
    response = login(client)                         # even the right password waits now
    assert response.status_code == 429 and "Troppi tentativi" in text(response)
    assert RESTRICTED not in text(client.get("/?q=tessile"))


def test_the_limit_applies_per_address_across_names(app):
    client = app.test_client()
    for n in range(5):
        login(client, f"nome{n}", "sbagliata-del-tutto")
    assert login(client).status_code == 429


def test_the_lockout_ends_after_the_window(web_home):
    now = [1000.0]
    app = create_app(Workspace.at(web_home), login_limit=2, login_window=60, clock=lambda: now[0])
    client = app.test_client()
    assert login(client, password="sbagliata-del-tutto").status_code == 401
    assert login(client, password="sbagliata-del-tutto").status_code == 401
    assert login(client).status_code == 429
    now[0] += 59
    assert login(client).status_code == 429
    now[0] += 2
    assert login(client).status_code == 302


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "\\\\evil", "javascript:alert(1)"])
def test_login_never_redirects_off_site(client, target):
    assert login(client, next=target).headers["Location"] == "/"


def test_a_removed_user_loses_access_at_once(web_home, tmp_path):
    home = tmp_path / "ws"
    shutil.copytree(web_home, home, symlinks=True)
    assert cli_run(home, "users", "add", "boris", input=PASSWORD + "\n").exit_code == 0
    client = create_app(Workspace.at(home)).test_client()
    assert login(client, "boris").status_code == 302
    assert RESTRICTED in text(client.get("/?q=tessile"))
    assert cli_run(home, "users", "remove", "boris").exit_code == 0
    assert RESTRICTED not in text(client.get("/?q=tessile"))


def test_a_cookie_signed_with_another_key_is_ignored(web_home, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(web_home, other, symlinks=True)
    (other / "web" / "secret-key").unlink()
    stranger = create_app(Workspace.at(other)).test_client()
    login(stranger)
    cookie = stranger.get_cookie("taskforce_session").value
    client = create_app(Workspace.at(web_home)).test_client()
    client.set_cookie("taskforce_session", cookie)
    assert RESTRICTED not in text(client.get("/?q=tessile"))


# --- headers, language, errors --------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/", "/?q=accordo", "/login", "/stats", "/sessions", "/no/such/page"])
def test_security_headers(client, path):
    headers = client.get(path).headers
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
    csp = headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "script-src" not in csp
    assert headers["Cache-Control"] == "no-store"


def test_italian_by_default_russian_on_request(client):
    assert '<html lang="it">' in text(client.get("/")) and "Cerca" in text(client.get("/"))
    response = set_language(client, "ru", next="/session/25")
    assert response.status_code == 302 and response.headers["Location"] == "/session/25"
    body = text(client.get("/?q=accordo"))
    assert '<html lang="ru">' in body and "Найти" in body and "Документов: 2" in body and "Соглашение" in body
    assert "Сессия 25" in text(client.get("/session/25")) and "Всего документов: 6" in text(client.get("/stats"))
    set_language(client, "it")
    assert "Cerca" in text(client.get("/"))
    assert client.get("/lang/en").status_code == 404 and set_language(client, "en").status_code == 404
    assert set_language(client, "ru", next="//evil.example").headers["Location"] == "/"


def test_language_survives_login(client):
    set_language(client, "ru")
    login(client)
    assert "Вы вошли как" in text(client.get("/"))


def test_method_not_allowed_is_a_page(client):
    response = client.post("/")
    assert response.status_code == 405 and "Errore 405" in text(response)


def with_search(web_home, search):
    """A client of an application whose use cases run ``search`` instead of the search."""
    from pipeline.usecases import UseCases

    class Replaced(UseCases):
        def search(self, request):
            return search(request)

    ws = Workspace.at(web_home)
    return create_app(ws, usecases=Replaced(ws)).test_client()


def test_an_unexpected_error_is_a_500_page_without_traceback(web_home):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals /etc/passwd")

    response = with_search(web_home, broken).get("/?q=accordo")
    body = text(response)
    assert response.status_code == 500 and "Errore 500" in body
    assert "secret internals" not in body and "Traceback" not in body


def test_a_busy_index_is_a_503_page(web_home):
    from pipeline.errors import BusyError

    def busy(*args, **kwargs):
        raise BusyError("another process is writing the index")

    response = with_search(web_home, busy).get("/")
    assert response.status_code == 503 and "another process" not in text(response)


# --- staff accounts (CLI) -------------------------------------------------------------------------------------
def test_users_cli(workspace, run):
    result = run("users", "add", "mario", input="password-di-mario\n")
    assert result.exit_code == 0 and result.output == "Added user mario (no role: reads only).\n"
    stored = (workspace / "web" / "users.json").read_text()
    assert "password-di-mario" not in stored and "scrypt$" in stored
    assert stat.S_IMODE(os.stat(workspace / "web" / "users.json").st_mode) == 0o600
    assert stat.S_IMODE(os.stat(workspace / "web").st_mode) == 0o700
    result = run("users", "add", "mario", input="un-altra-password\n")
    assert result.exit_code == 1 and "user mario exists; give --replace" in result.output
    result = run("users", "add", "mario", "--replace", input="un-altra-password\n")
    assert result.exit_code == 0 and "Changed the password of user mario (no role: reads only)." in result.output
    assert run("users", "add", "lucia", input="corta\n").output.startswith("Error: the password is too short")
    assert "user name" in run("users", "add", "../x", input="password-lunga\n").output
    result = run("users", "list", "--json")
    users = json.loads(result.output)
    assert [u["name"] for u in users] == ["mario"] and "hash" not in result.output
    assert "mario" in run("users", "list").output
    assert run("users", "remove", "mario").output == "Removed user mario.\n"
    result = run("users", "remove", "mario")
    assert result.exit_code == 1 and "no user mario" in result.output
    assert run("users", "list").output.strip() == "(none)"


def test_passwords_check_and_hashes_differ(workspace):
    from pipeline.web import users

    ws = Workspace.at(workspace)
    users.add_user(ws, "a", "password-uguale")
    users.add_user(ws, "b", "password-uguale")
    stored = json.loads((workspace / "web" / "users.json").read_text())["users"]
    assert stored["a"]["hash"] != stored["b"]["hash"]
    assert users.authenticate(ws, "a", "password-uguale") and not users.authenticate(ws, "a", "password-ugual")
    assert not users.authenticate(ws, "c", "password-uguale") and not users.authenticate(ws, "a", "x" * 5000)


def test_secret_key_is_made_once_and_private(workspace):
    from pipeline.web.users import secret_key

    ws = Workspace.at(workspace)
    key = secret_key(ws)
    assert len(key) >= 32 and secret_key(ws) == key
    assert stat.S_IMODE(os.stat(workspace / "web" / "secret-key").st_mode) == 0o600


def test_serve_help_names_host_and_port(run):
    result = run("serve", "--help")
    assert result.exit_code == 0 and "--host" in result.output and "--port" in result.output
