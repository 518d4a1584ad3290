"""Where bundled resources live, in a source checkout, an installed wheel and a frozen build."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    """The ``resources/`` folder shipped beside the packages (or inside a PyInstaller bundle)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"  # app/system/paths.py


def catalog_dir() -> Path:
    return resources_dir() / "catalog"


def calendar_dir() -> Path:
    return resources_dir() / "calendar"


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def default_data_dir() -> Path:
    """The workstation's data directory: per-user application data, by platform convention."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "OneWindow"


DEMO_KEY_FILE = "DEMO-KEY-NOT-SECRET.key"


def demo_key_file(data_dir: Path) -> Path:
    """The clearly-labelled key file the demo uses instead of the OS keyring."""
    return data_dir / DEMO_KEY_FILE
