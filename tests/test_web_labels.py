"""The web page in the reader's language, down to the sector names; its Content-Security-Policy; snippets
without the page numbers and footers of the PDF; thumbnails off the search's path (issue 16)."""
import html
import json
import os
import re
import stat

import pytest

from pipeline.web import create_app
from pipeline.workspace import Workspace
from tests.conftest import ingest_documents
from tests.test_web import _signed_in, doc_id_of, own_home, set_language, text, web_home  # noqa: F401  (the fixtures)

MECCANICA_RU = "Машиностроение и оборудование"     # the sample session 25's table names the sector so


@pytest.fixture
def app(web_home):
    return create_app(Workspace.at(web_home))


def in_lang(client, lang):
    assert set_language(client, lang).status_code == 302
    return client


def facet(body, name="sectors"):
    """{value: (label, count)} of one facet of a search page."""
    return {value: (html.unescape(label), int(count)) for value, label, count in re.findall(
        rf'data-facet="{name}" data-value="([^"]*)">([^<]*)</a> <span class="count">(\d+)</span>', body)}


# --- sector names in the reader's language --------------------------------------------------------------------
@pytest.mark.parametrize("signed_in", [False, True])
def test_sector_facets_speak_the_page_language_and_count_the_same(app, signed_in):
    client = _signed_in(app) if signed_in else app.test_client()
    italian = facet(text(in_lang(client, "it").get("/")))
    russian = facet(text(in_lang(client, "ru").get("/")))
    assert italian["Meccanica strumentale"] == ("Meccanica strumentale", 2)
    assert russian["Meccanica strumentale"] == (MECCANICA_RU, 2)          # same key, same count
    assert russian["Logistica e trasporti"] == ("Logistica e trasporti", 2)  # only known in Italian: shown so
    assert {key: count for key, (_, count) in italian.items()} == {key: count for key, (_, count) in russian.items()}
    # the facet link narrows by the key in both languages
    assert 'href="/?sector=Meccanica+strumentale"' in text(client.get("/"))


@pytest.mark.parametrize("lang, label", [("it", "Meccanica strumentale"), ("ru", MECCANICA_RU)])
def test_the_sector_chip_says_what_the_facet_says(app, lang, label):
    client = in_lang(app.test_client(), lang)
    body = text(client.get("/?sector=Meccanica+strumentale"))
    chip = re.search(r'<span class="chip">([^<]*)<a', body)[1]
    assert chip.split(":", 1)[1].strip() == label
    assert len(re.findall(r'class="hit-title"', body)) == 2


@pytest.mark.parametrize("lang, label", [("it", "Meccanica strumentale"), ("ru", MECCANICA_RU)])
def test_the_sector_box_shows_the_sector_in_the_page_language(app, lang, label):
    client = in_lang(app.test_client(), lang)
    body = text(client.get("/?sector=Meccanica+strumentale"))       # a facet link's key
    assert html.unescape(re.search(r'<input name="sector" id="f-sector" value="([^"]*)"', body)[1]) == label
    typed = text(client.get("/?sector=sconosciuto"))                   # not a sector: kept as typed
    assert re.search(r'<input name="sector" id="f-sector" value="([^"]*)"', typed)[1] == "sconosciuto"


@pytest.mark.parametrize("lang, label", [("it", "Meccanica strumentale"), ("ru", MECCANICA_RU)])
def test_document_page_names_its_sectors_in_the_page_language(app, lang, label):
    client = in_lang(app.test_client(), lang)
    # Accordo Kama (session 24, no thematic tables) learns the Russian name from a visible document of 25
    for title in ("Accordo Kama", "Accordo quadro Bergamo"):
        body = text(client.get(f"/doc/{doc_id_of(_signed_in(app), title)}"))
        shown = re.search(r"<dt>[^<]*</dt><dd>([^<]*)</dd>\s*<dt>[^<]*</dt><dd id=\"signed-on\">", body)[1]
        assert html.unescape(shown) == label, title


@pytest.mark.parametrize("lang, label", [("it", "Meccanica strumentale"), ("ru", MECCANICA_RU)])
def test_statistics_name_sectors_in_the_page_language(app, lang, label):
    client = in_lang(app.test_client(), lang)
    body = text(client.get("/stats"))
    section = body.split('id="stats-sector"')[1].split("</section>")[0]
    assert re.search(rf'<a href="/\?sector=Meccanica\+strumentale" class="stats-link">{label}</a>', section)
    assert "Logistica e trasporti" in section


def test_json_download_gives_each_sector_in_both_languages(app):
    hits = json.loads(app.test_client().get("/?q=accordo&format=json").data)["hits"]
    for hit in hits:
        assert hit["sectors"] == ["Meccanica strumentale"]
        assert hit["sector_names"] == [{"it": "Meccanica strumentale", "ru": MECCANICA_RU}]
    letter = json.loads(app.test_client().get("/?q=logistica&format=json").data)["hits"]
    assert {"it": "Logistica e trasporti"} in [name for hit in letter for name in hit["sector_names"]]


def test_a_sector_name_only_a_hidden_document_gives_stays_hidden(own_home, tmp_path):
    # "Sistema casa" / "Дом и интерьер" is named in both languages by session 25's tables: a restricted
    # agreement of session 25 has it; a public one of session 24 (no tables) has only the Italian name
    ingest_documents(own_home, tmp_path, [
        ("casa-r.pdf", ["--session", 25, "--type", "agreement", "--title", "Accordo arredo riservato", "--sector",
                        "Sistema casa", "--signed-on", "2014-11-28", "--confidentiality", "restricted"],
         ["Accordo riservato sull'arredamento."]),
        ("casa-p.pdf", ["--session", 24, "--type", "agreement", "--title", "Accordo arredo", "--sector",
                        "Sistema casa", "--signed-on", "2014-04-17"], ["Accordo sull'arredamento."])])
    app = create_app(Workspace.at(own_home))
    visitor = in_lang(app.test_client(), "ru")
    assert facet(text(visitor.get("/")))["Sistema casa"] == ("Sistema casa", 1)
    assert "Дом и интерьер" not in text(visitor.get("/stats"))
    assert "Дом и интерьер" not in text(visitor.get(f"/doc/{doc_id_of(_signed_in(app), 'Accordo arredo')}"))
    staff = in_lang(_signed_in(app), "ru")
    assert facet(text(staff.get("/")))["Sistema casa"] == ("Дом и интерьер", 2)
    assert "Дом и интерьер" in text(staff.get("/stats"))


# --- Content-Security-Policy ----------------------------------------------------------------------------------
PAGE_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; "
               "frame-ancestors 'none'")


@pytest.mark.parametrize("path", ["/", "/?q=accordo", "/stats", "/sessions", "/session/25", "/login",
                                  "/no/such/page", "DOC"])
def test_the_policy_is_exactly_what_the_pages_need(app, path):
    client = app.test_client()
    if path == "DOC":
        path = f"/doc/{doc_id_of(_signed_in(app), 'Accordo quadro Bergamo')}"
    response = client.get(path)
    assert response.headers["Content-Security-Policy"] == PAGE_POLICY
    body = text(response)
    assert "<iframe" not in body and "<frame" not in body and "<object" not in body and "<embed" not in body
    # every image is this site's (the previews, the thumbnails): img-src 'self' is all they need
    assert all(src.startswith("/") and not src.startswith("//") for src in re.findall(r'<img[^>]* src="([^"]*)"', body))


# --- snippets without the PDF's page numbers and footers ------------------------------------------------------
def test_listing_snippets_end_without_the_page_number(app):
    body = text(app.test_client().get("/?sort=newest"))
    snippets = [html.unescape(re.sub(r"<[^>]+>", "", s)) for s in re.findall(r'<p class="snippet"[^>]*>(.*?)</p>', body)]
    assert snippets and any(s.endswith("Verona.") for s in snippets), snippets    # not "Verona. 1"
    assert not [s for s in snippets if re.search(r"\s\d{1,3}$", s)], snippets


def test_command_line_snippets_end_without_the_page_number(web_home):
    from click.testing import CliRunner

    from pipeline.cli import cli

    result = CliRunner().invoke(cli, ["--home", str(web_home), "search", "", "--sort", "newest", "--json"])
    assert result.exit_code == 0, result.output
    snippets = [hit["snippet"] for hit in json.loads(result.output)["hits"]]
    assert snippets and any(s.endswith("Verona.") for s in snippets), snippets    # the same source as the web's
    assert not [s for s in snippets if re.search(r"\s\d{1,3}$", s)], snippets


def test_snippets_leave_out_footers_and_running_headers():
    from pipeline.search.snippets import body_text

    pages = ["ACCORDO DI COOPERAZIONE\nLe parti promuovono la cooperazione.\nTF25-AGR-003 · v2 · 1",
             "ACCORDO DI COOPERAZIONE\nLe parti si impegnano.\nPagina 2 di 3",
             "ACCORDO DI COOPERAZIONE\nFirmato a Bergamo.\n- 3 -"]
    assert body_text(pages).splitlines() == ["Le parti promuovono la cooperazione.", "Le parti si impegnano.",
                                             "Firmato a Bergamo."]
    # a word the layout broke at a line's end is whole again; a hyphen before another script's line stays
    broken = ["Le Parti hanno raggiunto la se-\nguente intesa con AO «Kerz-\nhenetsstanok» italo-\nРусский текст\n1"]
    assert body_text(broken).splitlines() == ["Le Parti hanno raggiunto la seguente intesa con AO «Kerzhenetsstanok» "
                                              "italo-", "Русский текст"]
    # a range broken after its dash (LibreOffice breaks after an en dash) is whole again: "10–12", not "10– 12";
    # a dash with a space before it is a separator and stays apart (issue 21)
    ranges = ["La sessione si tiene dal 10–\n12 aprile 2019 a Roma; с 10–\n12 апреля.\nArticolo 3 –\nDurata del"]
    assert body_text(ranges).splitlines() == ["La sessione si tiene dal 10–12 aprile 2019 a Roma; с 10–12 апреля.",
                                              "Articolo 3 –", "Durata del"]


# --- thumbnails are files, never made by the search page ------------------------------------------------------
@pytest.fixture
def counting_pdftoppm(tmp_path, monkeypatch):
    """A pdftoppm first on PATH that counts its runs in a file, then runs the real one."""
    import shutil

    real = shutil.which("pdftoppm")
    if real is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    folder = tmp_path / "bin"
    folder.mkdir()
    calls = tmp_path / "calls"
    fake = folder / "pdftoppm"
    fake.write_text(f'#!/bin/sh\necho run >> "{calls}"\nexec "{real}" "$@"\n')
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return lambda: len(calls.read_text().splitlines()) if calls.exists() else 0


def test_a_search_page_never_runs_pdftoppm(own_home, tmp_path, counting_pdftoppm):
    extra = [(f"many-{n}.pdf", ["--session", 26, "--type", "agreement", "--title", f"Intesa numero {n}",
                                "--signed-on", "2015-05-21"], [f"Intesa di prova numero {n} sulla cooperazione."])
             for n in range(20)]
    ingest_documents(own_home, tmp_path, extra)
    client = create_app(Workspace.at(own_home)).test_client()
    before = counting_pdftoppm()
    thumbs = []
    for page in (1, 2):
        body = text(client.get(f"/?q=prova&page={page}"))
        assert "20 documenti" in body
        thumbs += re.findall(r'<img src="/doc/([0-9a-f]{16})/thumb.png" alt="" class="thumb"', body)
    assert len(set(thumbs)) == 20
    assert counting_pdftoppm() == before                # twenty hits, no image made in the pages' requests
    first = client.get(f"/doc/{thumbs[0]}/thumb.png")   # made once, at its first view
    assert first.status_code == 200 and counting_pdftoppm() == before + 1
    again = client.get(f"/doc/{thumbs[0]}/thumb.png")   # a file now: served, not made again
    assert again.data == first.data and counting_pdftoppm() == before + 1
    assert again.headers["Cache-Control"] == "private, max-age=86400" and again.headers["ETag"]
    assert client.get(f"/doc/{thumbs[0]}/thumb.png", headers={"If-None-Match": again.headers["ETag"]}).status_code == 304
    assert counting_pdftoppm() == before + 1


# --- a session's days written once ---------------------------------------------------------------------------
@pytest.mark.parametrize("lang, days", [("it", "26–28 novembre 2014"), ("ru", "26–28 ноября 2014 г.")])
def test_session_days_are_written_as_a_reader_writes_them(app, lang, days):
    client = in_lang(app.test_client(), lang)
    for path in ("/sessions", "/session/25", f"/doc/{doc_id_of(_signed_in(app), 'Accordo quadro Bergamo')}"):
        body = html.unescape(text(client.get(path))).replace("\xa0", " ")
        assert days in body, path
        assert "26 novembre 2014 – 28" not in body and "26 ноября 2014 г. –" not in body, path


@pytest.mark.parametrize("start, end, lang, shown", [
    ("2004-04-30", "2004-05-02", "it", "30 aprile – 2 maggio 2004"),
    ("2004-04-30", "2004-05-02", "ru", "30 апреля – 2 мая 2004 г."),
    ("2004-12-30", "2005-01-02", "it", "30 dicembre 2004 – 2 gennaio 2005"),
    ("2004-12-30", "2005-01-02", "ru", "30 декабря 2004 г. – 2 января 2005 г."),
    ("2004-05-12", "2004-05-12", "it", "12 maggio 2004"),
    ("2002-10-01", "2002-10-03", "ru", "1–3 октября 2002 г.")])
def test_range_text(start, end, lang, shown):
    from pipeline.web.formats import range_text

    assert range_text(start, end, lang).replace("\xa0", " ") == shown


@pytest.mark.parametrize("lang, label", [("it", "25 · Bergamo 2014"), ("ru", "25 · Бергамо 2014")])
def test_the_session_chip_says_what_the_facet_says(app, lang, label):
    client = in_lang(app.test_client(), lang)
    assert facet(text(client.get("/")), "session")["25"][0] == label
    body = html.unescape(text(client.get("/?session=25")))
    assert re.search(r'<span class="chip">([^<]*)<a', body)[1].split(":", 1)[1].strip() == label


@pytest.mark.parametrize("typed", ["Машиностроение и оборудование", "машиностроение", "Meccanica strumentale",
                                   "meccanica"])
def test_the_sector_filter_takes_a_name_in_either_language(app, typed):
    client = in_lang(app.test_client(), "ru")
    body = text(client.get("/", query_string={"sector": typed}))
    assert sorted(html.unescape(t) for t in re.findall(r'class="hit-title">([^<]*)<', body)) == \
        ["Accordo Kama", "Accordo quadro Bergamo"]
