"""Intake in a real browser (issue 24, "Done when"): an archivist uploads five files (a signed agreement with a
reference, a scan of an old Protocol without one, a duplicate, a damaged file, a letter with no clue to its
session) to `taskforce serve`, sees the Protocol's session and type proposed, the duplicate and the damaged
file explained and the letter asking for a session, corrects one value, confirms, and withdraws a document,
after which a visitor's search and pages no longer show it; a legal user gets 403. Both languages, 1280 and
390 px, axe 0 violations on /intake and the review page."""
from __future__ import annotations

import shutil
import time

import pytest

from pipeline.web.users import add_user, set_roles
from pipeline.workspace import Workspace
from tests.test_web import PASSWORD, web_home  # noqa: F401  (the fixture)
from tests.test_web_browser import (PHONE, axe_violations, browser, page_problems, serving, shot, sign_in,  # noqa: F401
                                    switch_language)
from tests.test_web_intake import five  # noqa: F401  (the fixture)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def intake_server(web_home, tmp_path_factory):
    home = tmp_path_factory.mktemp("intake-web") / "ws"
    shutil.copytree(web_home, home, symlinks=True)
    ws = Workspace.at(home)
    set_roles(ws, "anna", ["archivist"])
    add_user(ws, "lucia", PASSWORD, roles=["legal"])
    with serving(home) as base:
        yield base


def review_when_prepared(page, timeout=180):
    """Wait while the review page refreshes itself (the files are being prepared)."""
    deadline = time.monotonic() + timeout
    while page.locator('meta[http-equiv="refresh"]').count():
        assert time.monotonic() < deadline, "the preparation did not end"
        page.wait_for_timeout(500)
        page.wait_for_load_state("load")


def test_an_archivist_takes_five_files_in_through_the_browser(five, intake_server, browser):  # five first: signing runs its own event loop
    server = intake_server
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="it-IT")
    page = context.new_page()
    try:
        sign_in(page, server)
        assert page_problems(page, server + "/intake", "it", 1280) is None
        page.set_input_files("#files", [{"name": name, "mimeType": "application/pdf", "buffer": path.read_bytes()}
                                        for name, path in five])
        page.click("#upload-submit")
        page.wait_for_load_state("load")
        assert "/intake/" in page.url
        assert page.locator("#progress").count() == 1
        review_when_prepared(page)
        review = page.url
        assert page.input_value("#f1-session") == "25"
        assert page.input_value("#f2-session") == "7"                       # the old Protocol, from its text
        assert page.input_value("#f2-type") == "protocol"
        assert "Duplicato" in page.inner_text("#file-3")
        assert "danneggiato" in page.inner_text("#file-4").lower()
        assert "indicate la sessione" in page.inner_text("#file-5")
        for lang, width in (("it", 1280), ("ru", 1280), ("ru", PHONE["width"]), ("it", PHONE["width"])):
            page.set_viewport_size({"width": width, "height": 900})
            switch_language(page, server, lang)
            assert page_problems(page, server + "/intake", lang, width) is None, (lang, width)
            assert page_problems(page, review, lang, width) is None, (lang, width)
            shot(page, f"intake-review-{lang}-{width}")
        page.set_viewport_size({"width": 1280, "height": 900})

        # correct one value (the letter's session) and confirm
        page.goto(review)
        page.fill("#f5-session", "26")
        page.select_option("#f5-type", "letter")
        page.click("#confirm-5")
        page.wait_for_load_state("load")
        assert page.locator("#file-5-doc").count() == 1
        page.click("#confirm-2")                                             # the Protocol as proposed
        page.wait_for_load_state("load")
        assert page.locator("#file-2-doc").count() == 1

        # withdraw the letter: the visitor no longer finds it
        page.click("#file-5-doc")
        page.wait_for_load_state("load")
        letter = page.url
        page.fill("#withdraw-reason", "lettera caricata per errore")
        page.click("#withdraw")
        page.wait_for_load_state("load")
        assert "lettera caricata per errore" in page.inner_text("#withdrawn")
    finally:
        context.close()

    visitor = browser.new_context(viewport={"width": 1280, "height": 900}, locale="it-IT").new_page()
    try:
        visitor.goto(server + "/?q=calzaturiere")
        assert visitor.locator(".hit-title").count() == 0
        assert visitor.goto(letter).status == 404
        visitor.goto(server + "/?q=sessione")
        assert visitor.locator(".hit-title").count() >= 1                   # the Protocol is public
    finally:
        visitor.context.close()

    legal = browser.new_context(viewport={"width": 1280, "height": 900}, locale="it-IT").new_page()
    try:
        legal.goto(server + "/login")
        legal.fill("#name", "lucia")
        legal.fill("#password", PASSWORD)
        legal.click("#login-submit")
        assert legal.goto(server + "/intake").status == 403
    finally:
        legal.context.close()
