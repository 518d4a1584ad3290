"""The bundled CJK font, registered with reportlab once, on first use.

reportlab's ``TTFont`` embeds only the glyphs a document uses (a subset) and writes a ToUnicode
map, so the PDF renders in a viewer with no Chinese fonts and its text can be searched and copied.
"""

from __future__ import annotations

import threading

from app.system.paths import fonts_dir

REGULAR = "NotoSansSC"
BOLD = "NotoSansSC-Bold"

_lock = threading.Lock()
_registered: list[bool] = []  # non-empty once registered


def register_fonts() -> None:
    """Register the regular and bold faces (idempotent, thread-safe)."""
    with _lock:
        if _registered:
            return
        from reportlab import rl_config
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        folder = fonts_dir()
        pdfmetrics.registerFont(TTFont(REGULAR, str(folder / "NotoSansSC-Regular.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(folder / "NotoSansSC-Bold.ttf")))
        addMapping(REGULAR, 0, 0, REGULAR)
        addMapping(REGULAR, 1, 0, BOLD)
        addMapping(REGULAR, 0, 1, REGULAR)
        addMapping(REGULAR, 1, 1, BOLD)
        # Binary streams as they are (zlib only), not also ASCII85: a quarter smaller, quicker.
        rl_config.useA85 = 0
        _registered.append(True)
