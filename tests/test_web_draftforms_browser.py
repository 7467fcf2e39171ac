"""The drafting form in a real headless Chromium (issue 23 item 3): a legal officer fills a three-party agreement
into an empty form, sees the problems of an empty one next to their inputs, corrects a derived form and renders;
every page of the form fits a phone and passes axe (WCAG 2.1 AA) in Italian and Russian, at 1280 and 390 px."""

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.web.users import add_user
from pipeline.workspace import Workspace
from tests.test_web_browser import (PHONE, SHOTS, axe_violations, browser, page_problems, serving,  # noqa: F401
                                    switch_language)
from tests.test_web_draftforms import PASSWORD, THREE_PARTIES

pytestmark = pytest.mark.slow
NEW = "/drafts/new?kind=agreement&session=25"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = tmp_path_factory.mktemp("draftforms") / "ws"
    assert CliRunner().invoke(cli, ["--home", str(home), "init", "--sample"]).exit_code == 0
    add_user(Workspace.at(home), "lucia", PASSWORD, roles=["legal"])
    add_user(Workspace.at(home), "aldo", PASSWORD, roles=["archivist"])
    with serving(home) as base:
        yield base


def sign_in(page, server, name="lucia"):
    page.goto(server + "/login")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    assert page.locator("#signed-in").count() == 1


def input_id(name: str) -> str:
    return "#f-" + name.replace("[", "-").replace("]", "").replace(".", "-").replace("_", "-")


def fill_three_parties(page):
    page.click("#add-parties")                        # a third party: the form comes back with one more row
    for name, value in THREE_PARTIES.items():
        target = page.locator(input_id(name))
        if target.evaluate("e => e.tagName") == "SELECT":
            target.select_option(value)
        else:
            target.fill(value)


def test_a_legal_officer_drafts_a_three_party_agreement_and_corrects_a_derived_form(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="it-IT")
    page = context.new_page()
    try:
        sign_in(page, server)
        page.goto(server + "/session/25")
        page.click("#draft-links >> text=Nuovo accordo")
        page.click("#save")                                           # the empty form
        assert page.locator("#error-f-subject-it-1").inner_text() == "Manca il testo italiano"
        fill_three_parties(page)
        page.click("#save")
        assert "Creata la versione 1 di TF25-AGR-001." in page.locator("#notice").inner_text()
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "draft-form-derived.png"), full_page=True)
        field = page.locator(input_id("parties[0].representative.name.ru_gen"))
        assert field.input_value() == "Андреа Коломбо"
        field.fill("Андреа Коломбо-Риччи")
        page.click("#save")
        assert "Creata la versione 2 di TF25-AGR-001." in page.locator("#notice").inner_text()
        assert page.locator(input_id("parties[0].representative.name.ru_gen")).input_value() == "Андреа Коломбо-Риччи"
        assert page.locator("#f-parties-0-representative-name-ru-gen ~ .source-given").count() == 1
    finally:
        context.close()


def test_an_archivist_gets_403_and_a_visitor_404(browser, server):
    context = browser.new_context(locale="it-IT")
    page = context.new_page()
    try:
        assert page.goto(server + NEW).status == 404
        sign_in(page, server, "aldo")
        assert page.goto(server + NEW).status == 403
        assert page.goto(server + "/drafts/new?kind=protocol&session=25").status == 403
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["it", "ru"])
@pytest.mark.parametrize("width", [1280, PHONE["width"]])
def test_the_form_pages_fit_and_pass_axe(browser, server, lang, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="it-IT",
                                  **({"is_mobile": True, "has_touch": True, "device_scale_factor": 2}
                                     if width < 1000 else {}))
    page = context.new_page()
    try:
        sign_in(page, server)
        switch_language(page, server, lang)
        problems = {}
        for path in (NEW, "/drafts/new?kind=memorandum&session=25", "/drafts/new?kind=protocol&session=25"):
            found = page_problems(page, server + path, lang, width)
            if found:
                problems[path] = found
        # the form with its errors, and a draft's form with its derived forms
        page.goto(server + NEW)
        page.click("#save")
        found = axe_violations(page) or (page.evaluate("document.documentElement.scrollWidth") > width and "wide")
        if found:
            problems["errors"] = found
        page.goto(server + "/drafts/TF25-AGR-001/edit")
        if page.locator("#draft-form").count():
            found = axe_violations(page) or (page.evaluate("document.documentElement.scrollWidth") > width
                                             and "wide")
            if found:
                problems["edit"] = found
        assert problems == {}
    finally:
        context.close()
