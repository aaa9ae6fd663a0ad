"""Status badges drawn by Accord itself (no badge service): shields.io's "flat" look, label on grey, status on
the status colour, text measured with Verdana 11px advance widths so the boxes fit the words."""

from __future__ import annotations

import unicodedata
from typing import Literal
from xml.sax.saxutils import escape, quoteattr

import msgspec

BadgeColor = Literal["brightgreen", "red", "orange", "yellow", "lightgrey"]

COLORS: dict[BadgeColor, str] = {
    "brightgreen": "#4c1",
    "red": "#e05d44",
    "orange": "#fe7d37",
    "yellow": "#dfb317",
    "lightgrey": "#9f9f9f",
}


class Badge(msgspec.Struct, frozen=True, kw_only=True):
    label: str
    status: str
    color: BadgeColor
    detail: str | None = None  # said in the title (tooltip, screen readers), e.g. why the status is unknown


# Advance widths of printable ASCII in Verdana at 11px (space to tilde), as shields.io measures them.
_ASCII_WIDTHS = (
    3.87, 4.33, 5.05, 9.0, 7.0, 11.84, 7.99, 2.95, 4.99, 4.99, 7.0, 9.0, 4.0, 4.99, 4.0, 4.99,
    7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 4.99, 4.99, 9.0, 9.0, 9.0, 6.0,
    11.0, 7.52, 7.54, 7.68, 8.48, 6.96, 6.32, 8.53, 8.27, 4.63, 5.0, 7.62, 6.12, 9.27, 8.23, 8.66,
    6.63, 8.66, 7.65, 7.52, 6.78, 8.05, 7.52, 10.87, 7.54, 6.77, 7.54, 4.99, 4.99, 4.99, 9.0, 7.0,
    7.0, 6.61, 6.85, 5.73, 6.85, 6.55, 3.87, 6.85, 6.96, 3.02, 3.79, 6.51, 3.02, 10.7, 6.96, 6.68,
    6.85, 6.85, 4.69, 5.73, 4.33, 6.96, 6.51, 9.0, 6.51, 6.51, 5.78, 6.98, 4.99, 6.98, 9.0,
)  # fmt: skip
_WIDE = 11.0  # CJK and other full-width characters take about one em
_OTHER = 7.0  # everything else: about an average Latin letter
_PADDING = 10.0
_HEIGHT = 20


def text_width(text: str) -> float:
    width = 0.0
    for char in text:
        code = ord(char)
        if 32 <= code <= 126:
            width += _ASCII_WIDTHS[code - 32]
        elif unicodedata.combining(char) or unicodedata.category(char) in ("Cc", "Cf"):
            continue
        else:
            width += _WIDE if unicodedata.east_asian_width(char) in ("W", "F") else _OTHER
    return width


def _clean(text: str) -> str:
    """Characters XML 1.0 can't carry at all (controls) are dropped; the rest is escaped where written."""
    return "".join(char for char in text if char in "\t\n\r" or ord(char) >= 32)


def _text(x: float, text: str, width: float) -> str:
    value = escape(text)
    length = f"{width:.1f}"
    return (
        f'<text x="{x:.1f}" y="15" fill="#010101" fill-opacity=".3" textLength="{length}">{value}</text>'
        f'<text x="{x:.1f}" y="14" textLength="{length}">{value}</text>'
    )


def render_badge(badge: Badge) -> str:
    label, status = _clean(badge.label), _clean(badge.status)
    label_text, status_text = text_width(label), text_width(status)
    label_box, status_box = label_text + _PADDING, status_text + _PADDING
    total = label_box + status_box
    title = f"{label}: {status}" + (f" ({_clean(badge.detail)})" if badge.detail else "")
    color = COLORS[badge.color]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total:.1f}" height="{_HEIGHT}" role="img" '
        f"aria-label={quoteattr(title)}>"
        f"<title>{escape(title)}</title>"
        '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/>'
        '<stop offset="1" stop-opacity=".1"/></linearGradient>'
        f'<clipPath id="r"><rect width="{total:.1f}" height="{_HEIGHT}" rx="3" fill="#fff"/></clipPath>'
        f'<g clip-path="url(#r)"><rect width="{label_box:.1f}" height="{_HEIGHT}" fill="#555"/>'
        f'<rect x="{label_box:.1f}" width="{status_box:.1f}" height="{_HEIGHT}" fill="{color}"/>'
        f'<rect width="{total:.1f}" height="{_HEIGHT}" fill="url(#s)"/></g>'
        '<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" '
        'text-rendering="geometricPrecision" font-size="11">'
        + _text(label_box / 2, label, label_text)
        + _text(label_box + status_box / 2, status, status_text)
        + "</g></svg>"
    )
