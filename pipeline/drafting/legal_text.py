"""The fixed formulas of the drafts, in Italian and Russian, and the Italian grammar they need.

Italian: articles and their elision ("l'amministratore", "dello statuto", "dall'8 marzo"), articulated
prepositions, gender agreement of participles ("rappresentata"/"rappresentato"). Russian forms come from
russian.py. Every function returns ``{"it": ..., "ru": ...}`` or plain text; nothing here reads files.
"""
from __future__ import annotations

import datetime as dt
import re

from ..sessions.dates import format_date
from .russian import counted, number_words

# --- Italian grammar ---------------------------------------------------------------------------------------
# Gender of the nouns that begin the names of parties, bodies, documents and periods. Endings decide the rest
# (-a feminine, -o masculine); a noun in -e or a consonant not listed here is unknown.
ITALIAN_GENDER = {
    "f": ("società", "associazione", "federazione", "confederazione", "camera", "agenzia", "regione",
          "provincia", "università", "fondazione", "cooperativa", "impresa", "azienda", "ditta", "procura",
          "delibera", "legge", "repubblica", "unione", "organizzazione", "direzione", "presidenza", "autorità",
          "banca", "scuola", "accademia", "rete", "parte", "estate", "primavera", "città", "corte", "sede",
          "amministrazione", "compagnia", "comunità", "fiera", "ambasciata", "rappresentanza",
          "s.p.a.", "s.r.l.", "s.a.s.", "s.n.c.", "spa", "srl", "holding", "startup", "start-up"),
    "m": ("consorzio", "ministero", "ente", "istituto", "comune", "distretto", "dipartimento", "centro",
          "tribunale", "comitato", "consiglio", "statuto", "diritto", "gruppo", "polo", "parco", "cluster",
          "atto", "mandato", "verbale", "semestre", "trimestre", "quadrimestre", "anno", "autunno", "inverno",
          "regolamento", "politecnico", "laboratorio", "incubatore", "osservatorio", "museo", "presidente",
          "direttore", "amministratore", "primo", "secondo", "terzo", "quarto", "governo", "ufficio",
          "consolato", "collegio", "sindacato", "fondo", "ospedale", "tecnopolo"),
}
# The common nouns that, at the start of a party's name, make the name take the definite article in a sentence
# ("tra il Consorzio Brianza Legno e la Camera di commercio …", "Per l’Università degli Studi di Padova"); the
# gender of that noun is the party's grammatical gender ("Università statale …, rappresentata da"). A name
# that begins otherwise (a company's own name, OOO «…») takes no article and agrees with its legal form.
INSTITUTION_NOUNS = {
    "f": ("società", "associazione", "federazione", "confederazione", "camera", "agenzia", "regione",
          "provincia", "università", "fondazione", "cooperativa", "azienda", "repubblica", "unione",
          "organizzazione", "direzione", "presidenza", "autorità", "banca", "scuola", "accademia", "rete", "città",
          "amministrazione", "compagnia", "comunità", "fiera", "ambasciata", "rappresentanza"),
    "m": ("consorzio", "ministero", "ente", "istituto", "comune", "distretto", "dipartimento", "centro",
          "comitato", "consiglio", "gruppo", "polo", "parco", "cluster", "politecnico", "laboratorio", "incubatore",
          "osservatorio", "museo", "governo", "ufficio", "consolato", "collegio", "sindacato", "fondo",
          "ospedale", "tecnopolo"),
}
ARTICLES = ("il", "lo", "la", "l’", "i", "gli", "le")
_ARTICULATED = {"di": "de", "a": "a", "da": "da", "in": "ne", "su": "su"}
ITALIAN_NUMBERS = {1: "un", 2: "due", 3: "tre", 4: "quattro", 5: "cinque", 6: "sei", 7: "sette", 8: "otto",
                   9: "nove", 10: "dieci"}


def italian_gender(phrase: str) -> str | None:
    """``f`` or ``m`` for the first noun of ``phrase`` (its first word), or None when it cannot be told."""
    words = re.findall(r"[\w.\-]+", phrase.lower())
    if not words:
        return None
    word = words[0]
    for gender, nouns in ITALIAN_GENDER.items():
        if word in nouns:
            return gender
    if word.endswith("a"):
        return "f"
    if word.endswith("o"):
        return "m"
    return None


def _needs_lo(word: str) -> bool:
    w = word.lower()
    return bool(re.match(r"(s[^aeiouàèéìòù]|z|gn|ps|pn|x|y|i[aeiou])", w))


def italian_article(phrase: str, gender: str, plural: bool = False) -> str:
    """The definite article for ``phrase``: il, lo, l', la, i, gli, le (l' is returned without a space)."""
    first = phrase.strip()[:1].lower()
    vowel = first in "aeiouàèéìòùh"
    if gender == "f":
        return "le" if plural else ("l'" if vowel else "la")
    if plural:
        return "gli" if vowel or _needs_lo(phrase) else "i"
    if vowel:
        return "l'"
    return "lo" if _needs_lo(phrase) else "il"


def with_article(phrase: str, gender: str, preposition: str | None = None, plural: bool = False) -> str:
    """``phrase`` with its article, merged with a preposition when given: ("statuto", "m", "di") ->
    "dello statuto"; ("amministratore delegato", "m", "da") -> "dall'amministratore delegato";
    ("8 marzo", "m", "a") -> "all'8 marzo". The elided article takes the typographic apostrophe (’)."""
    article = italian_article(phrase, gender, plural)
    if preposition:
        stem = _ARTICULATED[preposition]
        merged = stem + ("l" + article if article[0] == "l" and stem[-1] in "aeiou" else article)
        if article == "il":
            merged = stem + "l"
        elif article == "i":
            merged = stem + "i"
        article = merged
    if article.endswith("'"):
        return article[:-1] + "’" + phrase
    return f"{article} {phrase}"


def name_noun(name: str) -> tuple[str, str] | None:
    """(noun, gender) when a party's Italian name begins with a common noun of INSTITUTION_NOUNS ("Consorzio
    Brianza Legno" -> ("consorzio", "m"), "Università statale di Novosibirsk" -> ("università", "f")), else
    None ("Meccanica Orobica S.p.A.", "OOO «Volga Stanki»")."""
    match = re.match(r"\s*([^\W\d_]+)", name)
    if not match:
        return None
    word = match.group(1).lower()
    for gender, nouns in INSTITUTION_NOUNS.items():
        if word in nouns:
            return word, gender
    return None


def with_given_article(name: str, article: str | None) -> str:
    """A name with the article the data give or the drafting derived (None: no article): ("il", "Consorzio
    X") -> "il Consorzio X"; ("l’", "Università …") -> "l’Università …"."""
    if not article:
        return name
    article = article.replace("'", "’")
    return article + name if article.endswith("’") else f"{article} {name}"


def capitalised_start(text: str) -> str:
    """The first letter in upper case, at the start of a paragraph: "l’Università" -> "L’Università"."""
    return text[:1].upper() + text[1:]


def elided_ordinal(ordinal_it: str) -> dict:
    """A feminine ordinal with its article, elided before a vowel, at the start of a sentence ("La
    venticinquesima", "L’undicesima") and with "di" ("della venticinquesima", "dell’ottava")."""
    return {"it_La": capitalised_start(with_article(ordinal_it, "f")), "it_della": with_article(ordinal_it, "f", "di")}


def italian_at(place: str) -> str:
    """'a Bergamo', 'ad Ancona': the preposition of place before a city (the euphonic d before a-)."""
    return ("ad " if place[:1].lower() == "a" else "a ") + place


def participle(base: str, gender: str) -> str:
    """rappresentat- + f -> rappresentata; munit- + m -> munito."""
    return base + ("a" if gender == "f" else "o")


# --- dates with articles -----------------------------------------------------------------------------------
def italian_day(date: dt.date) -> str:
    """'1° gennaio 2015', '8 marzo 2015': the first of the month is written as an ordinal."""
    text = format_date(date, "it")
    return re.sub(r"^1 ", "1° ", text)


def italian_date_with_article(date: dt.date, preposition: str | None = None) -> str:
    """'il 28 novembre 2014', 'l’8 marzo 2015', 'l’11 aprile 2003', 'il 1° gennaio 2015'; with a preposition
    'dal 9', 'all’11'."""
    text = italian_day(date)
    elided = date.day in (8, 11)
    if preposition is None:
        return ("l’" + text) if elided else "il " + text
    stem = _ARTICULATED[preposition]
    return (stem + "ll’" + text) if elided else f"{stem}l {text}"


# --- numbers -----------------------------------------------------------------------------------------------
def italian_number(number: int) -> str:
    """A cardinal before a masculine noun: 1 -> un, 21 -> ventuno, 36 -> trentasei."""
    from num2words import num2words

    return ITALIAN_NUMBERS.get(number) or num2words(number, lang="it")


def duration(months: int) -> dict:
    """A period in legal form, number in figures and words: 36 -> {it: '3 (tre) anni', ru: '3 (три) года',
    ru_gen: '3 (трех) лет'}; 21 -> '21 (ventuno) mesi', '21 (двадцать один) месяц', '21 (двадцати одного)
    месяца'. Whole years are written as years."""

    count, it_noun, ru_noun = (months // 12, ("anno", "anni"), "год") if months % 12 == 0 else \
        (months, ("mese", "mesi"), "месяц")
    return {"it": f"{count} ({italian_number(count)}) {it_noun[0] if count == 1 else it_noun[1]}",
            "ru": f"{count} ({number_words(count, 'nom')}) {counted(count, ru_noun, 'nom')}",
            "ru_gen": f"{count} ({number_words(count, 'gen')}) {counted(count, ru_noun, 'gen')}"}


def originals(parties: int) -> dict:
    """'in due originali' / 'в двух экземплярах': as many originals as parties, in words."""

    return {"it": f"in {italian_number(parties) if parties != 1 else 'un'} original{'e' if parties == 1 else 'i'}",
            "ru": f"в {number_words(parties, 'pre', 'm')} экземпляр{'е' if parties == 1 else 'ах'}"}


def languages(order: str) -> dict:
    """The languages of each original, the original's own language first: 'nelle lingue italiana e russa' /
    'на итальянском и русском языках' ('на русском и итальянском' in a ru-it original)."""
    if order == "ru-it":
        return {"it": "nelle lingue russa e italiana", "ru": "на русском и итальянском языках"}
    return {"it": "nelle lingue italiana e russa", "ru": "на итальянском и русском языках"}


# --- formulas ----------------------------------------------------------------------------------------------
KIND_WORDS = {
    "agreement": {"it": "Accordo", "ru_nom": "Соглашение", "ru_gen": "Соглашения", "ru_dat": "Соглашению",
                  "ru_acc": "Соглашение", "it_gender": "m"},
    "memorandum": {"it": "Memorandum", "ru_nom": "Меморандум", "ru_gen": "Меморандума", "ru_dat": "Меморандуму",
                   "ru_acc": "Меморандум", "it_gender": "m"},
}


def governing_law(law: dict, law_gender: str, kind: str = "agreement") -> dict:
    """'Il presente Accordo è regolato dal diritto italiano.' / 'К настоящему Соглашению применяется право
    Итальянской Республики.'"""
    words = KIND_WORDS[kind]
    return {"it": f"Il presente {words['it']} è regolato {with_article(law['it'], law_gender, 'da')}.",
            "ru": f"К настоящему {words['ru_dat']} применяется {law['ru']}."}


def disputes(body: dict, body_gen_ru: str, body_gender: str, kind: str = "agreement") -> dict:
    """Arbitration under the rules of an institution: '… sono risolte mediante arbitrato secondo il
    Regolamento della Camera Arbitrale di Milano.' / '… разрешаются в арбитраже в соответствии с Регламентом
    Миланской арбитражной палаты.'"""
    words = KIND_WORDS[kind]
    return {"it": f"Le controversie derivanti dal presente {words['it']} o connesse ad esso, non risolte in via "
                  f"amichevole, sono risolte mediante arbitrato secondo il Regolamento "
                  f"{with_article(body['it'], body_gender, 'di')}.",
            "ru": f"Споры, возникающие из настоящего {words['ru_gen']} или в связи с ним, не урегулированные "
                  f"путем переговоров, разрешаются в арбитраже в соответствии с Регламентом {body_gen_ru}."}


def consent(parties: int) -> dict:
    """Whose consent a disclosure needs: the other Party (two parties) or the Party that gave the information."""
    if parties <= 2:
        return {"it": "dell’altra Parte", "ru": "другой Стороны"}
    return {"it": "della Parte che le ha fornite", "ru": "Стороны, предоставившей информацию"}


def party_separators(count: int) -> list[dict]:
    """What follows each party's clause in the preamble: "da una parte, e" … "dall’altra parte," for two
    parties; a list closed by "e"/"и" for three or more."""
    if count == 2:
        return [{"it": ", da una parte, e", "ru": ", с одной стороны, и"},
                {"it": ", dall’altra parte,", "ru": ", с другой стороны,"}]
    seps = []
    for i in range(count):
        if i == count - 1:
            seps.append({"it": ",", "ru": ","})
        elif i == count - 2:
            seps.append({"it": "; e", "ru": "; и"})
        else:
            seps.append({"it": ";", "ru": ";"})
    return seps


def joined(items: list[str], last: str) -> str:
    """'A', 'A e B', 'A, B e C'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


def nbsp_before_year_mark(text: str) -> str:
    """A no-break space before "г." / "гг." after a number, also in text that comes from data."""
    return re.sub(r"(\d)\s+(гг?\.)", "\\1\u00a0\\2", text)
