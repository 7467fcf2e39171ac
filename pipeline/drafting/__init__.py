"""Stage 2, drafting: the Protocol and private agreements rendered from .docx templates, Italian and Russian
side by side, each render a new version recorded in the drafts register (drafts/register.jsonl).

    contexts        what each template is rendered with (both languages; Russian in the case needed)
    russian, forms  Russian case forms (pymorphy3 and rules), and the record of every derived form
    legal_text      Italian articles and elision, durations, the treaty formulas
    agreements      the agreement data file, validated
    docx            docxtpl rendering, text by language, LibreOffice conversion
    typography      no-break rules and names kept from hyphenation, applied to a rendered body
    render          the next version of a draft, written and registered under a lock
    versions        the versions of a reference and the redline between two
    approve         an existing version approved as final, or made into PDFs, without rendering it again
    wordfile        a version's .docx stamped for a new version (the draft mark off), its other layout
    wordimport      a .docx edited in Word taken back as the next version, after its checks
    template_check  the templates in use and their check
    register        the drafts register and its entries (DraftEntry)
"""
from .contexts import EXAMPLE_DATA, TEMPLATE_NAMES, TEMPLATE_VARIABLES
from .forms import require_confirmed_forms, unconfirmed_forms
from .docx import template_variables
from .render import render_agreement, render_protocol
from .template_check import check_template, list_templates, sample_context
from .versions import diff_drafts, draft_versions, list_drafts, show_draft

__all__ = ["EXAMPLE_DATA", "TEMPLATE_NAMES", "TEMPLATE_VARIABLES", "template_variables", "render_agreement",
           "render_protocol", "check_template", "list_templates", "sample_context", "diff_drafts",
           "draft_versions", "list_drafts", "show_draft", "require_confirmed_forms", "unconfirmed_forms"]
