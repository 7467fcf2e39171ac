"""How large a page's image may be: the pixels of a page are its size in inches times the resolution, squared.

A PDF page can be 200 × 200 inches (14,400 points, the format's limit), and rendered at the web page's 110
dpi that is 22,000 × 22,000 pixels: 1.9 GB of memory for one blank page. The web page's images
(pipeline/web/previews.py) are made at PAGE_DPI up to MAX_PAGE_PIXELS, and at a lower resolution beyond;
ingest (pipeline/pdf/text.py) warns about such a page, so that the archivist knows its image will be coarse.
"""
from __future__ import annotations

import math

POINTS_PER_INCH = 72.0
PAGE_DPI = 110                    # an A4 page is 910 x 1286 pixels: readable on a phone, 50-200 KB
MAX_PAGE_PIXELS = 12_000_000      # an A1 sheet at PAGE_DPI (9.4 million) fits; about 50 MB while rendering


def pixels(width_pt: float, height_pt: float, dpi: float = PAGE_DPI) -> int:
    """The pixels of a page of this size (in points) rendered at ``dpi``."""
    return math.ceil(width_pt / POINTS_PER_INCH * dpi) * math.ceil(height_pt / POINTS_PER_INCH * dpi)


def render_dpi(width_pt: float, height_pt: float) -> float:
    """The resolution the page's image is made at: PAGE_DPI, or less so that it stays within MAX_PAGE_PIXELS."""
    area = max(width_pt, 1.0) / POINTS_PER_INCH * max(height_pt, 1.0) / POINTS_PER_INCH   # square inches
    return min(float(PAGE_DPI), math.floor(math.sqrt(MAX_PAGE_PIXELS / area) * 10) / 10)


def oversized(width_pt: float, height_pt: float) -> bool:
    """Whether the page is beyond the cap at PAGE_DPI (its image is made at a lower resolution)."""
    return pixels(width_pt, height_pt) > MAX_PAGE_PIXELS


def oversize_warning(number: int, width_pt: float, height_pt: float) -> str:
    """Ingest's warning about page ``number``, when it is beyond the cap."""
    return (f"page {number} is {width_pt / POINTS_PER_INCH:.0f} × {height_pt / POINTS_PER_INCH:.0f} inches: "
            f"{pixels(width_pt, height_pt) / 1e6:.0f} million pixels at {PAGE_DPI} dpi, more than the "
            f"{MAX_PAGE_PIXELS / 1e6:.0f} million a page image may have; the web page shows it at "
            f"{render_dpi(width_pt, height_pt):g} dpi")
