"""The signed-in user's text size (字号 标准 / 较大 / 特大), applied to the whole application.

``apply_text_size(size)`` makes the application font ``fonts.UI_POINT_SIZE × scale``, sets
the style sheet again with its point sizes times the scale (``ui.style.style_sheet``) and
rescales every live widget whose font has a size of its own (a form's title, the small grey
help lines, the login window's title), every minimum, maximum or fixed size set in pixels (a
sidebar's 230 px, a form's label column) and every table column and row height set in pixels
by the same ratio, so what is on screen follows at once; what is built later starts from the new
application font. The session applies the user's size once the desks are built (the same path
as the menu) and the standard size at sign-out (the login window is everyone's).

``text_scale()`` is the scale in force, for the few places that write a point size into rich
text or a widget's own style sheet (``pt(11)`` → ``"13.8pt"`` at 较大).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractButton, QApplication, QHeaderView, QWidget

from app.accounts.preferences import TextSize
from ui.fonts import UI_POINT_SIZE
from ui.style import style_sheet

__all__ = ["apply_text_size", "pt", "text_scale"]

# QFont::ResolveProperties::SizeResolved: the font's size was set on the widget itself.
_SIZE_RESOLVED = 0x2
_UNBOUNDED = 16777215  # QWIDGETSIZE_MAX

_current = TextSize.STANDARD


def text_scale() -> float:
    return _current.scale


def pt(points: float) -> str:
    """A point size for a style sheet or rich text, times the text size in force."""
    return f"{points * _current.scale:.1f}pt"


def apply_text_size(size: TextSize) -> None:
    """Make ``size`` the text size of every window, at once (nothing happens if it already is)."""
    global _current
    app = QApplication.instance()
    old = _current
    if not isinstance(app, QApplication) or size is old:
        return
    ratio = size.scale / old.scale
    # Read before the new style sheet re-polishes everything (it restores widgets' fonts).
    widgets = app.allWidgets()
    own_fonts = [(w, w.font()) for w in widgets if _own_size(w.font())]
    own_sizes = [(w, w.minimumSize(), w.maximumSize()) for w in widgets if _sized_in_pixels(w)]
    _current = size
    font = app.font()
    font.setPointSizeF(UI_POINT_SIZE * size.scale)
    app.setFont(font)
    app.setStyleSheet(style_sheet(size.scale))
    for widget, own in own_fonts:
        own.setPointSizeF(own.pointSizeF() * ratio)
        widget.setFont(own)
    for widget, least, most in own_sizes:
        widget.setMinimumSize(_times(least.width(), ratio), _times(least.height(), ratio))
        widget.setMaximumSize(_times(most.width(), ratio), _times(most.height(), ratio))
    for widget in widgets:
        if isinstance(widget, QHeaderView):
            _rescale_sections(widget, ratio)


def _own_size(font: QFont) -> bool:
    return bool(font.resolveMask() & _SIZE_RESOLVED) and font.pointSizeF() > 0


# Buttons take their minimum height from the style sheet (scaled with it) and tool buttons are
# Qt's own (a tab bar's arrows); windows are sized by the person using them.
def _sized_in_pixels(widget: QWidget) -> bool:
    """A minimum, maximum or fixed size set in pixels (a sidebar's 230 px, a 140 px editor)."""
    if widget.isWindow() or isinstance(widget, QAbstractButton):
        return False
    least, most = widget.minimumSize(), widget.maximumSize()
    return least.width() > 0 or least.height() > 0 or most != QSize(_UNBOUNDED, _UNBOUNDED)


def _times(pixels: int, ratio: float) -> int:
    return pixels if pixels in (0, _UNBOUNDED) else round(pixels * ratio)


_SIZED_BY_HAND = (QHeaderView.ResizeMode.Interactive, QHeaderView.ResizeMode.Fixed)


def _rescale_sections(header: QHeaderView, ratio: float) -> None:
    """Columns given a width in pixels (a case list's 申请人) and fixed row heights grow with
    the text; stretched and fitted-to-contents sections follow by themselves."""
    if header.orientation() is Qt.Orientation.Vertical:
        header.setDefaultSectionSize(round(header.defaultSectionSize() * ratio))
        return
    for section in range(header.count()):
        if header.sectionResizeMode(section) in _SIZED_BY_HAND and not header.isSectionHidden(
            section
        ):
            header.resizeSection(section, round(header.sectionSize(section) * ratio))
