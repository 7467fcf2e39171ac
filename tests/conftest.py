import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli

REPO = Path(__file__).resolve().parent.parent
SAMPLE_SESSION = REPO / "sessions" / "session-025.yaml"


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


from tests.scorecard import score  # noqa: E402,F401  (the reliability tests' case counter)
