"""The archivists' withdraw and supersede buttons on the document page (issue 24 item 3): role, CSRF, errors
next to their field in the page's language, and a withdrawn document gone from the public's view."""
from __future__ import annotations

import re

import pytest

from pipeline.archive.reading import ArchiveReader
from pipeline.archive.store import Archive
from pipeline.web import create_app
from pipeline.web.users import set_roles
from pipeline.workspace import Workspace
from tests.conftest import web_address
from tests.test_web import PASSWORD, csrf_of, login, own_home, web_home  # noqa: F401


def signed_in(home, roles):
    ws = Workspace.at(home)
    set_roles(ws, "anna", roles)
    client = create_app(ws).test_client()
    assert login(client).status_code == 302
    return client


def doc_with_title(home, title):
    records, _ = ArchiveReader(Workspace.at(home)).records()
    return next(record.doc_id for record in records if record.title == title)


@pytest.mark.parametrize("roles, status", [(None, 404), ([], 403), (["legal"], 403)])
def test_only_archivists_may_withdraw_or_supersede(own_home, roles, status):
    doc_id = doc_with_title(own_home, "Accordo Kama")
    address = web_address(own_home, doc_id)
    if roles is None:
        client = create_app(Workspace.at(own_home)).test_client()
    else:
        client = signed_in(own_home, roles)
    page = client.get(f"/doc/{address}").get_data(as_text=True)
    assert 'id="withdraw"' not in page and 'id="supersede"' not in page
    for action in ("withdraw", "supersede"):
        answer = client.post(f"/doc/{address}/{action}", data={"csrf": csrf_of(client, "/"), "reason": "x",
                                                                "successor": "TFA-000002"})
        assert answer.status_code == status
    assert ArchiveReader(Workspace.at(own_home)).record(doc_id).withdrawn is None


def test_withdraw_needs_csrf_and_a_reason_then_the_public_no_longer_sees_it(own_home):
    doc_id = doc_with_title(own_home, "Accordo Kama")
    address = web_address(own_home, doc_id)
    visitor = create_app(Workspace.at(own_home)).test_client()
    assert visitor.get(f"/doc/{address}").status_code == 200
    assert "Accordo Kama" in visitor.get("/?q=Kama").get_data(as_text=True)
    client = signed_in(own_home, ["archivist"])
    assert 'id="withdraw"' in client.get(f"/doc/{address}").get_data(as_text=True)
    assert client.post(f"/doc/{address}/withdraw", data={"reason": "copia errata"}).status_code == 400
    answer = client.post(f"/doc/{address}/withdraw", data={"csrf": csrf_of(client, "/"), "reason": "  "},
                         follow_redirects=True)
    assert re.search(r'id="error-reason">Indicate il motivo del ritiro', answer.get_data(as_text=True))
    answer = client.post(f"/doc/{address}/withdraw", data={"csrf": csrf_of(client, "/"), "reason": "copia errata"},
                         follow_redirects=True)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and re.search(r'id="withdrawn"><strong>Ritirato dalla consultazione</strong>: copia errata', page)
    record = ArchiveReader(Workspace.at(own_home)).record(doc_id)
    assert record.withdrawn == "copia errata"
    withdrawal = [event for event in Archive(Workspace.at(own_home)).events(doc_id) if event["type"] == "withdrawal"]
    assert [event["agent"] for event in withdrawal] == ["anna"]        # the signed-in archivist did it
    visitor = create_app(Workspace.at(own_home)).test_client()
    assert visitor.get(f"/doc/{address}").status_code == 404
    assert "Accordo Kama" not in visitor.get("/?q=Kama").get_data(as_text=True)


def test_supersede_links_both_ways_and_a_wrong_successor_is_said_next_to_its_field(own_home):
    old = doc_with_title(own_home, "Accordo Kama")
    new = doc_with_title(own_home, "Accordo quadro Bergamo")
    address = web_address(own_home, old)
    client = signed_in(own_home, ["archivist"])
    answer = client.post(f"/doc/{address}/supersede", data={"csrf": csrf_of(client, "/"), "successor": "TFA-999999"},
                         follow_redirects=True)
    assert re.search(r'id="error-successor">Nessun documento archiviato', answer.get_data(as_text=True))
    answer = client.post(f"/doc/{address}/supersede", data={"csrf": csrf_of(client, "/"), "successor": old},
                         follow_redirects=True)
    assert "non può sostituire sé stesso" in answer.get_data(as_text=True)
    answer = client.post(f"/doc/{address}/supersede", data={"csrf": csrf_of(client, "/"), "successor": new},
                         follow_redirects=True)
    assert 'id="superseded-by">Sostituito da' in answer.get_data(as_text=True)
    reader = ArchiveReader(Workspace.at(own_home))
    assert (reader.record(old).superseded_by, reader.record(new).supersedes) == (new, old)
    visitor = create_app(Workspace.at(own_home)).test_client()
    page = visitor.get(f"/doc/{web_address(own_home, new)}").get_data(as_text=True)
    assert 'id="supersedes">Sostituisce <a href="/doc/' + address in page
