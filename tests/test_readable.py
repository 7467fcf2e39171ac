"""Readable snippets (pipeline/search/readable.py): one language, whole words, no title, short, marks balanced."""
from hypothesis import given, strategies as st

from pipeline.search.readable import LIMIT, in_language, lead, tidy

MARK = ("**", "**")
PRIVATE = ("\ue000", "\ue001")
BILINGUAL = "Accordo Kama\nНастоящих соглашений подписано три.\nGli accordi sono firmati dalle parti.\n1"


def test_in_language_keeps_the_runs_of_one_script():
    side_by_side = "Le parti convengono quanto segue. Стороны договорились о следующем."
    assert in_language(side_by_side, "it") == "Le parti convengono quanto segue."
    assert in_language(side_by_side, "ru") == "Стороны договорились о следующем."
    assert in_language(BILINGUAL, "ru") == "Настоящих соглашений подписано три."
    assert in_language(BILINGUAL, None) == BILINGUAL


def test_tidy_drops_the_title_and_joins_fragments():
    found = "**Accordo** quadro Bergamo La città di Bergamo ospita la sessione … **Accordo** quadro sulla cooperazione"
    assert tidy(found, MARK, "Accordo quadro Bergamo") == \
        "La città di Bergamo ospita la sessione … **Accordo** quadro sulla cooperazione"
    assert tidy("\ue000Accordo quadro\ue001 Bergamo. Il resto", PRIVATE, "Accordo quadro Bergamo") == "Il resto"
    assert tidy("**Accordo** Kama", MARK, "Accordo Kama") == "**Accordo** Kama"          # all there is: kept


def test_tidy_cuts_at_a_word_and_keeps_marks_balanced():
    words = " ".join(f"parola{n}" for n in range(80))
    out = tidy(f"inizio **match** {words} … second **one**", MARK, None)
    assert len(out.replace("**", "")) <= LIMIT + 1 and out.endswith("…") and out.count("**") % 2 == 0
    assert out[:-1].split()[-1].startswith("parola") and out[:-1].split()[-1][6:].isdigit()
    cut = tidy("**" + "x" * 10 + " " + "y" * 300 + "**", MARK, None, limit=50)
    assert cut.count("**") % 2 == 0


def test_lead_is_the_start_of_the_text_in_one_language_without_the_title():
    assert lead(BILINGUAL, "Accordo Kama", "it") == "Gli accordi sono firmati dalle parti."
    assert lead("x " * 400, None).endswith("…") and len(lead("x " * 400, None)) <= LIMIT + 1


@given(st.text(alphabet=st.sampled_from(list("ab эю*\n.…")), max_size=600),
       st.sampled_from([None, "ab", "эю"]))
def test_tidy_never_grows_and_never_leaves_a_mark_open(text, title):
    out = tidy(text, MARK, title)
    assert out.count("**") % 2 == 0 or text.count("**") % 2
    assert len(out.replace("**", "")) <= LIMIT + len("…")


def test_either_title_is_dropped_from_the_start_of_a_snippet():
    titles = ["Accordo quadro Bergamo", "Рамочное соглашение Бергамо"]
    russian = "Рамочное соглашение Бергамо Стороны договорились о следующем."
    assert lead(russian, titles) == "Стороны договорились о следующем."
    assert tidy("**Рамочное** соглашение Бергамо. Стороны **договорились**", MARK, titles) == "Стороны **договорились**"
    assert lead("Accordo quadro Bergamo. Le parti convengono.", titles) == "Le parti convengono."


def test_a_cut_never_falls_inside_the_marks_nor_doubles_the_ellipsis():
    """Issue 21: "**Accordo** di * …" (a cut inside a matched span) and "di… …" (two ellipses)."""
    span = "**Accordo** di **cooperazione industriale** tra le parti contraenti e i loro aventi causa"
    assert tidy(span, MARK, None, limit=20) == "**Accordo** di…"
    assert tidy(span, MARK, None, limit=40) == "**Accordo** di **cooperazione industriale** tra…"
    # a span that is all there is is closed where it is cut
    assert tidy("**Accordo di cooperazione industriale** e altro", MARK, None, limit=25) == \
        "**Accordo di cooperazione**…"
    # the text's own ellipsis is not doubled, at the end nor before the next fragment
    own = "Il presente **Accordo** entra in vigore alla data della firma e… ha una durata di tre anni"
    assert tidy(own, MARK, None, limit=70) == "Il presente **Accordo** entra in vigore alla data della firma e…"
    assert tidy(own, MARK, None, limit=55) == "Il presente **Accordo** entra in vigore alla data della…"
    assert tidy("firma **e**… … ha una **durata**", MARK, None) == "firma **e** … ha una **durata**"
    # the title taken off a matched span leaves no empty marks
    assert tidy("**Accordo** tra le parti", MARK, "Accordo") == "tra le parti"


@given(st.lists(st.sampled_from(["Accordo", "di", "**cooperazione**", "**Accordo di**", "e…", "…", "10–12", "*"]),
                max_size=80), st.integers(min_value=20, max_value=120))
def test_no_cut_splits_a_span_or_leaves_two_ellipses(words, limit):
    out = tidy(" ".join(words), MARK, None, limit=limit)
    assert out.count("**") % 2 == 0 and "****" not in out
    assert "……" not in out and "… …" not in out.replace(" … ", " | ")
