"""One look for every desk: Fusion (the same on Windows, Linux and the offscreen test platform),
a calm palette, the bundled font, and a few rules for buttons, tabs and table headers."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from ui.fonts import install_bundled_fonts
from ui.translations import install_qt_translations

# Sizes follow the user's text size (ui/text_size.py): style_sheet() fills TAB_PT and BUTTON_PX
# per scale (a button's min-height becomes its minimum size: unscaled, it cut 特大 labels).
_SHEET = """
QTabWidget#desks > QTabBar::tab { padding: 7px 18px; font-size: TAB_PT; }
QTabWidget#desks > QTabBar::tab:selected { font-weight: bold; color: #0d47a1; }
QPushButton { padding: 4px 12px; min-height: BUTTON_PX; }
QPushButton[primary="true"] {
    background: #1565c0; color: white; border: 1px solid #0d47a1; border-radius: 3px;
}
QPushButton[primary="true"]:disabled { background: #90a4ae; border-color: #78909c; }
QPushButton[danger="true"] { color: #b3261e; }
QHeaderView::section {
    background: #eef2f7; padding: 4px 6px; border: 0;
    border-right: 1px solid #d0d7e2; border-bottom: 1px solid #d0d7e2;
}
QGroupBox { font-weight: bold; margin-top: 14px; }
QGroupBox::title { subcontrol-origin: margin; left: 8px; padding: 0 4px; }
QStatusBar QLabel { padding: 0 8px; }
"""


def style_sheet(scale: float = 1.0) -> str:
    """The application's style sheet with its point sizes times ``scale`` (the text size)."""
    sizes = {"TAB_PT": f"{11 * scale:.1f}pt", "BUTTON_PX": f"{round(22 * scale)}px"}
    sheet = _SHEET
    for name, value in sizes.items():
        sheet = sheet.replace(name, value)
    return sheet


STYLE_SHEET = style_sheet()


def apply_style(app: QApplication) -> str:
    """Fonts, style, sheet and Qt's Chinese translations; returns the font family."""
    install_qt_translations(app)
    family = install_bundled_fonts(app)
    app.setStyle("Fusion")
    app.setStyleSheet(STYLE_SHEET)
    return family
