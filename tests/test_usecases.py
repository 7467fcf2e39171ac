"""The use-case layer (issue 22, item 3): the command line and the web page call pipeline.usecases; the web
application is given its use cases (create_app(ws, usecases=...)); every change of the archive reaches the
search index through one after-commit hook."""
import ast
import re
import shutil
from pathlib import Path

import pytest

from conftest import SAMPLE_SESSION
from pipeline import index, usecases
from pipeline.errors import NotFoundError
from pipeline.usecases import UseCases
from pipeline.usecases.archiving import archive_changes
from pipeline.web import create_app
from pipeline.workspace import Workspace

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"


def calls_of(name: str) -> list[str]:
    """The modules (and functions) of the package that call ``name``."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for node in ast.walk(function):
                    if isinstance(node, ast.Call) and name in (getattr(node.func, "id", None),
                                                               getattr(node.func, "attr", None)):
                        found.append(f"{path.relative_to(PACKAGE)}:{function.name}")
    return sorted(set(found))


def test_the_index_follows_archive_changes_from_one_place():
    assert calls_of("update_documents") == ["usecases/archiving.py:update_index"]
    assert calls_of("update_index") == ["usecases/archiving.py:archive_changes"]


def test_what_was_committed_before_an_error_is_indexed(archived, monkeypatch):
    indexed = []
    monkeypatch.setattr(index, "update_documents", lambda ws, doc_ids, drafts=None: indexed.append(list(doc_ids)))
    with pytest.raises(RuntimeError):
        with archive_changes(Workspace.at(archived)) as changes:
            changes.committed("tfa-000001")
            changes.committed("tfa-000001")
            raise RuntimeError("the batch stopped")
    assert indexed == [["tfa-000001"]]
    with archive_changes(Workspace.at(archived)) as changes:
        pass                                                     # nothing committed: nothing to index
    assert indexed == [["tfa-000001"]] and changes.index_error is None


def test_a_failed_index_update_is_reported_not_raised(archived, monkeypatch):
    def broken(ws, doc_ids, drafts=None):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(index, "update_documents", broken)
    with archive_changes(Workspace.at(archived)) as changes:
        changes.committed("tfa-000001")
    assert changes.index_error.startswith("archived, but the search index was not updated (No space left")


class Recording(UseCases):
    """The workspace's use cases, each call noted."""

    def __init__(self, ws):
        super().__init__(ws)
        self.called = []

    def search(self, request):
        self.called.append("search")
        return super().search(request)

    def statistics(self, dimensions, reader):
        self.called.append("statistics")
        return super().statistics(dimensions, reader)

    def read_document(self, doc_id, reader, staff=False, archive=None, query=""):
        self.called.append("read_document")
        return super().read_document(doc_id, reader, staff, archive, query)


@pytest.fixture
def recorded(archived, tmp_path):
    home = tmp_path / "ws"
    shutil.copytree(archived, home, symlinks=True)
    calls = Recording(Workspace.at(home))
    return calls, create_app(calls.ws, usecases=calls).test_client()


def test_the_web_page_calls_the_use_cases_it_is_given(recorded):
    calls, client = recorded
    assert client.get("/?q=accordo").status_code == 200 and calls.called == ["search"]
    assert client.get("/stats").status_code == 200 and calls.called[-1] == "statistics"
    hit = re.search(r'href="/doc/([^"?]+)', client.get("/?q=bergamo").get_data(as_text=True))[1]
    calls.called.clear()
    assert client.get(f"/doc/{hit}").status_code == 200
    assert calls.called == ["read_document"]         # its session's other documents included


def test_a_hidden_document_reads_as_missing(archived):
    from pipeline.access import PUBLIC

    ws = Workspace.at(archived)
    records, _ = usecases.list_documents(ws)
    hidden = next(record for record in records if record.confidentiality != "public")
    with pytest.raises(NotFoundError) as caught:
        usecases.read_document(ws, hidden.doc_id, PUBLIC)
    with pytest.raises(NotFoundError) as missing:
        usecases.read_document(ws, "tfa-999999", PUBLIC)
    assert str(caught.value) == str(missing.value).replace("tfa-999999", hidden.doc_id)


def test_a_session_is_edited_only_when_registered(workspace, tmp_path):
    ws = Workspace.at(workspace)
    corrected = tmp_path / "session-025.yaml"
    corrected.write_text(SAMPLE_SESSION.read_text(encoding="utf-8").replace("city: {it: Bergamo", "city: {it: Brescia"),
                         encoding="utf-8")
    assert "Brescia" in corrected.read_text(encoding="utf-8")
    session = usecases.edit_session(ws, corrected)
    assert session.number == 25 and "Brescia" in (workspace / "sessions" / "session-025.yaml").read_text("utf-8")
    other = tmp_path / "session-031.yaml"
    other.write_text(re.sub(r"(?m)^number: .*$", "number: 31", corrected.read_text(encoding="utf-8")),
                     encoding="utf-8")
    with pytest.raises(NotFoundError):
        usecases.edit_session(ws, other)
    assert not (workspace / "sessions" / "session-031.yaml").exists()
