import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline import cache
from pipeline.cli import cli

REPO = Path(__file__).resolve().parent.parent
SAMPLE_SESSION = REPO / "pipeline" / "sessions" / "sample" / "session-025.yaml"


def require_tool(name: str) -> str:
    """The path of system program ``name``; skip the test when it is missing, but fail under CI
    (TASKFORCE_REQUIRE_TOOLS=1), which must run every test."""
    path = shutil.which(name)
    if path is None:
        message = f"system program {name!r} is not installed (see README, 'System packages')"
        if os.environ.get("TASKFORCE_REQUIRE_TOOLS"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def assert_no_crash(result, context=None) -> None:
    """The command ended as a command should: normally or by an exit (``Error: ...``, a usage error), never by
    an uncaught exception. (CliRunner catches that exception and leaves the output empty, so looking for
    "Traceback" in the output cannot find a crash.)"""
    if result.exception is None or isinstance(result.exception, SystemExit):
        return
    import traceback

    where = f" ({context})" if context is not None else ""
    shown = "".join(traceback.format_exception(*result.exc_info)) if result.exc_info else repr(result.exception)
    pytest.fail(f"the command crashed{where}:\n{shown}\noutput:\n{result.output}")


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts with the process's caches empty (what one test derived cannot decide another)."""
    cache.clear_all()
    yield


@pytest.fixture
def workspace(tmp_path):
    """An initialised empty workspace with the sample session registered."""
    home = tmp_path / "ws"
    result = CliRunner().invoke(cli, ["--home", str(home), "init", "--sample"])
    assert result.exit_code == 0, result.output
    return home


@pytest.fixture
def run(workspace):
    """Run the CLI against the ``workspace`` fixture: run("sessions", "list") -> click Result."""
    def invoke(*args, home=None, input=None):
        runner = CliRunner()
        return runner.invoke(cli, ["--home", str(home or workspace), *map(str, args)], input=input)
    return invoke


@pytest.fixture(scope="session")
def pdf_factory(tmp_path_factory):
    """Real test PDFs (tests/pdfs.py), made once per test session; copy a file before changing it."""
    from tests.pdfs import PdfFactory

    return PdfFactory(tmp_path_factory.mktemp("pdfs"))


# --- a small real archive, shared by the search and web tests ---------------------------------------------
FILLER = ("Il distretto industriale collabora con le imprese del territorio e con le università. " * 600)  # ~50 KB

SEARCH_DOCUMENTS = [
    # name, options, pages
    ("kazan.pdf", ["--session", 24, "--type", "agreement", "--title", "Accordo Kama", "--party", "OOO Kama Stanki",
                   "--party", "Meccanica Orobica S.p.A.", "--sector", "Meccanica strumentale",
                   "--signed-on", "2014-04-17"],
     ["Настоящих соглашений подписано три. Предприятия Республики Татарстана встретились в городе Казань.\n\n"
      "Gli accordi sono firmati dalle parti."]),
    ("bergamo.pdf", ["--session", 25, "--type", "agreement", "--title", "Accordo quadro Bergamo",
                     "--party", "Meccanica Orobica S.p.A.", "--sector", "Meccanica strumentale",
                     "--signed-on", "2014-11-28"],
     ["La città di Bergamo ospita la sessione. Accordo quadro sulla cooperazione industriale.\n\n"
      "Соглашение подписано в Бергамо."]),
    ("secret.pdf", ["--session", 25, "--type", "memorandum", "--title", "Memorandum tessile",
                    "--party", "Tessitura Serio S.r.l.", "--sector", "Tessile e moda", "--signed-on", "2014-11-27",
                    "--confidentiality", "restricted"],
     ["Memorandum riservato sul distretto tessile. Меморандум о текстильной промышленности."]),
    ("moscow.pdf", ["--session", 26, "--type", "protocol", "--title", "Protocollo della sessione 26",
                    "--signed-on", "2015-05-20"],
     ["Протокол заседания в Москве. Сотрудничество с Татарстаном.\n\nProtocollo della sessione."]),
    ("letter.pdf", ["--session", 26, "--type", "letter", "--title", "Lettera di intenti", "--party",
                    "Volga Trans OOO", "--sector", "Logistica e trasporti", "--signed-on", "2015-05-21"],
     ["Lettera di intenti sulla logistica tra Nizhny Novgorod e Verona."]),
    ("long.pdf", ["--session", 26, "--type", "project", "--title", "Progetto lungo", "--sector",
                  "Logistica e trasporti", "--signed-on", "2015-05-22"],
     [FILLER + " Il porto di zanzibarico chiude il documento."]),
]
SEARCH_SESSIONS = {
    24: {"number": 24, "start": "2014-04-16", "end": "2014-04-18", "country": "RU",
         "city": {"it": "Kazan", "ru": "Казань"}},
    26: {"number": 26, "start": "2015-05-19", "end": "2015-05-22", "country": "RU",
         "city": {"it": "Mosca", "ru": "Москва"}},
}


def ingest_documents(home: Path, folder: Path, documents) -> None:
    """Make each (name, options, pages) into a real PDF in ``folder`` and ingest it through the CLI."""
    from pipeline.demo.pdfmake import text_to_pdf

    for name, options, pages in documents:
        pdf = text_to_pdf(folder / name, pages, title=options[options.index("--title") + 1], reproducible=True)
        result = CliRunner().invoke(cli, ["--home", str(home), "ingest", str(pdf), *map(str, options)])
        assert result.exit_code == 0, result.output


def web_address(home, doc_id: str) -> str:
    """The web page's address of archived document ``doc_id`` (TFA-…): its public id."""
    from pipeline.archive.layout import public_id_of
    from pipeline.archive.reading import ArchiveReader
    from pipeline.workspace import Workspace

    return public_id_of(ArchiveReader(Workspace.at(home)).record(doc_id).sha256)


def search_workspace(root: Path, documents) -> Path:
    """A workspace in ROOT/ws with sessions 24-26 and ``documents`` (see SEARCH_DOCUMENTS) archived, in order."""
    import yaml

    home = root / "ws"
    assert CliRunner().invoke(cli, ["--home", str(home), "init", "--sample"]).exit_code == 0
    for number, data in SEARCH_SESSIONS.items():
        (home / "sessions" / f"session-{number:03d}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                                                       encoding="utf-8")
    ingest_documents(home, root, documents)
    return home


@pytest.fixture(scope="session")
def archived(tmp_path_factory):
    """A workspace with sessions 24-26 and six archived documents (SEARCH_DOCUMENTS), indexed on ingest.
    Shared: tests that change it work on a copy."""
    return search_workspace(tmp_path_factory.mktemp("search"), SEARCH_DOCUMENTS)


@pytest.fixture
def copy_of(archived, tmp_path):
    """A private copy of the archived workspace, for tests that change it."""
    def make():
        target = tmp_path / "copy"
        shutil.copytree(archived, target, symlinks=True)
        return target
    return make


from tests.scorecard import score  # noqa: E402,F401  (the reliability tests' case counter)
