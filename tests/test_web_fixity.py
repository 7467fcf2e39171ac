"""The document page says what the last fixity check found in that document (issue 12: typed findings
rendered by the web page too): staff see each finding with its kind; a visitor sees only whether this
document had any; nothing is said of other documents."""
import shutil

from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.web import create_app
from pipeline.workspace import Workspace
from tests.conftest import web_address
from tests.test_web import PASSWORD, login, set_language


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


def test_a_document_archived_after_the_last_check_is_not_said_to_be_sound(archived, tmp_path):
    """The page said "ultimo controllo …: nessun problema" of a document archived after that check (issue 21):
    a document's line reports only a check that covered it."""
    from pipeline.demo.pdfmake import text_to_pdf

    home = tmp_path / "ws"
    shutil.copytree(archived, home, symlinks=True)
    assert CliRunner().invoke(cli, ["--home", str(home), "archive", "verify"]).exit_code == 0
    later = text_to_pdf(tmp_path / "dopo.pdf", ["Lettera archiviata dopo il controllo."], title="Lettera dopo")
    ingest = CliRunner().invoke(cli, ["--home", str(home), "ingest", str(later), "--session", 26, "--type", "letter",
                                      "--title", "Lettera dopo"])
    assert ingest.exit_code == 0, ingest.output
    new_id = ingest.stdout.split()[1]

    client = create_app(Workspace.at(home)).test_client()

    def line(doc_id):
        page = client.get(f"/doc/{web_address(home, doc_id)}").get_data(as_text=True)
        return page.split('id="fixity">')[1].split("</dd>")[0]

    assert "nessun problema" in line("TFA-000001")
    assert line(new_id).startswith("non ancora controllato: archiviato dopo l&#39;ultimo controllo (")
    assert "nessun problema" not in line(new_id)
    set_language(client, "ru")
    assert line(new_id).startswith("ещё не проверялся: помещён в архив после последней проверки (")
    # the next check covers it
    assert CliRunner().invoke(cli, ["--home", str(home), "archive", "verify"]).exit_code == 0
    set_language(client, "it")
    assert "nessun problema" in line(new_id)
