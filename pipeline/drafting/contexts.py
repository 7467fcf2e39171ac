"""What each template is rendered with: the context of the Protocol and of an agreement, built from the session
and the agreement data, every value in both languages and, for Russian, in the case its sentence needs."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import agreements, forms, legal_text, register
from .russian import Form, period_phrase, yo_to_e
from ..access import is_restricted
from ..sessions.dates import compact_range, format_date, span
from ..errors import Finding, ValidationError
from ..sessions.registry import COUNTRY_NAMES, Session
from ..workspace import SHIPPED_TEMPLATES, Workspace


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

# The variables each template may use: what templates/README.md documents for people editing them in Word.
_COMMON = {
    "footer": "reference · version · draft mark, e.g. TF25-AGR-003 · v2 · BOZZA / ПРОЕКТ",
    "ordinal": "{it, it_La, it_della, ru}: the session's number as an ordinal word (venticinquesima / "
               "двадцать пятого); with its article, elided before a vowel: it_La at the start of a sentence "
               "(La venticinquesima, L’undicesima), it_della (della venticinquesima, dell’ottava)",
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
        "signatories": "{it: {names: {it, ru}, roles: {it, ru}, for: {it, ru}}, ru: {…}}: the Italian and the "
                       "Russian co-chair, each named in both scripts with the role in both languages (name, role: "
                       "in the side's own language only); for: the bold line above the signature (Per il "
                       "Ministero … / За Министерство …, or Per la Parte italiana / За итальянскую сторону)",
    },
    "agreement": {
        **_COMMON,
        "title": "{it, ru}: tra A e B / между A и B (instrumental), unless the data give a title",
        "session_place": "{it, ru}: city and dates of the session",
        "parties": "list of {name: {it, it_def, it_start, ru, ru_acc} (it_def: with its article when the name "
                   "begins with a common noun: il Consorzio …, l’Università …; it_start: the same capitalised, "
                   "at the start of a paragraph), legal_form: {it, ru}, seat: {it, ru}, "
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
# Values a template may print though the shipped ones no longer do: the bare ordinal and party name, which a
# template edited in Word before the elided and articled forms existed still uses ("della {{ ordinal.it }}")
SPARE_VALUES = {"ordinal.it", "ordinal.it_La", "parties.name.it", "signatories.it.name", "signatories.it.role",
                "signatories.ru.name", "signatories.ru.role"}
# a memorandum is non-binding: no governing law, disputes or confidentiality article
TEMPLATE_VARIABLES["memorandum"] = {key: value for key, value in TEMPLATE_VARIABLES["agreement"].items()
                                    if key not in agreements.AGREEMENT_ONLY + ("consent",)}


# --- contexts ---------------------------------------------------------------------------------------------
def ordinal(number: int) -> dict:
    from num2words import num2words


    italian = num2words(number, lang="it", to="ordinal")
    italian = italian[:-1] + "a" if italian.endswith("o") else italian   # "la ... sessione": feminine
    return {"it": italian, **legal_text.elided_ordinal(italian),          # dell’ottava, L’undicesima
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
        role = chair["role"] or empty
        signatories[lang] = {"name": chair["name"][lang], "role": forms.capitalised(role[lang]), "for": sign_for,
                             "names": {"it": chair["name"]["it"], "ru": chair["name"]["ru"]},
                             "roles": {"it": forms.capitalised(role["it"]), "ru": forms.capitalised(role["ru"])}}
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


def newest_agreements(ws: Workspace, session_number: int) -> dict[str, register.DraftEntry]:
    """The newest register entry of each agreement and memorandum of a session, by reference."""
    newest: dict[str, register.DraftEntry] = {}
    for entry in register.entries(ws):
        if entry.session == session_number and entry.kind in agreements.KINDS:
            if entry.reference not in newest or entry.version > newest[entry.reference].version:
                newest[entry.reference] = entry
    return newest


def restricted_references(ws: Workspace, session_number: int) -> list[str]:
    """The session's agreements whose newest version is restricted: a public Protocol must not name them."""
    return sorted(reference for reference, entry in newest_agreements(ws, session_number).items()
                  if is_restricted(entry.confidentiality))


def annex_entries(ws: Workspace, session_number: int, include_restricted: bool = False) -> list[dict]:
    """The agreements of a session for the Protocol's annex: the newest version of each, by reference;
    restricted ones only when ``include_restricted`` (the Protocol is then restricted itself)."""
    newest = newest_agreements(ws, session_number)
    if not include_restricted:
        newest = {reference: entry for reference, entry in newest.items()
                  if not is_restricted(entry.confidentiality)}
    rows = []
    for reference in sorted(newest):
        entry = newest[reference]
        texts = entry.texts
        parties = texts.get("parties_between") or texts.get("parties")
        rows.append({"reference": reference, "kind": KIND_LABELS[entry.kind],
                     "parties": parties or {"it": "; ".join(entry.parties), "ru": "; ".join(entry.parties)},
                     "subject": texts.get("subject") or {"it": entry.subject, "ru": entry.subject}})
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


def printed_names(context: dict) -> list[str]:
    """Every form of the names of parties and people a context prints (never hyphenated in the document)."""
    names: list[str] = []

    def forms_of(value) -> None:
        if isinstance(value, dict):
            names.extend(text for text in value.values() if isinstance(text, str))
    for party in context.get("parties", []):
        forms_of(party["name"])
        forms_of(party["representative"]["name"])
    for chair in context.get("co_chairs", []):
        forms_of(chair["name"])
    for side in context.get("signatories", {}).values():
        forms_of(side["names"])
    for row in context.get("agreements", []):
        forms_of(row["parties"])
    return names


# --- references, versions and the register ----------------------------------------------------------------
