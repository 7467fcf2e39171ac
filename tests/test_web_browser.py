"""End to end in a real headless Chromium (Debian's chromium, driven by Playwright; no browser download)
against `taskforce serve` started on a free port of 127.0.0.1. Screenshots of the main pages go to
tests/screenshots/ (git-ignored) for review."""
import re
import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REPO, require_tool
from tests.test_web import INTERNAL, PASSWORD, RESTRICTED, web_home  # noqa: F401  (the fixture)

pytestmark = pytest.mark.slow         # a real browser: minutes (make test-fast leaves it out)
SHOTS = Path(__file__).resolve().parent / "screenshots"


def switch_language(page, server, lang):
    """The page's language switched as a visitor does it: the switch's form, posted (a GET changes nothing)."""
    page.goto(server + f"/lang/{lang}?next=/")
    page.click("#lang-switch")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serving(home):
    """`taskforce serve` on the workspace ``home`` in a child process: its address; stopped afterwards, and it
    must not have printed a traceback."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "--home", str(home), "serve", "--host",
                                "127.0.0.1", "--port", str(port)], cwd=REPO, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if process.poll() is not None:
                pytest.fail(f"the server stopped: {process.stdout.read().decode()}")
            try:
                urllib.request.urlopen(base + "/login", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not answer within 30 s")
        yield base
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0].decode()
        assert "Traceback" not in output, output


@pytest.fixture(scope="module")
def server(web_home):
    """`taskforce serve` on the shared web workspace; its address."""
    with serving(web_home) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    chromium = require_tool("chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="it-IT")
    page = context.new_page()
    yield page
    context.close()


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def hit_titles(page):
    return sorted(page.locator(".hit-title").all_inner_texts())


def test_search_facet_document_pdf_login_restricted_logout(page, server):
    # type a query
    page.goto(server + "/")
    assert page.locator("html").get_attribute("lang") == "it"
    page.fill("#q", "accordo")
    page.click("#search-button")
    assert hit_titles(page) == ["Accordo Kama", "Accordo quadro Bergamo"]
    assert page.locator(".snippet mark").count() >= 2
    shot(page, "01-search")

    # click a facet
    page.click('a[data-facet="country"][data-value="IT"]')
    assert hit_titles(page) == ["Accordo quadro Bergamo"]
    assert "country=IT" in page.url and page.locator(".chip").count() == 1
    shot(page, "02-facet")

    # open a document
    page.click("text=Accordo quadro Bergamo")
    assert page.locator("#doc-title").inner_text() == "Accordo quadro Bergamo"
    assert "cooperazione industriale" in page.locator("#text").inner_text()
    image = page.locator("img.page-image").first      # the page's image beside its text, not a PDF plug-in
    image.scroll_into_view_if_needed()
    page.wait_for_function("() => [...document.images].every(img => img.complete)")
    assert image.evaluate("img => img.naturalWidth") >= 800
    shot(page, "03-document")

    # view the PDF: the link answers with the archived file and opens Chromium's viewer
    pdf_url = page.locator("#pdf-open").get_attribute("href")
    response = page.request.get(server + pdf_url)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
    page.click("#pdf-open")
    page.wait_for_load_state()
    page.wait_for_timeout(1500)
    assert page.url.endswith(pdf_url)
    shot(page, "04-pdf")

    # a restricted document does not exist before logging in
    page.goto(server + "/?q=tessile")
    assert hit_titles(page) == [] and page.locator("#no-results").is_visible()

    # log in
    page.click("#login-link")
    page.fill("#name", "anna")
    page.fill("#password", PASSWORD)
    shot(page, "05-login")
    page.click("#login-submit")
    assert "anna" in page.locator("#signed-in").inner_text()
    assert hit_titles(page) == [RESTRICTED]            # back on the same search, now with the hidden document
    shot(page, "06-search-signed-in")

    # see the restricted document
    page.click(f"text={RESTRICTED}")
    assert page.locator("#doc-title").inner_text() == RESTRICTED
    assert page.locator(".level-restricted").count() >= 1
    restricted_url = page.url
    shot(page, "07-restricted-document")

    # log out: the document is gone again
    page.click("#logout")
    assert page.locator("#login-link").is_visible()
    response = page.goto(restricted_url)
    assert response.status == 404 and RESTRICTED not in page.content()
    shot(page, "08-after-logout-404")


def test_session_statistics_and_russian_pages(page, server):
    page.goto(server + "/session/26")
    assert "Protocollo della sessione 26" in page.locator("#protocols").inner_text()
    assert INTERNAL not in page.content()
    shot(page, "09-session")
    page.goto(server + "/sessions")
    assert page.locator("#timeline tbody tr").count() == 3
    shot(page, "09b-sessions")
    page.goto(server + "/stats")
    for by in ("year", "session", "sector", "country"):        # each chart also as an image
        response = page.request.get(server + page.locator(f"#chart-{by}").get_attribute("href"))
        assert response.ok and response.headers["content-type"] == "image/png" and len(response.body()) > 5000
    bars = page.locator("#stats-country a.bar")
    assert bars.count() == 2 and bars.first.bounding_box()["width"] > 100     # drawn by the style sheet
    shot(page, "10-statistics")
    bars.first.click()                                           # a bar is a link to the documents it counts
    assert "country=RU" in page.url and len(hit_titles(page)) == 4
    page.goto(server + "/stats")
    page.click("#lang-ru")
    assert page.locator("html").get_attribute("lang") == "ru" and "Подписанные документы" in page.content()
    page.goto(server + "/?q=соглашение")
    assert page.locator("#search-button").inner_text() == "Найти"
    assert re.search(r"Документов: 2", page.locator("#total").inner_text())
    shot(page, "11-search-russian")


def test_no_console_errors_and_no_inline_script(page, server):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    for path in ("/", "/?q=accordo", "/sessions", "/stats", "/login", "/session/25"):
        page.goto(server + path)
    page.goto(server + "/?q=accordo")
    page.click(".hit-title >> nth=0")                       # a document with its page images
    page.wait_for_load_state("networkidle")
    assert errors == []                                     # no CSP violation, no broken image
    assert page.locator("script").count() == 0


# --- phones and accessibility ---------------------------------------------------------------------------------
PHONE = {"width": 390, "height": 844}
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
           "resultTypes": ["violations"]}


def every_page(page, server, signed_in=False):
    """The addresses of every kind of page: searches (empty, with hits, with an error, none found), a document,
    a session, the timeline, the statistics, the sign-in form, a missing page."""
    page.goto(server + "/?q=accordo")
    document = page.locator(".hit-title").first.get_attribute("href")
    paths = ["/", "/?q=accordo", "/?q=accordo&country=IT&from=1+gennaio+2014", "/?q=colore:rosso",
             "/?q=nessunaparolacosi", "/?more=session", document, "/session/25", "/sessions", "/stats",
             "/no/such/page"]
    return paths + ([] if signed_in else ["/login"])


def sign_in(page, server):
    page.goto(server + "/login")
    page.fill("#name", "anna")
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    assert page.locator("#signed-in").count() == 1


def axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG_AA)
    return [f"{v['id']}: {v['help']} ({', '.join(str(n['target']) for n in v['nodes'][:3])})"
            for v in results.response["violations"]]


def page_problems(page, url: str, lang: str, max_width: int):
    """Open ``url``: it must be in ``lang``; what is wrong with it: wider than ``max_width``, or its axe
    violations (None when nothing)."""
    page.goto(url)
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == lang
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > max_width:
        return f"{width} px wide"
    return axe_violations(page) or None


@pytest.mark.parametrize("lang", ["it", "ru"])
@pytest.mark.parametrize("who", ["anonymous", "staff"])
def test_every_page_fits_a_phone_and_passes_axe(browser, server, lang, who):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                  locale="it-IT")
    page = context.new_page()
    try:
        if who == "staff":
            sign_in(page, server)
        switch_language(page, server, lang)
        problems = {}
        for path in every_page(page, server, who == "staff"):
            found = page_problems(page, server + path, lang, PHONE["width"])
            if found:
                problems[path] = found
        assert problems == {}
    finally:
        context.close()


def test_desktop_pages_pass_axe_in_both_languages(page, server):
    problems = {}
    for lang in ("it", "ru"):
        switch_language(page, server, lang)
        for path in every_page(page, server):
            page.goto(server + path)
            found = axe_violations(page)
            if found:
                problems[f"{lang} {path}"] = found
    assert problems == {}


def test_on_a_phone_the_first_hit_is_on_the_first_screen(browser, server):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, locale="it-IT")
    page = context.new_page()
    try:
        page.goto(server + "/?q=accordo")
        facets = page.locator("details#facets")
        assert facets.evaluate("d => d.open") is False                      # folded below the search box
        first = page.locator(".hit").first.bounding_box()
        assert first["y"] < PHONE["height"] - 60
        shot(page, "12-phone-search")
        page.click("details#facets > summary")
        assert page.locator('a[data-facet="country"][data-value="IT"]').is_visible()
        shot(page, "13-phone-facets")
        page.goto(server + "/?q=accordo")
        page.click(".hit-title >> nth=0")
        page.wait_for_function("() => [...document.images].filter(i => i.loading !== 'lazy').every(i => i.complete)")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shot(page, "14-phone-document")
        page.click("#back")
        assert "q=accordo" in page.url and page.locator(".hit").count() == 2
    finally:
        context.close()


def test_facets_are_a_side_column_on_a_wide_screen_and_focus_is_visible(page, server):
    page.goto(server + "/?q=accordo")
    assert page.locator('a[data-facet="country"][data-value="IT"]').is_visible()   # open without a click
    assert not page.locator("details#facets > summary").is_visible()
    page.keyboard.press("Tab")                                                   # the skip link
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert page.evaluate("document.activeElement.className") == "skip" and outline == "solid"


# --- a researcher's walk-through: every page, both languages, both widths, anonymous and staff -------------------
ENGLISH = re.compile(r"\b(?:undated|none|unknown|Search|Sessions?|Page|Sector|Documents?|Signed|Results?)\b")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\d{2}:\d{2}:\d{2}|T\d{2}:\d{2}")
READING = """() => {
  const visible = document.body.cloneNode(true);
  visible.querySelectorAll('.date-hint, input, select, code, .visually-hidden, [hidden]').forEach(e => e.remove());
  const broken = [...document.querySelectorAll('td.num, th.num, .count')].filter(cell => {
    const range = document.createRange(); range.selectNodeContents(cell);
    return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1; }).map(c => c.innerText);
  const images = [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src);
  return {text: visible.innerText, broken, images, width: document.documentElement.scrollWidth};
}"""


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("lang", ["it", "ru"])
@pytest.mark.parametrize("who", ["anonymous", "staff"])
def test_a_researchers_walk_through(browser, server, who, lang, width):
    """Every page reads in the page's language (no English word, no ISO date or raw timestamp), fits the
    screen, never breaks a number inside a table cell, and every image (thumbnails, page images) is there."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="it-IT")
    page = context.new_page()
    try:
        if who == "staff":
            sign_in(page, server)
        switch_language(page, server, lang)
        problems = {}
        for path in every_page(page, server, who == "staff"):
            page.goto(server + path)
            page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')")
            page.wait_for_function("() => [...document.images].every(i => i.complete)")
            seen = page.evaluate(READING)
            found = [f"English: {m}" for m in ENGLISH.findall(seen["text"])]
            found += [f"ISO or raw time: {m}" for m in ISO_DATE.findall(seen["text"])]
            found += [f"number broken: {cell!r}" for cell in seen["broken"]]
            found += [f"image missing: {src}" for src in seen["images"]]
            if seen["width"] > width:
                found.append(f"{seen['width']} px wide")
            if found:
                problems[path] = found
        # sectors in the page's language, chips and facets agreeing
        page.goto(server + "/?q=accordo")
        if width < 400:
            page.click("details#facets > summary")
        label = page.locator('a[data-facet="sectors"][data-value="Meccanica strumentale"]')
        expected = "Машиностроение и оборудование" if lang == "ru" else "Meccanica strumentale"
        assert label.inner_text() == expected
        label.click()
        assert expected in page.locator(".chip").inner_text()
        if who == "anonymous" and width < 400:
            shot(page, f"15-phone-sector-chip-{lang}")
        assert problems == {}
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["it", "ru"])
def test_on_a_phone_a_filtered_search_still_shows_its_first_hit_first(browser, server, lang):
    """Active filters are the chips: the filter form stays folded (open only to correct an error)."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, locale="it-IT")
    page = context.new_page()
    try:
        switch_language(page, server, lang)
        page.goto(server + "/?q=accordo&sector=Meccanica+strumentale&country=IT")
        assert page.locator(".chip").count() == 2
        assert page.locator("details.filters").evaluate("d => d.open") is False
        assert page.locator(".hit").first.bounding_box()["y"] < PHONE["height"] - 60
        page.goto(server + "/?q=accordo&from=ieri")
        assert page.locator("details.filters").evaluate("d => d.open") is True      # the box to correct
    finally:
        context.close()
