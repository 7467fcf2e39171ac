"""Drafting: the session's Protocol and its private agreements, rendered from .docx templates, versioned.

Every document has a stable reference (TF25-PROT, TF25-AGR-003, TF25-MOU-001). Each render writes a new
version file ``drafts/<REF>/<REF>-v<N>.docx`` (never overwriting one) and appends an entry to the drafts
register, under a lock so that two renders of the same document never get the same version number.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import hashlib
from pathlib import Path

from . import agreements, forms, legal_text, register
from .russian import Form, period_phrase, yo_to_e
from ..sessions.dates import compact_range, format_date, span
from .docx import (Properties, convert_to_pdf, find_soffice, leftover_tags, render, template_variables,
                         text_by_language)
from ..errors import BusyError, Finding, NotFoundError, ValidationError
from ..fsutil import atomic_write_bytes, storage_error
from ..sessions.registry import COUNTRY_NAMES, Session, get_session, read_session_file
from ..workspace import SAMPLE_SESSIONS, SHIPPED_TEMPLATES, Workspace

TEMPLATE_NAMES = ("protocol", "agreement", "memorandum")
ORDERS = ("it-ru", "ru-it")
DRAFT_MARK = {"it-ru": "BOZZA / ПРОЕКТ", "ru-it": "ПРОЕКТ / BOZZA"}
STATUS = {"draft": "Bozza / Проект", "final": "Definitivo / Окончательный"}
KIND_LABELS = {
    "protocol": {"it": "Protocollo", "ru": "Протокол"},
    "agreement": {"it": "Accordo di cooperazione", "ru": "Соглашение о сотрудничестве"},
    "memorandum": {"it": "Memorandum d'intesa", "ru": "Меморандум о взаимопонимании"},
}
WHEN = {"it": "periodo", "ru": "сроки"}
SIDES = {"IT": {"it": "Parte italiana", "ru": "итальянская сторона"},
         "RU": {"it": "Parte russa", "ru": "российская сторона"}}
EXAMPLE_DATA = SHIPPED_TEMPLATES / "agreement-example.yaml"
LOCK_TIMEOUT = 300   # a render with --pdf holds the lock while LibreOffice runs

# The variables each template may use: what templates/README.md documents for people editing them in Word.
_COMMON = {
    "footer": "reference · version · draft mark, e.g. TF25-AGR-003 · v2 · BOZZA / ПРОЕКТ",
    "ordinal": "{it, ru}: the session's number as an ordinal word (venticinquesima / двадцать пятого)",
    "place": "{it, it_at, ru, ru_pre}: the place of signature; it_at with its preposition (a Bergamo, ad "
             "Ancona), ru_pre after \"в г.\" (Казани, Нижнем Новгороде); an agreement has only it_at and ru_pre "
             "(its text names the place only in the closing clause)",
    "signed_on": "{it, ru}: the date of signature in legal form with its Italian article (il 28 novembre 2014, "
                 "l’8 marzo 2015, il 1° gennaio 2015 / 28 ноября 2014 г.)",
}
TEMPLATE_VARIABLES = {
    "protocol": {
        **_COMMON,
        "dates": "{it, ru}: the session's dates (26–28 novembre 2014 / 26–28 ноября 2014 г.)",
        "span": "{it, ru}: the session's dates in a sentence (dal 26 al 28 novembre 2014 / с 26 по 28 ноября "
                "2014 г.)",
        "venue": "{it, ru}: the venue, empty when the session file gives none",
        "co_chairs": "list of {side: {it, ru} (per la Parte italiana / с итальянской стороны), name: {it, ru_gen}, "
                     "role: {it, ru_gen} (lower case), institution: {it, ru} (may be empty)}",
        "delegations": "list of {it, ru}: participants named in the session file (the paragraph is left out "
                       "when empty)",
        "tables": "list of {sector: {it, ru}, topics: {it, ru} (joined), outcomes: list of {it, ru}}",
        "projects": "list of {it, ru}: projects presented",
        "next_session": "{it, ru}: a sentence on the next session (…в первом полугодии 2015 г.; город будет "
                        "определен дополнительно.)",
        "agreements": "list of {reference, kind: {it, ru}, parties: {it, ru}, subject: {it, ru}}: the annex, "
                      "from the drafts register; parties.ru in the instrumental (после «между»)",
        "signatories": "{it: {name, role, for: {it, ru}}, ru: {name, role, for: {it, ru}}}: the Italian co-chair "
                       "in Italian, the Russian in Russian; for: the bold line above the signature (Per il "
                       "Ministero … / За Министерство …, or Per la Parte italiana / За итальянскую сторону)",
    },
    "agreement": {
        **_COMMON,
        "title": "{it, ru}: tra A e B / между A и B (instrumental), unless the data give a title",
        "session_place": "{it, ru}: city and dates of the session",
        "parties": "list of {name: {it, ru, ru_acc}, legal_form: {it, ru}, seat: {it, ru}, "
                   "represented: {it} (rappresentata / rappresentato), sep: {it, ru} (what follows the party "
                   "in the preamble: «, с одной стороны, и» …), representative: {name: {it, ru, ru_gen}, "
                   "role: {it, ru_gen} (lower case), signature_role: {it, ru} (capitalised), acting: {it, ru} "
                   "(munita / действующей), basis: {it, ru} (in forza dello statuto / на основании Устава)}}",
        "premises": "list of {it, ru}", "subject": "{it, ru}", "commitments": "list of {it, ru}",
        "duration": "{it, ru_gen}: 3 (tre) anni / 3 (трех) лет (after «в течение»)",
        "consent": "{it, ru}: whose consent a disclosure needs (dell’altra Parte / другой Стороны; with three or "
                   "more parties della Parte che le ha fornite / Стороны, предоставившей информацию)",
        "originals": "{it, ru}: in due originali / в двух экземплярах (one per party)",
        "languages": "{it, ru}: nelle lingue italiana e russa / на итальянском и русском языках (the "
                     "original's own language first)",
        "governing_law": "{it, ru}: the sentence (Il presente Accordo è regolato dal diritto italiano.)",
        "disputes": "{it, ru}: the sentence (… mediante arbitrato secondo il Regolamento della Camera Arbitrale "
                    "di Milano.)",
    },
}
TEMPLATE_VARIABLES["protocol"]["languages"] = TEMPLATE_VARIABLES["agreement"]["languages"]
# a memorandum is non-binding: no governing law, disputes or confidentiality article
TEMPLATE_VARIABLES["memorandum"] = {key: value for key, value in TEMPLATE_VARIABLES["agreement"].items()
                                    if key not in agreements.AGREEMENT_ONLY + ("consent",)}


# --- contexts ---------------------------------------------------------------------------------------------
def ordinal(number: int) -> dict:
    from num2words import num2words


    italian = num2words(number, lang="it", to="ordinal")
    return {"it": italian[:-1] + "a" if italian.endswith("o") else italian,   # "la ... sessione": feminine
            "ru": yo_to_e(num2words(number, lang="ru", to="ordinal", case="g", gender="n"))}  # "... заседания"


def duration(months: int) -> dict:
    """36 -> {it: '3 (tre) anni', ru: '3 (три) года', ru_gen: '3 (трех) лет'} (see legal_text.duration)."""
    return legal_text.duration(months)


def both(date: dt.date) -> dict:
    """The date of signature as the closing clause writes it: 'il 28 novembre 2014' (l’8 marzo 2015, il 1°
    gennaio 2015) / '28 ноября 2014 г.'."""
    return {"it": legal_text.italian_date_with_article(date), "ru": format_date(date, "ru")}


def _joined(items: list[dict], lang: str, last: str) -> str:
    return legal_text.joined([item[lang] for item in items], last)


def footer_text(reference: str, version: int, final: bool, order: str) -> str:
    return f"{reference} · v{version}" + ("" if final else f" · {DRAFT_MARK[order]}")


SIDE_FOR = {"IT": {"it": "per la Parte italiana", "ru": "с итальянской стороны"},
            "RU": {"it": "per la Parte russa", "ru": "с российской стороны"}}
SIGN_FOR = {"IT": {"it": "Per la Parte italiana", "ru": "За итальянскую сторону"},
            "RU": {"it": "Per la Parte russa", "ru": "За российскую сторону"}}


def protocol_context(session: Session, annex: list[dict], log: forms.FormLog | None = None,
                     order: str = "it-ru") -> dict:
    log = log or forms.FormLog(session.source)
    by_country = {c["country"]: c for c in session.co_chairs}
    missing = [f"co_chairs: no {COUNTRY_NAMES[country]['it']} co-chair ({country})"
               for country in ("IT", "RU") if country not in by_country]
    if missing:
        raise ValidationError(f"session {session.number} cannot be drafted as a Protocol: its signatories are "
                              f"missing; add them to {session.source}", [Finding(session.source, m) for m in missing])
    empty = {"it": "", "ru": ""}
    findings: list[Finding] = []
    co_chairs = []
    for i, c in enumerate(session.co_chairs):
        path = f"co_chairs[{i}]"
        gender = forms.person_gender(c, path, log, None)   # a placeholder name has none: inflected as a phrase
        role = c["role"] or empty
        institution = c.get("institution") or empty
        co_chairs.append({
            "side": SIDE_FOR[c["country"]],
            "name": {"it": c["name"]["it"], "ru_gen": log.ru(c["name"], f"{path}.name", "gen", "person", gender)},
            "role": {"it": forms.italian_lower(role["it"]),
                     "ru_gen": log.ru(role, f"{path}.role", "gen", lower=True) if role["ru"] else ""},
            "institution": {"it": institution["it"], "ru": institution["ru"]},
        })
    if findings:
        raise ValidationError(f"session {session.number} cannot be drafted as a Protocol:", findings)
    signatories = {}
    for lang, country in (("it", "IT"), ("ru", "RU")):
        chair = by_country[country]
        index = session.co_chairs.index(chair)
        institution = chair.get("institution")
        if institution:
            gender = legal_text.italian_gender(institution["it"]) or "m"
            sign_for = {"it": "Per " + legal_text.with_article(institution["it"], gender),
                        "ru": "За " + log.ru(institution, f"co_chairs[{index}].institution", "acc")}
        else:
            sign_for = dict(SIGN_FOR[country])
        signatories[lang] = {"name": chair["name"][lang], "role": forms.capitalised((chair["role"] or empty)[lang]),
                             "for": sign_for}
    return {
        "ordinal": ordinal(session.number),
        "place": forms.place_context(session.city, f"{Path(session.source).name}:city", log),
        "dates": {lang: compact_range(session.start, session.end, lang) for lang in ("it", "ru")},
        "span": {lang: span(session.start, session.end, lang) for lang in ("it", "ru")},
        "signed_on": both(session.end),
        "venue": dict(session.venue) if session.venue else empty,
        "co_chairs": co_chairs,
        "delegations": [dict(p["name"]) for p in session.participants],
        "tables": [{"sector": t["sector"],
                    "topics": {lang: ", ".join(topic[lang] for topic in t["topics"]) for lang in ("it", "ru")},
                    "outcomes": t["outcomes"]} for t in session.tables],
        "projects": session.projects,
        "next_session": next_session_sentence(session, log),
        "agreements": annex,
        "signatories": signatories,
        "languages": legal_text.languages(order),
    }


def next_session_sentence(session: Session, log: forms.FormLog | None = None) -> dict:
    """'La prossima sessione della Task Force si terrà in Russia nel primo semestre 2015; la città sarà definita
    successivamente.' / 'Следующее заседание Рабочей группы состоится в России в первом полугодии 2015 г.; город
    будет определен дополнительно.'"""

    log = log or forms.FormLog(session.source)
    nxt = session.next_session
    if not nxt:
        return {"it": "Le Parti concorderanno per via diplomatica la data e il luogo della prossima sessione.",
                "ru": "Дата и место проведения следующего заседания будут согласованы Сторонами по "
                      "дипломатическим каналам."}
    country = COUNTRY_NAMES[nxt["country"]]
    country_ru_pre = "Италии" if nxt["country"] == "IT" else "России"
    if nxt.get("city"):
        where = {"it": f"{legal_text.italian_at(nxt['city']['it'])} ({country['it']})",
                 "ru": f"в г.\u00a0{log.ru(nxt['city'], 'next_session.city', 'pre')} ({country['ru']})"}
    else:
        where = {"it": f"in {country['it']}", "ru": f"в {country_ru_pre}"}
    when = {"it": "", "ru": ""}
    if nxt.get("start"):
        end = nxt.get("end") or nxt["start"]
        when = {lang: " " + span(nxt["start"], end, lang) for lang in ("it", "ru")}
    elif nxt.get("period"):
        period = nxt["period"]
        text_it = period["it"].rstrip(".")
        gender = legal_text.italian_gender(text_it) or "m"
        if period.get("ru_ins") or period.get("ru_pre"):
            phrase = period.get("ru_ins") or "в " + period["ru_pre"]
        else:
            form: Form = period_phrase(period["ru"])
            key = "ru_ins" if not form.text.startswith(("в ", "во ")) else "ru_pre"
            log.record(f"next_session.period.{key}", key[3:], period["ru"], form.text, form.source, form.note)
            phrase = form.text
        when = {"it": " " + legal_text.with_article(text_it, gender, "in"),
                "ru": " " + legal_text.nbsp_before_year_mark(phrase)}
    tail = {"it": "", "ru": ""} if nxt.get("city") else \
        {"it": "; la città sarà definita successivamente", "ru": "; город будет определен дополнительно"}
    sentences = {"it": f"La prossima sessione della Task Force si terrà {where['it']}{when['it']}{tail['it']}",
                 "ru": f"Следующее заседание Рабочей группы состоится {where['ru']}{when['ru']}{tail['ru']}"}
    return {lang: text if text.endswith(".") else text + "." for lang, text in sentences.items()}


def annex_entries(ws: Workspace, session_number: int) -> list[dict]:
    """The agreements of a session for the Protocol's annex: the newest version of each, by reference."""
    newest: dict[str, dict] = {}
    for entry in register.entries(ws):
        if entry.get("session") == session_number and entry.get("kind") in agreements.KINDS:
            if entry["reference"] not in newest or entry["version"] > newest[entry["reference"]]["version"]:
                newest[entry["reference"]] = entry
    rows = []
    for reference in sorted(newest):
        texts = newest[reference].get("texts", {})
        parties = texts.get("parties_between") or texts.get("parties")
        rows.append({"reference": reference, "kind": KIND_LABELS[newest[reference]["kind"]],
                     "parties": parties or {"it": "; ".join(newest[reference]["parties"]),
                                            "ru": "; ".join(newest[reference]["parties"])},
                     "subject": texts.get("subject") or {"it": newest[reference]["subject"],
                                                         "ru": newest[reference]["subject"]}})
    return rows


def agreement_context(session: Session, data: dict, order: str = "it-ru", log: forms.FormLog | None = None) -> dict:
    log = log or forms.FormLog(data.get("source") or "agreement data")
    place, signed_on = agreements.default_signing(data, session)
    place_path = "place" if data.get("place") else f"{Path(session.source).name}:city"
    parties = forms.parties_context(data["parties"], log)
    between = forms.between(data["parties"], log)
    title = data["title"] or {"it": "tra " + between["it"], "ru": "между " + between["ru"]}
    context = {
        "ordinal": ordinal(session.number),
        "title": title,
        "session_place": {lang: f"{session.city[lang]}, {compact_range(session.start, session.end, lang)}"
                          for lang in ("it", "ru")},
        "parties": parties,
        "premises": data["premises"],
        "subject": data["subject"],
        "commitments": data["commitments"],
        "duration": {key: value for key, value in duration(data["duration_months"]).items() if key != "ru"},
        "place": forms.place_context(place, place_path, log, nominative=False),
        "signed_on": both(signed_on),
        "originals": legal_text.originals(len(parties)),
        "languages": legal_text.languages(order),
    }
    if data["kind"] == "agreement":
        context["consent"] = legal_text.consent(len(parties))
        law = data["governing_law"]
        context["governing_law"] = legal_text.governing_law(law, legal_text.italian_gender(law["it"]) or "m")
        body = data["disputes"]
        context["disputes"] = legal_text.disputes(body, log.ru(body, "disputes", "gen"),
                                                  legal_text.italian_gender(body["it"]) or "f")
    return context


# --- references, versions and the register ----------------------------------------------------------------
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
    same_source = [e for e in register.entries(ws) if e.get("source") == data.get("source")
                   and e.get("session") == session_number and e.get("kind") == data["kind"]]
    if same_source:
        return same_source[-1]["reference"]
    serials = [int(m["serial"]) for m in (register.REFERENCE_PATTERN.fullmatch(e["reference"]) for e in register.entries(ws))
               if m and m["serial"] and int(m["session"]) == session_number and m["kind"] == code]
    return f"TF{session_number}-{code}-{max(serials, default=0) + 1:03d}"


def _lock(ws: Workspace):
    from filelock import FileLock, Timeout

    ws.drafts.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(ws.drafts / ".register.lock"), timeout=LOCK_TIMEOUT)
    try:
        lock.acquire()
    except Timeout:
        raise BusyError(f"another taskforce process has held {ws.drafts / '.register.lock'} for "
                        f"{LOCK_TIMEOUT} s; wait for it to finish and try again") from None
    return lock


def _store_version(ws: Workspace, entry: dict, render_version, pdf_maker=None, choose_reference=None) -> dict:
    """Write the next version of a draft and register it, under the drafts lock: the reference (when new) and
    the version number are chosen and taken in one step, so parallel renders never collide."""
    lock = _lock(ws)
    try:
        if choose_reference:
            entry["reference"] = choose_reference()
        reference = entry["reference"]
        versions = [e["version"] for e in register.entries(ws) if e.get("reference") == reference]
        folder = ws.drafts / reference
        on_disk = [int(p.stem.rsplit("-v", 1)[1]) for p in folder.glob("*-v*.docx") if p.stem.rsplit("-v", 1)[1].isdigit()]
        version = max(versions + on_disk, default=0) + 1
        docx = render_version(reference, version)
        target = folder / f"{reference}-v{version}.docx"
        written = []
        try:
            atomic_write_bytes(target, docx, overwrite=False)
            written.append(target)
            entry.update(version=version, file=str(target.relative_to(ws.home)),
                         sha256=hashlib.sha256(docx).hexdigest(),
                         created_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
            if pdf_maker:
                pdf = pdf_maker(target)
                pdf_target = target.with_suffix(".pdf")
                atomic_write_bytes(pdf_target, pdf, overwrite=False)
                written.append(pdf_target)
                entry.update(pdf=str(pdf_target.relative_to(ws.home)), pdf_sha256=hashlib.sha256(pdf).hexdigest())
            register.append_entry(ws, entry)
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
    finally:
        lock.release()


def _party_label(party: dict) -> str:
    name = party["name"]
    return name["it"] if name["it"] == name["ru"] else f"{name['it']} / {name['ru']}"


def render_protocol(ws: Workspace, session_number: int, order: str = "it-ru", final: bool = False,
                    pdf: bool = False) -> dict:
    """Render the next version of the session's Protocol; return its register entry."""
    if pdf:
        find_soffice()
    session = get_session(ws.require(), session_number)
    reference = protocol_reference(session_number)
    annex = annex_entries(ws, session_number)
    log = forms.FormLog(session.source)
    context = protocol_context(session, annex, log, order)
    title = {lang: f"{KIND_LABELS['protocol'][lang]} {word}" for lang, word in
             (("it", f"della {context['ordinal']['it']} sessione"), ("ru", f"{context['ordinal']['ru']} заседания"))}
    sectors = [t["sector"]["it"] for t in session.tables]
    state = "final" if final else "draft"

    def render_version(reference: str, version: int) -> bytes:
        footer = footer_text(reference, version, final, order)
        props = Properties(title=f"{title['it']} / {title['ru']}",
                           subject=f"{session.city['it']}, {session.dates_text('it')}",
                           keywords="; ".join([reference, f"sessione {session_number}"] + sectors),
                           identifier=reference, version=str(version), status=STATUS[state], category="protocol",
                           comments=footer)
        return render(ws.template_path("protocol"), {**context, "footer": footer}, props, swap_columns=order == "ru-it")

    entry = {"reference": reference, "session": session_number, "kind": "protocol",
             "title": f"{title['it']} / {title['ru']}", "parties": [], "sectors": sectors,
             "subject": f"{session.city['it']}, {session.dates_text('it')}", "state": state, "order": order,
             "annex": [row["reference"] for row in annex], "forms": log.derived}
    return _store_version(ws, entry, render_version, convert_to_pdf if pdf else None)


def render_agreement(ws: Workspace, session_number: int, data_file: Path | dict, kind: str | None = None,
                     final: bool = False, pdf: bool = False, order: str = "it-ru", reference: str | None = None) -> dict:
    """Render the next version of a private agreement or memorandum from its data; return its register entry.

    ``data_file`` is a YAML path, or already-validated data (a dict as read_agreement_file returns)."""
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

    def render_version(ref: str, version: int) -> bytes:
        footer = footer_text(ref, version, final, order)
        props = Properties(title=f"{title['it']} / {title['ru']}", subject=f"{data['subject']['it']} / {data['subject']['ru']}",
                           keywords="; ".join([ref, f"sessione {session_number}"] + data["sectors"]),
                           identifier=ref, version=str(version), status=STATUS[state], category=data["kind"],
                           comments=footer)
        return render(ws.template_path(data["kind"]), {**context, "footer": footer}, props,
                      swap_columns=order == "ru-it")

    entry = {"reference": None, "session": session_number, "kind": data["kind"], "title": title["it"],
             "parties": [_party_label(p) for p in data["parties"]], "sectors": data["sectors"],
             "subject": data["subject"]["it"], "state": state, "order": order,
             "confidentiality": data["confidentiality"], "source": data.get("source"),
             "texts": {"title": title, "subject": data["subject"],
                       "parties": {"it": _joined([p["name"] for p in data["parties"]], "it", "e"),
                                   "ru": _joined([p["name"] for p in data["parties"]], "ru", "и")},
                       "parties_between": forms.between(data["parties"], log)},
             "unused_fields": agreements.unused_fields(data), "forms": log.derived}
    return _store_version(ws, entry, render_version, convert_to_pdf if pdf else None,
                          lambda: _choose_reference(ws, session_number, data, reference))


# --- reading the register ---------------------------------------------------------------------------------
def list_drafts(ws: Workspace, session: int | None = None) -> list[dict]:
    """One row per reference: its newest version."""
    newest: dict[str, dict] = {}
    counts: dict[str, int] = {}
    for entry in register.entries(ws.require()):
        if session is not None and entry.get("session") != session:
            continue
        counts[entry["reference"]] = counts.get(entry["reference"], 0) + 1
        if entry["reference"] not in newest or entry["version"] > newest[entry["reference"]]["version"]:
            newest[entry["reference"]] = entry
    return [{**newest[ref], "versions": counts[ref]} for ref in sorted(newest, key=_reference_sort_key)]


def _reference_sort_key(reference: str):
    match = register.REFERENCE_PATTERN.fullmatch(reference)
    if not match:
        return (10**6, 0, 0, reference)
    return (int(match["session"]), ("PROT", "AGR", "MOU").index(match["kind"]), int(match["serial"] or 0), reference)


def draft_versions(ws: Workspace, reference: str) -> list[dict]:
    found = sorted((e for e in register.entries(ws.require()) if e.get("reference") == reference),
                   key=lambda e: e["version"])
    if not found:
        known = ", ".join(sorted({e["reference"] for e in register.entries(ws)}, key=_reference_sort_key)[:10])
        raise NotFoundError(f"no draft {reference} in the drafts register" +
                            (f" (known: {known}…)" if known else "; render one with 'taskforce draft'"))
    return found


def show_draft(ws: Workspace, reference: str) -> dict:
    versions = draft_versions(ws, reference)
    newest = dict(versions[-1])
    newest["versions"] = [{"version": e["version"], "state": e["state"], "created_at": e["created_at"],
                           "sha256": e["sha256"], "file": e["file"]} for e in versions]
    return newest


def diff_drafts(ws: Workspace, reference: str, old: int | None = None, new: int | None = None) -> dict:
    """A paragraph-level redline between two versions, per language (the newest two by default)."""
    versions = {e["version"]: e for e in draft_versions(ws, reference)}
    if old is None and new is None:
        if len(versions) < 2:
            raise NotFoundError(f"{reference} has only one version; render it again to have something to compare")
        new, old = sorted(versions)[-1], sorted(versions)[-2]
    elif new is None:
        raise ValidationError("give two versions to compare, e.g. 'taskforce draft diff REF 1 3', or none")
    for version in (old, new):
        if version not in versions:
            raise NotFoundError(f"{reference} has no version {version} (versions: "
                                f"{', '.join(map(str, sorted(versions)))})")
    texts = []
    for version in (old, new):
        path = ws.home / versions[version]["file"]
        if not path.is_file():
            raise NotFoundError(f"{path} (version {version} of {reference}) is missing from the drafts folder")
        texts.append(text_by_language(path))
    changes = {lang: _paragraph_changes(texts[0][lang], texts[1][lang]) for lang in ("it", "ru")}
    return {"reference": reference, "old": old, "new": new, "changes": changes,
            "identical": not any(changes.values())}


def _paragraph_changes(old: list[str], new: list[str]) -> list[dict]:
    changes = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op != "equal":
            context = old[a1 - 1] if a1 > 0 else None
            changes.append({"op": {"replace": "changed", "delete": "removed", "insert": "added"}[op],
                            "after": context, "old": old[a1:a2], "new": new[b1:b2]})
    return changes


# --- templates --------------------------------------------------------------------------------------------
def list_templates(ws: Workspace) -> list[dict]:
    rows = []
    for name in TEMPLATE_NAMES:
        path = ws.template_path(name)
        rows.append({"name": name, "source": "workspace" if path.parent == ws.templates else "shipped",
                     "path": str(path), "variables": len(TEMPLATE_VARIABLES[name])})
    return rows


def sample_context(name: str, annex_size: int = 2) -> dict:
    """Context for checking a template: the sample session (25th) and the example agreement data."""
    session = read_session_file(SAMPLE_SESSIONS / "session-025.yaml")
    data = agreements.read_agreement_file(EXAMPLE_DATA, "memorandum" if name == "memorandum" else "agreement")
    if name == "protocol":
        between = forms.between(data["parties"], forms.FormLog(str(EXAMPLE_DATA)))
        context = protocol_context(session, [
            {"reference": f"TF25-AGR-{n:03d}", "kind": KIND_LABELS["agreement"], "parties": between,
             "subject": data["subject"]} for n in range(1, annex_size + 1)])
    else:
        context = agreement_context(session, data)
    return {**context, "footer": footer_text(f"TF25-{'PROT' if name == 'protocol' else 'AGR-001'}", 1, False, "it-ru")}


def check_template(ws: Workspace, target: str, kind: str | None = None) -> dict:
    """Parse a template, list its variables, render it with sample data, look for leftover tags."""
    path = Path(target)
    if target in TEMPLATE_NAMES and not path.exists():
        path = ws.template_path(target)
    if not path.is_file():
        raise NotFoundError(f"{target}: no such template file (give a .docx path or one of {', '.join(TEMPLATE_NAMES)})")
    kind = kind or (path.stem if path.stem in TEMPLATE_NAMES else None)
    if kind is None:
        raise ValidationError(f"cannot tell which kind of template {path.name} is: name it protocol.docx, "
                              f"agreement.docx or memorandum.docx, or give --as KIND")
    problems = []
    variables: set[str] = set()
    try:
        variables = template_variables(path)
    except ValidationError as err:
        problems.append(err.message)
    documented = TEMPLATE_VARIABLES[kind]
    for unknown in sorted(variables - set(documented)):
        problems.append(f"unknown variable '{unknown}': a {kind} template knows {', '.join(sorted(documented))}")
    if not problems:
        props = Properties(title="check", subject="check", keywords="check", identifier="TF25-CHECK", version="1",
                           status="check", category=kind, comments="check")
        try:
            rendered = render(path, sample_context(kind), props)
            problems += [f"tag left after rendering in {tag}" for tag in leftover_tags(rendered)]
        except ValidationError as err:
            problems.append(err.message)
    return {"template": str(path), "kind": kind, "variables": sorted(variables),
            "unused": sorted(set(documented) - variables), "problems": problems, "ok": not problems}
