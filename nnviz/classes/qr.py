"""The join link as a QR code big enough to scan from the back of a classroom.

A phone camera resolves a QR module when it covers a few pixels of its sensor; from ~10 m that
means modules of ~1 cm on the wall. So the symbol uses medium error correction (M, 15 % of it may
be unreadable: glare, a pointer, a head in the way) and a 4-module quiet zone, and is drawn large:
the PNG is at least `min_pixels` wide with whole-pixel modules (no blur when a projector scales
it), the SVG has no fixed size so the page can stretch it to the full column.
"""

from __future__ import annotations

import io
import math
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import segno

from nnviz.classes.codes import normalize_code
from nnviz.classes.errors import ClassError

BORDER = 4
ERROR_CORRECTION = "m"
LINK_MAX = 1000


def join_link(page_url: str, code: str) -> str:
    """The Class page's URL with `?class=CODE` (other query parameters kept, `class` replaced)."""
    code = normalize_code(code)
    if not isinstance(page_url, str) or not page_url.startswith(("http://", "https://")):
        raise ClassError(f"the join link needs the app's http(s) address, got {page_url!r}")
    parts = urlsplit(page_url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "class"] + [("class", code)]
    return urlunsplit(parts._replace(query=urlencode(query), fragment=""))


def join_qr(link: str) -> segno.QRCode:
    """The QR symbol of `link` (medium error correction, the smallest version that fits)."""
    if not isinstance(link, str) or not 0 < len(link) <= LINK_MAX:
        raise ClassError(f"a QR code here holds a link of 1 to {LINK_MAX} characters")
    return segno.make(link, error=ERROR_CORRECTION, micro=False, boost_error=False)


def join_qr_png(link: str, *, min_pixels: int = 800) -> bytes:
    """A PNG of the QR code, black on white, at least `min_pixels` (100–4000) wide."""
    if isinstance(min_pixels, bool) or not isinstance(min_pixels, int):
        raise ClassError(f"the QR code's width is a whole number of pixels, got {min_pixels!r}")
    if not 100 <= min_pixels <= 4000:
        raise ClassError(f"the QR code is 100 to 4000 pixels wide, not {min_pixels}")
    symbol = join_qr(link)
    modules = symbol.symbol_size(border=BORDER)[0]
    out = io.BytesIO()
    symbol.save(out, kind="png", scale=math.ceil(min_pixels / modules), border=BORDER)
    return out.getvalue()


def join_qr_svg(link: str) -> bytes:
    """An SVG of the QR code without width/height, so it scales to its container."""
    out = io.BytesIO()
    join_qr(link).save(out, kind="svg", border=BORDER, omitsize=True, xmldecl=False)
    return out.getvalue()
