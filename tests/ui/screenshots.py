"""Saving screenshots of real widgets for people to look at (the folder is git-ignored)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "screenshots"
SIZES = {"1366x768": (1366, 768), "1920x1080": (1920, 1080)}


def save_screenshots(widget: QWidget, name: str) -> list[Path]:
    """Grab ``widget`` at each common screen size; returns the files written."""
    written = []
    for label, (width, height) in SIZES.items():
        widget.resize(width, height)
        written.append(save_screenshot(widget, f"{name}-{label}"))
    return written


def save_screenshot(widget: QWidget, name: str) -> Path:
    """Grab ``widget`` at its present size (dialogs keep their own)."""
    SCREENSHOT_DIR.mkdir(exist_ok=True)
    widget.show()
    QApplication.processEvents()  # let queued layout and show events land before grabbing
    path = SCREENSHOT_DIR / f"{name}.png"
    assert widget.grab().save(str(path)), f"could not save {path}"
    return path
