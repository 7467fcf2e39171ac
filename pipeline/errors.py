"""One base error class for everything the library reports to a user.

The CLI turns a TaskforceError into ``Error: <message>`` on stderr and exit status 1; the library never
prints. Errors that carry several findings (validation, fixity) keep them in ``findings`` so that a caller
can render them one per line or as JSON.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """One problem found in one place (a file, a field, a document)."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message

    def as_dict(self) -> dict:
        return {"where": self.where, "message": self.message}


class TaskforceError(Exception):
    """Base of every error the library raises on purpose. ``str(err)`` is the user-facing message;
    ``exit_code`` is the CLI's exit status for it: 1 for bad data, 2 for a usage mistake."""

    exit_code = 1

    def __init__(self, message: str, findings: list[Finding] | None = None):
        super().__init__(message)
        self.message = message
        self.findings = list(findings or [])

    def __str__(self) -> str:
        if not self.findings:
            return self.message
        lines = [self.message] + [f"  - {finding}" for finding in self.findings]
        return "\n".join(lines)


class WorkspaceError(TaskforceError):
    """The workspace folder is missing, unreadable or not a workspace."""


class NotAWorkspaceError(WorkspaceError):
    """The chosen folder was not made by ``taskforce init``: a usage mistake (a wrong --home), exit 2."""

    exit_code = 2


class ValidationError(TaskforceError):
    """Input data (a session file, agreement data, metadata) is wrong; ``findings`` lists every problem."""


class DateFormatError(ValidationError):
    """A date that is neither ISO nor an Italian or Russian long form."""


class NotFoundError(TaskforceError):
    """A session, draft, document or file that was asked for does not exist."""


class ConflictError(TaskforceError):
    """The operation would overwrite something that must not be overwritten."""


class ToolMissingError(TaskforceError):
    """A system program (LibreOffice, tesseract, pdftoppm) the operation needs is not installed."""


class BusyError(TaskforceError):
    """Another process holds a lock the operation needs and did not release it in time."""


class IndexDamagedError(TaskforceError):
    """The search index cannot be read (a file deleted or truncated); ``taskforce index rebuild`` repairs it."""


class StorageError(TaskforceError):
    """A file of the workspace could not be written or read back: the disk is full, permission is denied,
    an I/O error. The message names what was being written and what state it was left in."""


class PdfRejected(TaskforceError):
    """A file that cannot be archived as a PDF: not a PDF, damaged, encrypted without the password, over a
    limit. ``reason`` is the short cause (``encrypted: give --password``) without the file name."""

    def __init__(self, reason: str, path=None):
        super().__init__(f"{path}: {reason}" if path is not None else reason)
        self.reason = reason
        self.path = path


class ToolFailedError(TaskforceError):
    """A system program (pdftoppm, tesseract) ran but failed or timed out on the input."""


class QueryBudgetError(ValidationError):
    """A search that would cost more than one request may spend (pipeline/search/budget.py). ``code`` names
    the message for a front end (the web page's text key), ``params`` its values; ``message`` is the English
    one the command line prints."""

    def __init__(self, message: str, code: str, **params):
        super().__init__(message)
        self.code = code
        self.params = params


class QueryTooCostlyError(QueryBudgetError):
    """The query itself asks too much (a phrase's slop, a wildcard standing for too many words): a usage
    mistake, exit 2; the message names the limit."""

    exit_code = 2


class SearchTimeLimitError(QueryBudgetError):
    """The search ran past its time budget and was stopped."""
