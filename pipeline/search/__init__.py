"""Stage 5, search: the queries, filters, facets, snippets, suggestions and statistics researchers use,
over the index of stage 4 (pipeline/index), always for one reader (pipeline/access.py)."""
from __future__ import annotations

from .request import SearchRequest
from .run import search
from .stats import chart_png, count_by, count_documents, draw_chart

__all__ = ["SearchRequest", "chart_png", "count_by", "count_documents", "draw_chart", "search"]
