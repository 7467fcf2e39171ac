"""The public sees no trace of hidden documents in identifiers (issue 26): the web addresses and the ids a
visitor sees are public ids (from each original's SHA-256), the same whether hidden documents were ingested
between the public ones or not; a hidden document's address and one that never existed take the same path,
on which no record is read; an address of any other form is a 404 without a traceback."""
import json
import logging
import re
import shutil

import pytest

from conftest import SEARCH_DOCUMENTS, search_workspace, web_address
from pipeline.archive.reading import ArchiveReader
from pipeline.web import create_app
from pipeline.workspace import Workspace
from tests.test_web import PASSWORD, cli_run, login

PUBLIC_DOCUMENTS = [document for document in SEARCH_DOCUMENTS if "restricted" not in document[1]]
ODD_ADDRESSES = ["/doc/²", "/doc/①/thumb.png", "/doc/³/page/1.png", "/doc/" + "9" * 4300,
                 "/doc/" + "9" * 4300 + "/pdf", "/doc/TFA-" + "0" * 5000 + "1", "/doc/٣", "/doc/TFA-٣",
                 "/doc/0123456789ABCDEF", "/doc/0123456789abcde", "/doc/0123456789abcdef0", "/doc/%00",
                 "/doc/..", "/doc/tfa-1/thumb.png", "/session/²", "/session/" + "9" * 4400,
                 "/doc/1/page/" + "9" * 4400 + ".png", "/doc/1/page/².png"]


@pytest.fixture(scope="module")
def public_only(tmp_path_factory):
    """The archived fixture's documents without its restricted one (which it ingested third of six)."""
    return search_workspace(tmp_path_factory.mktemp("public-ids"), PUBLIC_DOCUMENTS)


def anonymous(home):
    return create_app(Workspace.at(home)).test_client()


def normalised(body: str, home) -> str:
    """What must differ between two workspaces: their folders and the time each file was archived."""
    body = body.replace(str(home), "<WS>")
    body = re.sub(r'name="csrf" value="[^"]+"', 'name="csrf" value="?"', body)
    body = re.sub(r"\d{1,2} \w+ \d{4}(\u00a0г\.)?, \d\d:\d\d UTC", "<TIME>", body)     # as the page writes it
    return re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?", "<TIME>", body)


def test_the_public_sees_the_same_ids_and_references_with_a_hidden_document_ingested_between(archived,
                                                                                           public_only, score):
    with_hidden, without = anonymous(archived), anonymous(public_only)
    assert ArchiveReader(Workspace.at(archived)).record("TFA-000003").confidentiality == "restricted"
    for path in ("/?format=json", "/?q=accordo&format=json", "/?sort=oldest&format=json", "/?format=csv",
                 "/", "/?q=sessione", "/session/25", "/session/26"):
        a, b = with_hidden.get(path), without.get(path)
        assert a.status_code == b.status_code == 200, path
        assert normalised(a.get_data(as_text=True), archived) == normalised(b.get_data(as_text=True), public_only), path
    hits = json.loads(with_hidden.get("/?format=json").get_data(as_text=True))["hits"]
    assert len(hits) == 5 and all(re.fullmatch(r"[0-9a-f]{16}", hit["doc_id"]) for hit in hits)
    assert not any("TFA-" in with_hidden.get(path).get_data(as_text=True) for path in ("/", "/?format=csv"))
    for hit in hits:                                    # the document pages, their PDFs and images alike
        for tail in ("", "/pdf", "/thumb.png"):
            a, b = with_hidden.get(f"/doc/{hit['doc_id']}{tail}"), without.get(f"/doc/{hit['doc_id']}{tail}")
            assert a.status_code == b.status_code == 200
            if tail == "":
                page = a.get_data(as_text=True)
                assert "TFA-" not in page
                assert normalised(page, archived) == normalised(b.get_data(as_text=True), public_only)
    score("web-ids", 8 + 3 * len(hits))


def test_a_hidden_address_takes_the_path_of_a_missing_one_and_reads_no_record(archived, monkeypatch, score):
    client = anonymous(archived)
    hidden = web_address(archived, "TFA-000003")             # restricted
    public = web_address(archived, "TFA-000001")
    reads = []
    original = ArchiveReader.record

    def counted(self, doc_id, revision=None):
        reads.append(doc_id)
        return original(self, doc_id, revision)
    monkeypatch.setattr(ArchiveReader, "record", counted)
    for address in (hidden, "0123456789abcdef", "TFA-000003", "3", "TFA-000001", "1"):
        for tail in ("", "/pdf", "/thumb.png", "/page/1.png", "/diff"):
            assert client.get(f"/doc/{address}{tail}").status_code == 404, (address, tail)
    assert reads == []                                  # nothing read before the access check said no
    score("web-ids", 30)
    assert client.get(f"/doc/{public}").status_code == 200 and reads


@pytest.fixture(scope="module")
def signed_in(archived, tmp_path_factory):
    """A staff member's client of a copy of the archived fixture (staff may type archive ids)."""
    home = tmp_path_factory.mktemp("odd") / "ws"
    shutil.copytree(archived, home, symlinks=True)
    assert cli_run(home, "users", "add", "anna", input=PASSWORD + "\n").exit_code == 0
    client = anonymous(home)
    assert login(client).status_code == 302
    return client


@pytest.mark.parametrize("path", ODD_ADDRESSES)
def test_odd_addresses_are_404_pages_and_no_traceback(archived, signed_in, path, caplog, score):
    with caplog.at_level(logging.INFO, logger="taskforce.web"):
        for client in (anonymous(archived), signed_in):
            response = client.get(path)
            assert response.status_code == 404, path
            assert "Traceback" not in response.get_data(as_text=True)
    assert not [record for record in caplog.records if record.exc_info], path
    score("web-odd-ids", 2)
