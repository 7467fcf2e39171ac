"""Invented bilingual prose for the demo and the benchmark corpus: a Zipf-like vocabulary of each language
(the Task Force's own words first, then coined ones) and sentences about the sessions' themes."""
from __future__ import annotations

import bisect
import itertools
import random
import re
from functools import lru_cache


# Domain words in several inflected forms: what researchers search for, at realistic frequencies.
_DOMAIN = {
    "it": ("accordo accordi cooperazione collaborazione distretto distretti impresa imprese piccole medie "
           "sviluppo internazionalizzazione progetto progetti parte parti firmatarie settore settori "
           "tecnologia tecnologie innovazione innovativo innovativa formazione investimenti investimento "
           "produzione produttivo produttiva mercato mercati esportazione esportazioni fornitura forniture "
           "macchinari impianti qualità certificazione ricerca università consorzio consorzi associazione "
           "associazioni regione regioni camera commercio fiera fiere missione missioni delegazione "
           "delegazioni protocollo memorandum intesa intese sessione sessioni tavolo tavoli tematico tematici "
           "città comune comuni obblighi obbligo riservatezza durata controversie lingua lingue firmato "
           "firmata sottoscritto rinnovo risoluzione scambio scambi know-how brevetti licenza licenze "
           "promozione partenariato partner filiera filiere competitività sostenibilità energia efficienza"),
    "ru": ("соглашение соглашения соглашений соглашению соглашением сотрудничество сотрудничества "
           "сотрудничеству кластер кластера кластеров предприятие предприятия предприятий малые средние "
           "малого среднего развитие развития развитию проект проекта проектов сторона стороны сторон "
           "сторонами отрасль отрасли отраслей технология технологии технологий инновации инновационный "
           "инновационного подготовка инвестиции инвестиций производство производства производственный "
           "рынок рынка рынков экспорт экспорта поставки поставок оборудование оборудования качество "
           "сертификация исследования университет университета консорциум ассоциация ассоциации регион "
           "региона регионов палата торговая выставка выставки миссия делегация делегации протокол "
           "меморандум взаимопонимании сессия сессии заседание круглый стол тематический город города "
           "обязательства обязательств конфиденциальность срок действия споры язык языках подписан "
           "подписано подписали продление расторжение обмен опытом патенты лицензия лицензии продвижение "
           "партнерство партнеров цепочки конкурентоспособность устойчивость энергия эффективность"),
}


@lru_cache(maxsize=None)
def vocabulary(lang: str) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """Words of ``lang`` ranked from most to least frequent, and their cumulative Zipf weights."""
    from babel import Locale
    from whoosh.lang.stopwords import stoplists

    words: list[str] = []
    seen: set[str] = set()

    def add(candidates):
        for word in candidates:
            word = word.strip(".,;:()«»\"'").lower()
            if len(word) > 1 and word not in seen and re.fullmatch(r"[\w'-]+", word):
                seen.add(word)
                words.append(word)

    add(sorted(stoplists[lang], key=lambda w: (len(w), w)))             # function words: the head of the distribution
    add(_DOMAIN[lang].split())
    locale = Locale(lang)
    for names in (locale.territories, locale.languages, locale.currencies):
        add(itertools.chain.from_iterable(str(name).split() for name in names.values()))
    add(_coined_words(lang, 12000))                      # the long tail
    weights = [1.0 / (rank ** 1.07) for rank in range(1, len(words) + 1)]
    cumulative = tuple(itertools.accumulate(weights))
    return tuple(words), cumulative


def _coined_words(lang: str, count: int) -> list[str]:
    rng = random.Random(f"coined-{lang}")
    if lang == "it":
        onsets, vowels, codas = "b c d f g l m n p r s t v z br tr pr gr st sc ch gh".split(), "aeiou", ["", "", "n", "r", "l"]
        endings = ["o", "a", "i", "e", "ione", "ità", "mente", "ato", "ata"]
    else:
        onsets = "б в г д ж з к л м н п р с т ф х ц ч ш пр тр ст кр гр".split()
        vowels, codas = "аеиоуыя", ["", "", "н", "р", "л", "с"]
        endings = ["ый", "ая", "ое", "ие", "ость", "ение", "ство", "ник", "ка", "ов", "ами"]
    found = []
    while len(found) < count:
        syllables = rng.choice((2, 2, 3, 3, 4))
        stem = "".join(rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas) for _ in range(syllables))
        found.append(stem + rng.choice(endings))
    return found


def zipf_words(rng: random.Random, lang: str, count: int) -> list[str]:
    words, cumulative = vocabulary(lang)
    total = cumulative[-1]
    return [words[min(bisect.bisect(cumulative, rng.random() * total), len(words) - 1)] for _ in range(count)]


_SENTENCES = [
    ("Le parti promuovono la cooperazione tra le piccole e medie imprese del settore {sector}.",
     "Стороны содействуют сотрудничеству малых и средних предприятий в отрасли «{sector}»."),
    ("Il presente accordo è stato firmato a {city} il {date} in due originali.",
     "Настоящее соглашение подписано в городе {city} {date} в двух экземплярах."),
    ("{party_a} e {party_b} si impegnano a scambiare know-how e tecnologie.",
     "{party_a} и {party_b} обязуются обмениваться опытом и технологиями."),
    ("Le parti organizzano missioni imprenditoriali e la partecipazione congiunta alle fiere.",
     "Стороны организуют деловые миссии и совместное участие в выставках."),
    ("Il distretto industriale di {city} sostiene l'internazionalizzazione delle imprese.",
     "Промышленный кластер города {city} поддерживает выход предприятий на международные рынки."),
    ("Le informazioni scambiate tra le parti restano riservate per cinque anni.",
     "Информация, которой обмениваются стороны, остается конфиденциальной в течение пяти лет."),
    ("Le controversie sono risolte in via amichevole e, in mancanza, mediante arbitrato.",
     "Споры разрешаются путем переговоров, а при недостижении согласия — в арбитраже."),
    ("I progetti di collaborazione sono presentati alla sessione della Task Force.",
     "Проекты сотрудничества представляются на сессии Рабочей группы."),
]


def bilingual_text(rng: random.Random, size: int, context: dict) -> dict:
    """About ``size`` characters of text, half Italian and half Russian, mixing the domain sentences
    (filled from ``context``: sector, city, date, party_a, party_b, each as {it, ru}) with Zipf filler."""
    result = {}
    for lang in ("it", "ru"):
        values = {key: value[lang] for key, value in context.items()}
        paragraphs, length = [], 0
        while length < size // 2:
            sentences = []
            for _ in range(rng.randint(3, 6)):
                if rng.random() < 0.4:
                    pair = rng.choice(_SENTENCES)
                    sentences.append(pair[0 if lang == "it" else 1].format(**values))
                else:
                    words = zipf_words(rng, lang, rng.randint(8, 22))
                    sentences.append(" ".join(words).capitalize() + ".")
            paragraph = " ".join(sentences)
            paragraphs.append(paragraph)
            length += len(paragraph) + 2
        result[lang] = "\n\n".join(paragraphs)
    return result
