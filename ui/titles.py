"""Window titles. The application's display name (一窗通) ends every title: Qt appends the
display name to a window title that does not already end with it (``QPlatformWindow::
formatWindowTitle`` on X11 and Windows), so a title that began with it read 一窗通 twice."""

from __future__ import annotations

APP_NAME = "一窗通"  # QApplication.applicationDisplayName (ui/application.py)


def window_title(*parts: str) -> str:
    """``parts`` then the program's name: "示例县清河镇便民服务中心 — 一窗通"."""
    return " — ".join([*(p for p in parts if p), APP_NAME])
