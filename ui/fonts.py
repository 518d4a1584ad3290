"""The bundled CJK font (Noto Sans SC, OFL) so Chinese renders on a machine with no fonts at all."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from app.system.paths import fonts_dir

FONT_FILES = ("NotoSansSC-Regular.ttf", "NotoSansSC-Bold.ttf")
UI_POINT_SIZE = 10


def install_bundled_fonts(app: QApplication) -> str:
    """Register the bundled fonts and make them the application font; returns the family name."""
    families: list[str] = []
    for name in FONT_FILES:
        font_id = QFontDatabase.addApplicationFont(str(fonts_dir() / name))
        if font_id < 0:
            raise RuntimeError(f"bundled font {name} could not be loaded")
        families.extend(QFontDatabase.applicationFontFamilies(font_id))
    family = families[0]
    font = QFont(family, UI_POINT_SIZE)
    app.setFont(font)
    return family
