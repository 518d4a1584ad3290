"""Opening the store for the GUI, in a worker thread while the login window is already up:
the heavy imports (SQLAlchemy, Alembic, pydantic, the desks), the migrations and, in demo
mode, seeding the demo centre (first start only)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ui.memory import freeze_long_lived

if TYPE_CHECKING:
    from db.store import Store
    from ui.backend import Workstation


@dataclass(frozen=True)
class Opened:
    store: Store
    station: Workstation


def open_for_gui(
    data_dir: Path,
    key_file: Path | None,
    demo: bool,
    progress: Callable[[int, int], None],
    station_code: str | None = None,
) -> Opened:
    """Runs in a worker: raises ``AppError`` (no keyring, wrong key…) for the login window."""
    from app.system.logs import configure_logging
    from db.store import open_store
    from ui import session  # noqa: F401 - the sign-in path; the desks load after (preload_desks)
    from ui.backend import workstation

    store = open_store(data_dir, key_file)
    try:
        configure_logging(data_dir)
        if demo:
            from app.demo.start import ensure_demo_centre

            ensure_demo_centre(store, workstation=station_code, progress=progress)
        opened = Opened(store, workstation(store))
    except BaseException:
        store.close()
        raise
    freeze_long_lived()
    return opened


def preload_desks() -> None:
    """Import the desks (a second or more on a slow PC) while the user types the password, so
    neither the login window's readiness nor the UI thread waits for them."""
    from ui.desks import registry  # noqa: F401
