"""The forms a draft inserts into its text, each with the field it comes from.

A data file gives a value in the nominative and may give any Russian case explicitly (``ru_gen``, ``ru_dat``,
``ru_acc``, ``ru_ins``, ``ru_pre``): a given form always wins. A missing form is derived (russian.py) and
recorded here with its field path (``parties[0].representative.name.ru_gen``), so that ``taskforce draft``
prints it, ``--json`` returns it and the drafts register keeps it for staff to check. A form the analyser
could not derive is also a *problem*: the draft is still rendered with the best guess, and the message names
the field to fill in.
"""
from __future__ import annotations

import re

from . import legal_text, russian
from ..errors import Finding, ValidationError

GENERIC_NOUN = "компания"     # for a party whose Russian name is only a quoted or foreign name
BASES = {
    "statute": {"it": "statuto", "it_gender": "m", "ru": "Устав"},
    "power_of_attorney": {"it": "procura", "it_gender": "f", "ru": "доверенность"},
}


class FormLog:
    """Collects the derived forms of one draft and the ones the analyser could not derive."""

    def __init__(self, where: str = ""):
        self.where = where
        self.derived: list[dict] = []
        self._seen: set[str] = set()

    def record(self, field: str, case: str, original: str, form: str, source: str, note: str = "") -> None:
        if field in self._seen:
            return
        self._seen.add(field)
        entry = {"field": field, "case": case, "from": original, "form": form, "source": source}
        if note:
            entry["note"] = note
        self.derived.append(entry)

    # -- Russian forms ------------------------------------------------------------------------------------
    def ru(self, value: dict, path: str, case: str, kind: str = "phrase", gender: str | None = None,
           lower: bool = False) -> str:
        """The Russian of ``value`` in ``case``: the given form, or a derived one (recorded)."""
        if case == "nom":
            return russian.lower_first(value["ru"]) if lower else value["ru"]
        key = f"ru_{case}"
        if value.get(key):
            return value[key]
        original = russian.lower_first(value["ru"]) if lower else value["ru"]
        if kind == "person" and gender is None:     # a placeholder or a title rather than a name
            phrase = russian.inflect_phrase(original, case)
            form = russian.Form(phrase.text, "unknown", f"no gender known: inflected as a phrase; give "
                                                        f"{path.rsplit('.', 1)[0]}.gender (f or m) if this is a "
                                                        f"person's name")
        elif kind == "person":
            form = russian.inflect_person(original, case, gender, latin=value.get("it"))
        elif kind == "party":
            form = party_form(original, case)
        else:
            form = russian.inflect_phrase(original, case)
        if form.source != "unchanged" or form.note:
            self.record(f"{path}.{key}", case, original, form.text, form.source, form.note)
        return form.text

    def note(self, field: str, value: str, how: str) -> None:
        """A value chosen by the software (a gender read from a first name, a default basis)."""
        self.record(field, "", "", value, "inferred", how)


UNCONFIRMED = ("unknown", "doubtful")


def unconfirmed_forms(derived: list[dict], where: str) -> list[Finding]:
    """The derived forms a final text must not carry, each naming the data field to give or confirm: the
    guesses of the analyser (unknown: «единоличный управляющий» left in the nominative after «в лице») and the
    forms it is unsure of (doubtful: a surname whose stress decides)."""
    findings = []
    for form in derived:
        if form["source"] not in UNCONFIRMED:
            continue
        what = "a guess" if form["source"] == "unknown" else "doubtful"
        note = f" ({form['note']})" if form.get("note") else ""
        findings.append(Finding(where, f"{form['field']}: «{form['from']}» -> «{form['form']}» is {what}{note}; "
                                       f"give {form['field']} in the data file (the form above, if it is right)"))
    return findings


def new_or_changed(current: list[dict], previous: list[dict] | None) -> list[dict]:
    """The derived forms of a version that its previous version did not have, or had otherwise: what staff
    have not checked yet (all of them for a first version)."""
    before = {form["field"]: (form.get("from"), form["form"], form["source"]) for form in previous or []}
    return [form for form in current if before.get(form["field"]) != (form.get("from"), form["form"], form["source"])]


def require_confirmed_forms(derived: list[dict], where: str, what: str, code: str = "render.forms_unconfirmed") -> None:
    """Refuse a final version while any derived form is unknown or doubtful (a draft may carry them, with
    the warnings). One check for every front end: the CLI's --final and draft final, the web page's final
    render and its approve button (``code`` "approve.forms_unconfirmed": the message says how to approve)."""
    findings = unconfirmed_forms(derived, where)
    if findings:
        raise ValidationError(code, findings, field="final", what=what, count=len(findings), where=where)


def party_form(name: str, case: str) -> russian.Form:
    """A party's Russian name in a case. A name that is only a quoted or foreign name gets the generic noun
    ("компанией «Меканика Оробика С.п.А.»"); one that starts with an abbreviation (ООО «X») does not change."""
    stripped = name.strip()
    if stripped[:1] in "«\"“„" or re.match(r"[A-Za-z]", stripped):
        noun = russian.inflect_phrase(GENERIC_NOUN, case)
        return russian.Form(f"{noun.text} {stripped}", "rule", f"the generic noun «{GENERIC_NOUN}» added: the name "
                                                               f"is a quoted or foreign name that does not decline")
    return russian.inflect_phrase(stripped, case)


def infer_gender(name_ru: str) -> str | None:
    """A person's gender from a first name the dictionary knows with one gender only, else None."""
    genders = set()
    for word in re.findall(r"[А-Яа-яЁё]+", name_ru):
        for parse in russian.analyser().parse(word.lower()):
            if parse.is_known and parse.tag.case == "nomn" and {"Name", "Patr"} & parse.tag.grammemes \
                    and "Fixd" not in parse.tag.grammemes:
                genders.add("f" if parse.tag.gender == "femn" else "m")
        if genders:
            break
    return genders.pop() if len(genders) == 1 else None


def italian_lower(text: str) -> str:
    """A job title inside an Italian sentence: 'Amministratore delegato' -> 'amministratore delegato'."""
    match = re.match(r"([A-ZÀ-Ý])([a-zà-ÿ])", text)
    return text[0].lower() + text[1:] if match else text


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def person_gender(person: dict, path: str, log: FormLog, findings: list[Finding] | None) -> str | None:
    """The gender given in the data, or read from the Russian first name (recorded), or a finding (None when
    ``findings`` is None: the caller copes without a gender)."""
    if person.get("gender"):
        return person["gender"]
    inferred = infer_gender(person["name"]["ru"])
    if inferred:
        log.note(f"{path}.gender", inferred, f"read from the first name in «{person['name']['ru']}»; give "
                                             f"{path}.gender to confirm it")
        return inferred
    if findings is None:
        return None
    findings.append(Finding(log.where, f"{path}.gender: missing, and the first name in "
                                       f"«{person['name']['ru']}» does not tell it; give f or m"))
    return None


def basis_context(basis, path: str, gender: str, log: FormLog) -> dict:
    """'in forza dello statuto' / 'на основании Устава' from a keyword (statute, power_of_attorney) or a
    bilingual text such as {it: procura n. 15 del 1° marzo 2014, ru: доверенность № 15 от 1 марта 2014 г.}."""
    if basis is None:
        log.note(f"{path}", "statute", "no basis given: the representative is taken to act under the statute "
                                       "(Устав); give basis to confirm or change it")
        basis = "statute"
    if isinstance(basis, str):
        known = BASES[basis]
        it = legal_text.with_article(known["it"], known["it_gender"], "di")
        ru = russian.inflect_phrase(known["ru"], "gen").text
    else:
        gender_it = legal_text.italian_gender(basis["it"]) or "f"
        it = legal_text.with_article(basis["it"], gender_it, "di")
        ru = log.ru(basis, path, "gen")
    return {"it": f"in forza {it}", "ru": f"на основании {legal_text.nbsp_before_year_mark(ru)}",
            "acting": {"it": legal_text.participle("munit", gender),
                       "ru": "действующей" if gender == "f" else "действующего"}}


def parties_context(parties: list[dict], log: FormLog) -> list[dict]:
    """Each party as the agreement templates print it; raises ValidationError for what cannot be told."""
    findings: list[Finding] = []
    separators = legal_text.party_separators(len(parties))
    rows = []
    for i, party in enumerate(parties):
        path = f"parties[{i}]"
        rep = party["representative"]
        rpath = f"{path}.representative"
        gender = person_gender(rep, rpath, log, findings) or "m"
        italian = party_italian(party, path, log, findings)
        party_gender = italian["gender"]
        basis = basis_context(rep.get("basis"), f"{rpath}.basis", gender, log)
        name = party["name"]
        role = rep["role"]
        rows.append({
            "name": {"it": name["it"], "it_def": italian["it_def"], "it_start": italian["it_start"],
                     "ru": name["ru"], "ru_acc": log.ru(name, f"{path}.name", "acc", "party")},
            "legal_form": dict(party["legal_form"]),
            "seat": {lang: legal_text.nbsp_before_year_mark(party["seat"][lang]) for lang in ("it", "ru")},
            "represented": {"it": legal_text.participle("rappresentat", party_gender)},
            "sep": separators[i],
            "representative": {
                "name": {"it": rep["name"]["it"], "ru": rep["name"]["ru"],
                         "ru_gen": log.ru(rep["name"], f"{rpath}.name", "gen", "person", gender)},
                "role": {"it": italian_lower(role["it"]), "ru_gen": log.ru(role, f"{rpath}.role", "gen", lower=True)},
                "signature_role": {"it": capitalised(role["it"]), "ru": capitalised(role["ru"])},
                "acting": basis["acting"],
                "basis": {"it": basis["it"], "ru": basis["ru"]},
            },
        })
    if findings:
        raise ValidationError(f"{log.where}: the draft needs {len(findings)} more value(s):", findings)
    return rows


def party_italian(party: dict, path: str, log: FormLog, findings: list[Finding]) -> dict:
    """A party's grammatical gender and its Italian name with the article a sentence gives it. Both come from
    the common noun the name begins with ("Università statale di Novosibirsk, istituto statale …,
    rappresentata da"; "tra il Consorzio Brianza Legno e la Camera di commercio …"); a name that begins
    otherwise takes no article and agrees with its legal form (società -> rappresentata). What the data give
    (``gender``, ``article``; ``none`` for no article) wins; what is derived is recorded for staff to check."""
    name = party["name"]["it"]
    noun = legal_text.name_noun(name)
    gender = party.get("gender")
    if gender is None and noun:
        gender = noun[1]
        log.note(f"{path}.gender", gender, f"from «{noun[0]}», the noun the name «{name}» begins with; give "
                                           f"{path}.gender to confirm or change it")
    elif gender is None:
        legal_form = party["legal_form"]["it"]
        gender = legal_text.italian_gender(legal_form)
        if gender is None:
            findings.append(Finding(log.where, f"{path}.gender: neither the name «{name}» nor the Italian legal "
                                               f"form «{legal_form}» tells whether the party is feminine (società) "
                                               f"or masculine (consorzio); give f or m"))
            gender = "f"
        else:
            log.note(f"{path}.gender", gender, f"from the legal form «{legal_form}»; give {path}.gender to "
                                               f"confirm or change it")
    article = party.get("article")
    if article is None and noun:
        article = legal_text.italian_article(name, gender).replace("'", "’")
        log.note(f"{path}.article", article, f"«{legal_text.with_given_article(name, article)}»: the name "
                                             f"begins with the common noun «{noun[0]}»; give {path}.article "
                                             f"(none: no article) to change it")
    the = legal_text.with_given_article(name, None if article == "none" else article)
    return {"gender": gender, "it_def": the, "it_start": legal_text.capitalised_start(the)}


def place_context(place: dict, path: str, log: FormLog, nominative: bool = True) -> dict:
    """A city: nominative, and prepositional for "в г. …" (Совершено в г. Казани)."""
    context = {"it": place["it"], "it_at": legal_text.italian_at(place["it"]), "ru": place["ru"],
               "ru_pre": log.ru(place, path, "pre")}
    if not nominative:      # an agreement names its place only in the closing clause: "Fatto a …" / "в г. …"
        del context["ru"], context["it"]
    return context


def between(parties: list[dict], log: FormLog) -> dict:
    """'il Consorzio A e B' / 'Консорциумом «A» и ООО «B»': the parties after 'tra' / 'между' (Italian
    articles before a name that begins with a common noun; Russian in the instrumental)."""
    return {"it": legal_text.joined([party_italian(p, f"parties[{i}]", log, [])["it_def"]
                                     for i, p in enumerate(parties)], "e"),
            "ru": legal_text.joined([log.ru(p["name"], f"parties[{i}].name", "ins", "party")
                                     for i, p in enumerate(parties)], "и")}
