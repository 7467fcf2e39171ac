"""Files the pipeline writes honour the umask, as any program's would (issue 13, item 17): drafts, PDFs
and charts are readable by the group and others under umask 022; archived originals and sidecars stay
read-only; the staff accounts and the cookie key stay private."""
import os
import stat

import pytest

from pipeline.fsutil import atomic_write_bytes, current_umask


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_current_umask_is_read_without_changing_it(umask_022):
    assert current_umask() == 0o022
    assert current_umask() == 0o022


def test_atomic_writes_honour_the_umask(tmp_path, umask_022):
    atomic_write_bytes(tmp_path / "plain", b"x")
    assert mode(tmp_path / "plain") == 0o644
    atomic_write_bytes(tmp_path / "private", b"x", mode=0o600)
    assert mode(tmp_path / "private") == 0o600
    os.umask(0o077)
    atomic_write_bytes(tmp_path / "strict", b"x")
    assert mode(tmp_path / "strict") == 0o600


def test_drafts_and_charts_are_readable_and_originals_read_only(run, workspace, archived, tmp_path, umask_022):
    assert run("draft", "protocol", "25").exit_code == 0
    drafted = next((workspace / "drafts").rglob("*.docx"))
    assert mode(drafted) == 0o644
    assert mode(workspace / "drafts" / "register.jsonl") & 0o044 == 0o044
    chart = tmp_path / "years.png"
    assert run("stats", "--by", "year", "--chart", chart, home=archived).exit_code == 0
    assert mode(chart) == 0o644
    original = next((archived / "archive").glob("TFA-*/original.pdf"))
    assert mode(original) == 0o444
