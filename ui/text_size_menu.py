"""视图 › 字号: the signed-in user picks 标准 / 较大 / 特大 for themselves.

The choice shows at once on every open window (``ui.text_size.apply_text_size``) and is saved
for this user on the writer thread (``app.accounts.preferences.set_text_size``); the next
sign-in starts with it. A save that fails says so in the status bar; the size stays for this
sitting.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QStatusBar, QWidget

from app.accounts.preferences import TextSize, set_text_size
from app.errors import AppError
from ui.desk_base import DeskEnv
from ui.text_size import apply_text_size

__all__ = ["TextSizeMenu"]


class TextSizeMenu(QMenu):
    """One checkable action per size (objectName ``textSize_<value>``)."""

    def __init__(
        self, env: DeskEnv, current: TextSize, status: QStatusBar, parent: QWidget | None = None
    ) -> None:
        super().__init__("字号(&Z)", parent)
        self.setObjectName("textSizeMenu")
        self.env = env
        self.status = status
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self.size_actions: dict[TextSize, QAction] = {}
        for size in TextSize:
            action = QAction(f"{size.label}（{round(size.scale * 100)}%）", self)
            action.setObjectName(f"textSize_{size.value}")
            action.setCheckable(True)
            action.setChecked(size is current)
            action.triggered.connect(lambda _=False, s=size: self.choose(s))
            self.group.addAction(action)
            self.addAction(action)
            self.size_actions[size] = action

    def choose(self, size: TextSize) -> None:
        """Show ``size`` everywhere now, then keep it for this user."""
        self.size_actions[size].setChecked(True)
        apply_text_size(size)
        backend = self.env.backend
        self.env.runner.write(
            lambda: backend.run(set_text_size, size.value),
            lambda saved: self.status.showMessage(f"字号已设为“{saved.label}”", 5000),
            self._not_saved,
            owner=self,
            changes_cases=False,
        )

    def _not_saved(self, error: AppError) -> None:
        self.status.showMessage(f"字号未能保存，下次登录仍为原字号：[{error.code}] {error}", 10000)
