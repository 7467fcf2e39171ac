"""Drafting: the session's Protocol and its private agreements, rendered from .docx templates, versioned.

Every document has a stable reference (TF25-PROT, TF25-AGR-003, TF25-MOU-001). Each render writes a new
version file ``drafts/<REF>/<REF>-v<N>.docx`` (never overwriting one) and appends an entry to the drafts
register, under a lock so that two renders of the same document never get the same version number.

A version is one approved text in two layouts (the alternat): the Italian party's original puts Italian
first, the Russian party's Russian first (the column order, the closing clause's "lingue italiana e russa",
the order of the signatures). Each render writes both: the ``order`` asked for as the version's file, the
other as ``<REF>-v<N>-<order>.docx`` (the entry's ``alternat``); with ``--pdf`` a PDF of each. A signed
copy of either is that version.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from pathlib import Path

from . import agreements, forms, register
from ..access import Level
from .docx import Properties, convert_to_pdf, find_soffice, render
from ..errors import ValidationError
from ..fsutil import atomic_write_bytes, storage_error
from ..sessions.registry import get_session
from ..locks import held
from ..workspace import Workspace
from .contexts import (KIND_LABELS, STATUS, _joined, agreement_context, annex_entries, footer_text, printed_names,
                       protocol_context, restricted_references)

LOCK_TIMEOUT = 300   # a render with --pdf holds the lock while LibreOffice runs
OTHER_ORDER = {"it-ru": "ru-it", "ru-it": "it-ru"}


def protocol_reference(session_number: int) -> str:
    return f"TF{session_number}-PROT"


def _choose_reference(ws: Workspace, session_number: int, data: dict, explicit: str | None) -> str:
    code = register.KIND_CODES[data["kind"]]
    reference = explicit or data.get("reference")
    if reference:
        match = register.REFERENCE_PATTERN.fullmatch(reference)
        if not match:
            raise ValidationError(f"{reference!r} is not a reference code like TF{session_number}-{code}-001")
        if int(match["session"]) != session_number or match["kind"] != code or not match["serial"]:
            raise ValidationError(f"reference {reference} does not belong to a {data['kind']} of session "
                                  f"{session_number} (expected TF{session_number}-{code}-NNN)")
        return reference
    same_source = [e for e in register.entries(ws) if e.source == data.get("source")
                   and e.session == session_number and e.kind == data["kind"]]
    if same_source:
        return same_source[-1].reference
    serials = [int(m["serial"]) for m in (register.REFERENCE_PATTERN.fullmatch(e.reference) for e in register.entries(ws))
               if m and m["serial"] and int(m["session"]) == session_number and m["kind"] == code]
    return f"TF{session_number}-{code}-{max(serials, default=0) + 1:03d}"


def _store_version(ws: Workspace, entry: dict, render_version, pdf_maker=None, choose_reference=None) -> dict:
    """Write the next version of a draft and register it, under the drafts lock: the reference (when new) and
    the version number are chosen and taken in one step, so parallel renders never collide."""
    with held(ws.drafts / ".register.lock", LOCK_TIMEOUT, "rendering a draft"):
        if choose_reference:
            entry["reference"] = choose_reference()
        reference = entry["reference"]
        versions = [e.version for e in register.entries(ws) if e.reference == reference]
        folder = ws.drafts / reference
        on_disk = [int(p.stem.rsplit("-v", 1)[1]) for p in folder.glob("*-v*.docx") if p.stem.rsplit("-v", 1)[1].isdigit()]
        version = max(versions + on_disk, default=0) + 1
        order = entry.get("order") or "it-ru"
        target = folder / f"{reference}-v{version}.docx"
        alternat = {"order": OTHER_ORDER[order]}
        written = []
        try:
            for layout, path, place in ((order, target, entry), (alternat["order"], target.with_name(
                    f"{target.stem}-{alternat['order']}.docx"), alternat)):
                docx = render_version(reference, version, layout)
                atomic_write_bytes(path, docx, overwrite=False)
                written.append(path)
                place.update(file=str(path.relative_to(ws.home)), sha256=hashlib.sha256(docx).hexdigest())
                if pdf_maker:
                    pdf = pdf_maker(path)
                    pdf_target = path.with_suffix(".pdf")
                    atomic_write_bytes(pdf_target, pdf, overwrite=False)
                    written.append(pdf_target)
                    place.update(pdf=str(pdf_target.relative_to(ws.home)), pdf_sha256=hashlib.sha256(pdf).hexdigest())
            entry.update(version=version, created_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                         alternat=alternat)
            register.append_entry(ws, register.DraftEntry.from_dict(entry))
        except BaseException as err:
            # a version is its file and its register entry: without the entry, the file goes too
            for path in written:
                path.unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                folder.rmdir()   # only when empty: a new reference's folder
            if isinstance(err, OSError):
                raise storage_error(err, f"the draft {target.name}", "no version was written") from None
            raise
        return entry


def _party_label(party: dict) -> str:
    name = party["name"]
    return name["it"] if name["it"] == name["ru"] else f"{name['it']} / {name['ru']}"


def render_protocol(ws: Workspace, session_number: int, order: str = "it-ru", final: bool = False,
                    pdf: bool = False, include_restricted: bool = False, actor: str | None = None) -> dict:
    """Render the next version of the session's Protocol; return its register entry. Restricted agreements
    are left out of the annex (the Protocol is a public document) unless ``include_restricted``, which
    makes this version of the Protocol restricted in the register, and so in the archive. ``actor``: who
    renders it (the register's ``author``)."""
    if pdf:
        find_soffice()
    session = get_session(ws.require(), session_number)
    reference = protocol_reference(session_number)
    annex = annex_entries(ws, session_number, include_restricted)
    left_out = [] if include_restricted else restricted_references(ws, session_number)
    log = forms.FormLog(session.source)
    context = protocol_context(session, annex, log, order)
    title = {lang: f"{KIND_LABELS['protocol'][lang]} {word}" for lang, word in
             (("it", f"{context['ordinal']['it_della']} sessione"), ("ru", f"{context['ordinal']['ru']} заседания"))}
    sectors = [t["sector"]["it"] for t in session.tables]
    state = "final" if final else "draft"

    layouts = {order: context, OTHER_ORDER[order]: protocol_context(session, annex, forms.FormLog(session.source),
                                                                     OTHER_ORDER[order])}

    def render_version(reference: str, version: int, layout: str) -> bytes:
        footer = footer_text(reference, version, final, layout)
        props = Properties(title=f"{title['it']} / {title['ru']}",
                           subject=f"{session.city['it']}, {session.dates_text('it')}",
                           keywords=(reference, f"sessione {session_number}", *sectors),
                           identifier=reference, version=str(version), status=STATUS[state], category="protocol",
                           comments=footer)
        return render(ws.template_path("protocol"), {**layouts[layout], "footer": footer}, props,
                      swap_columns=layout == "ru-it", names=printed_names(layouts[layout]))

    entry = {"reference": reference, "session": session_number, "kind": "protocol",
             "title": f"{title['it']} / {title['ru']}", "parties": [], "sectors": sectors,
             "subject": f"{session.city['it']}, {session.dates_text('it')}", "state": state, "order": order,
             "annex": [row["reference"] for row in annex], "annex_left_out": left_out, "forms": log.derived,
             "texts": {"title": title},      # the two languages apart: the archived Protocol's bilingual title
             "author": actor, "origin": "session"}
    if include_restricted:
        entry["confidentiality"] = Level.RESTRICTED.value
    if final:
        forms.require_confirmed_forms(log.derived, session.source, f"the Protocol of session {session_number}")
    return with_forms_to_check(ws, _store_version(ws, entry, render_version, convert_to_pdf if pdf else None))


def render_agreement(ws: Workspace, session_number: int, data_file: Path | dict, kind: str | None = None,
                     final: bool = False, pdf: bool = False, order: str = "it-ru", reference: str | None = None,
                     actor: str | None = None, origin: str = "data file") -> dict:
    """Render the next version of a private agreement or memorandum from its data; return its register entry.

    ``data_file`` is a YAML path, or already-validated data (a dict as read_agreement_file returns).
    ``actor``: who renders it, ``origin``: how the data came ("data file", "form"), both recorded."""
    if pdf:
        find_soffice()
    ws.require()
    data = data_file if isinstance(data_file, dict) else agreements.read_agreement_file(Path(data_file), kind)
    if kind:
        data = {**data, "kind": kind}
    session = get_session(ws, session_number)
    log = forms.FormLog(data.get("source") or "agreement data")
    context = agreement_context(session, data, order, log)
    state = "final" if final else "draft"
    label = KIND_LABELS[data["kind"]]
    title = {lang: f"{label[lang]} {context['title'][lang]}" for lang in ("it", "ru")}

    layouts = {order: context, OTHER_ORDER[order]: agreement_context(
        session, data, OTHER_ORDER[order], forms.FormLog(data.get("source") or "agreement data"))}

    def render_version(ref: str, version: int, layout: str) -> bytes:
        footer = footer_text(ref, version, final, layout)
        props = Properties(title=f"{title['it']} / {title['ru']}", subject=f"{data['subject']['it']} / {data['subject']['ru']}",
                           keywords=(ref, f"sessione {session_number}", *data["sectors"]),
                           identifier=ref, version=str(version), status=STATUS[state], category=data["kind"],
                           comments=footer)
        return render(ws.template_path(data["kind"]), {**layouts[layout], "footer": footer}, props,
                      swap_columns=layout == "ru-it", names=printed_names(layouts[layout]))

    entry = {"reference": None, "session": session_number, "kind": data["kind"], "title": title["it"],
             "parties": [_party_label(p) for p in data["parties"]], "sectors": data["sectors"],
             "subject": data["subject"]["it"], "state": state, "order": order,
             "confidentiality": data["confidentiality"], "source": data.get("source"),
             "texts": {"title": title, "subject": data["subject"],
                       "parties": {"it": _joined([p["name"] for p in data["parties"]], "it", "e"),
                                   "ru": _joined([p["name"] for p in data["parties"]], "ru", "и")},
                       "parties_between": forms.between(data["parties"], log)},
             "unused_fields": agreements.unused_fields(data), "forms": log.derived, "author": actor,
             "origin": origin,
             "agreement": {"parties": [{"name": p["name"], "country": p.get("country"), "seat": p.get("seat")}
                                       for p in data["parties"]], "duration_months": data.get("duration_months")}}
    if final:
        forms.require_confirmed_forms(log.derived, data.get("source") or "the agreement data",
                                      f"the {data['kind']}")
    return with_forms_to_check(ws, _store_version(ws, entry, render_version, convert_to_pdf if pdf else None,
                                                  lambda: _choose_reference(ws, session_number, data, reference)))


def with_forms_to_check(ws: Workspace, entry: dict) -> dict:
    """The stored entry with ``forms_to_check``: its derived forms that are new or changed since the previous
    version of the same reference (``forms_since``: that version; None for a first version), so that a render
    shows staff only what they have not checked yet. Not written to the register (it keeps every form)."""
    previous = [e for e in register.entries(ws) if e.reference == entry["reference"] and e.version < entry["version"]]
    before = max(previous, key=lambda e: e.version) if previous else None
    return {**entry, "forms_to_check": forms.new_or_changed(entry.get("forms") or [], before and before.forms),
            "forms_since": before.version if before else None}


# --- reading the register ---------------------------------------------------------------------------------
