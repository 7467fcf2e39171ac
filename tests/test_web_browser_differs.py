"""The comparison with the approved draft in a real headless Chromium (tests/test_web_browser.py's server and
browser, over tests/comparisons.py's archive): the search filter, the document page's line and the redline fit
a 390-pixel phone and pass axe-core's WCAG 2.1 AA rules in Italian and Russian; a visitor's request with the
staff's filter is a page that passes them too."""
import pytest

from tests.comparisons import comparison_workspace
from tests.conftest import web_address
from tests.test_web_browser import (PHONE, axe_violations, browser, page_problems, server,  # noqa: F401
                                    shot, sign_in, switch_language)                  # (the fixtures)

pytestmark = pytest.mark.slow

STAFF_PAGES = ["/?differs=1", "/?differs=1&q=consenso+preventivo", "/doc/TFA-000004", "/doc/TFA-000004/diff",
               "/doc/TFA-000001/diff", "/doc/TFA-000005"]


@pytest.fixture(scope="module")
def web_home(tmp_path_factory):
    """The archive the server serves (replaces test_web's fixture for this module)."""
    return comparison_workspace(tmp_path_factory.mktemp("browser-differs"))


@pytest.mark.parametrize("lang", ["it", "ru"])
@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 900}])
def test_the_filter_the_line_and_the_redline_fit_a_phone_and_pass_axe(browser, server, lang, viewport):
    context = browser.new_context(viewport=viewport, locale="it-IT")
    page = context.new_page()
    try:
        switch_language(page, server, lang)
        problems = {}
        visitor = page.goto(server + "/?differs=1")
        assert visitor.status == 400
        problems.update({"visitor /?differs=1": found for found in [axe_violations(page)] if found})
        sign_in(page, server)
        for path in STAFF_PAGES:
            found = page_problems(page, server + path, lang, viewport["width"])
            if found:
                problems[path] = found
        assert problems == {}
        if viewport == PHONE:
            page.goto(server + "/doc/TFA-000004/diff")
            shot(page, f"15-redline-{lang}")
    finally:
        context.close()


def test_staff_tick_the_box_see_the_chip_and_open_the_redline(browser, server, web_home):
    both = web_address(web_home, "TFA-000004")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="it-IT")
    page = context.new_page()
    try:
        sign_in(page, server)
        page.goto(server + "/")
        page.click("details.filters > summary")
        page.check("#f-differs")
        page.click("#apply")
        # the three signed copies of TF25-AGR-001 that differ are one hit, one reference (issue 25)
        assert "differs=1" in page.url and page.locator(".hit").count() == 1
        assert page.locator(".hit .files").inner_text() == "3 originali"
        assert page.locator(".chip").inner_text().startswith("Testo firmato: diverso dalla bozza approvata")
        page.click("a.hit-title")
        if f"/doc/{both}" not in page.url:           # the hit opens its best match: the files list has the others
            page.click(f'#files a[href^="/doc/{both}"]')
        assert "Differisce dalla bozza finale v2 in 3 paragrafi" in page.locator("#draft-comparison").inner_text()
        page.click("#draft-diff")
        assert f"/doc/{both}/diff?back=" in page.url
        assert page.locator("#diff-it").is_visible() and page.locator("#diff-ru").is_visible()
        page.click("#back")
        page.click("#back")
        assert "differs=1" in page.url
    finally:
        context.close()
