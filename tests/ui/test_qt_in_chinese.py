"""Qt's own words are Chinese: the standard buttons, a text field's right-click menu and the
print dialog the app opens, from Qt's zh_CN catalogue (ui/translations.py)."""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from tests.ui.screenshots import save_screenshot
from ui.translations import install_qt_translations


def test_the_catalogue_is_found_and_chinese_is_the_default_locale(qapp: QApplication) -> None:
    assert install_qt_translations(qapp) == ["qtbase_zh_CN"]
    assert QLocale().name() == "zh_CN"
    assert QLocale().dayName(1) == "星期一"


def test_a_text_fields_right_click_menu_is_chinese(qtbot: QtBot) -> None:
    field = QLineEdit("张三")
    qtbot.addWidget(field)
    menu = field.createStandardContextMenu()
    words = [action.text().split("\t")[0] for action in menu.actions() if action.text()]
    assert words == ["撤消(&U)", "重做(&R)", "剪切(&T)", "复制(&C)", "粘贴(&P)", "删除", "全选"]


def test_the_standard_buttons_are_chinese(qtbot: QtBot) -> None:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok
        | QDialogButtonBox.StandardButton.Cancel
        | QDialogButtonBox.StandardButton.Save
    )
    qtbot.addWidget(buttons)
    assert {button.text() for button in buttons.buttons()} == {"确定", "取消", "保存"}


def test_the_print_dialog_is_chinese(qtbot: QtBot) -> None:
    printer = QPrinter()  # held here: the dialog does not own it
    dialog = QPrintDialog(printer)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    texts = {button.text() for button in dialog.findChildren(QPushButton)}
    assert {"打印(&P)", "取消", "属性(&R)"} <= texts, texts
    save_screenshot(dialog, "qt-print-dialog-zh")
