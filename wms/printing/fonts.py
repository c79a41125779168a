"""The CJK font label PDFs embed.

Where it comes from, first found wins: the ``LABEL_CJK_FONT`` setting (a TrueType .ttf/.ttc path), then
the Debian/Ubuntu packages ``fonts-wqy-zenhei``, ``fonts-wqy-microhei`` and ``fonts-arphic-uming`` (CI
installs ``fonts-wqy-zenhei``). These have TrueType outlines, which reportlab subsets and embeds; CFF-based
fonts such as Noto CJK cannot be embedded by reportlab and are not used. Without any of them the PDF uses
reportlab's built-in CID font STSong-Light, which is *not* embedded (the viewer must supply it): a warning
is logged once.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask import current_app, has_app_context
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

log = logging.getLogger(__name__)

KNOWN_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",          # Debian/Ubuntu fonts-wqy-zenhei
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",            # Fedora wqy-zenhei-fonts
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",        # Debian/Ubuntu fonts-wqy-microhei
    "/usr/share/fonts/truetype/arphic/uming.ttc",            # Debian/Ubuntu fonts-arphic-uming
)
FALLBACK_CID_FONT = "STSong-Light"


@dataclass(frozen=True)
class CJKFont:
    name: str           # reportlab font name
    embedded: bool
    path: str | None

    @property
    def ascent(self) -> float:
        """Ascent as a fraction of the font size."""
        return pdfmetrics.getAscent(self.name) / 1000


def cjk_font() -> CJKFont:
    """The font for label text, registered with reportlab (see the module docstring for the search)."""
    configured = current_app.config.get("LABEL_CJK_FONT") if has_app_context() else None
    return _find(configured or None)


@lru_cache(maxsize=8)
def _find(configured: str | None) -> CJKFont:
    candidates = ([configured] if configured else []) + list(KNOWN_PATHS)
    for path in candidates:
        font = _load(path)
        if font is not None:
            return font
        if path == configured:
            log.warning("LABEL_CJK_FONT %s is missing or not a TrueType font; trying the system fonts", path)
    log.warning("No CJK TrueType font found (%s); label PDFs use %s, which is not embedded. "
                "Install fonts-wqy-zenhei or set LABEL_CJK_FONT.", ", ".join(KNOWN_PATHS), FALLBACK_CID_FONT)
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_CID_FONT))
    return CJKFont(FALLBACK_CID_FONT, embedded=False, path=None)


def _load(path: str) -> CJKFont | None:
    file = Path(path)
    if not file.is_file():
        return None
    name = "WMS-CJK-" + file.stem
    if name not in pdfmetrics.getRegisteredFontNames():
        try:
            options = {"subfontIndex": 0} if file.suffix.lower() == ".ttc" else {}
            pdfmetrics.registerFont(TTFont(name, str(file), **options))
        except (TTFError, OSError) as exc:
            log.warning("Cannot load font %s: %s", path, exc)
            return None
    return CJKFont(name, embedded=True, path=str(file))
