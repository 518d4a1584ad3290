"""管理 › 中心设置: the centre's name, codes, lockout and warning thresholds. Saved all at once
(``app.settings_service``): a bad value is refused naming its field and nothing is written."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import settings
from app.divisions.policy import OutOfCounty
from app.errors import AppError, ValidationError
from app.idcard.config import READER_KINDS
from app.settings.service import EDITABLE, SettingValue, read_settings, save_settings
from ui.desk_base import Desk

# Camel-case object names and hints, by setting key.
_NAMES = {
    settings.CENTRE_NAME.key: ("settingCentreName", "如 城关镇便民服务中心"),
    settings.TOWN_CODE.key: ("settingTownCode", "12位统计用区划代码"),
    settings.WORKSTATION_CODE.key: ("settingWorkstationCode", "如 W01（收件号的一部分）"),
    settings.LOCKOUT_MAX_FAILURES.key: ("settingLockoutMaxFailures", ""),
    settings.LOCKOUT_MINUTES.key: ("settingLockoutMinutes", ""),
    settings.IDLE_LOCK_MINUTES.key: ("settingIdleLockMinutes", ""),
    settings.YELLOW_AT_WORKING_DAYS.key: ("settingYellowAtWorkingDays", ""),
    settings.COMPLAINT_PHONE.key: ("settingComplaintPhone", "如 12345"),
    settings.RECTIFY_DAYS.key: ("settingRectifyDays", ""),
    settings.PROGRESS_URL.key: ("settingProgressUrl", "县级进度查询页网址；留空则不印二维码"),
    settings.OUT_OF_COUNTY_CODES.key: ("settingOutOfCountyCodes", ""),
    settings.IDCARD_READER.key: ("settingIdcardReader", ""),
    settings.IDCARD_SIMULATOR_FILE.key: ("settingIdcardSimulatorFile", "留空：内置演示卡片"),
    settings.IDCARD_SIMULATOR_PORT.key: ("settingIdcardSimulatorPort", ""),
    settings.IDCARD_SDK_LIBRARY.key: ("settingIdcardSdkLibrary", "如 C:\\读卡器\\termb.dll"),
    settings.IDCARD_SDK_PORT.key: ("settingIdcardSdkPort", ""),
}
#: The ID-card reader's settings have their own box (this workstation's hardware).
_READER_KEYS = frozenset(key for key in _NAMES if key.startswith("idcard_"))
_PATHS = frozenset({settings.IDCARD_SIMULATOR_FILE.key, settings.IDCARD_SDK_LIBRARY.key})
_SPIN_MAX = 100_000  # the use case states the real range; the box only keeps out letters


class SettingsPane(QWidget):
    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.setObjectName("adminSettings")
        self.desk = desk
        self.editors: dict[str, QLineEdit | QSpinBox | QComboBox] = {}
        self._labels: dict[str, str] = {}
        box = QGroupBox("中心名称与设置")
        box.setMaximumWidth(760)
        form = QFormLayout(box)
        reader_box = QGroupBox("身份证阅读器（本工作站）")
        reader_box.setObjectName("readerSettings")
        reader_box.setMaximumWidth(760)
        reader_form = QFormLayout(reader_box)
        for option in EDITABLE:
            name, hint = _NAMES[option.key]
            editor: QLineEdit | QSpinBox | QComboBox
            if option.key == settings.IDCARD_READER.key:
                editor = QComboBox()
                for kind, text in READER_KINDS.items():
                    editor.addItem(text, kind)
                editor.setMaximumWidth(260)
            elif option.key == settings.OUT_OF_COUNTY_CODES.key:
                editor = QComboBox()
                for rule in OutOfCounty:
                    editor.addItem(rule.label, rule.value)
                editor.setMaximumWidth(260)
                editor.setToolTip("表单中填写的区划代码不属于本中心所在县时")
            elif isinstance(option.default, int):
                editor = QSpinBox()
                editor.setRange(0, _SPIN_MAX)
                editor.setMaximumWidth(140)
            else:
                editor = QLineEdit()
                editor.setPlaceholderText(hint)
                editor.setMaxLength(260 if option.key in _PATHS else 50)
            editor.setObjectName(name)
            editor.setAccessibleName(option.label)
            editor.setMinimumWidth(120)
            target = reader_form if option.key in _READER_KEYS else form
            target.addRow(f"{option.label}：", editor)
            self.editors[option.key] = editor
            self._labels[option.label] = option.key
        self.save_button = QPushButton("保存设置")
        self.save_button.setObjectName("saveSettingsButton")
        self.save_button.setAccessibleName("保存设置")
        self.save_button.setShortcut(QKeySequence("Ctrl+S"))
        self.save_button.setToolTip("全部校验通过才保存，并记入审计日志（Ctrl+S）")
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton("放弃修改")
        self.revert_button.setObjectName("revertSettingsButton")
        self.revert_button.setAccessibleName("放弃修改")
        self.revert_button.clicked.connect(self.refresh)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)
        note = QLabel(
            "乡镇区划代码和工作站编号组成新收件号的前缀；修改锁定与锁屏设置后，下次登录起生效。"
            "外县区划代码：表单中的区划代码不属于本县时，提醒窗口人员核对（可继续办理），"
            "或不予通过。"
        )
        note.setWordWrap(True)
        note.setObjectName("settingsNote")
        note.setMaximumWidth(760)
        reader_note = QLabel(
            "模拟读卡器仅供演示和测试：卡片文件留空时用内置的虚构演示卡片，本机端口（0为不用）"
            "供脚本放卡。厂商阅读器：填写厂商提供的接口库（termb.dll 一类）路径和端口号"
            "（USB 一般为 1001，串口 COM1 为 1）。"
        )
        reader_note.setWordWrap(True)
        reader_note.setObjectName("readerSettingsNote")
        reader_note.setMaximumWidth(760)
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addWidget(note)
        layout.addWidget(reader_box)
        layout.addWidget(reader_note)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def refresh(self) -> None:
        backend = self.desk.env.backend
        self.desk.env.runner.read(
            lambda: backend.run(read_settings), self._show, self.desk.failed, owner=self
        )

    def _show(self, values: list[SettingValue]) -> None:
        for value in values:
            editor = self.editors[value.key]
            if isinstance(editor, QSpinBox):
                editor.setValue(int(value.value))
            elif isinstance(editor, QComboBox):
                editor.setCurrentIndex(max(editor.findData(value.value), 0))
            else:
                editor.setText(str(value.value))

    def values(self) -> dict[str, Any]:
        return {key: _value(editor) for key, editor in self.editors.items()}

    def save(self) -> None:
        values = self.values()
        backend = self.desk.env.backend
        self.desk.env.runner.write(
            lambda: backend.run(save_settings, values), self._saved, self._refused, owner=self
        )

    def _saved(self, values: list[SettingValue]) -> None:
        self._show(values)
        self.desk.say("设置已保存。")

    def _refused(self, error: AppError) -> None:
        self.desk.failed(error)
        if isinstance(error, ValidationError) and error.field in self._labels:
            editor = self.editors[self._labels[error.field]]
            editor.setFocus()
            if not isinstance(editor, QComboBox):
                editor.selectAll()


def _value(editor: QLineEdit | QSpinBox | QComboBox) -> Any:
    if isinstance(editor, QSpinBox):
        return editor.value()
    if isinstance(editor, QComboBox):
        return editor.currentData()
    return editor.text()
