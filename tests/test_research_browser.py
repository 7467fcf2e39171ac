"""The researcher's questions in a real browser (issue 25): on a 390 px phone a document's bilingual title no
longer fills the first screen, and the first hit shows above the fold; "What did the Bergamo Protocol say
about the next session?" answered in one step, by a snippet that names the "Prossima sessione" section."""

import pytest

from tests.conftest import search_workspace
from tests.test_sections import DOCUMENTS
from tests.test_web_browser import browser, serving  # noqa: F401  (browser: the fixture)

pytestmark = pytest.mark.slow         # a real browser

LONG_TITLE = ("Accordo quadro di cooperazione industriale, tecnologica e commerciale tra le imprese del distretto "
              "del mobile della Brianza e le imprese dell'arredamento della Repubblica del Tatarstan")
LONG_TITLE_RU = ("Рамочное соглашение о промышленном, технологическом и торговом сотрудничестве между "
                 "предприятиями мебельного округа Брианца и мебельными предприятиями Республики Татарстан")
LONG = [("long-title.pdf", ["--session", 25, "--type", "agreement", "--title", LONG_TITLE, "--title-ru", LONG_TITLE_RU,
                            "--signed-on", "2014-11-28"],
         ["Accordo quadro sul mobile e sull'arredamento. Соглашение о мебели."])]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = search_workspace(tmp_path_factory.mktemp("research-web"), DOCUMENTS + LONG)
    with serving(home) as base:
        yield base


def test_a_bilingual_title_does_not_fill_a_phones_first_screen(browser, server):
    context = browser.new_context(viewport=PHONE, locale="it-IT")
    page = context.new_page()
    page.goto(server + "/?q=mobile")
    first = page.locator(".hit").first
    assert first.bounding_box()["y"] + 60 < PHONE["height"]          # the first hit begins above the fold
    assert page.locator(".hit-title").first.bounding_box()["height"] < 0.3 * PHONE["height"]
    page.click(".hit-title")
    title = page.locator("#doc-title")
    assert LONG_TITLE in title.text_content() and LONG_TITLE_RU in title.text_content()   # all there to read
    box = title.bounding_box()
    assert box["height"] < 0.35 * PHONE["height"], box
    assert page.locator("#metadata").bounding_box()["y"] < PHONE["height"]    # the record starts on screen one
    context.close()


def test_the_next_session_in_one_step(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="it-IT")
    page = context.new_page()
    page.goto(server + "/")
    page.fill("#q", '"prossima sessione"')
    page.click("#search-button")
    snippet = page.locator(".snippet").first.inner_text()
    assert snippet.startswith("Prossima sessione:") and "primo semestre 2015" in snippet
    page.click(".hit-title")
    assert page.locator("#sections a", has_text="Prossima sessione").count() == 1
    page.click("#sections >> text=Prossima sessione")
    assert page.url.endswith("#" + page.locator("h3", has_text="Prossima sessione").get_attribute("id"))
    assert page.locator("#reading mark").count() >= 2
    context.close()
