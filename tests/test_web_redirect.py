"""Open redirects through /lang/CODE?next= and the login form's next (issue 13, item 6).

Written from the issue's reproduction before the fix (they failed on that code); they run against the real
archive of tests/test_web.py.
"""
from urllib.parse import unquote

import pytest

from pipeline.web import create_app
from pipeline.workspace import Workspace
from tests.test_web import RESTRICTED, login, set_language, text, web_home  # noqa: F401  (the fixture)


@pytest.fixture
def app(web_home):
    return create_app(Workspace.at(web_home))


@pytest.fixture
def client(app):
    return app.test_client()


# --- open redirects ---------------------------------------------------------------------------------------
# as they appear in the query string (percent-encoded); the login form gets them decoded
OFF_SITE = ["//evil.com", "/%2Fevil.com", "%2F%2Fevil.com", "/%5Cevil.com", "/\\evil.com", "%5C%5Cevil.com",
            "/%09/evil.com", "%09//evil.com", "/%20/evil.com", "/%C2%A0/evil.com", "/%E2%80%8B/evil.com",
            "https://evil.com", "https:evil.com", "HTTPS://evil.com/", "javascript:alert(1)",
            "JaVaScRiPt%3Aalert(1)", "data:text/html,x", "evil.com", "%09", "/%252F%252Fevil.com",
            "///evil.com", "/%5C/evil.com", "/%00/evil.com", "/%7F/evil.com"]
NEWLINES = ["%0d%0a", "/%0d%0aSet-Cookie:%20x=1", "/%0aevil", "/%0devil"]
ON_SITE = ["/session/25", "/?q=accordo&session=25", "/?q=a%2520b", "/stats", "/doc/TFA-000001"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_language_switch_never_redirects_off_site(client, target, score):
    score("web-redirect", 1)
    assert client.get(f"/lang/ru?next={target}").status_code == 200     # a GET shows the form: next is kept
    assert 'name="next" value="/"' in text(client.get(f"/lang/ru?next={target}"))
    response = set_language(client, "ru", next=unquote(target))
    assert response.status_code == 302 and response.headers["Location"] == "/", response.headers["Location"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_login_never_redirects_off_site(app, target, score):
    score("web-redirect", 2)
    client = app.test_client()
    form = client.get(f"/login?next={target}")
    assert form.status_code == 200 and 'name="next" value="/"' in text(form)
    response = login(client, next=unquote(target))
    assert response.status_code == 302 and response.headers["Location"] == "/", response.headers["Location"]


@pytest.mark.parametrize("target", NEWLINES)
def test_a_newline_in_next_is_a_400_page(app, target, score):
    score("web-redirect", 3)
    client = app.test_client()
    for response in (client.get(f"/lang/ru?next={target}"), set_language(client, "ru", next=unquote(target)),
                     client.get(f"/login?next={target}"), login(client, next=unquote(target))):
        assert response.status_code == 400 and "Location" not in response.headers
        assert "Errore 400" in text(response) or "Ошибка 400" in text(response)
    assert RESTRICTED not in text(client.get("/?q=tessile"))


@pytest.mark.parametrize("target", ON_SITE)
def test_paths_on_this_site_are_kept(app, target):
    client = app.test_client()
    assert set_language(client, "it", next=unquote(target)).headers["Location"] == unquote(target)
    assert login(client, next=unquote(target)).headers["Location"] == unquote(target)

