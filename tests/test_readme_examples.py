"""Every example of the README runs as printed in a workspace made by 'taskforce init' (the guide's promise):
each `taskforce ...` line of the README's sh blocks, in order, through a real shell, from the workspace's
folder, with the files the examples name made beforehand (a folder of signed PDFs, a scan, a manifest, an
edited template, a new session file). Lines that need a built demo or start a server are left to
tests/test_demo.py and tests/test_web_serve.py."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import SAMPLE_SESSION
from pipeline.demo.pdfmake import text_to_pdf

README = Path(__file__).resolve().parent.parent / "README.md"
TEMPLATES = SAMPLE_SESSION.parents[2] / "drafting" / "templates"
SKIPPED = ("make ", "taskforce serve", "--home demo-workspace", " demo ", "cd ", "export ")
PASSWORD = "correct horse battery staple\n"

pytestmark = pytest.mark.slow


def readme_commands() -> list[str]:
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.S):
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            if line.startswith("taskforce ") or line.startswith(".venv/bin/taskforce "):
                commands.append(line)
    return commands


def prepare(home: Path, workspace: Path) -> None:
    """The files the README's examples name, made where the examples look for them."""
    text_to_pdf(workspace / "scan-1998.pdf", ["Protocollo della prima sessione."], title="Protocollo")
    text_to_pdf(workspace / "protocollo-7.pdf", ["Protocollo della VII sessione."], title="Protocollo 7")
    (workspace / "old-scans").mkdir()
    text_to_pdf(workspace / "old-scans" / "protocollo-vii.pdf", [
        "PROTOCOLLO\ndella VII Sessione della Task Force\n\nFatto a Roma il 12 ottobre 2005",
        "ПРОТОКОЛ\nседьмого заседания Рабочей группы\n\nСовершено в г. Риме 12 октября 2005 г."],
        print_title=False)
    (workspace / "session-07.csv").write_text(
        "file,session,type,title,party,signed_on\n"
        "protocollo-7.pdf,7,protocol,Protocollo della VII sessione,Ministero;Минэкономразвития,12 ottobre 2005\n",
        encoding="utf-8")
    (home / "edited").mkdir()
    shutil.copyfile(TEMPLATES / "agreement.docx", home / "edited" / "agreement.docx")
    session = yaml.safe_load(SAMPLE_SESSION.read_text(encoding="utf-8"))
    session.update(number=26, start="2015-05-19", end="2015-05-22", country="RU",
                   city={"it": "Kazan", "ru": "Казань"})
    for key in ("next_session", "region", "venue", "co_chairs", "participants"):
        session.pop(key, None)
    (workspace / "my-session-26.yaml").write_text(yaml.safe_dump(session, allow_unicode=True), encoding="utf-8")


def test_every_readme_example_runs_in_a_workspace_made_by_init(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "HOME": str(home), "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    env.pop("TASKFORCE_HOME", None)
    commands = readme_commands()
    assert commands[0] == "taskforce init ~/tf --sample"
    workspace = home / "tf"
    ran = []
    for command in commands:
        if any(marker in f"{command} " for marker in SKIPPED):
            continue
        command = command.replace("/media/usb/", f"{tmp_path}/usb/").replace(".venv/bin/taskforce", "taskforce")
        cwd = home if command == "taskforce init ~/tf --sample" else workspace
        if command.startswith("taskforce ingest signed/"):
            # what comes back from the signing table: the PDFs of the drafts made by the examples above
            signed = workspace / "signed" / "2019-bergamo"
            signed.mkdir(parents=True)
            for pdf in sorted((workspace / "drafts").rglob("*.pdf")):
                shutil.copyfile(pdf, signed / pdf.name)
            assert len(list(signed.iterdir())) >= 2
        result = subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True,
                                input=PASSWORD if command.startswith("taskforce users add") else None,
                                timeout=600)
        if command == "taskforce init ~/tf --sample":
            prepare(home, workspace)
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
        assert "Traceback" not in result.stderr, f"{command}\n{result.stderr}"
        ran.append(command)
    assert len(ran) >= 30, ran
