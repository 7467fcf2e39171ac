"""A small real archive whose signed PDFs were compared with their drafts at ingest, for the search filter
--differs-from-draft, the document page's line and its redline (tests/test_differs.py, the browser test).

The example agreement is drafted as v1 (draft) and v2 (final), the example memorandum as v1 (draft) only;
the "signed" PDFs are reportlab PDFs of their drafts' text (no LibreOffice: fast), some with one real edit
(tests/test_comparison.py's edited_docx). Ingested in this order:

  TFA-000001  public      agreement v2 as drafted             matches final draft v2
  TFA-000002  public      one word changed (Italian)          differs in 1 paragraph (1 Italian)
  TFA-000003  restricted  one paragraph added (Russian)       differs in 1 paragraph (1 Russian)
  TFA-000004  internal    one word changed and one paragraph removed (Italian), one added (Russian)
  TFA-000005  public      memorandum v1 as drafted            matches draft v1 (none is final)
  TFA-000006  public      a letter with no reference          not compared
"""
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.demo.pdfmake import text_to_pdf
from pipeline.drafting.docx import text_by_language
from tests.conftest import ingest_documents
from tests.test_comparison import EXAMPLE, REFERENCE, edited_docx

PASSWORD = "corretta-e-lunga"
MEMORANDUM = "TF25-MOU-001"
LETTER = ("letter.pdf", ["--session", 25, "--type", "letter", "--title", "Lettera senza riferimento",
                         "--signed-on", "2014-11-29"],
          ["Lettera di accompagnamento degli accordi firmati a Bergamo."])


def _run(home: Path, *args, input=None):
    result = CliRunner().invoke(cli, ["--home", str(home), *map(str, args)], input=input)
    assert result.exit_code == 0, result.output
    return result


def signed_pdf(docx: Path, target: Path, footer: str) -> Path:
    """A PDF with the text of ``docx``, Italian column then Russian, and the footer of a signed copy."""
    text = text_by_language(docx)
    return text_to_pdf(target, ["\n\n".join(text["it"]), "\n\n".join(text["ru"])], footer=footer)


def comparison_workspace(root: Path) -> Path:
    home = root / "ws"
    _run(home, "init", "--sample")
    _run(home, "draft", "agreement", 25, EXAMPLE)
    _run(home, "draft", "agreement", 25, EXAMPLE, "--final")
    _run(home, "draft", "agreement", 25, EXAMPLE, "--kind", "memorandum")
    final = home / "drafts" / REFERENCE / f"{REFERENCE}-v2.docx"
    both = edited_docx(edited_docx(final, root / "both.docx", "word"), root / "both.docx", "removed")
    both = edited_docx(both, root / "both.docx", "added")
    footer = f"{REFERENCE} · v2"
    pdfs = [
        (signed_pdf(final, root / "same.pdf", footer), "public"),
        (signed_pdf(edited_docx(final, root / "word.docx", "word"), root / "word.pdf", footer), "public"),
        (signed_pdf(edited_docx(final, root / "added.docx", "added"), root / "added.pdf", footer), "restricted"),
        (signed_pdf(both, root / "both.pdf", footer), "internal"),
        (signed_pdf(home / "drafts" / MEMORANDUM / f"{MEMORANDUM}-v1.docx", root / "mou.pdf", f"{MEMORANDUM} · v1"),
         "public"),
    ]
    for pdf, level in pdfs:
        _run(home, "ingest", pdf, "--confidentiality", level)
    ingest_documents(home, root, [LETTER])
    _run(home, "users", "add", "anna", input=PASSWORD + "\n")
    return home
