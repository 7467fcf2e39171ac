"""The document page says what the last fixity check found in that document (issue 12: typed findings
rendered by the web page too): staff see each finding with its kind; a visitor sees only whether this
document had any; nothing is said of other documents."""
import shutil

from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.web import create_app
from pipeline.workspace import Workspace
from tests.conftest import web_address
from tests.test_web import PASSWORD, login


def test_the_document_page_shows_this_documents_fixity_findings(archived, tmp_path):
    home = tmp_path / "ws"
    shutil.copytree(archived, home, symlinks=True)
    page = home / "archive" / "TFA-000001" / "text" / "page-0001.txt"
    page.chmod(0o644)
    page.write_text(page.read_text(encoding="utf-8") + " altered", encoding="utf-8")
    verify = CliRunner().invoke(cli, ["--home", str(home), "archive", "verify"])
    assert verify.exit_code == 1 and "TFA-000001/text/page-0001.txt" in verify.output
    assert CliRunner().invoke(cli, ["--home", str(home), "users", "add", "anna"], input=PASSWORD + "\n").exit_code == 0

    visitor = create_app(Workspace.at(home)).test_client()
    damaged = visitor.get(f"/doc/{web_address(home, 'TFA-000001')}").get_data(as_text=True)
    assert "problemi trovati" in damaged and "impronta diversa" not in damaged
    sound = visitor.get(f"/doc/{web_address(home, 'TFA-000002')}").get_data(as_text=True)
    assert "nessun problema" in sound and "TFA-000001" not in sound.split('id="fixity"')[1].split("</dd>")[0]

    staff = create_app(Workspace.at(home)).test_client()
    login(staff)
    seen = staff.get(f"/doc/{web_address(home, 'TFA-000001')}").get_data(as_text=True)
    assert "impronta diversa" in seen and "TFA-000001/text/page-0001.txt" in seen
