"""Russian cases for names, roles, bodies, places and periods inserted into legal text.

Data files give every value once, in the nominative; the templates need it in other cases ("в лице
генерального директора Джулии Бьянки", "между Обществом с ограниченной ответственностью «X» и …",
"Совершено в г. Казани"). This module derives those forms with pymorphy3 (the OpenCorpora dictionary) and a
few explicit rules where the dictionary is weak:

* only the head phrase inflects: the adjectives and the noun before a preposition, a genitive complement,
  a quoted name, an abbreviation or a parenthesis ("Общество с ограниченной ответственностью «X»" ->
  "Обществом с ограниченной ответственностью «X»"; "председатель правления" -> "председателя правления");
* people's names inflect word by word with the person's gender: dictionary names and surnames through
  pymorphy3, foreign ones by rule (-а/-я decline, -о/-е/-и/-у and vowel + а never do, a consonant declines
  for men only), because the analyser often mis-reads foreign names;
* capitals, quotes, hyphens and abbreviations are kept as written.

Every result says how it was made (``source``): ``dictionary``, ``rule``, ``indeclinable``, ``unchanged``,
``doubtful`` (a rule whose answer depends on what the text cannot show, such as the stress of a foreign
surname in -а) or ``unknown`` (the analyser does not know the head word: the form is a guess that staff must
check or give explicitly). Nothing here reads files or knows field paths: drafting.py records where each form comes from.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

CASES = {"nom": "nomn", "gen": "gent", "dat": "datv", "acc": "accs", "ins": "ablt", "pre": "loct"}
CASE_NAMES = {"nom": "nominative", "gen": "genitive", "dat": "dative", "acc": "accusative",
              "ins": "instrumental", "pre": "prepositional"}
GENDERS = ("f", "m")
PREPOSITIONS = {"в", "во", "на", "с", "со", "по", "при", "для", "из", "от", "до", "к", "ко", "у", "о", "об", "за",
                "под", "над", "между", "через", "без", "и", "или"}
SEASONS = {"весна", "лето", "осень", "зима"}
VOWELS = set("аеёиоуыэюя")
_TOKEN = re.compile(r"«[^»]*»?|\"[^\"]*\"?|“[^”]*”?|„[^“”]*[“”]?|[\w][\w\-’'.]*|\s+|.", re.UNICODE)
_CYRILLIC_WORD = re.compile(r"^[А-Яа-яЁё][А-Яа-яЁё\-]*$")


@dataclass(frozen=True)
class Form:
    """A derived form: its text and how it was made."""

    text: str
    source: str            # dictionary, rule, indeclinable, unchanged, doubtful, unknown
    note: str = ""


@lru_cache(maxsize=1)
def analyser():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


def yo_to_e(text: str) -> str:
    """One spelling throughout the documents: е for ё (the rest of the text writes е)."""
    return text.replace("ё", "е").replace("Ё", "Е")


def restore_case(original: str, derived: str) -> str:
    """Give ``derived`` the capitals of ``original``, part by hyphenated part."""
    if original.isupper() and len(original) > 1:
        return derived.upper()
    parts_o, parts_d = original.split("-"), derived.split("-")
    if len(parts_o) != len(parts_d):
        return derived[:1].upper() + derived[1:] if original[:1].isupper() else derived
    out = []
    for o, d in zip(parts_o, parts_d):
        out.append(d[:1].upper() + d[1:] if o[:1].isupper() else d)
    return "-".join(out)


def _is_abbreviation(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return bool(re.search(r"\w\.\w", word)) or (len(letters) >= 2 and all(c.isupper() for c in letters))


def _nominative_parses(word: str, pos: set[str] | None = None):
    found = []
    for parse in analyser().parse(word.lower()):
        if parse.tag.case != "nomn" or not parse.is_known:
            continue
        if pos and parse.tag.POS not in pos:
            continue
        if {"Name", "Surn", "Patr"} & parse.tag.grammemes and not word[:1].isupper():
            continue
        found.append(parse)
    return found


# --- phrases: roles, bodies, companies, places, documents, periods ------------------------------------------
def inflect_phrase(text: str, case: str) -> Form:
    """The phrase with its head (adjectives + first noun) in ``case`` (nom, gen, dat, acc, ins, pre)."""
    if case not in CASES:
        raise ValueError(f"unknown case {case!r}")
    if case == "nom":
        return Form(text, "unchanged")
    tokens = _TOKEN.findall(text)
    # the head: words up to and including the first noun; stop at anything that is not an adjective
    head: list[int] = []
    stop_reason = ""
    for i, token in enumerate(tokens):
        if token.isspace():
            continue
        if not _CYRILLIC_WORD.match(token):
            stop_reason = "foreign" if re.match(r"[A-Za-z]", token) else ("quoted" if token[0] in "«\"“„" else "other")
            break
        if token.lower() in PREPOSITIONS or (_is_abbreviation(token) and len(token) > 1):
            stop_reason = "abbreviation" if token.lower() not in PREPOSITIONS else "preposition"
            break
        head.append(i)
        if _head_noun(token, is_first=len(head) == 1) is not None:
            break
    if not head:
        return Form(text, "unchanged", f"no Russian word to inflect ({stop_reason or 'empty'})")
    noun_index = head[-1]
    noun_word = tokens[noun_index]
    if "-на-" in noun_word.lower():          # Ростов-на-Дону, Комсомольск-на-Амуре: only the first part
        first, rest = noun_word.split("-", 1)
        inner = inflect_phrase(first, case)
        tokens[noun_index] = inner.text + "-" + rest
        return Form("".join(tokens), inner.source, inner.note)
    noun = _head_noun(noun_word, is_first=len(head) == 1)
    if noun is None:
        substantive = _adjectives_as_noun(tokens, head, case)
        if substantive is not None:
            return substantive
        form, source, note = _guess_noun(noun_word, case)
        if source == "indeclinable":
            return Form(text, source, note)
        tokens[noun_index] = form
        return Form(yo_to_e("".join(tokens)), source, note)
    inflected = noun.inflect({CASES[case]})
    if inflected is None:
        return Form(text, "unknown", f"the dictionary has no {CASE_NAMES[case]} of «{noun_word}»")
    source = "indeclinable" if "Fixd" in noun.tag.grammemes else "dictionary"
    tokens[noun_index] = restore_case(noun_word, inflected.word)
    for index in head[:-1]:
        adjective = _adjective_like(tokens[index], noun)
        if adjective is None:
            return Form(text, "unknown", f"«{tokens[index]}» is not known to the analyser")
        wanted = {CASES[case]}
        if case == "acc" and (noun.tag.number == "plur" or noun.tag.gender == "masc"):
            wanted.add(noun.tag.animacy or "inan")
        target = adjective.inflect(wanted)
        if target is None:
            return Form(text, "unknown", f"the dictionary has no {CASE_NAMES[case]} of «{tokens[index]}»")
        tokens[index] = restore_case(tokens[index], target.word)
    return Form(yo_to_e("".join(tokens)), source)


def _adjectives_as_noun(tokens: list[str], head: list[int], case: str) -> Form | None:
    """A head made only of adjectives and participles, the last used as a noun (единоличный управляющий,
    заведующий кафедрой): each declined as a masculine singular adjective. Doubtful: the dictionary does not
    say that the last word is used as a noun, nor its gender."""
    words = [tokens[i] for i in head]
    parses = [_nominative_parses(word, {"ADJF", "PRTF"}) for word in words]
    if not all(parses):
        return None
    declined = list(tokens)
    for index, word, options in zip(head, words, parses):
        masculine = [p for p in options if p.tag.gender == "masc" and p.tag.number == "sing"]
        if not masculine:
            return None
        target = masculine[0].inflect({CASES[case], "anim"} if case == "acc" else {CASES[case]})
        if target is None:
            return None
        declined[index] = restore_case(word, target.word)
    return Form(yo_to_e("".join(declined)), "doubtful",
                f"«{words[-1]}» is an adjective used as a noun: declined as a masculine one")


def _head_noun(word: str, is_first: bool):
    """The nominative noun parse of ``word``, or None when it is (or may be) an adjective or unknown."""
    lower = word.lower()
    parses = _nominative_parses(word)
    if not parses:
        return None
    nouns = [p for p in parses if p.tag.POS == "NOUN"]
    adjectives = [p for p in parses if p.tag.POS in ("ADJF", "PRTF")]
    if adjectives and adjectives[0].score >= (nouns[0].score if nouns else 0):
        return None
    if not nouns:
        return None
    # prefer a noun of the usual kind for places and bodies (Geox, Orgn) over a personal name reading
    capital = word[:1].isupper()
    nouns.sort(key=lambda p: (("Name" in p.tag.grammemes or "Surn" in p.tag.grammemes) and not capital,
                              "Fixd" in p.tag.grammemes and lower[-1] not in "оеиуюэ",
                              capital and "Geox" not in p.tag.grammemes,      # Катания, not катания (rides)
                              p.tag.number == "plur",
                              -p.score))
    return nouns[0]


def _adjective_like(word: str, noun):
    parses = _nominative_parses(word, {"ADJF", "PRTF"})
    wanted_number = noun.tag.number or "sing"
    for parse in parses:
        if parse.tag.number == wanted_number and (wanted_number == "plur" or parse.tag.gender == noun.tag.gender):
            return parse
    return None


def _guess_noun(word: str, case: str) -> tuple[str, str, str]:
    """A word the dictionary does not know (a foreign place name): by its ending."""
    lower = word.lower()
    known = [p for p in analyser().parse(lower) if p.is_known]
    if known and not any(p.tag.POS == "NOUN" for p in known):
        return word, "unknown", f"«{word}» is not a noun ({known[0].tag.POS}): nothing to inflect"
    if lower[-1] in "оеиуюэы" or (lower[-1] in "ая" and len(lower) > 1 and lower[-2] in "еиоуэ" and lower[-2:] != "ия"):
        return word, "indeclinable", f"«{word}» is not in the dictionary; left as it is (indeclinable ending)"
    if lower[-1] in "ая":
        return restore_case(word, _first_declension(lower, case)), "rule", \
            f"«{word}» is not in the dictionary; declined as a feminine noun in -{lower[-1]}"
    if lower[-1] == "ь":
        return word, "unknown", f"«{word}» is not in the dictionary and may be masculine or feminine"
    return restore_case(word, _second_declension(lower, case, animate=False)), "unknown", \
        f"«{word}» is not in the dictionary; declined as a masculine noun"


# --- endings by rule ---------------------------------------------------------------------------------------
def _first_declension(lower: str, case: str) -> str:
    """Nouns and names in -а/-я: Джулия, Франческа, Кьяра, Виченца."""
    stem, last = lower[:-1], lower[-1]
    if case == "nom":
        return lower
    if last == "я" and stem.endswith("и"):                # Джулия, Мария
        return stem + {"gen": "и", "dat": "и", "acc": "ю", "ins": "ей", "pre": "и"}[case]
    if last == "я":                                        # Наталья
        return stem + {"gen": "и", "dat": "е", "acc": "ю", "ins": "ей", "pre": "е"}[case]
    soft_i = stem[-1:] in set("гкхжшчщ")
    hush = stem[-1:] in set("жшчщц")
    return stem + {"gen": "и" if soft_i else "ы", "dat": "е", "acc": "у", "ins": "ей" if hush else "ой",
                   "pre": "е"}[case]


def _second_declension(lower: str, case: str, animate: bool, surname: bool = False) -> str:
    """Masculine nouns and names ending in a consonant, -й or -ь: Марк, Феррарис, Сергей, Игорь."""
    if case == "nom" or (case == "acc" and not animate):
        return lower
    if lower[-1] in "йь":
        stem = lower[:-1]
        return stem + {"gen": "я", "dat": "ю", "acc": "я", "ins": "ем", "pre": "е"}[case]
    russian_surname = re.search(r"(ов|ев|ёв|ин|ын)$", lower)   # an unknown word: Карпин, Лазарев
    hush = lower[-1] in "жшчщц"
    return lower + {"gen": "а", "dat": "у", "acc": "а",
                    "ins": "ым" if russian_surname else ("ем" if hush else "ом"), "pre": "е"}[case]


# --- people ------------------------------------------------------------------------------------------------
def inflect_person(name: str, case: str, gender: str, latin: str | None = None) -> Form:
    """A person's name (first name, patronymic, surname, any order) in ``case``, for gender ``f`` or ``m``.
    ``latin``: the name in Latin script (the Italian text), which tells the stress of a surname in -а: Italian
    spelling marks a stressed final vowel (Mastrolà), so "Fontana" is stressed before its end and declines."""
    if case not in CASES:
        raise ValueError(f"unknown case {case!r}")
    if gender not in GENDERS:
        raise ValueError(f"unknown gender {gender!r}")
    if case == "nom":
        return Form(name, "unchanged")
    tokens = re.split(r"(\s+|-)", name)
    sources, notes = [], []
    out = []
    words = [t for t in tokens if t and not t.isspace() and t != "-"]
    for token in tokens:
        if not token or token.isspace() or token == "-":
            out.append(token)
            continue
        surname = len(words) > 1 and (token == words[-1] or (token == words[0] and len(words) == 3
                                                                and re.search(r"(вич|вна|чна)$", words[-1])))
        text, source, note = _inflect_name_word(token, case, gender, surname=bool(surname))
        if source == "doubtful" and latin:
            text, source, note = _by_latin_stress(token, text, latin)
        out.append(text)
        sources.append(source)
        if note:
            notes.append(note)
    if "unknown" in sources:
        source = "unknown"
    elif "doubtful" in sources:
        source = "doubtful"
    elif "rule" in sources:
        source = "rule"
    elif "dictionary" in sources:
        source = "dictionary"
    else:
        source = "indeclinable"
    return Form(yo_to_e("".join(out)), source, "; ".join(notes))


def _inflect_name_word(word: str, case: str, gender: str, surname: bool) -> tuple[str, str, str]:
    if not _CYRILLIC_WORD.match(word) or re.fullmatch(r"[А-ЯЁ]\.?", word) or word.endswith("."):
        return word, "indeclinable", ""                     # initials, Latin script
    lower = word.lower()
    grammatical = "femn" if gender == "f" else "masc"
    wanted = {"Surn", "Name", "Patr"}
    if lower[-1] in "оеиуюэы" or (lower[-1] == "а" and lower[-2:-1] in set("еиоуэ")):
        return word, "indeclinable", ""                     # Бьянки, Карузо, Джузеппе, Андреа, Гарсиа
    for parse in analyser().parse(lower):
        tags = parse.tag.grammemes
        if (parse.is_known and parse.tag.case == "nomn" and parse.tag.gender == grammatical and wanted & tags
                and parse.tag.number == "sing"):
            if "Fixd" in tags:
                return word, "indeclinable", ""
            target = parse.inflect({CASES[case]})
            if target is not None:
                return restore_case(word, target.word), "dictionary", ""
    # not a known name of this gender: by rule
    if lower[-1] in "ая":
        if gender == "f" and surname and re.search(r"(ова|ева|ёва|ина|ына)$", lower):
            return restore_case(word, lower[:-1] + {"gen": "ой", "dat": "ой", "acc": "у", "ins": "ой",
                                                      "pre": "ой"}[case]), "rule", ""
        if re.search(r"(ская|цкая)$", lower):
            return restore_case(word, lower[:-2] + {"gen": "ой", "dat": "ой", "acc": "ую", "ins": "ой",
                                                      "pre": "ой"}[case]), "rule", ""
        if surname and lower[-1] == "а":      # Фонтана -> Фонтаны, but Дюма, Тома never change: stress decides
            return restore_case(word, _first_declension(lower, case)), "doubtful", \
                f"«{word}»: declined as a surname in -а; a foreign surname stressed on the last syllable does " \
                f"not decline"
        return restore_case(word, _first_declension(lower, case)), "rule", ""
    if gender == "f":
        return word, "indeclinable", ""                     # a woman's name in a consonant: Кармен, Феррарис
    if re.search(r"(ский|цкий|ой|ый)$", lower):
        adjective = [p for p in analyser().parse(lower) if p.tag.POS == "ADJF" and p.tag.case == "nomn"]
        if adjective:
            target = adjective[0].inflect({CASES[case], "masc", "anim"} if case == "acc" else {CASES[case]})
            if target is not None:
                return restore_case(word, target.word), "rule", ""
    return restore_case(word, _second_declension(lower, case, animate=True, surname=surname)), "rule", ""


def _by_latin_stress(word: str, declined: str, latin: str) -> tuple[str, str, str]:
    """A surname in -а whose stress the Russian text cannot show, settled by its Latin spelling: a final
    unaccented -a is not stressed (Fontana: Фонтаны), an accented one is (Mastrolà: Мастрола, indeclinable).
    Anything else stays doubtful."""
    last = re.findall(r"[^\W\d_]+", latin)[-1:] or [""]
    ending = last[0][-1:].lower()
    if ending == "a":
        return declined, "rule", f"«{word}»: declined; «{last[0]}» is not stressed on its final a"
    if ending in ("à", "á"):
        return word, "indeclinable", f"«{word}»: «{last[0]}» is stressed on its final a: it does not decline"
    return declined, "doubtful", (f"«{word}»: declined as a surname in -а; a foreign surname stressed on the "
                                  f"last syllable does not decline")


def lower_first(text: str) -> str:
    """A title as written inside a sentence: "Генеральный директор" -> "генеральный директор"; an
    abbreviation or a proper name at the start is kept."""
    match = re.match(r"[^\W\d_][\w\-]*", text)
    if not match:
        return text
    word = match.group(0)
    if _is_abbreviation(word) or len(word) < 2 or not word[1:2].islower():
        return text
    if re.match(r"[А-Яа-яЁё]", word):
        proper = [p for p in analyser().parse(word.lower()) if p.tag.case == "nomn" and p.is_known]
        if proper and all({"Geox", "Name", "Surn", "Orgn"} & p.tag.grammemes for p in proper):
            return text
    return word[0].lower() + text[1:]


# --- numbers and periods -----------------------------------------------------------------------------------
def number_words(number: int, case: str = "nom", gender: str = "m") -> str:
    """A cardinal number in words, in a case: 3 -> "трех" (gen), 21 -> "двадцати одного" (gen)."""
    from num2words import num2words

    code = {"nom": "n", "gen": "g", "dat": "d", "acc": "a", "ins": "i", "pre": "p"}[case]
    return yo_to_e(num2words(number, lang="ru", case=code, gender={"m": "m", "f": "f", "n": "n"}[gender]))


def counted(number: int, noun: str, case: str = "nom") -> str:
    """The noun agreeing with a number in a case: (3, "год", gen) -> "лет", (21, "месяц", gen) -> "месяца".
    Counting years takes "лет", never "годов"."""
    parse = next(p for p in analyser().parse(noun) if p.tag.case == "nomn" and p.tag.POS == "NOUN")
    form = parse.inflect({CASES[case]}) if case != "nom" else parse
    agreed = form.make_agree_with_number(number).word
    if noun == "год" and agreed == "годов":
        agreed = "лет"
    return agreed


def period_phrase(text: str) -> Form:
    """When something happens, from a period in the nominative: "первое полугодие 2015 г." ->
    "в первом полугодии 2015 г."; "осень 2003 г." -> "осенью 2003 г." (seasons take the instrumental
    without a preposition)."""
    first = re.match(r"\s*([А-Яа-яЁё]+)", text)
    if first and first.group(1).lower() in SEASONS:
        form = inflect_phrase(text, "ins")
        return Form(form.text[:1].lower() + form.text[1:], form.source, form.note)
    form = inflect_phrase(text, "pre")
    prefix = "во " if re.match(r"(?i)в[^аеёиоуыэюя]|втор", form.text) else "в "
    return Form(prefix + form.text, form.source, form.note)
