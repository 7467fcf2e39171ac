"""Plainly fictional but realistic data for the demo and the benchmarks.

Sessions since 2002 (twice a year, alternating Italy and Russia, in real regions and cities), parties with
names in both scripts (invented names: no real company, district or university is made to sign anything),
agreements, and bilingual text whose vocabulary follows a Zipf-like distribution: real function words,
domain terms in several inflected forms, the names CLDR gives for countries, languages and currencies, and
a long tail of rarer coined words, so that an index built on it has realistic term statistics.

Everything is drawn from a ``random.Random`` given by the caller: the same seed gives the same corpus.
"""
from __future__ import annotations

import datetime as dt
import random

from ..access import Level

# --- places -------------------------------------------------------------------------------------------
# (region it, region ru, [(city it, city ru), ...]): real regions and cities.
ITALIAN_REGIONS = [
    ("Lombardia", "Ломбардия", [("Milano", "Милан"), ("Brescia", "Брешиа"), ("Bergamo", "Бергамо")]),
    ("Veneto", "Венето", [("Venezia", "Венеция"), ("Verona", "Верона"), ("Vicenza", "Виченца"), ("Padova", "Падуя")]),
    ("Emilia-Romagna", "Эмилия-Романья", [("Bologna", "Болонья"), ("Modena", "Модена"), ("Parma", "Парма")]),
    ("Piemonte", "Пьемонт", [("Torino", "Турин"), ("Novara", "Новара")]),
    ("Toscana", "Тоскана", [("Firenze", "Флоренция"), ("Prato", "Прато")]),
    ("Marche", "Марке", [("Ancona", "Анкона"), ("Pesaro", "Пезаро")]),
    ("Puglia", "Апулия", [("Bari", "Бари")]),
    ("Campania", "Кампания", [("Napoli", "Неаполь")]),
    ("Lazio", "Лацио", [("Roma", "Рим")]),
    ("Friuli Venezia Giulia", "Фриули-Венеция-Джулия", [("Trieste", "Триест"), ("Udine", "Удине")]),
    ("Sicilia", "Сицилия", [("Palermo", "Палермо"), ("Catania", "Катания")]),
    ("Umbria", "Умбрия", [("Perugia", "Перуджа")]),
]
RUSSIAN_REGIONS = [
    ("Tatarstan", "Республика Татарстан", [("Kazan", "Казань")]),
    ("Regione di Sverdlovsk", "Свердловская область", [("Ekaterinburg", "Екатеринбург")]),
    ("Regione di Nižnij Novgorod", "Нижегородская область", [("Nižnij Novgorod", "Нижний Новгород")]),
    ("Regione di Samara", "Самарская область", [("Samara", "Самара")]),
    ("Mosca", "Москва", [("Mosca", "Москва")]),
    ("San Pietroburgo", "Санкт-Петербург", [("San Pietroburgo", "Санкт-Петербург")]),
    ("Territorio di Krasnodar", "Краснодарский край", [("Krasnodar", "Краснодар")]),
    ("Regione di Kaluga", "Калужская область", [("Kaluga", "Калуга")]),
    ("Regione di Novosibirsk", "Новосибирская область", [("Novosibirsk", "Новосибирск")]),
    ("Baškortostan", "Республика Башкортостан", [("Ufa", "Уфа")]),
    ("Regione di Rostov", "Ростовская область", [("Rostov sul Don", "Ростов-на-Дону")]),
    ("Regione di Uljanovsk", "Ульяновская область", [("Uljanovsk", "Ульяновск")]),
]

# --- sectors (the three of the 25th session first) ----------------------------------------------------
SECTORS = [
    ({"it": "Meccanica strumentale", "ru": "Машиностроение и оборудование"},
     [("macchine agricole", "сельскохозяйственная техника"), ("elettromeccanica", "электромеханика"),
      ("macchine per la lavorazione del legno", "деревообрабатывающее оборудование")]),
    ({"it": "Chimica/Farmaceutica", "ru": "Химия и фармацевтика"},
     [("prodotti farmaceutici", "фармацевтическая продукция"), ("cosmetica", "косметика"),
      ("attrezzature per uso medico", "медицинское оборудование")]),
    ({"it": "Sistema casa", "ru": "Дом и интерьер"},
     [("arredamento", "мебель"), ("illuminotecnica", "светотехника"), ("edilizia", "строительство")]),
    ({"it": "Agroalimentare", "ru": "Агропромышленный комплекс"},
     [("lattiero-caseario", "молочная промышленность"), ("vitivinicolo", "виноделие")]),
    ({"it": "Tessile e moda", "ru": "Текстильная промышленность и мода"},
     [("calzature", "обувь"), ("meccano-tessile", "текстильное машиностроение")]),
    ({"it": "Aerospazio", "ru": "Авиакосмическая отрасль"},
     [("componentistica", "комплектующие"), ("materiali compositi", "композитные материалы")]),
    ({"it": "Energia e fonti rinnovabili", "ru": "Энергетика и возобновляемые источники"},
     [("efficienza energetica", "энергоэффективность"), ("biomasse", "биомасса")]),
    ({"it": "Innovazione e tecnologie digitali", "ru": "Инновации и цифровые технологии"},
     [("automazione industriale", "промышленная автоматизация"), ("software", "программное обеспечение")]),
    ({"it": "Logistica e trasporti", "ru": "Логистика и транспорт"},
     [("interporti", "транспортно-логистические центры"), ("trasporto ferroviario", "железнодорожные перевозки")]),
    ({"it": "Turismo e cultura", "ru": "Туризм и культура"},
     [("turismo industriale", "промышленный туризм"), ("beni culturali", "культурное наследие")]),
]

# --- fictional names ----------------------------------------------------------------------------------
# Coined place-like stems (Italian and Cyrillic spelling), combined freely: "Roccabrisa" / "Роккабриза".
_IT_PREFIXES = [("Rocca", "Рокка"), ("Pian", "Пьян"), ("Fonte", "Фонте"), ("Serra", "Серра"), ("Sasso", "Сассо"),
                ("Borgo", "Борго"), ("Colle", "Колле"), ("Val", "Валь"), ("Poggio", "Поджо"), ("Casal", "Казаль")]
_IT_SUFFIXES = [("brisa", "бриза"), ("doria", "дория"), ("lieto", "льето"), ("sereno", "серено"), ("vento", "венто"),
                ("ferro", "ферро"), ("lucente", "лученте"), ("quieto", "кьето"), ("nova", "нова"), ("ombra", "омбра")]
_IT_ACTIVITIES = {
    0: [("Meccanica", "Мекканика"), ("Macchine", "Маккине"), ("Tecnoimpianti", "Текноимпьянти")],
    1: [("Farmaceutici", "Фармачеутичи"), ("Cosmetici", "Косметичи"), ("Chimica", "Кимика")],
    2: [("Arredamenti", "Арредаменти"), ("Luce", "Луче"), ("Costruzioni", "Кострукциони")],
    3: [("Alimentare", "Алиментаре"), ("Caseificio", "Казеифичо"), ("Cantine", "Кантине")],
    4: [("Tessile", "Тессиле"), ("Calzature", "Кальцатуре")],
    5: [("Aerotecnica", "Аэротекника"), ("Compositi", "Композити")],
    6: [("Energia", "Энерджия"), ("Solare", "Соларе")],
    7: [("Digitale", "Диджитале"), ("Automazione", "Аутомацьоне")],
    8: [("Logistica", "Лоджистика"), ("Trasporti", "Траспорти")],
    9: [("Viaggi", "Вьяджи"), ("Cultura", "Культура")],
}
_IT_FORMS = [({"it": "S.r.l.", "ru": "С.р.л."}, "società a responsabilità limitata", "общество с ограниченной ответственностью"),
             ({"it": "S.p.A.", "ru": "С.п.А."}, "società per azioni", "акционерное общество")]
# Coined Russian stems (Cyrillic, Latin transliteration): "Сылватех" / "Sylvatekh".
_RU_STEMS = [("Сылва", "Sylva"), ("Ветлуга", "Vetluga"), ("Унжа", "Unzha"), ("Мокша", "Moksha"), ("Керженец", "Kerzhenets"),
             ("Сура", "Sura"), ("Вишера", "Vishera"), ("Чусова", "Chusova"), ("Лозьва", "Lozva"), ("Тавда", "Tavda")]
_RU_ENDINGS = {
    0: [("маш", "mash"), ("станок", "stanok"), ("привод", "privod")],
    1: [("фарм", "farm"), ("хим", "khim"), ("косметик", "kosmetik")],
    2: [("мебель", "mebel"), ("свет", "svet"), ("строй", "stroj")],
    3: [("агро", "agro"), ("продукт", "produkt")],
    4: [("текстиль", "tekstil"), ("обувь", "obuv")],
    5: [("авиа", "avia"), ("композит", "kompozit")],
    6: [("энерго", "energo"), ("солар", "solar")],
    7: [("софт", "soft"), ("автоматика", "avtomatika")],
    8: [("логистик", "logistik"), ("транс", "trans")],
    9: [("тур", "tur"), ("наследие", "nasledie")],
}
_RU_FORMS = [({"it": "OOO", "ru": "ООО"}, "società a responsabilità limitata", "общество с ограниченной ответственностью"),
             ({"it": "AO", "ru": "АО"}, "società per azioni", "акционерное общество")]
_IT_PEOPLE_FIRST = [("Marco", "Марко"), ("Giulia", "Джулия"), ("Luca", "Лука"), ("Francesca", "Франческа"),
                    ("Paolo", "Паоло"), ("Chiara", "Кьяра"), ("Andrea", "Андреа"), ("Elena", "Елена"),
                    ("Stefano", "Стефано"), ("Silvia", "Сильвия")]
_IT_FEMALE = {"Giulia", "Francesca", "Chiara", "Elena", "Silvia"}   # Andrea is a man's name in Italy
_IT_PEOPLE_LAST = [("Bellandi", "Белланди"), ("Ferraris", "Феррарис"), ("Colombo", "Коломбо"), ("Moretti", "Моретти"),
                   ("Galli", "Галли"), ("Fontana", "Фонтана"), ("Rinaldi", "Ринальди"), ("Caruso", "Карузо"),
                   ("Longo", "Лонго"), ("Vitale", "Витале")]
# (first name ru, latin, gender); surnames agree with the gender: (masculine ru, latin, feminine ru, latin).
_RU_PEOPLE_FIRST = [("Иван", "Ivan", "m"), ("Ольга", "Olga", "f"), ("Сергей", "Sergej", "m"), ("Анна", "Anna", "f"),
                    ("Дмитрий", "Dmitrij", "m"), ("Наталья", "Natalja", "f"), ("Алексей", "Aleksej", "m"),
                    ("Мария", "Marija", "f"), ("Павел", "Pavel", "m"), ("Екатерина", "Ekaterina", "f")]
_RU_PEOPLE_LAST = [("Волков", "Volkov", "Волкова", "Volkova"), ("Соколов", "Sokolov", "Соколова", "Sokolova"),
                   ("Лебедев", "Lebedev", "Лебедева", "Lebedeva"), ("Козлов", "Kozlov", "Козлова", "Kozlova"),
                   ("Новиков", "Novikov", "Новикова", "Novikova"), ("Морозов", "Morozov", "Морозова", "Morozova"),
                   ("Павлов", "Pavlov", "Павлова", "Pavlova"), ("Орлов", "Orlov", "Орлова", "Orlova")]
_ROLES = [({"it": "Amministratore delegato", "ru": "Генеральный директор"}),
          ({"it": "Presidente", "ru": "Президент"}),
          ({"it": "Direttore generale", "ru": "Генеральный директор"})]


def _italian_seat(rng: random.Random) -> dict:
    region = rng.choice(ITALIAN_REGIONS)
    city = rng.choice(region[2])
    return {"it": f"{city[0]} ({region[0]})", "ru": f"{city[1]} ({region[1]})"}


def _russian_seat(rng: random.Random) -> dict:
    region = rng.choice(RUSSIAN_REGIONS)
    city = rng.choice(region[2])
    return {"it": f"{city[0]} ({region[0]})", "ru": f"{city[1]} ({region[1]})"}


def make_party(rng: random.Random, country: str, sector_index: int) -> dict:
    """A fictional party: name, country, legal form, seat and representative, every text in it and ru."""
    if country == "IT":
        prefix, suffix = rng.choice(_IT_PREFIXES), rng.choice(_IT_SUFFIXES)
        activity = rng.choice(_IT_ACTIVITIES[sector_index % len(_IT_ACTIVITIES)])
        form, form_it, form_ru = rng.choice(_IT_FORMS)
        name = {"it": f"{prefix[0]}{suffix[0]} {activity[0]} {form['it']}",
                "ru": f"«{prefix[1]}{suffix[1]} {activity[1]} {form['ru']}»"}
        seat = _italian_seat(rng)
    else:
        stem, ending = rng.choice(_RU_STEMS), rng.choice(_RU_ENDINGS[sector_index % len(_RU_ENDINGS)])
        form, form_it, form_ru = rng.choice(_RU_FORMS)
        coined_ru = stem[0][:-1] + ending[0] if stem[0][-1] in "аяь" else stem[0] + ending[0]
        coined_lat = stem[1][:-1] + ending[1] if stem[1][-1] in "a" else stem[1] + ending[1]
        name = {"it": f"{form['it']} «{coined_lat.capitalize()}»", "ru": f"{form['ru']} «{coined_ru.capitalize()}»"}
        seat = _russian_seat(rng)
    return {
        "name": name,
        "country": country,
        "legal_form": {"it": form_it, "ru": form_ru},
        "seat": seat,
        "representative": _representative(rng, country),
    }


def _representative(rng: random.Random, country: str) -> dict:
    """Name, gender, role and the basis of the power to sign (statute; a general manager by power of
    attorney), drawn in the same order as before gender and basis existed, so that a seed keeps its corpus."""
    name, gender = _person_and_gender(rng, country)
    role = rng.choice(_ROLES)
    basis = "power_of_attorney" if role["it"] == "Direttore generale" and country == "IT" else "statute"
    return {"name": name, "gender": gender, "role": role, "basis": basis}


# --- sessions -----------------------------------------------------------------------------------------
def session_country(number: int) -> str:
    """Odd sessions in Italy, even ones in Russia: the 25th (Bergamo) is Italian."""
    return "IT" if number % 2 else "RU"


def session_dates(number: int, rng: random.Random) -> tuple[dt.date, dt.date]:
    """Twice a year from autumn 2002: session 1 in autumn 2002, 2 in spring 2003, ... 25 in autumn 2014."""
    year = 2002 + number // 2
    month = rng.choice((10, 11)) if number % 2 else rng.choice((4, 5))
    first = dt.date(year, month, 1)
    start = first + dt.timedelta(days=(2 - first.weekday()) % 7 + 7 * rng.randrange(3))  # a Wednesday
    return start, start + dt.timedelta(days=2)


def make_session(number: int, rng: random.Random) -> dict:
    """A session file's data (the registry's YAML shape) for session ``number``."""
    country = session_country(number)
    regions = ITALIAN_REGIONS if country == "IT" else RUSSIAN_REGIONS
    region_it, region_ru, cities = regions[(number // 2 + rng.randrange(len(regions))) % len(regions)]
    city = rng.choice(cities)
    start, end = session_dates(number, rng)
    chosen = rng.sample(range(len(SECTORS)), rng.choice((2, 3)))
    tables = []
    for index in chosen:
        sector, topics = SECTORS[index]
        tables.append({"sector": dict(sector),
                       "topics": [{"it": it, "ru": ru} for it, ru in rng.sample(topics, min(2, len(topics)))],
                       "outcomes": [_outcome(rng, sector)]})
    next_country = "RU" if country == "IT" else "IT"
    next_regions = RUSSIAN_REGIONS if next_country == "RU" else ITALIAN_REGIONS
    next_region = rng.choice(next_regions)
    next_city = rng.choice(next_region[2])
    return {
        "number": number,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "country": country,
        "city": {"it": city[0], "ru": city[1]},
        "region": {"it": region_it, "ru": region_ru},
        "co_chairs": [
            {"country": "IT", **_named(rng, "IT"), "role": {"it": "Co-presidente della Task Force",
                                                            "ru": "Сопредседатель Рабочей группы"},
             "institution": dict(INSTITUTIONS["IT"])},
            {"country": "RU", **_named(rng, "RU"), "role": {"it": "Co-presidente della Task Force",
                                                            "ru": "Сопредседатель Рабочей группы"},
             "institution": dict(INSTITUTIONS["RU"])},
        ],
        "tables": tables,
        "next_session": {"country": next_country, "city": {"it": next_city[0], "ru": next_city[1]},
                         "period": _next_period(number + 1)},
    }


# The lead institution of each side, named in the Protocol (co-chairs) and above its signature.
INSTITUTIONS = {
    "IT": {"it": "Ministero dello Sviluppo Economico", "ru": "Министерство экономического развития Итальянской Республики"},
    "RU": {"it": "Ministero dello Sviluppo Economico della Federazione Russa",
           "ru": "Министерство экономического развития Российской Федерации"},
}


def _person(rng: random.Random, country: str) -> dict:
    return _person_and_gender(rng, country)[0]


def _named(rng: random.Random, country: str) -> dict:
    name, gender = _person_and_gender(rng, country)
    return {"name": name, "gender": gender}


def _person_and_gender(rng: random.Random, country: str) -> tuple[dict, str]:
    if country == "IT":
        first, last = rng.choice(_IT_PEOPLE_FIRST), rng.choice(_IT_PEOPLE_LAST)
        return {"it": f"{first[0]} {last[0]}", "ru": f"{first[1]} {last[1]}"}, "f" if first[0] in _IT_FEMALE else "m"
    first_ru, first_lat, gender = rng.choice(_RU_PEOPLE_FIRST)
    last = rng.choice(_RU_PEOPLE_LAST)
    last_ru, last_lat = (last[0], last[1]) if gender == "m" else (last[2], last[3])
    return {"it": f"{first_lat} {last_lat}", "ru": f"{first_ru} {last_ru}"}, gender


def _next_period(number: int) -> dict:
    year = 2002 + number // 2
    if number % 2:
        return {"it": f"autunno {year}", "ru": f"осень {year} г."}
    return {"it": f"primavera {year}", "ru": f"весна {year} г."}


def _outcome(rng: random.Random, sector: dict) -> dict:
    it, ru = rng.choice(_OUTCOMES)
    return {"it": it.format(sector=sector["it"].lower()), "ru": ru.format(sector=sector["ru"].lower())}


_OUTCOMES = [
    ("Le parti hanno concordato un programma di missioni imprenditoriali nel settore {sector}.",
     "Стороны согласовали программу деловых миссий в отрасли «{sector}»."),
    ("È stato costituito un gruppo di lavoro congiunto per lo sviluppo dei distretti nel settore {sector}.",
     "Создана совместная рабочая группа по развитию кластеров в отрасли «{sector}»."),
    ("Le parti hanno presentato progetti di collaborazione tra PMI nel settore {sector}.",
     "Стороны представили проекты сотрудничества МСП в отрасли «{sector}»."),
]


# --- private agreements -------------------------------------------------------------------------------------
_SUBJECTS = [
    ("la cooperazione industriale e lo scambio di tecnologie nel settore {sector}",
     "промышленное сотрудничество и обмен технологиями в отрасли «{sector}»"),
    ("la costituzione di una rete di imprese tra distretti nel settore {sector}",
     "создание сети предприятий между промышленными округами в отрасли «{sector}»"),
    ("la formazione del personale e la ricerca congiunta nel settore {sector}",
     "подготовка кадров и совместные исследования в отрасли «{sector}»"),
    ("la promozione commerciale e la partecipazione congiunta alle fiere del settore {sector}",
     "продвижение продукции и совместное участие в выставках отрасли «{sector}»"),
]
_COMMITMENTS = [
    ("scambiarsi informazioni tecniche e commerciali", "обмениваться технической и коммерческой информацией"),
    ("organizzare visite reciproche presso i propri stabilimenti",
     "организовывать взаимные визиты на свои производственные площадки"),
    ("costituire un gruppo di lavoro congiunto", "создать совместную рабочую группу"),
    ("valutare progetti di investimento comuni", "рассматривать совместные инвестиционные проекты"),
    ("promuovere stage e scambi di personale", "содействовать стажировкам и обмену персоналом"),
]
_LAWS = [({"it": "diritto italiano", "ru": "право Итальянской Республики"},
          {"it": "Camera Arbitrale di Milano", "ru": "Миланская арбитражная палата"}),
         ({"it": "diritto della Federazione Russa", "ru": "право Российской Федерации"},
          {"it": "Centro Arbitrale Russo", "ru": "Российский арбитражный центр"})]


def _lasting(index: int, drawn: int) -> int:
    """One agreement in three runs for 20 years: with sessions since 2002 the demo has agreements still in
    force today beside expired ones (the others last one to five years)."""
    return 240 if index % 3 == 1 else drawn


def make_agreement(rng: random.Random, session: dict, index: int, restricted_share: int = 5) -> dict:
    """Data of one invented private agreement of ``session`` (a make_session dict), in the drafting schema
    of ``DATA.yaml``: two or three parties of one of the session's sectors."""
    table = rng.choice(session["tables"]) if session.get("tables") else {"sector": dict(SECTORS[0][0])}
    sector = table["sector"]
    sector_index = next((i for i, (known, _) in enumerate(SECTORS) if known == sector), 0)
    parties = [make_party(rng, "IT", sector_index), make_party(rng, "RU", sector_index)]
    if rng.random() < 0.3:
        parties.append(make_party(rng, rng.choice(("IT", "RU")), sector_index))
    if sector["it"] == "Sistema casa" and index % 2 == 0:
        # furniture makers of Kazan: the researchers' question "wood and furniture partners in Tatarstan"
        # has answers in every demo (set after the draws, so that a seed keeps the rest of its corpus)
        parties[1]["seat"] = {"it": "Kazan (Tatarstan)", "ru": "Казань (Республика Татарстан)"}
    subject_it, subject_ru = rng.choice(_SUBJECTS)
    law, disputes = rng.choice(_LAWS)
    return {
        "kind": "memorandum" if rng.random() < 0.25 else "agreement",
        "subject": {"it": subject_it.format(sector=sector["it"].lower()),
                    "ru": subject_ru.format(sector=sector["ru"].lower())},
        "sectors": [sector["it"]],
        "parties": parties,
        "commitments": [{"it": it, "ru": ru} for it, ru in rng.sample(_COMMITMENTS, rng.choice((2, 3)))],
        "duration_months": _lasting(index, rng.choice((12, 24, 36, 60))),
        "governing_law": dict(law),
        "disputes": dict(disputes),
        "confidentiality": (Level.RESTRICTED if index % restricted_share == restricted_share - 1 else Level.PUBLIC).value,
    }


# --- letters in one language (issue 25: a document that exists only in Russian or only in Italian) --------
# Written in one language only, without a draft: cross-language search finds them through the term table
# learned from the drafts (an Italian query finds the Russian letters, and back).
ONE_LANGUAGE_LETTERS = [
    ("ru", "Письмо о поставках мебели",
     "Уважаемые коллеги! Предприятия отрасли «Дом и интерьер» предлагают развивать сотрудничество в области "
     "мебели и светотехники, а также продвижение продукции на рынке. Просим рассмотреть возможность "
     "совместного участия в выставке."),
    ("ru", "Письмо о сельскохозяйственной технике",
     "Уважаемые коллеги! Предлагаем обсудить поставки сельскохозяйственной техники и сотрудничество "
     "предприятий машиностроения на следующем заседании Рабочей группы."),
    ("it", "Lettera sull'arredamento e l'illuminotecnica",
     "Gentili colleghi, le imprese del settore propongono di sviluppare la cooperazione nell'arredamento e "
     "nell'illuminotecnica e la promozione dei prodotti sul mercato, con la partecipazione comune a una fiera."),
    ("it", "Lettera sulle macchine agricole",
     "Gentili colleghi, proponiamo di discutere le forniture di macchine agricole e la cooperazione tra le "
     "imprese della meccanica strumentale alla prossima sessione della Task Force."),
]


def make_letters(numbers: list[int], rng: random.Random) -> list[dict]:
    """The one-language letters, each in a session of ``numbers`` (drawn from ``rng``): {lang, title, text,
    session}."""
    return [{"lang": lang, "title": title, "text": text, "session": rng.choice(numbers)}
            for lang, title, text in ONE_LANGUAGE_LETTERS]
