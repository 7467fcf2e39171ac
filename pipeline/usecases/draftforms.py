"""Drafting from a form (the web page's /drafts/new and /drafts/REF/edit): the agreement data a form filled in
is checked as a data file is, saved into the workspace as the data file it is, and rendered as the next version
by the same call as `taskforce draft agreement`, so that the CLI renders that file to the same text.

A saved data file is ``drafts/data/<sha256 of its bytes>.yaml``: written once, never changed, named by its
content (so two versions with the same data share it and the name can never be taken by other data); the
register entry of each version names it as its ``source``. Saving takes the workspace's forms lock: two saves
of one reference take turns, and a save made from a form opened before the reference's newest version (from the
CLI or another browser) is a conflict, told by the ``base`` token the form carried.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

from ..drafting import agreements, register
from ..drafting.contexts import annex_entries, restricted_references
from ..drafting.render import protocol_reference, render_agreement
from ..errors import ConflictError, Finding, NotFoundError, ValidationError
from ..fsutil import atomic_write_bytes, storage_error
from ..locks import held
from ..sessions.registry import get_session, load_yaml
from ..workspace import Workspace

DATA_FOLDER = "data"          # drafts/data/: the data files saved by the form
LOCK_TIMEOUT = 300            # a save waits for a render of the same workspace (LibreOffice with --pdf)
AGREEMENT_KINDS = agreements.KINDS
# what a data file allows, for the form's selects (the front ends do not read the drafting stage themselves)
ARTICLES = tuple(article for article in agreements.ARTICLE_CHOICES if article != "l'")   # l' is written l’
BASIS_KEYWORDS = agreements.BASIS_KEYWORDS


def check_agreement(raw: dict, kind: str | None = None) -> list[Finding]:
    """Every problem of agreement data as a form gives it (the same checks as a data file's)."""
    return agreements.parse_agreement(raw, "form", kind)[1]


def agreement_draft(ws: Workspace, reference: str) -> dict:
    """The newest version of an agreement or memorandum and the data it was rendered from, for its form:
    ``entry`` (DraftEntry), ``data`` (the data file as read), ``base`` (the token a save must bring back)."""
    entry = register.latest(ws.require(), reference)
    if entry is None or entry.kind not in AGREEMENT_KINDS:
        raise NotFoundError(f"no agreement or memorandum {reference} in the drafts register")
    raw = _source_bytes(entry)
    if raw is None:
        raise NotFoundError("draft.data_missing", reference=reference, version=entry.version, path=entry.source)
    data = load_yaml(Path(entry.source))
    return {"entry": entry, "data": data if isinstance(data, dict) else {}, "base": _token(entry, raw)}


def _source_bytes(entry) -> bytes | None:
    if not entry.source:
        return None
    try:
        return Path(entry.source).read_bytes()
    except OSError:
        return None


def _token(entry, raw: bytes | None) -> str:
    """What a form opened on ``entry`` saw: its version and the bytes of its data file."""
    return f"{entry.version}:{hashlib.sha256(raw or b'').hexdigest()[:16]}"


def data_file_text(raw: dict, session: int) -> str:
    """The data file of ``raw`` as the form saves it: YAML the CLI reads back, with a header saying how."""
    body = yaml.safe_dump(raw, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)
    return (f"# Agreement data saved by the taskforce web form (session {session}); the same file renders with\n"
            f"#   taskforce draft agreement {session} THIS-FILE.yaml\n{body}")


def save_agreement(ws: Workspace, session: int, raw: dict, *, reference: str | None = None,
                   base: str | None = None, actor: str | None = None) -> dict:
    """Check ``raw`` (a form's agreement data), save it as a data file of the workspace and render the next
    version from it (a new reference when ``reference`` is None); the register's new entry, with the forms to
    check. A ValidationError lists every problem (each with its data path); a ConflictError when the reference
    has a version newer than ``base``, the form's token. The version's ``author`` is ``actor`` (the web page's
    account), its ``origin`` "form"."""
    ws.require()
    get_session(ws, session)                       # a missing session: NotFoundError before anything is written
    findings = check_agreement(raw)
    if findings:
        raise ValidationError(f"the form is not valid agreement data ({len(findings)} problem(s)):", findings)
    with held(ws.drafts / ".forms.lock", LOCK_TIMEOUT, "saving a draft from the web form"):
        if reference is not None:
            entry = register.latest(ws, reference)
            if entry is None or entry.kind not in AGREEMENT_KINDS or entry.session != session:
                raise NotFoundError(f"no agreement or memorandum {reference} of session {session}")
            if base != _token(entry, _source_bytes(entry)):
                raise ConflictError("draft.conflict", reference=reference, version=entry.version)
            raw = {**raw, "reference": reference}
        text = data_file_text(raw, session).encode("utf-8")
        path = ws.drafts / DATA_FOLDER / f"{hashlib.sha256(text).hexdigest()}.yaml"
        created = False
        if not path.exists():
            try:
                atomic_write_bytes(path, text, overwrite=False)
                created = True
            except FileExistsError:
                pass                                   # the same data saved meanwhile: the same bytes
            except OSError as err:
                raise storage_error(err, f"the data file {path.name}", "nothing was rendered") from None
        try:
            # read back as the CLI reads a data file: what is rendered is what the file says
            return render_agreement(ws, session, agreements.read_agreement_file(path), reference=reference,
                                    actor=actor, origin="form")
        except BaseException:
            if created:                                # no version was rendered from it: no data file either
                path.unlink(missing_ok=True)
            raise


def protocol_contents(ws: Workspace, session: int) -> dict:
    """What the next Protocol of ``session`` will contain: the session, the newest version of each of its
    agreements in the drafts register (the annex), the restricted ones it leaves out, its reference and
    newest version (None before the first)."""
    found = get_session(ws.require(), session)
    reference = protocol_reference(session)
    newest = register.latest(ws, reference)
    return {"session": found, "annex": annex_entries(ws, session), "left_out": restricted_references(ws, session),
            "reference": reference, "version": newest.version if newest else None}
