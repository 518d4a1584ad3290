"""Qt's own words in Chinese: the standard buttons (确定, 取消), the text fields' right-click menu
(复制, 粘贴), the print and file dialogs. They come from Qt's ``qtbase_zh_CN`` catalogue, which
ships with PySide6 (and with the frozen build, see ``build_scripts/onewindow.spec``)."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

CHINESE = QLocale("zh_CN")
CATALOGUES = ("qtbase",)


def install_qt_translations(app: QApplication) -> list[str]:
    """Make Chinese the default locale (dates, numbers, the calendar's day names) and load Qt's
    Chinese catalogues; returns the names loaded (empty if none was found: Qt's English shows)."""
    QLocale.setDefault(CHINESE)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    loaded: list[str] = []
    for name in CATALOGUES:
        translator = QTranslator(app)  # parented: it lives as long as the application
        if translator.load(CHINESE, name, "_", folder) and app.installTranslator(translator):
            loaded.append(f"{name}_zh_CN")
    return loaded
