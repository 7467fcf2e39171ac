"""A wheel built from the project carries the templates, the example agreement and the sample session:
installed into a fresh virtual environment, it can make a workspace and draft from it."""
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def run(*args, cwd, check=True):
    result = subprocess.run([*map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=600)
    if check:
        assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.mark.slow
def test_an_installed_wheel_can_init_and_draft(tmp_path):
    built = tmp_path / "dist"
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", built, REPO,
        cwd=tmp_path)
    wheel = next(built.glob("taskforce-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for shipped in ("pipeline/drafting/templates/protocol.docx", "pipeline/drafting/templates/agreement.docx",
                    "pipeline/drafting/templates/memorandum.docx",
                    "pipeline/drafting/templates/agreement-example.yaml",
                    "pipeline/sessions/sample/session-025.yaml", "pipeline/web/templates/search.html",
                    "pipeline/web/templates/language.html", "pipeline/web/static/no-image.png"):
        assert shipped in names

    # A fresh environment with the wheel alone; its dependencies are borrowed from this one (a .pth file
    # adds our site-packages after its own, so 'pipeline' is the wheel's, never the source checkout's).
    venv = tmp_path / "fresh"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    own_site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                        cwd=tmp_path).stdout.strip())
    (own_site / "borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", wheel, cwd=tmp_path)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = run(python, "-c", "import pipeline; print(pipeline.__file__)", cwd=elsewhere).stdout
    assert where.startswith(str(own_site)), where
    taskforce = venv / "bin" / "taskforce"
    run(taskforce, "init", "ws", "--sample", cwd=elsewhere)
    workspace = elsewhere / "ws"
    run(taskforce, "draft", "protocol", "25", cwd=workspace)
    # the README's example, as printed, in a workspace made by init
    run(taskforce, "draft", "agreement", "25", "templates/agreement-example.yaml", cwd=workspace)
    drafted = sorted(path.name for path in (workspace / "drafts").rglob("*.docx"))
    assert drafted == ["TF25-AGR-001-v1-ru-it.docx", "TF25-AGR-001-v1.docx",        # both originals of each
                       "TF25-PROT-v1-ru-it.docx", "TF25-PROT-v1.docx"]
