"""The drafts the index's bilingual term table learns from (pipeline/index/terms.py): each draft of the register,
its Italian and Russian paragraphs in order (one .docx each). Here, not in the index stage: reading a draft
loads drafting and python-docx, which a search never needs."""
from __future__ import annotations

from ..drafting.docx import text_by_language
from ..drafting.register import entries
from ..index.terms import DraftText
from ..workspace import Workspace


def parallel_drafts(ws: Workspace) -> list[DraftText]:
    """Every draft of the register (each .docx once) as parallel paragraphs; a damaged or missing file is
    left out (the others still teach)."""
    done, drafts = set(), []
    for entry in entries(ws):
        path = ws.home / entry.file
        if entry.file in done or not path.is_file():
            continue
        done.add(entry.file)
        try:
            texts = text_by_language(path)
        except Exception:  # noqa: BLE001 - python-docx raises anything on a damaged file; it teaches nothing
            continue
        drafts.append(DraftText(entry.reference, entry.confidentiality, texts["it"], texts["ru"]))
    return drafts


def drafts_of(ws: Workspace):
    """What index.rebuild and index.update_documents call, under the index's lock, for the drafts."""
    return lambda: parallel_drafts(ws)
