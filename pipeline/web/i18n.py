"""The interface text of the web page in Italian (the default) and Russian.

Every visible word of the templates comes from here; a key missing in one language falls back to Italian,
a key missing everywhere shows itself (so that a typo is seen, not hidden).
"""
from __future__ import annotations

from ..vocab import LANGUAGES  # the page speaks the two languages of the documents
from .i18n_drafts import DRAFT_FORM_ERRORS, DRAFT_FORM_TEXT
from .legal_text import LEGAL_TEXT
from .i18n_intake import INTAKE_TEXT
from .i18n_research import RESEARCH_TEXT

DEFAULT = "it"

TEXT: dict[str, dict[str, str]] = {
    "site": {"it": "Task Force Italia–Russia: archivio", "ru": "Рабочая группа Россия–Италия: архив"},
    "nav.search": {"it": "Ricerca", "ru": "Поиск"},
    "nav.sessions": {"it": "Sessioni", "ru": "Сессии"},
    "nav.stats": {"it": "Statistiche", "ru": "Статистика"},
    "nav.login": {"it": "Accesso personale", "ru": "Вход для сотрудников"},
    "nav.logout": {"it": "Esci", "ru": "Выйти"},
    "nav.user": {"it": "Connesso come", "ru": "Вы вошли как"},
    "search.box": {"it": "Cerca nei documenti firmati", "ru": "Поиск по подписанным документам"},
    "search.button": {"it": "Cerca", "ru": "Найти"},
    "search.filters": {"it": "Filtri", "ru": "Фильтры"},
    "search.apply": {"it": "Applica i filtri", "ru": "Применить фильтры"},
    "search.reset": {"it": "Azzera", "ru": "Сбросить"},
    "search.total": {"it": "{n} documenti", "ru": "Документов: {n}"},
    "search.none": {"it": "Nessun documento trovato.", "ru": "Документы не найдены."},
    "search.page": {"it": "Pagina {page} di {pages}", "ru": "Страница {page} из {pages}"},
    "search.prev": {"it": "« precedente", "ru": "« назад"},
    "search.next": {"it": "successiva »", "ru": "вперёд »"},
    "search.didyoumean": {"it": "Forse cercavi", "ru": "Возможно, вы искали"},
    "search.download": {"it": "Scarica i risultati", "ru": "Скачать результаты"},
    "search.active": {"it": "Filtri attivi", "ru": "Активные фильтры"},
    "search.remove": {"it": "togli", "ru": "убрать"},
    "search.error": {"it": "La ricerca non è valida", "ru": "Неверный запрос"},
    "search.help": {"it": "Parole, \"frasi\", AND / OR / NOT, campo:valore (type:, session:, year:, party:, "
                          "sector:, ref:), coop*",
                    "ru": "Слова, \"фразы\", AND / OR / NOT, поле:значение (type:, session:, year:, party:, "
                          "sector:, ref:), coop*"},
    "sort": {"it": "Ordina per", "ru": "Сортировка"},
    "sort.relevance": {"it": "pertinenza", "ru": "релевантность"},
    "sort.date": {"it": "meno recenti prima", "ru": "сначала старые"},
    "sort.auto": {"it": "pertinenza (senza parole: più recenti prima)",
                  "ru": "релевантность (без слов: сначала новые)"},
    "sort.newest": {"it": "più recenti prima", "ru": "сначала новые"},
    "sort.oldest": {"it": "meno recenti prima", "ru": "сначала старые"},
    "sort.note.newest": {"it": "i documenti senza data in fondo", "ru": "документы без даты в конце"},
    "field.session": {"it": "Sessione", "ru": "Сессия"},
    "field.sessions": {"it": "Sessioni (da–a)", "ru": "Сессии (с–по)"},
    "field.year": {"it": "Anno", "ru": "Год"},
    "field.from": {"it": "Firmato dal", "ru": "Подписан с"},
    "field.to": {"it": "al", "ru": "по"},
    "field.type": {"it": "Tipo", "ru": "Тип"},
    "field.sector": {"it": "Settore", "ru": "Отрасль"},
    "field.sectors": {"it": "Settori", "ru": "Отрасли"},
    "field.party": {"it": "Parte", "ru": "Сторона"},
    "field.parties": {"it": "Parti", "ru": "Стороны"},
    "field.country": {"it": "Paese ospitante", "ru": "Страна проведения"},
    "field.lang": {"it": "Lingua del testo", "ru": "Язык текста"},
    "field.reference": {"it": "Riferimento", "ru": "Номер"},
    "field.title": {"it": "Titolo", "ru": "Название"},
    "field.signed_on": {"it": "Data di firma", "ru": "Дата подписания"},
    "field.place": {"it": "Luogo", "ru": "Место"},
    "field.languages": {"it": "Lingue", "ru": "Языки"},
    "field.confidentiality": {"it": "Riservatezza", "ru": "Доступ"},
    "field.pages": {"it": "Pagine", "ru": "Страниц"},
    "field.text_source": {"it": "Origine del testo", "ru": "Источник текста"},
    "field.signatures": {"it": "Firme digitali", "ru": "Электронные подписи"},
    "field.sha256": {"it": "SHA-256 dell'originale", "ru": "SHA-256 оригинала"},
    "field.size": {"it": "Dimensione", "ru": "Размер"},
    "field.ingested_at": {"it": "Archiviato il", "ru": "Помещён в архив"},
    "field.revision": {"it": "Revisione dei metadati", "ru": "Редакция метаданных"},
    "field.fixity": {"it": "Controllo di integrità", "ru": "Проверка целостности"},
    "field.any": {"it": "tutti", "ru": "все"},
    "any": {"it": "qualsiasi", "ru": "любой"},
    "facets": {"it": "Affina", "ru": "Уточнить"},
    "facet.session": {"it": "Sessione", "ru": "Сессия"},
    "facet.year": {"it": "Anno", "ru": "Год"},
    "facet.type": {"it": "Tipo", "ru": "Тип"},
    "facet.sectors": {"it": "Settore", "ru": "Отрасль"},
    "facet.country": {"it": "Paese ospitante", "ru": "Страна проведения"},
    "type.protocol": {"it": "Protocollo", "ru": "Протокол"},
    "type.agreement": {"it": "Accordo", "ru": "Соглашение"},
    "type.memorandum": {"it": "Memorandum d'intesa", "ru": "Меморандум"},
    "type.letter": {"it": "Lettera", "ru": "Письмо"},
    "type.project": {"it": "Progetto", "ru": "Проект"},
    "type.other": {"it": "Altro", "ru": "Другое"},
    "level.public": {"it": "pubblico", "ru": "открытый"},
    "level.internal": {"it": "interno", "ru": "внутренний"},
    "level.restricted": {"it": "riservato", "ru": "ограниченный"},
    "country.IT": {"it": "Italia", "ru": "Италия"},
    "country.RU": {"it": "Russia", "ru": "Россия"},
    "lang.it": {"it": "italiano", "ru": "итальянский"},
    "lang.ru": {"it": "russo", "ru": "русский"},
    "source.text": {"it": "testo del PDF", "ru": "текстовый слой PDF"},
    "source.ocr": {"it": "OCR", "ru": "распознавание (OCR)"},
    "source.mixed": {"it": "testo e OCR", "ru": "текст и OCR"},
    "source.none": {"it": "nessun testo", "ru": "нет текста"},
    "doc.untitled": {"it": "(senza titolo)", "ru": "(без названия)"},
    "doc.metadata": {"it": "Scheda", "ru": "Карточка"},
    "doc.pdf": {"it": "Il documento firmato (PDF)", "ru": "Подписанный документ (PDF)"},
    "doc.download": {"it": "Scarica il PDF", "ru": "Скачать PDF"},
    "doc.open": {"it": "Apri il PDF", "ru": "Открыть PDF"},
    "doc.text": {"it": "Testo per pagina", "ru": "Текст по страницам"},
    "doc.page": {"it": "Pagina {n}", "ru": "Страница {n}"},
    "doc.empty_page": {"it": "(nessun testo in questa pagina)", "ru": "(на этой странице нет текста)"},
    "doc.same_session": {"it": "Altri documenti della sessione", "ru": "Другие документы сессии"},
    "doc.no_signatures": {"it": "nessuna firma digitale", "ru": "электронных подписей нет"},
    "doc.undated": {"it": "senza data", "ru": "без даты"},
    "sig.valid": {"it": "valida", "ru": "действительна"},
    "sig.invalid": {"it": "NON valida", "ru": "НЕ действительна"},
    "sig.intact": {"it": "integra", "ru": "не изменена"},
    "sig.not_intact": {"it": "ALTERATA", "ru": "ИЗМЕНЕНА"},
    "sig.trusted": {"it": "certificato attendibile", "ru": "сертификат доверенный"},
    "sig.untrusted": {"it": "certificato non verificato", "ru": "сертификат не проверен"},
    "sig.weak": {"it": "algoritmo debole", "ru": "слабый алгоритм"},
    "fixity.never": {"it": "mai eseguito", "ru": "не проводилась"},
    "fixity.not_yet": {"it": "non ancora controllato: archiviato dopo l'ultimo controllo ({time})",
                       "ru": "ещё не проверялся: помещён в архив после последней проверки ({time})"},
    "fixity.success": {"it": "nessun problema", "ru": "без замечаний"},
    "fixity.failure": {"it": "problemi trovati", "ru": "найдены проблемы"},
    "fixity.last": {"it": "ultimo controllo {time}: {outcome}", "ru": "последняя проверка {time}: {outcome}"},
    "fixity.kind.checksum_mismatch": {"it": "impronta diversa", "ru": "контрольная сумма не совпадает"},
    "fixity.kind.file_missing": {"it": "file mancante", "ru": "файл отсутствует"},
    "fixity.kind.unexpected_file": {"it": "file inatteso", "ru": "лишний файл"},
    "fixity.kind.sidecar_damaged": {"it": "metadati danneggiati", "ru": "метаданные повреждены"},
    "fixity.kind.not_read_only": {"it": "originale scrivibile", "ru": "оригинал доступен для записи"},
    "fixity.kind.chain_broken": {"it": "registro eventi interrotto", "ru": "журнал событий нарушен"},
    "fixity.kind.finding": {"it": "problema", "ru": "проблема"},
    # --- the signed text against its approved draft (issue 17): staff only ---------------------------------
    "field.differs": {"it": "Testo firmato", "ru": "Подписанный текст"},
    "differs.value": {"it": "diverso dalla bozza approvata", "ru": "отличается от утверждённого проекта"},
    "differs.check": {"it": "Solo i documenti il cui testo firmato differisce dalla bozza approvata",
                      "ru": "Только документы, подписанный текст которых отличается от утверждённого проекта"},
    "differs.hit": {"it": "diverso dalla bozza", "ru": "отличается от проекта"},
    "err.staff_only": {"it": "Il filtro «testo firmato diverso dalla bozza» è riservato al personale: accedi per "
                             "usarlo",
                       "ru": "Фильтр «подписанный текст отличается от проекта» доступен только сотрудникам: войдите, "
                             "чтобы им воспользоваться"},
    "draft.field": {"it": "Confronto con la bozza", "ru": "Сравнение с проектом"},
    "draft.matches.final": {"it": "Corrisponde alla bozza finale v{version}",
                            "ru": "Совпадает с окончательным проектом v{version}"},
    "draft.matches.draft": {"it": "Corrisponde alla bozza v{version}", "ru": "Совпадает с проектом v{version}"},
    "draft.differs.final": {"it": "Differisce dalla bozza finale v{version} in {paragraphs}",
                            "ru": "Отличается от окончательного проекта v{version} в {paragraphs}"},
    "draft.differs.draft": {"it": "Differisce dalla bozza v{version} in {paragraphs}",
                            "ru": "Отличается от проекта v{version} в {paragraphs}"},
    "draft.paragraphs.one": {"it": "{n} paragrafo", "ru": "{n} абзаце"},
    "draft.paragraphs.many": {"it": "{n} paragrafi", "ru": "{n} абзацах"},
    "draft.in.it": {"it": "{n} in italiano", "ru": "{n} на итальянском"},
    "draft.in.ru": {"it": "{n} in russo", "ru": "{n} на русском"},
    "draft.not_final": {"it": "nessuna versione è finale: confrontato con la più recente",
                        "ru": "окончательной версии нет: сравнение с последней"},
    "draft.ocr": {"it": "entro la tolleranza dell'OCR", "ru": "в пределах допуска OCR"},
    "draft.mark": {"it": "il PDF porta ancora il segno di bozza «{mark}»",
                   "ru": "в PDF по-прежнему стоит отметка проекта «{mark}»"},
    "draft.none": {"it": "Non confrontato con una bozza", "ru": "Не сравнивался с проектом"},
    "draft.redline": {"it": "Vedi le differenze", "ru": "Показать различия"},
    "draft.diff_title": {"it": "Testo firmato e bozza approvata", "ru": "Подписанный текст и утверждённый проект"},
    "draft.back": {"it": "« Torna al documento", "ru": "« Назад к документу"},
    "draft.legend": {"it": "~ paragrafo cambiato (barrato: solo nella bozza; sottolineato: solo nel testo firmato), "
                           "− solo nella bozza, + solo nel testo firmato; l'italiano e il russo separatamente.",
                     "ru": "~ изменённый абзац (зачёркнуто: только в проекте; подчёркнуто: только в подписанном "
                           "тексте), − только в проекте, + только в подписанном тексте; итальянский и русский "
                           "отдельно."},
    "draft.only_draft": {"it": "solo nella bozza", "ru": "только в проекте"},
    "draft.only_signed": {"it": "solo nel testo firmato", "ru": "только в подписанном тексте"},
    "draft.after": {"it": "dopo", "ru": "после"},
    "draft.no_differences": {"it": "Nessuna differenza nel testo.", "ru": "Различий в тексте нет."},
    "draft.unavailable": {"it": "Il confronto non si può rifare ora: la bozza non si legge più. Chiedi "
                                "all'archivista di eseguire 'taskforce archive diff'.",
                          "ru": "Сравнение сейчас повторить нельзя: проект больше не читается. Попросите "
                                "архивиста выполнить 'taskforce archive diff'."},
    "session.title": {"it": "Sessione {n}", "ru": "Сессия {n}"},
    "session.dates": {"it": "Date", "ru": "Даты"},
    "session.city": {"it": "Città", "ru": "Город"},
    "session.region": {"it": "Regione", "ru": "Регион"},
    "session.venue": {"it": "Sede", "ru": "Место проведения"},
    "session.co_chairs": {"it": "Copresidenti", "ru": "Сопредседатели"},
    "session.tables": {"it": "Tavoli tematici", "ru": "Тематические секции"},
    "session.outcomes": {"it": "Esiti", "ru": "Итоги"},
    "session.participants": {"it": "Partecipanti", "ru": "Участники"},
    "session.projects": {"it": "Progetti presentati", "ru": "Представленные проекты"},
    "session.next": {"it": "Sessione successiva", "ru": "Следующая сессия"},
    "session.city_open": {"it": "città da definire", "ru": "город будет определён"},
    "session.protocol": {"it": "Protocollo", "ru": "Протокол"},
    "session.no_protocol": {"it": "Il Protocollo non è nell'archivio.", "ru": "Протокола в архиве нет."},
    "session.agreements": {"it": "Accordi e altri documenti", "ru": "Соглашения и другие документы"},
    "session.no_documents": {"it": "Nessun documento archiviato.", "ru": "Документов в архиве нет."},
    "session.documents": {"it": "documenti", "ru": "документов"},
    "timeline": {"it": "Tutte le sessioni", "ru": "Все сессии"},
    "stats.title": {"it": "Documenti firmati", "ru": "Подписанные документы"},
    "stats.by.year": {"it": "per anno", "ru": "по годам"},
    "stats.by.session": {"it": "per sessione", "ru": "по сессиям"},
    "stats.by.sector": {"it": "per settore", "ru": "по отраслям"},
    "stats.by.country": {"it": "per paese ospitante", "ru": "по стране проведения"},
    "stats.total": {"it": "{n} documenti in tutto", "ru": "Всего документов: {n}"},
    "stats.count": {"it": "Documenti", "ru": "Документов"},
    "stats.chart": {"it": "Grafico", "ru": "Диаграмма"},
    "login.title": {"it": "Accesso del personale", "ru": "Вход для сотрудников"},
    "login.name": {"it": "Nome utente", "ru": "Имя пользователя"},
    "login.password": {"it": "Password", "ru": "Пароль"},
    "login.submit": {"it": "Entra", "ru": "Войти"},
    "login.failed": {"it": "Nome utente o password errati.", "ru": "Неверное имя пользователя или пароль."},
    "login.locked": {"it": "Troppi tentativi falliti: riprova tra {minutes} minuti.",
                     "ru": "Слишком много неудачных попыток: повторите через {minutes} мин."},
    "login.csrf": {"it": "Il modulo è scaduto: ricarica la pagina e riprova.",
                   "ru": "Форма устарела: обновите страницу и повторите попытку."},
    "login.note": {"it": "Senza accesso si vedono solo i documenti pubblici.",
                   "ru": "Без входа видны только открытые документы."},
    "error.404": {"it": "Pagina o documento inesistente.", "ru": "Страница или документ не найдены."},
    "error.400": {"it": "Richiesta non valida.", "ru": "Неверный запрос."},
    "error.403": {"it": "Il tuo account non ha il ruolo che questa pagina richiede; chiedilo a chi amministra il "
                        "sito.",
                  "ru": "У вашей учётной записи нет роли, которую требует эта страница; обратитесь к "
                        "администратору сайта."},
    "error.405": {"it": "Metodo non consentito.", "ru": "Метод не разрешён."},
    "error.413": {"it": "Richiesta troppo grande.", "ru": "Слишком большой запрос."},
    "error.429": {"it": "Troppe richieste.", "ru": "Слишком много запросов."},
    "error.500": {"it": "Errore interno: l'errore è stato registrato.",
                  "ru": "Внутренняя ошибка: она записана в журнал."},
    "error.503": {"it": "Servizio momentaneamente occupato: riprova tra poco.",
                  "ru": "Сервис временно занят: повторите попытку позже."},
    "error.title": {"it": "Errore {code}", "ru": "Ошибка {code}"},
    "error.home": {"it": "Torna alla ricerca", "ru": "Вернуться к поиску"},
    # --- dates, previews, navigation, accessibility -----------------------------------------------------
    "date.hint": {"it": "es. 27 novembre 2019, 2019-11-27 o un mese: maggio 2015",
                  "ru": "например, 27 ноября 2019 г., 2019-11-27 или месяц: май 2015"},
    "doc.pages_images": {"it": "Pagine del documento", "ru": "Страницы документа"},
    "doc.page_image": {"it": "Immagine della pagina {n}", "ru": "Изображение страницы {n}"},
    "doc.page_text": {"it": "Testo della pagina {n}", "ru": "Текст страницы {n}"},
    "doc.no_preview": {"it": "Le immagini delle pagine non sono disponibili: si legge il testo qui sotto "
                             "e si apre il PDF.",
                       "ru": "Изображения страниц недоступны: ниже приведён текст, PDF можно открыть."},
    "doc.back": {"it": "« Torna ai risultati", "ru": "« Назад к результатам"},
    "doc.session_protocol": {"it": "Protocollo della sessione", "ru": "Протокол сессии"},
    "doc.session_agreements": {"it": "Accordi della sessione", "ru": "Соглашения сессии"},
    "doc.archived": {"it": "archiviato il {date}", "ru": "помещён в архив {date}"},
    "doc.thumb": {"it": "Prima pagina", "ru": "Первая страница"},
    "doc.skip": {"it": "Vai al contenuto", "ru": "Перейти к содержанию"},
    "sig.kind.signature": {"it": "firma", "ru": "подпись"},
    "sig.kind.timestamp": {"it": "marca temporale", "ru": "метка времени"},
    "sig.coverage.entire file": {"it": "copre l'intero file", "ru": "охватывает весь файл"},
    "sig.coverage.content appended after signing": {"it": "contenuto aggiunto dopo la firma",
                                                    "ru": "содержимое добавлено после подписания"},
    "sig.coverage.unclear": {"it": "copertura incerta", "ru": "охват неясен"},
    "sig.error": {"it": "la firma non si può verificare", "ru": "подпись невозможно проверить"},
    "sig.unknown_signer": {"it": "firmatario sconosciuto", "ru": "подписант неизвестен"},
    "facet.more": {"it": "mostra tutti ({n})", "ru": "показать все ({n})"},
    "facet.less": {"it": "mostra meno", "ru": "показать меньше"},
    "facets.show": {"it": "Affina i risultati", "ru": "Уточнить результаты"},
    "search.pagination": {"it": "Pagine dei risultati", "ru": "Страницы результатов"},
    "search.session_from": {"it": "dalla sessione", "ru": "с сессии"},
    "search.session_to": {"it": "alla sessione", "ru": "по сессию"},
    "search.remove_filter": {"it": "togli il filtro {label}", "ru": "убрать фильтр {label}"},
    "search.sorted": {"it": "Ordine", "ru": "Порядок"},
    "sessions.number": {"it": "N.", "ru": "№"},
    "sessions.dates": {"it": "Date", "ru": "Даты"},
    "sessions.place": {"it": "Luogo e regione", "ru": "Место и регион"},
    "sessions.host": {"it": "Paese ospitante", "ru": "Страна проведения"},
    "sessions.public": {"it": "Documenti pubblici", "ru": "Открытых документов"},
    "sessions.visible": {"it": "Documenti visibili", "ru": "Доступных документов"},
    "sessions.open": {"it": "Apri", "ru": "Открыть"},
    "sessions.open_n": {"it": "Apri la sessione {n}", "ru": "Открыть сессию {n}"},
    "stats.help": {"it": "Ogni riga e ogni barra apre la ricerca dei documenti che conta.",
                   "ru": "Каждая строка и каждый столбик открывают поиск документов, которые они считают."},
    "stats.png": {"it": "Il grafico come immagine (PNG)", "ru": "Диаграмма в виде изображения (PNG)"},
    "stats.search_for": {"it": "Cerca i documenti: {value}", "ru": "Найти документы: {value}"},
    "none": {"it": "nessuno", "ru": "нет"},
    "nav.main": {"it": "Sezioni del sito", "ru": "Разделы сайта"},
    "lang.name.it": {"it": "Italiano", "ru": "Italiano"},
    "lang.name.ru": {"it": "Русский", "ru": "Русский"},
    "unknown": {"it": "sconosciuto", "ru": "неизвестно"},
    "field.page": {"it": "Pagina", "ru": "Страница"},
    "field.format": {"it": "Formato", "ru": "Формат"},
    # --- messages about a search the page cannot run ------------------------------------------------------
    "err.number": {"it": "{field}: «{value}» non è un numero intero da {low} a {high}",
                   "ru": "{field}: «{value}» — не целое число от {low} до {high}"},
    "err.choice": {"it": "{field}: «{value}» non è tra i valori ammessi ({allowed})",
                   "ru": "{field}: «{value}» — недопустимое значение (допустимы: {allowed})"},
    "err.session_range": {"it": "La sessione iniziale {low} viene dopo quella finale {high}",
                          "ru": "Начальная сессия {low} идёт после конечной {high}"},
    "err.date": {"it": "{field}: «{value}» non è una data; scrivila come 27 novembre 2019 o 2019-11-27, o un "
                       "mese come maggio 2015",
                 "ru": "{field}: «{value}» — не дата; напишите её как 27 ноября 2019 г. или 2019-11-27, или месяц, "
                       "например май 2015"},
    "err.date_order": {"it": "La data finale {value} viene prima di quella iniziale {start}",
                       "ru": "Конечная дата {value} раньше начальной {start}"},
    "err.at_least_one": {"it": "{field}: «{value}» deve essere 1 o più", "ru": "{field}: «{value}» — должно быть не меньше 1"},
    "err.too_long": {"it": "La ricerca è troppo lunga", "ru": "Запрос слишком длинный"},
    "err.unknown_field": {"it": "Campo sconosciuto nella ricerca: {names}; i campi sono type:, session:, "
                                "year:, party:, sector:, ref:, lang:, country:",
                          "ru": "Неизвестное поле в запросе: {names}; поля: type:, session:, year:, party:, "
                                "sector:, ref:, lang:, country:"},
    "err.syntax": {"it": "La ricerca non si può leggere: controlla virgolette, parentesi e campo:valore",
                   "ru": "Запрос не удаётся прочитать: проверьте кавычки, скобки и поле:значение"},
    "err.quote_open": {"it": "Le virgolette (\") non sono chiuse", "ru": "Кавычки (\") не закрыты"},
    "err.bracket_open": {"it": "La parentesi «(» non è chiusa", "ru": "Скобка «(» не закрыта"},
    "err.bracket_empty": {"it": "Niente da cercare prima di «)»", "ru": "Перед «)» нечего искать"},
    "err.operator_before": {"it": "{word} vuole una parola o una frase prima di sé",
                            "ru": "Перед {word} нужно слово или фраза"},
    "err.operator_after": {"it": "{word} vuole una parola o una frase dopo di sé",
                           "ru": "После {word} нужно слово или фраза"},
    "err.no_words": {"it": "La ricerca non contiene parole da cercare (solo parole vuote o punteggiatura)",
                     "ru": "В запросе нет слов для поиска (только служебные слова или знаки)"},
    "err.party_letters": {"it": "Parte: «{value}» non contiene lettere da cercare",
                          "ru": "Сторона: «{value}» не содержит букв для поиска"},
    "lang.switch_title": {"it": "Lingua della pagina", "ru": "Язык страницы"},
    "lang.switch_to.it": {"it": "Passa all'italiano", "ru": "Passa all'italiano"},
    "lang.switch_to.ru": {"it": "Переключить на русский", "ru": "Переключить на русский"},
    "lang.stay": {"it": "Resta in italiano", "ru": "Остаться на русском"},
    "err.slop": {"it": "Una frase può ammettere al massimo {limit} parole tra le sue parole, non {slop}: scrivi ~{limit} "
                       "o meno, o cerca le parole senza virgolette",
                 "ru": "Во фразе между её словами допускается не больше {limit} слов, а не {slop}: напишите ~{limit} "
                       "или меньше либо ищите слова без кавычек"},
    "err.expansion": {"it": "«{pattern}» sta per più di {limit} parole dell'archivio: scrivi più lettere prima di * o ?",
                      "ru": "«{pattern}» соответствует более чем {limit} словам архива: напишите больше букв перед * "
                            "или ?"},
    "err.time_budget": {"it": "La ricerca ha superato {seconds} secondi ed è stata interrotta: restringila con altre "
                              "parole, una frase con meno distanza o un filtro",
                        "ru": "Поиск занял больше {seconds} секунд и был остановлен: уточните его другими словами, "
                              "фразой с меньшим расстоянием или фильтром"},
    "err.other": {"it": "La ricerca non si può eseguire", "ru": "Поиск выполнить невозможно"},
    # --- withdraw and supersede (issue 24, the archivist CLI helper): the document page's notices ---
    "doc.withdrawn": {"it": "Ritirato dalla consultazione", "ru": "Изъят из открытого доступа"},
    "doc.superseded_by": {"it": "Sostituito da", "ru": "Заменен документом"},
    "doc.supersedes": {"it": "Sostituisce", "ru": "Заменяет документ"},
    # --- the searchable copy of a scan (issue 24 item 5: web/searchable.py) ---
    "doc.searchable": {"it": "Copia ricercabile (PDF/A con testo OCR)",
                       "ru": "Копия с поиском по тексту (PDF/A с распознанным текстом)"},
}
TEXT.update(LEGAL_TEXT)           # the legal staff's pages (issue 23): web/legal_text.py
TEXT.update(RESEARCH_TEXT)        # the researchers' records (issue 25): web/i18n_research.py


# --- intake in the browser (issue 24 items 1, 3 and 6): its texts in a module of their own (i18n_intake.py) ---
TEXT.update(INTAKE_TEXT)

# The library's error codes (pipeline/errors.py) and the message each one shows on the page; the error's
# parameters fill it, ``{field}`` with the label of the field it names. A code not listed shows err.other.

ERROR_KEYS = {
    "value.choice": "err.choice", "value.at_least_one": "err.at_least_one",
    "date.missing": "err.date", "date.not_real": "err.date", "date.unreadable": "err.date", "date.unreadable_bound": "err.date",
    "search.date_order": "err.date_order", "search.party_letters": "err.party_letters",
    "search.staff_only": "err.staff_only",
    "search.sector_unknown": "err.sector_unknown", "search.region_unknown": "err.region_unknown",
    "query.too_long": "err.too_long", "query.unknown_field": "err.unknown_field", "query.no_words": "err.no_words",
    "query.quote_open": "err.quote_open", "query.bracket_open": "err.bracket_open",
    "query.bracket_empty": "err.bracket_empty", "query.bracket_empty_after": "err.bracket_empty",
    "query.operator_before": "err.operator_before", "query.operator_after": "err.operator_after",
    "query.bracket_unopened": "err.syntax", "query.syntax": "err.syntax",
    "query.slop": "err.slop", "query.expansion": "err.expansion", "search.time_budget": "err.time_budget",
}


def error_message(err, lang: str, label=lambda path: path) -> str:
    """A library error (pipeline/errors.py) in the page's language; ``label(path)`` names its field."""
    key = ERROR_KEYS.get(getattr(err, "code", None) or "", "err.other")
    values = {name: value for name, value in err.params.items() if isinstance(value, (str, int))}
    if err.field:
        values["field"] = label(err.field)
    text = TEXT[key].get(lang) or TEXT[key][DEFAULT]
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError):
        return translate("err.other", lang)


def plural_form(lang: str, n: int) -> str:
    """The plural category of ``n`` (CLDR's rules): Italian one / many; Russian one (1, 21, 101), few (2-4,
    22-24) and many (0, 5-20, 11-14, 25...)."""
    if lang == "ru":
        if n % 10 == 1 and n % 100 != 11:
            return "one"
        return "few" if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else "many"
    return "one" if n == 1 else "many"


def plural(key: str, lang: str, n: int, **values) -> str:
    """``key.one`` / ``key.few`` / ``key.many`` for ``n`` in ``lang`` (a missing few is many)."""
    form = plural_form(lang, n)
    if f"{key}.{form}" not in TEXT:
        form = "many"
    return translate(f"{key}.{form}", lang, n=n, **values)


def translate(key: str, lang: str, **values) -> str:
    entry = TEXT.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry[DEFAULT]
    return text.format(**values) if values else text


# --- drafting in the browser (web/draftforms.py, issue 23 item 3): its texts are in i18n_drafts.py ------------
TEXT.update(DRAFT_FORM_TEXT)
ERROR_KEYS.update(DRAFT_FORM_ERRORS)
