"""The dashboard's figure tiles: one button per figure, its value large, its name under it;
clicking one asks for the cases behind it (``chosen``: the figure's name and the tile's title)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.reports.figures import FigureRow


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _days(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} 天"


@dataclass(frozen=True)
class TileSpec:
    title: str
    behind: str  # the FigureRow count whose cases the tile opens
    value: Callable[[FigureRow], str]
    hint: str  # the tooltip: what the figure counts
    alarm: bool = False  # drawn red when not zero


def _count(name: str) -> Callable[[FigureRow], str]:
    return lambda row: str(getattr(row, name))


def _tile(
    title: str,
    behind: str,
    hint: str,
    value: Callable[[FigureRow], str] | None = None,
    *,
    alarm: bool = False,
) -> TileSpec:
    return TileSpec(title, behind, value or _count(behind), hint, alarm)


TILES = (
    _tile("收件量", "received", "期间内收件（代办件到窗口收件亦计）"),
    _tile("受理量", "accepted", "期间内受理，含容缺受理"),
    _tile("不予受理", "refused", "期间内不予受理"),
    _tile("一次性告知", "supplement_requests", "期间内一次性告知补正（每次告知计一次）"),
    _tile("办结量", "decided", "期间内办结（作出决定）"),
    _tile(
        "办结率",
        "decided",
        "办结量 ÷ 受理量；点击列出办结的办件",
        lambda r: _percent(r.completion_rate),
    ),
    _tile(
        "按期办结率",
        "decided_on_time",
        "按期办结 ÷ 办结量；点击列出按期办结的办件",
        lambda r: _percent(r.on_time_rate),
    ),
    _tile(
        "平均办理用时",
        "decided",
        "受理至办结的工作日，按办结件平均",
        lambda r: _days(r.average_working_days),
    ),
    _tile("逾期", "overdue", "截至今天已超过承诺办结日（计时中的办件）", alarm=True),
    _tile("临近到期", "nearly_due", "今天或预警工作日内到期"),
    _tile("收件超时", "watchdog", "收件超过5个工作日仍未受理、不予受理或告知", alarm=True),
    _tile("容缺待补", "deficiency_pending", "容缺受理、材料尚未补齐"),
    _tile(
        "满意度",
        "rated",
        "（非常满意 + 满意）÷ 评价数；点击列出期间内的评价",
        lambda r: _percent(r.satisfaction),
    ),
    _tile("差评未办结", "bad_open", "期间内差评中整改尚未办结的"),
    _tile("差评已办结", "bad_closed", "期间内差评中整改已办结的"),
    _tile("差评整改逾期", "bad_overdue", "截至今天整改超过期限的差评", alarm=True),
)
PER_ROW = 8

_STYLE = (
    "QPushButton#{name} {{ background: {bg}; border: 1px solid #c8d1dc; border-radius: 4px;"
    " padding: 4px 2px; text-align: center; }}"
    " QPushButton#{name}:hover {{ border-color: #1a4f8b; }}"
)


class Tile(QPushButton):
    """A figure: its value over its title; the button's text is both, for screen readers."""

    def __init__(self, spec: TileSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.setObjectName(f"tile_{spec.title}")
        self.setAccessibleName(spec.title)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(f"{spec.hint}\n点击列出这些办件")
        layout = QVBoxLayout(self)
        self._layout = layout
        layout.setContentsMargins(2, 3, 2, 3)
        layout.setSpacing(0)
        self.number = QLabel("…")
        self.number.setObjectName("tileValue")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.number.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.number.setFont(font)
        self.caption = QLabel(spec.title)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for label in (self.number, self.caption):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(label)
        self._paint(alarm=False)

    def sizeHint(self) -> QSize:  # noqa: N802 — a button sized by its two labels, not its text
        return self._layout.sizeHint().expandedTo(QSize(96, 0))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self._layout.minimumSize()

    def show_row(self, row: FigureRow) -> None:
        value = self.spec.value(row)
        self.number.setText(value)
        self.setAccessibleName(f"{self.spec.title} {value}")
        self._paint(alarm=self.spec.alarm and value not in ("0", "—"))

    @property
    def value(self) -> str:
        return self.number.text()

    def _paint(self, *, alarm: bool) -> None:
        self.setStyleSheet(
            _STYLE.format(name=self.objectName(), bg="#fbe3e1" if alarm else "#f4f7fb")
        )
        self.number.setStyleSheet("color: #b3261e;" if alarm else "color: #0d47a1;")


class TileGrid(QWidget):
    """Every figure tile, ``PER_ROW`` to a row. ``chosen`` carries the tile's spec."""

    chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardTiles")
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.tiles: dict[str, Tile] = {}
        for n, spec in enumerate(TILES):
            tile = Tile(spec)
            tile.clicked.connect(lambda _=False, s=spec: self.chosen.emit(s))
            layout.addWidget(tile, n // PER_ROW, n % PER_ROW)
            self.tiles[spec.title] = tile

    def show_row(self, row: FigureRow) -> None:
        for tile in self.tiles.values():
            tile.show_row(row)
