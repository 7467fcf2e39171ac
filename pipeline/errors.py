"""One base error class for everything the library reports to a user, with a code and parameters.

An error is a code (``search.date_order``) and the parameters of its message (``field="to"``,
``value="2014-01-01"``, ...). Each front end renders it its own way: the command line with its option names
(pipeline/cli/errors.py), the web page in the reader's language next to the form field that ``field`` names
(pipeline/web/i18n.py). ``str(err)`` is the English message of :data:`MESSAGES`, naming each field by its
data path (``from``, ``parties[1].representative.gender``), for any other caller; the library never names a
command-line option and never prints. An error made from a plain sentence (no code) renders as that sentence.
Errors that carry several findings (validation, fixity) keep them in ``findings`` so that a caller can render
them one per line or as JSON.
"""
from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Callable

# code: the English message. A parameter named ``field`` (one data path) or ``fields`` (several) names the
# input in question: a front end shows it its own way (format spec ``plain``: the path as it is, ``usage``:
# with a hint of the value, ``and``: several joined by "and" instead of a comma).
MESSAGES: dict[str, str] = {
    # a request's parameters (the search, the statistics)
    "value.choice": "{field} must be one of {allowed}",
    "value.at_least_one": "{field} must be 1 or more",
    "date.missing": "{field}: expected a date such as 2019-11-27, '27 novembre 2019' or '27 ноября 2019 г.', "
                    "got {value!r}",
    "date.not_real": "{field}: {value!r} is not a real date ({detail})",
    "date.unreadable": "{field}: cannot read {value!r} as a date; write it as 2019-11-27, '27 novembre 2019' or "
                       "'27 ноября 2019 г.'",
    "date.unreadable_bound": "{field}: cannot read {value!r} as a date; write it as 2019-11-27, '27 novembre "
                             "2019', '27 ноября 2019 г.', a year: 2010, or a month: 'maggio 2015', 'май 2015'",
    "search.date_order": "{field} {value} is before {start_field} {start}",
    "search.party_letters": "{field} {value!r} has no letters to match",
    "search.sector_unknown": "no sector is called {value!r}; the sectors are: {sectors}",
    "parties.unknown": "no party has the id {value!r}; 'taskforce parties list' shows them",
    "parties.nothing_to_edit": "nothing to change for {value!r}: give one of {fields}",
    "parties.merge_same": "a party cannot be merged into itself ({value!r})",
    "parties.corrections_unreadable": "the party corrections {path} cannot be read: {detail}",
    "search.region_unknown": "no region is called {value!r}; the regions of the parties are: {regions}",
    "search.staff_only": "{field} is for staff: the comparison with the approved draft is not public",
    "query.too_long": "the query is {length} characters long, more than the {limit} allowed; search a few words "
                      "or a phrase",
    "query.quote_open": "cannot read the query {value!r}: a quotation mark (\") is not closed",
    "query.bracket_open": "cannot read the query {value!r}: a bracket '(' is not closed",
    "query.bracket_empty": "cannot read the query {value!r}: nothing to search before ')'",
    "query.bracket_empty_after": "cannot read the query {value!r}: nothing to search before ')' (after {word})",
    "query.bracket_unopened": "cannot read the query {value!r}: a closing bracket ')' has no opening '('",
    "query.operator_before": "cannot read the query {value!r}: {word} needs a word or a phrase before it",
    "query.operator_after": "cannot read the query {value!r}: {word} needs a word or a phrase after it",
    "query.syntax": "cannot read the query {value!r}: {detail}",
    "query.unknown_field": "unknown field {names} in the query; the fields are {known} (or search the words "
                           "without a field)",
    "query.slop": "a phrase may allow at most {limit} words between its words, not {slop} (~{slop}); write "
                  "~{limit} or less, or search the words without quotes",
    "query.expansion": "{pattern!r} stands for more than {limit} words of the archive; write more letters before "
                       "* or ?",
    "search.time_budget": "the search took longer than {seconds} s and was stopped; narrow it with more words, a "
                          "phrase with less slop or a filter",
    "query.no_words": "the query {value!r} has no searchable words (only stop words or punctuation)",
    # the archive
    "edit.nothing": "nothing to change: give at least one of {fields}",
    "intake.no_batch": "there is no staged batch {batch}",
    "intake.no_file": "the batch has no file {file}",
    "intake.manifest": "the manifest cannot be used: {reason}",
    "intake.not_ready": "this file cannot be confirmed or discarded now (it is being prepared, or was archived)",
    "ingest.unknown": "{fields:plain,and} unknown: give {fields:usage,and} (or a manifest row), or ingest a PDF "
                      "whose text carries a registered reference code",
    "ingest.uncertain": "{fields:plain,and} not certain from the text (found: {found}); confirm or correct it "
                        "with {fields:usage,and} (or a manifest row)",
    "archive.reason_missing": "{field} is missing: say why the document is withdrawn",
    "archive.withdrawn_already": "{doc_id} is withdrawn already ({reason})",
    "archive.supersede_itself": "a document cannot supersede itself ({doc_id}): give the {field} document's id",
    "archive.superseded_already": "{doc_id} is superseded already by {successor}",
    "archive.supersedes_already": "{doc_id} supersedes {predecessor} already",
    "archive.successor_withdrawn": "{doc_id} is withdrawn ({reason}): a withdrawn document cannot supersede "
                                   "another",
    "archive.supersede_cycle": "{successor} is superseded (in turn) by {doc_id}: it cannot supersede it",
    "ingest.unregistered_session": "{doc_id} ({file}) is archived under session {session}, which is not in the "
                                   "sessions registry; add it with 'taskforce sessions add FILE', or correct its "
                                   "{field:plain}",
    "compare.no_reference": "{doc_id} has no reference code: it cannot be compared with a draft (give it one: "
                            "{field})",
    "pdf.password_needed": "encrypted: give {field}",
    "pdf.password_wrong": "encrypted: the password given does not open it; give the right one with {field}",
    # drafting, sessions, users, the workspace, the demo
    "render.libreoffice_missing": "{field} needs LibreOffice, which is not installed: install the Debian package "
                                  "libreoffice-writer-nogui (apt-get install libreoffice-writer-nogui), or leave "
                                  "out {field}",
    "render.forms_unconfirmed": "{what} cannot be final: {count} form(s) the software could not derive or is "
                                "unsure of; give each in {where}, or render a draft (without {field}) to see them "
                                "in the text",
    # a .docx edited in Word taken back as a draft's next version (drafting/wordimport.py); ``field`` names the
    # upload (the file)
    "import.too_large": "{name} is {size} MB, more than the {limit} MB a draft may be",
    "import.not_docx": "{name} is not a Word .docx file ({detail}); save it in Word as a Word Document (.docx)",
    "import.too_big_unpacked": "{name} unpacks to {detail}, more than a draft may ({limit}); it is not taken",
    "import.external_links": "{name} links to content outside the document ({links}), which taskforce does not "
                             "fetch; insert that content in the document, or remove the link, in Word",
    "import.no_reference": "{name} names no draft reference in its properties or its footer: it is not a draft "
                           "that taskforce made; open the version of {reference} to edit from the drafts folder",
    "import.other_reference": "{name} is a draft of {found}, not of {reference}: import it as {found}",
    "import.tracked_changes": "{name} carries {count} tracked change(s) or comment(s): accept or reject the "
                              "tracked changes in Word first (Review > Accept / Reject) and delete the comments, "
                              "then import it again",
    "import.broken_table": "{name}: the bilingual table is broken: each row must hold the same section in Italian "
                           "and in Russian, each language in its own column; correct {count} row(s) in Word",
    "import.no_table": "{name} has no bilingual table (Italian and Russian side by side): it is not the text of "
                       "a draft",
    "approve.forms_unconfirmed": "{what} cannot be approved as final: {count} form(s) the software could not "
                                 "derive or is unsure of; give each in {where} and render it again, or correct "
                                 "it in Word and import the document, then approve that version",
    "template.kind_unknown": "cannot tell which kind of template {name} is: name it protocol.docx, agreement.docx "
                             "or memorandum.docx, or give {field:usage}",
    "session.exists": "session {number} is already registered ({path}); use {field} to replace it",
    "session.changed": "session {number} was changed by someone else since it was opened ({path}); open it "
                       "again and make the changes there",
    "user.exists": "user {name} exists; give {field} to set a new password",
    "workspace.is_a_file": "workspace {path} is a file, not a folder: give {field} a folder",
    "workspace.missing": "workspace {path} does not exist: create it with 'taskforce init {path}' or choose "
                         "another with {field} or {env}",
    "workspace.not_made": "{path} is not a taskforce workspace: run 'taskforce init {path}' (or choose another "
                          "folder with {field} or {env})",
    "demo.counts": "{field} must be 1 or more; {fields:and} 0 or more",
    # a value of a data file (a session file, agreement data), named by its data path (the Finding's field)
    "data.missing": "missing",
    "data.empty": "empty",
    "data.not_text": "expected text, got {type}",
    "data.control": "contains control characters {chars}; remove them",
    "data.mixed_scripts": "{words} mixes Latin and Cyrillic letters; retype {them} in one script",
    "data.bilingual_missing": "missing (give it as {{it: ..., ru: ...}})",
    "data.not_bilingual": "must be given in both languages as {{it: ..., ru: ...}}, got {value!r}",
    "data.translation_missing": "missing {language} translation",
    "data.unknown_language": "unknown language (use it and ru)",
    "data.gender_missing": "missing (f or m)",
    "data.gender": "{value!r} is not f or m",
    "data.choice_missing": "missing (one of {allowed})",
    "data.choice": "{value!r} is not one of {allowed}",
    "data.not_list": "expected a list, got {type}",
    "data.not_mapping": "expected a mapping of fields, got {type}",
    "data.unknown_field": "unknown field (known: {known})",
    "data.too_long": "{length} characters, more than the {limit} allowed",
    "data.too_many": "{count} given, more than the {limit} allowed",
    "agreement.empty": "empty file: an agreement needs subject, parties and commitments",
    "agreement.commitments_missing": "missing (a list of {{it: ..., ru: ...}}, at least one)",
    "agreement.reference": "{value!r} is not a reference code like TF25-AGR-003",
    "agreement.parties_missing": "missing (at least one Italian and one Russian party)",
    "agreement.countries": "an agreement needs at least one Italian (IT) and one Russian (RU) party",
    "agreement.article": "{value!r} is not one of il, lo, la, l’, i, gli, le, none",
    "agreement.basis": "{value!r} is not statute, power_of_attorney or {{it: ..., ru: ...}}",
    "agreement.months_missing": "missing (a whole number of months, e.g. 36)",
    "agreement.months": "must be a whole number of months from 1 to 1200, got {value!r}",
    "agreement.gender_unknown": "missing, and the first name in «{name}» does not tell it; give f or m",
    "agreement.party_gender_unknown": "neither the name «{name}» nor the Italian legal form «{legal_form}» tells "
                                      "whether the party is feminine (società) or masculine (consorzio); give f or m",
    "draft.data_missing": "the data file of {reference} v{version} ({path}) is no longer there: the form cannot "
                          "show it; render the draft again from a data file, or start from an empty form",
    "draft.conflict": "{reference} has changed since the form was opened (version {version} is newer); "
                      "reopen it to edit the newest data",
    "demo.real_archive": "{path} already holds an archive that the demo did not make; the demo would mix "
                         "invented documents into it. Choose another {home_field}, or give {field}",
}

# How a data path is named in a message: (path, format spec) -> text. The library's own: the path itself.
Namer = Callable[[str, str], str]


def plain_name(path: str, spec: str = "") -> str:
    return path


class _Formatter(string.Formatter):
    """Fills a message, naming the ``field`` / ``fields`` parameters (and any ``*_field``) with ``namer``."""

    def __init__(self, namer: Namer):
        self.namer = namer

    def get_field(self, field_name, args, kwargs):
        value, key = super().get_field(field_name, args, kwargs)
        return (_Path(value) if _is_path(key) and isinstance(value, str) else
                [_Path(item) for item in value] if _is_path(key) else value), key

    def format_field(self, value, format_spec):
        spec = set(format_spec.split(",")) if format_spec else set()
        if isinstance(value, _Path):
            return self.namer(value, "plain" if "plain" in spec else "usage" if "usage" in spec else "")
        if isinstance(value, list) and value and all(isinstance(item, _Path) for item in value):
            names = [self.format_field(item, format_spec) for item in value]
            return " and ".join(names) if "and" in spec else ", ".join(names)
        return super().format_field(value, format_spec)


class _Path(str):
    """A data path inside a message being filled."""


def _is_path(key) -> bool:
    return isinstance(key, str) and (key in ("field", "fields") or key.endswith("_field"))


def fill(template: str, params: dict, namer: Namer = plain_name) -> str:
    """``template`` with ``params``; a missing parameter shows as its name in braces, never a KeyError."""
    class Missing(dict):
        def __missing__(self, key):
            return "{" + key + "}"
    try:
        return _Formatter(namer).vformat(template, (), Missing(params))
    except (IndexError, ValueError, AttributeError, TypeError):
        return template


@dataclass(frozen=True)
class Finding:
    """One problem found in one place (a file, a field, a document). A problem of one value of a data file
    also carries its data path (``field``: ``parties[1].seat.ru``) and, when it has one, the code of its
    message with the parameters (``code``, ``params``: (name, value) pairs), so that a front end can say it in
    its own language next to the input that ``field`` names; ``message`` stays the English text."""

    where: str
    message: str
    field: str | None = None
    code: str | None = None
    params: tuple = ()

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message

    def as_dict(self) -> dict:
        return {"where": self.where, "message": self.message}


class TaskforceError(Exception):
    """Base of every error the library raises on purpose: ``TaskforceError(code, field=..., value=..., ...)``
    with a code of :data:`MESSAGES`, or (older) a plain English sentence. ``exit_code`` is the CLI's exit status
    for it: 1 for bad data, 2 for a usage mistake. ``str(err)`` is the English message, its fields named by
    their data paths; :meth:`render` names them another way."""

    exit_code = 1

    def __init__(self, message: str, findings: list[Finding] | None = None, **params):
        super().__init__(message)
        self.code = message if message in MESSAGES else None
        self.params = params
        self.findings = list(findings or [])

    @property
    def field(self) -> str | None:
        """The data path of the input in question (``from``, ``parties[1].representative.gender``), if any."""
        return self.params.get("field")

    @property
    def message(self) -> str:
        return self.render()

    def render(self, namer: Namer = plain_name, template: str | None = None) -> str:
        """The message (without the findings) with each field named by ``namer``; ``template`` replaces the
        code's English message (a front end's own wording)."""
        if self.code is None:
            return self.args[0] if self.args else ""
        return fill(template or MESSAGES[self.code], self.params, namer)

    def with_findings(self, text: str) -> str:
        if not self.findings:
            return text
        return "\n".join([text] + [f"  - {finding}" for finding in self.findings])

    def __str__(self) -> str:
        return self.with_findings(self.message)


class WorkspaceError(TaskforceError):
    """The workspace folder is missing, unreadable or not a workspace."""


class NotAWorkspaceError(WorkspaceError):
    """The chosen folder was not made by ``taskforce init``: a usage mistake (a wrong workspace), exit 2."""

    exit_code = 2


class ValidationError(TaskforceError):
    """Input data (a session file, agreement data, metadata, a request) is wrong; ``findings`` lists every
    problem."""


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
    limit. ``reason`` is the short cause (``encrypted: give password``) without the file name; ``path``, when
    given, opens the message."""

    def __init__(self, reason: str, path=None, **params):
        super().__init__(reason, **params)
        self.path = path

    @property
    def reason(self) -> str:
        return self.reason_text()

    def reason_text(self, namer: Namer = plain_name) -> str:
        return super().render(namer)

    def render(self, namer: Namer = plain_name, template: str | None = None) -> str:
        reason = super().render(namer, template)
        return f"{self.path}: {reason}" if self.path is not None else reason


class ToolFailedError(TaskforceError):
    """A system program (pdftoppm, tesseract) ran but failed or timed out on the input."""


class QueryBudgetError(ValidationError):
    """A search that would cost more than one request may spend (pipeline/search/budget.py)."""


class QueryTooCostlyError(QueryBudgetError):
    """The query itself asks too much (a phrase's slop, a wildcard standing for too many words): a usage
    mistake, exit 2; the message names the limit."""

    exit_code = 2


class SearchTimeLimitError(QueryBudgetError):
    """The search ran past its time budget and was stopped."""
