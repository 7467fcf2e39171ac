"""Bootstrap the shipped .docx templates (templates/protocol.docx, agreement.docx, memorandum.docx).

The committed .docx files are the source: legal staff edit them in Word, and ``taskforce templates check``
verifies an edited copy. This script only produced their first version; running it again overwrites any
edit made in Word, so it refuses to replace an existing file unless given --force.

    python tools/make_templates.py [--force] [OUTDIR]

Layout: Italian and Russian side by side in a borderless two-column table, one row per section, rows never
split across pages; every run carries its language (w:lang it-IT or ru-RU), which also picks the hyphenation
patterns (automatic hyphenation is on), and an explicit font that covers Cyrillic (no theme fonts); headings
are left-aligned and kept with their text; one signature line per party spans both columns; the footer
carries {{ footer }} and the page number.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

FONT = "Times New Roman"     # present in Word everywhere; LibreOffice maps it to Liberation Serif; both have Cyrillic
LANG_TAGS = {"it": "it-IT", "ru": "ru-RU"}
AUTHOR = "Task Force italo-russa sui distretti industriali e le PMI"


# --- low-level helpers ------------------------------------------------------------------------------------
def _set_fonts(rpr, lang: str | None) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    if lang:
        tag = rpr.find(qn("w:lang"))
        if tag is None:
            tag = OxmlElement("w:lang")
            rpr.append(tag)
        tag.set(qn("w:val"), LANG_TAGS[lang])


def _explicit_fonts_everywhere(document) -> None:
    """Replace theme fonts in the defaults and every style by the explicit Cyrillic-capable font."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr, "it")
    for fonts in styles.iter(qn("w:rFonts")):
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
    normal = document.styles["Normal"]
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(4)


def paragraph(container, text: str, lang: str | None, bold: bool = False, center: bool = False,
              size: float | None = None, italic: bool = False, first: bool = False, heading: bool = False,
              keep: bool = False, space_before: float | None = None):
    """One paragraph holding one run, so that a Jinja tag is never split across runs. Body text is justified;
    a heading is left-aligned. A heading is kept with its text by its row, which never splits: "keep with
    next" on it would chain every row to the next one in LibreOffice and push whole articles to a new page;
    ``keep`` sets it where that chaining is wanted (a party's signature block)."""
    par = container.paragraphs[0] if first else container.add_paragraph()
    if center:
        par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif heading:
        par.alignment = WD_ALIGN_PARAGRAPH.LEFT
    else:
        par.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if keep:
        par.paragraph_format.keep_with_next = True
    if space_before:
        par.paragraph_format.space_before = Pt(space_before)
    if bold or center or heading:
        no_hyphenation(par)
    run = par.add_run(text)
    run.bold = bold
    run.italic = italic
    if size:
        run.font.size = Pt(size)
    _set_fonts(run._element.get_or_add_rPr(), lang)
    return par


def no_hyphenation(par) -> None:
    """Titles, headings and signature lines are never hyphenated (Paragraph > Line and page breaks > Don't
    hyphenate): a name cut as "Татар-/стан" in a title reads badly. Names inside body text are kept whole
    at rendering (pipeline/drafting/typography.py)."""
    ppr = par._p.get_or_add_pPr()
    following = {qn(f"w:{name}") for name in ("kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE",
                                              "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
                                              "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
                                              "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl",
                                              "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")}
    element = OxmlElement("w:suppressAutoHyphens")
    anchor = next((child for child in ppr if child.tag in following), None)
    if anchor is not None:
        anchor.addprevious(element)
    else:
        ppr.append(element)


def borderless_table(document):
    table = document.add_table(rows=0, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), "5000")
    width.set(qn("w:type"), "pct")
    tbl_pr.append(width)
    return table


def _cant_split(row) -> None:
    """A row never breaks across pages (Table Properties > Row > Allow row to break across pages: off)."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


class Bilingual:
    """Writes a two-column table row by row: ``row(it_lines, ru_lines)``; a line is (text, options)."""

    def __init__(self, document):
        self.table = borderless_table(document)

    def _new_row(self):
        row = self.table.add_row()
        _cant_split(row)
        for cell in row.cells:
            cell.width = Cm(8.5)
        return row.cells

    def row(self, it_lines, ru_lines, **options):
        cells = self._new_row()
        for cell, lang, lines in ((cells[0], "it", it_lines), (cells[1], "ru", ru_lines)):
            for n, line in enumerate(lines):
                text, extra = (line, {}) if isinstance(line, str) else line
                extra = {**options, **extra}
                if extra.get("bold") and not extra.get("center") and "heading" not in extra:
                    extra["heading"] = True
                paragraph(cell, text, extra.pop("lang", lang), first=(n == 0), **extra)

    def spanning_row(self, text: str, **options):
        """One cell across both columns (a party's signature line under its two columns), with a blank line
        above it for the signature."""
        cells = self._new_row()
        merged = cells[0].merge(cells[1])
        paragraph(merged, "", None, first=True, **options)
        paragraph(merged, text, None, **options)

    def tag_row(self, tag: str):
        """A row holding only a docxtpl row tag such as ``{%tr for t in tables %}``."""
        paragraph(self._new_row()[0], tag, None, first=True)


def footer(document) -> None:
    section = document.sections[0]
    par = section.footer.paragraphs[0]
    par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = par.add_run("{{ footer }} · ")
    run.font.size = Pt(8)
    _set_fonts(run._element.get_or_add_rPr(), None)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    inner = OxmlElement("w:r")
    number_format = OxmlElement("w:rPr")          # the page number in the footer's size, not the body's
    _set_fonts(number_format, None)
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "16")
    number_format.append(size)
    inner.append(number_format)
    text = OxmlElement("w:t")
    text.text = "1"
    inner.append(text)
    field.append(inner)
    par._p.append(field)


def hyphenation(document) -> None:
    """Automatic hyphenation on (Layout > Hyphenation > Automatic): each run's language (it-IT, ru-RU) picks
    the hyphenation patterns; capitals (reference codes, abbreviations) are not hyphenated."""
    settings = document.settings.element
    anchor = settings.find(qn("w:defaultTabStop"))
    for name in ("w:doNotHyphenateCaps", "w:autoHyphenation"):   # inserted in reverse: schema order
        if settings.find(qn(name)) is None:
            element = OxmlElement(name)
            if anchor is not None:
                anchor.addnext(element)
            else:
                settings.append(element)


def new_document(title: str):
    document = Document()
    _explicit_fonts_everywhere(document)
    hyphenation(document)
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    props = document.core_properties
    props.title = title
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.subject = "Template"
    props.keywords = "taskforce template"
    props.comments = "Template for taskforce (docxtpl). Variables: see templates/README.md"
    props.category = "template"
    footer(document)
    return document


SIGNATURE_LINE = "______________________________"


def signature_gap(lines):
    return lines + ["", SIGNATURE_LINE]


# --- the templates ----------------------------------------------------------------------------------------
def protocol():
    doc = new_document("Protocollo della sessione / Протокол заседания")
    body = Bilingual(doc)
    body.row([("PROTOCOLLO", {"bold": True, "center": True, "size": 14}),
              ("{{ ordinal.it_della }} sessione della Task Force italo-russa sui distretti industriali "
               "e le piccole e medie imprese", {"bold": True, "center": True})],
             [("ПРОТОКОЛ", {"bold": True, "center": True, "size": 14}),
              ("{{ ordinal.ru }} заседания Российско-итальянской рабочей группы по промышленным округам "
               "и малым и средним предприятиям", {"bold": True, "center": True})])
    body.row([("{{ place.it }}, {{ dates.it }}", {"center": True}), ("{%p if venue.it %}", {"center": True}),
              ("{{ venue.it }}", {"center": True}), ("{%p endif %}", {"center": True})],
             [("{{ place.ru }}, {{ dates.ru }}", {"center": True}), ("{%p if venue.ru %}", {"center": True}),
              ("{{ venue.ru }}", {"center": True}), ("{%p endif %}", {"center": True})])
    body.row(["{{ ordinal.it_La }} sessione della Task Force si è svolta {{ place.it_at }} {{ span.it }} "
              "sotto la co-presidenza di:",
              "{%p for c in co_chairs %}",
              "– {{ c.side.it }}: {{ c.name.it }}, {{ c.role.it }}{% if c.institution.it %} "
              "({{ c.institution.it }}){% endif %}{% if loop.last %}.{% else %};{% endif %}",
              "{%p endfor %}",
              "{%p if delegations %}", "Hanno partecipato ai lavori:",
              "{%p for d in delegations %}", "– {{ d.it }}{% if loop.last %}.{% else %};{% endif %}",
              "{%p endfor %}", "{%p endif %}"],
             ["Работа {{ ordinal.ru }} заседания Рабочей группы проходила в г.\u00a0{{ place.ru_pre }} "
              "{{ span.ru }} под сопредседательством:",
              "{%p for c in co_chairs %}",
              "– {{ c.side.ru }} – {{ c.name.ru_gen }}, {{ c.role.ru_gen }}{% if c.institution.ru %} "
              "({{ c.institution.ru }}){% endif %}{% if loop.last %}.{% else %};{% endif %}",
              "{%p endfor %}",
              "{%p if delegations %}", "В работе заседания приняли участие:",
              "{%p for d in delegations %}", "– {{ d.ru }}{% if loop.last %}.{% else %};{% endif %}",
              "{%p endfor %}", "{%p endif %}"])
    body.tag_row("{%tr for t in tables %}")
    body.row([("{{ loop.index }}. Tavolo tematico «{{ t.sector.it }}»", {"bold": True}),
              "Temi: {{ t.topics.it }}.", "{%p if t.outcomes %}", "Esiti:", "{%p for o in t.outcomes %}", "– {{ o.it }}",
              "{%p endfor %}", "{%p endif %}"],
             [("{{ loop.index }}. Тематический круглый стол «{{ t.sector.ru }}»", {"bold": True}),
              "Темы: {{ t.topics.ru }}.", "{%p if t.outcomes %}", "Итоги:", "{%p for o in t.outcomes %}", "– {{ o.ru }}",
              "{%p endfor %}", "{%p endif %}"])
    body.tag_row("{%tr endfor %}")
    body.tag_row("{%tr if projects %}")
    body.row([("Progetti presentati", {"bold": True}),
              "{%p for p in projects %}", "– {{ p.it }}", "{%p endfor %}"],
             [("Представленные проекты", {"bold": True}),
              "{%p for p in projects %}", "– {{ p.ru }}", "{%p endfor %}"])
    body.tag_row("{%tr endif %}")
    body.tag_row("{%tr if agreements %}")
    body.row([("Accordi sottoscritti", {"bold": True}),
              "Gli accordi e i memorandum d’intesa sottoscritti nel corso della sessione sono elencati "
              "nell’Allegato al presente Protocollo."],
             [("Подписанные соглашения", {"bold": True}),
              "Соглашения и меморандумы о взаимопонимании, подписанные в ходе заседания, перечислены в "
              "Приложении к настоящему Протоколу."])
    body.tag_row("{%tr endif %}")
    body.row([("Prossima sessione", {"bold": True}), "{{ next_session.it }}"],
             [("Следующее заседание", {"bold": True}), "{{ next_session.ru }}"])
    doc.add_paragraph()
    # the closing formula opens the signatures' table, its paragraphs kept with the next row: LibreOffice keeps
    # rows of one table together, not a row with the next table
    signatures = Bilingual(doc)
    signatures.row(["Fatto {{ place.it_at }} {{ signed_on.it }} in due originali, ciascuno {{ languages.it }}, "
                    "entrambi i testi facenti ugualmente fede."],
                   ["Совершено в г.\u00a0{{ place.ru_pre }} {{ signed_on.ru }} в двух экземплярах, каждый "
                    "{{ languages.ru }}, причем оба текста имеют одинаковую силу."], keep=True)
    # each co-chair in both scripts, the role in both languages: the signatory of either side reads it
    signatures.row(signature_gap([("{{ signatories.it.for.it }}", {"bold": True, "space_before": 18}),
                                  ("{{ signatories.it.for.ru }}", {"bold": True, "lang": "ru"}),
                                  "{{ signatories.it.names.it }}", ("{{ signatories.it.names.ru }}", {"lang": "ru"}),
                                  "{{ signatories.it.roles.it }}", ("{{ signatories.it.roles.ru }}", {"lang": "ru"})]),
                   signature_gap([("{{ signatories.ru.for.ru }}", {"bold": True, "space_before": 18}),
                                  ("{{ signatories.ru.for.it }}", {"bold": True, "lang": "it"}),
                                  "{{ signatories.ru.names.ru }}", ("{{ signatories.ru.names.it }}", {"lang": "it"}),
                                  "{{ signatories.ru.roles.ru }}", ("{{ signatories.ru.roles.it }}", {"lang": "it"})]),
                   center=True)
    doc.add_paragraph()
    annex = Bilingual(doc)
    annex.tag_row("{%tr if agreements %}")
    annex.row([("Allegato. Accordi e memorandum d’intesa sottoscritti nel corso della sessione", {"bold": True})],
              [("Приложение. Соглашения и меморандумы, подписанные в ходе заседания", {"bold": True})])
    annex.tag_row("{%tr for a in agreements %}")
    annex.row(["{{ loop.index }}. {{ a.kind.it }} {{ a.reference }} tra {{ a.parties.it }}: {{ a.subject.it }}"],
              ["{{ loop.index }}. {{ a.kind.ru }} {{ a.reference }} между {{ a.parties.ru }}: {{ a.subject.ru }}"])
    annex.tag_row("{%tr endfor %}")
    annex.tag_row("{%tr endif %}")
    return doc


def _agreement_opening(body, heading_it, heading_ru, agreed_it, agreed_ru):
    body.row([(heading_it, {"bold": True, "center": True, "size": 14}),
              ("{{ title.it }}", {"bold": True, "center": True})],
             [(heading_ru, {"bold": True, "center": True, "size": 14}),
              ("{{ title.ru }}", {"bold": True, "center": True})])
    body.row(["{%p for p in parties %}",
              "{{ p.name.it_start }}, {{ p.legal_form.it }}, con sede in {{ p.seat.it }}, {{ p.represented.it }} da "
              "{{ p.representative.name.it }}, in qualità di {{ p.representative.role.it }}, "
              "{{ p.representative.acting.it }} dei necessari poteri {{ p.representative.basis.it }}{{ p.sep.it }}",
              "{%p endfor %}",
              "di seguito denominate congiuntamente «le Parti» e singolarmente «la Parte»,"],
             ["{%p for p in parties %}",
              "{{ p.name.ru }}, {{ p.legal_form.ru }}, место нахождения: {{ p.seat.ru }}, в лице "
              "{{ p.representative.role.ru_gen }} {{ p.representative.name.ru_gen }}, "
              "{{ p.representative.acting.ru }} {{ p.representative.basis.ru }}{{ p.sep.ru }}",
              "{%p endfor %}",
              "далее совместно именуемые «Стороны», а по отдельности – «Сторона»,"])
    body.row(["premesso che:",
              "– le Parti partecipano ai lavori {{ ordinal.it_della }} sessione della Task Force italo-russa sui "
              "distretti industriali e le piccole e medie imprese ({{ session_place.it }});",
              "{%p for r in premises %}", "– {{ r.it }};", "{%p endfor %}",
              agreed_it],
             ["принимая во внимание, что:",
              "– Стороны участвуют в работе {{ ordinal.ru }} заседания Российско-итальянской рабочей группы по "
              "промышленным округам и малым и средним предприятиям ({{ session_place.ru }});",
              "{%p for r in premises %}", "– {{ r.ru }};", "{%p endfor %}",
              agreed_ru])


def _signature_rows(body):
    """Per party: whom the signature binds (both languages), one signature line across both columns, then
    the signatory's name and title. Every paragraph of these rows is kept with the next, as is the closing
    formula before them: the formula and all the signature blocks stay together on one page (a party's
    block alone on the last page is no signature of the text above it)."""
    body.tag_row("{%tr for p in parties %}")
    body.row([("Per {{ p.name.it_def }}", {"bold": True, "keep": True, "space_before": 18})],
             [("За {{ p.name.ru_acc }}", {"bold": True, "keep": True, "space_before": 18})], center=True)
    body.spanning_row(SIGNATURE_LINE, center=True, keep=True)
    body.row(["{{ p.representative.name.it }}", "{{ p.representative.signature_role.it }}"],
             ["{{ p.representative.name.ru }}", "{{ p.representative.signature_role.ru }}"], center=True, keep=True)
    body.tag_row("{%tr endfor %}")


def _closing_row(body):
    body.row(["Fatto {{ place.it_at }} {{ signed_on.it }} {{ originals.it }}, ciascuno {{ languages.it }}, "
              "entrambi i testi facenti ugualmente fede."],
             ["Совершено в г.\u00a0{{ place.ru_pre }} {{ signed_on.ru }} {{ originals.ru }}, каждый "
              "{{ languages.ru }}, причем оба текста имеют одинаковую силу."], keep=True)


def _article(body, number, title_it, title_ru, it_lines, ru_lines):
    body.row([(f"Articolo {number} – {title_it}", {"bold": True})] + it_lines,
             [(f"Статья {number}. {title_ru}", {"bold": True})] + ru_lines)


def agreement():
    doc = new_document("Accordo di cooperazione / Соглашение о сотрудничестве")
    body = Bilingual(doc)
    _agreement_opening(body, "ACCORDO DI COOPERAZIONE", "СОГЛАШЕНИЕ О СОТРУДНИЧЕСТВЕ",
                       "tutto ciò premesso, le Parti convengono quanto segue:",
                       "заключили настоящее Соглашение о нижеследующем:")
    _article(body, 1, "Oggetto", "Предмет Соглашения",
             ["Oggetto del presente Accordo è {{ subject.it }}."],
             ["Предметом настоящего Соглашения является {{ subject.ru }}."])
    _article(body, 2, "Impegni delle Parti", "Обязательства Сторон",
             ["Le Parti si impegnano a:", "{%p for c in commitments %}",
              "– {{ c.it }}{% if loop.last %}.{% else %};{% endif %}", "{%p endfor %}"],
             ["Стороны обязуются:", "{%p for c in commitments %}",
              "– {{ c.ru }}{% if loop.last %}.{% else %};{% endif %}", "{%p endfor %}"])
    _article(body, 3, "Durata", "Срок действия",
             ["Il presente Accordo entra in vigore alla data della firma e ha una durata di {{ duration.it }}, "
              "rinnovabile per iscritto."],
             ["Настоящее Соглашение вступает в силу с даты подписания и действует в течение {{ duration.ru_gen }} "
              "с возможностью продления в письменной форме."])
    _article(body, 4, "Riservatezza", "Конфиденциальность",
             ["Le Parti mantengono riservate le informazioni ricevute in esecuzione del presente Accordo e non "
              "le comunicano a terzi senza il consenso scritto {{ consent.it }}."],
             ["Стороны сохраняют конфиденциальность информации, полученной при исполнении настоящего "
              "Соглашения, и не передают ее третьим лицам без письменного согласия {{ consent.ru }}."])
    _article(body, 5, "Legge applicabile", "Применимое право",
             ["{{ governing_law.it }}"], ["{{ governing_law.ru }}"])
    _article(body, 6, "Controversie", "Разрешение споров",
             ["{{ disputes.it }}"], ["{{ disputes.ru }}"])
    _article(body, 7, "Lingue", "Языки",
             ["Il presente Accordo è redatto {{ languages.it }}; i due testi fanno ugualmente fede."],
             ["Настоящее Соглашение составлено {{ languages.ru }}; оба текста имеют одинаковую силу."])
    _closing_row(body)
    _signature_rows(body)
    return doc


def memorandum():
    doc = new_document("Memorandum d’intesa / Меморандум о взаимопонимании")
    body = Bilingual(doc)
    _agreement_opening(body, "MEMORANDUM D’INTESA", "МЕМОРАНДУМ О ВЗАИМОПОНИМАНИИ",
                       "tutto ciò premesso, le Parti hanno raggiunto la seguente intesa:",
                       "пришли к следующему взаимопониманию:")
    _article(body, 1, "Oggetto", "Предмет Меморандума",
             ["Il presente Memorandum ha per oggetto {{ subject.it }}."],
             ["Предметом настоящего Меморандума является {{ subject.ru }}."])
    _article(body, 2, "Ambiti di collaborazione", "Направления сотрудничества",
             ["Le Parti intendono:", "{%p for c in commitments %}",
              "– {{ c.it }}{% if loop.last %}.{% else %};{% endif %}", "{%p endfor %}"],
             ["Стороны намерены:", "{%p for c in commitments %}",
              "– {{ c.ru }}{% if loop.last %}.{% else %};{% endif %}", "{%p endfor %}"])
    _article(body, 3, "Natura del Memorandum", "Характер Меморандума",
             ["Il presente Memorandum esprime la comune volontà delle Parti, non crea obblighi giuridicamente "
              "vincolanti né diritti per le Parti e non comporta oneri finanziari. Eventuali impegni saranno "
              "oggetto di accordi separati."],
             ["Настоящий Меморандум выражает общее намерение Сторон, не создает для Сторон юридически "
              "обязательных прав и обязанностей и не влечет финансовых обязательств. Конкретные обязательства "
              "оформляются отдельными соглашениями."])
    _article(body, 4, "Durata", "Срок действия",
             ["Il presente Memorandum ha effetto dalla data della firma per {{ duration.it }}."],
             ["Настоящий Меморандум действует с даты подписания в течение {{ duration.ru_gen }}."])
    _article(body, 5, "Lingue", "Языки",
             ["Il presente Memorandum è redatto {{ languages.it }}; i due testi fanno ugualmente fede."],
             ["Настоящий Меморандум составлен {{ languages.ru }}; оба текста имеют одинаковую силу."])
    _closing_row(body)
    _signature_rows(body)
    return doc


BUILDERS = {"protocol": protocol, "agreement": agreement, "memorandum": memorandum}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", nargs="?", default=str(Path(__file__).resolve().parent.parent / "templates"))
    parser.add_argument("--force", action="store_true", help="overwrite existing templates (loses Word edits)")
    args = parser.parse_args(argv)
    outdir = Path(args.outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    for name, build in BUILDERS.items():
        target = outdir / f"{name}.docx"
        if target.exists() and not args.force:
            print(f"{target} exists; not replaced (give --force to overwrite it)", file=sys.stderr)
            continue
        build().save(target)
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
