"""Where things live in a workspace folder.

A workspace is a folder made by ``taskforce init`` (or ``taskforce demo``), which leaves the marker file
``.taskforce-workspace`` in it; every other command refuses a folder without the marker and creates nothing
there, so that a typo in --home never scatters an archive or an index in a random folder. Everything the
pipeline keeps is below it, in folders named here and nowhere else:

    sessions/      one YAML file per session (the registry)
    templates/     .docx templates that override the shipped ones
    drafts/        rendered drafts, one folder per reference, and the drafts register
    archive/       the write-once archive of signed PDFs
    index/         the search index (derived; rebuilt from the archive)
    trust-roots/   certificates trusted when validating signatures (empty by default)
"""
from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import NotAWorkspaceError, WorkspaceError
from .fsutil import atomic_write_bytes

HOME_ENV = "TASKFORCE_HOME"
MARKER = ".taskforce-workspace"
# Shipped with the package (package data, so that an installed wheel can draft): the .docx templates and
# the example agreement (the repository's templates/ folder), and the sample session (the 25th, Bergamo).
# (Found beside this file, not with importlib.resources, which costs every command its import, zipfile
# included: the files are read as files, so the package is installed unzipped anyway.)
PACKAGE_DIR = Path(__file__).resolve().parent
SHIPPED_TEMPLATES = PACKAGE_DIR / "drafting" / "templates"
SAMPLE_SESSIONS = PACKAGE_DIR / "sessions" / "sample"
EXAMPLE_AGREEMENT = SHIPPED_TEMPLATES / "agreement-example.yaml"

FOLDERS = ("sessions", "templates", "drafts", "archive", "index", "trust-roots")


@dataclass(frozen=True)
class Workspace:
    home: Path

    @classmethod
    def at(cls, home: str | os.PathLike | None = None) -> "Workspace":
        """The workspace at ``home``, else $TASKFORCE_HOME, else the current directory."""
        chosen = home or os.environ.get(HOME_ENV) or os.getcwd()
        path = Path(chosen).expanduser()
        if path.exists() and not path.is_dir():
            raise WorkspaceError("workspace.is_a_file", path=path, field="home")
        return cls(path.resolve())

    @property
    def sessions(self) -> Path:
        return self.home / "sessions"

    @property
    def templates(self) -> Path:
        return self.home / "templates"

    @property
    def drafts(self) -> Path:
        return self.home / "drafts"

    @property
    def archive(self) -> Path:
        return self.home / "archive"

    @property
    def index(self) -> Path:
        return self.home / "index"

    @property
    def trust_roots(self) -> Path:
        return self.home / "trust-roots"

    def template_path(self, name: str) -> Path:
        """The workspace's own ``templates/NAME.docx`` when it has one, else the shipped template."""
        own = self.templates / f"{name}.docx"
        return own if own.is_file() else SHIPPED_TEMPLATES / f"{name}.docx"

    @property
    def marker(self) -> Path:
        return self.home / MARKER

    def require(self) -> "Workspace":
        """Fail clearly, creating nothing, when the folder does not exist or is not a workspace."""
        if not self.home.is_dir():
            raise NotAWorkspaceError("workspace.missing", path=self.home, field="home", env=HOME_ENV)
        if not self.marker.is_file():
            raise NotAWorkspaceError("workspace.not_made", path=self.home, field="home", env=HOME_ENV)
        return self


def init_workspace(home: Path, with_sample: bool = False) -> dict:
    """Create whatever is missing of a workspace at ``home``; never overwrite. Returns what was created."""
    home = Path(home).expanduser().resolve()
    if home.exists() and not home.is_dir():
        raise WorkspaceError(f"{home} is a file, not a folder: choose another path for the workspace")
    created = []
    for name in ("",) + FOLDERS:
        folder = home / name
        if not folder.exists():
            folder.mkdir(parents=True)
            created.append(str(folder))
    marker = home / MARKER
    if not marker.exists():
        stamp = {"taskforce_workspace": 1, "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
        atomic_write_bytes(marker, (json.dumps(stamp) + "\n").encode("utf-8"))
        created.append(str(marker))
    if with_sample:
        copies = [(sample, home / "sessions" / sample.name) for sample in sorted(SAMPLE_SESSIONS.glob("*.yaml"))]
        copies.append((EXAMPLE_AGREEMENT, home / "templates" / EXAMPLE_AGREEMENT.name))
        for source, target in copies:
            if not target.exists():
                atomic_write_bytes(target, source.read_bytes())
                created.append(str(target))
    return {"home": str(home), "created": created}
