"""Where things live in a workspace folder.

A workspace is any folder; the repository itself is the default one. Everything the pipeline keeps is
below it, in folders named here and nowhere else:

    sessions/      one YAML file per session (the registry)
    templates/     .docx templates that override the shipped ones
    drafts/        rendered drafts, one folder per reference, and the drafts register
    archive/       the write-once archive of signed PDFs
    index/         the search index (derived; rebuilt from the archive)
    trust-roots/   certificates trusted when validating signatures (empty by default)
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import WorkspaceError

HOME_ENV = "TASKFORCE_HOME"
PACKAGE_DIR = Path(__file__).resolve().parent
SHIPPED_TEMPLATES = PACKAGE_DIR.parent / "templates"
SAMPLE_SESSIONS = PACKAGE_DIR.parent / "sessions"

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
            raise WorkspaceError(f"workspace {path} is a file, not a folder: give --home a folder")
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

    def require(self) -> "Workspace":
        """Fail clearly when the workspace folder does not exist."""
        if not self.home.is_dir():
            raise WorkspaceError(
                f"workspace {self.home} does not exist: create it with 'taskforce init {self.home}' "
                f"or choose another with --home or {HOME_ENV}"
            )
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
    if with_sample:
        for sample in sorted(SAMPLE_SESSIONS.glob("*.yaml")):
            target = home / "sessions" / sample.name
            if not target.exists():
                target.write_bytes(sample.read_bytes())
                created.append(str(target))
    return {"home": str(home), "created": created}
