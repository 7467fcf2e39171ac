"""Withdraw and supersede from the document page (issue 24 item 3, the archivists' buttons): two posts with
the CSRF token, for the role archivist, calling the use cases of ``taskforce archive withdraw|supersede``.

A problem (no reason, an unknown successor, a document withdrawn already) comes back on the document page in
its language, next to the field it concerns (``?problem=withdraw.reason`` names the message and the field).
"""
from __future__ import annotations

import logging

from flask import Flask, abort, redirect, request, url_for

from ..archive.layout import PUBLIC_ID_PATTERN
from ..archive.store import Archive
from ..errors import ConflictError, NotFoundError, TaskforceError, ValidationError
from .csrf import csrf_ok
from .language import _t
from .roles import has_role, require_role
from .services import use_cases
from .signin import current_user
from .site import _ws
from .visibility import _visible_record, address_of, reader

MAX_REASON = 500
# the problems a post may come back with: (the field it concerns, its message's key)
PROBLEMS = {
    "withdraw.reason": ("reason", "succession.err.reason"),
    "withdraw.already": ("reason", "succession.err.withdrawn"),
    "supersede.unknown": ("successor", "succession.err.unknown"),
    "supersede.refused": ("successor", "succession.err.refused"),
    **{f"supersede.{code}": ("successor", f"succession.err.{code}") for code in (
        "supersede_itself", "superseded_already", "supersedes_already", "successor_withdrawn", "supersede_cycle")},
}

log = logging.getLogger("taskforce.web")


def succession_forms(record) -> dict:
    """What the document page's forms need: whether the reader may change the document (an archivist), which
    of the two actions remain (a withdrawn document is not withdrawn again, a superseded one not superseded
    again), and the problem of the last post. The page's notices of a withdrawal and of the links are
    app.py's (``succession``)."""
    found = {"may_change": has_role("archivist"), "withdrawn": bool(record.withdrawn),
             "superseded": bool(record.superseded_by), "problem": None}
    code = request.args.get("problem", "")
    if code in PROBLEMS and found["may_change"]:
        field, key = PROBLEMS[code]
        found["problem"] = {"field": field, "text": _t(key)}
    return found


def _back(address: str, problem: str | None = None):
    return redirect(url_for("document_page", doc_id=address, problem=problem) + ("#succession" if problem else ""), 303)


def register(app: Flask) -> None:
    app.jinja_env.globals.update(succession_forms=succession_forms)

    @app.post("/doc/<doc_id>/withdraw")
    @require_role("archivist")
    def withdraw_document(doc_id):
        if not csrf_ok():
            abort(400)
        record = _visible_record(Archive(_ws()), doc_id)
        address = address_of(record)
        reason = " ".join(request.form.get("reason", "").split())[:MAX_REASON]
        if not reason:
            return _back(address, "withdraw.reason")
        try:
            use_cases().withdraw(record.doc_id, reason, actor=current_user())
        except ConflictError:
            return _back(address, "withdraw.already")
        except ValidationError:
            return _back(address, "withdraw.reason")
        log.info("%s withdrew %s: %s", current_user(), record.doc_id, reason)
        return _back(address)

    @app.post("/doc/<doc_id>/supersede")
    @require_role("archivist")
    def supersede_document(doc_id):
        if not csrf_ok():
            abort(400)
        archive = Archive(_ws())
        record = _visible_record(archive, doc_id)
        address = address_of(record)
        successor = request.form.get("successor", "").strip()[:64]
        try:
            if PUBLIC_ID_PATTERN.match(successor):      # the address of its page, as the archivist may copy it
                new_id = use_cases().document_at(successor, reader())
            else:
                new_id = archive.folder_of(successor).name if successor else None
        except TaskforceError:
            new_id = None
        if new_id is None:
            return _back(address, "supersede.unknown")
        try:
            use_cases().supersede(record.doc_id, new_id, actor=current_user())
        except NotFoundError:
            return _back(address, "supersede.unknown")
        except TaskforceError as err:        # itself, superseded already, a withdrawn successor, a cycle
            log.info("supersede %s by %s refused: %s", record.doc_id, new_id, err.message)
            problem = f"supersede.{str(err.code or '').rpartition('.')[2]}"
            return _back(address, problem if problem in PROBLEMS else "supersede.refused")
        log.info("%s recorded %s as superseded by %s", current_user(), record.doc_id, new_id)
        return _back(address)
