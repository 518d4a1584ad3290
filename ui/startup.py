"""Opening the store for the GUI, in a worker thread while the login window is already up:
first a glance (:func:`glance_for_gui`: the key opens the store and its schema is at head, with
the SQLCipher driver alone), which lets the login button work; then the heavy imports
(SQLAlchemy, Alembic, pydantic, the sign-in path), the migrations and, in demo mode, seeding the
demo centre (first start only); last the desks (:func:`preload_desks`).

A sign-in asked for between the glance and the full open goes to the same writer thread, so it
runs once the store is open (:class:`StoreHolder`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import AppError, InternalError
from ui.memory import freeze_long_lived
from ui.station import Workstation

if TYPE_CHECKING:
    from db.store import Store

#: The settings the login window shows, with their defaults: ``app.settings.CENTRE_NAME`` and
#: ``WORKSTATION_CODE``, which load SQLAlchemy (tests/ui/test_startup.py checks they agree).
CENTRE_NAME = ("centre_name", "便民服务中心")
WORKSTATION_CODE = ("workstation_code", "W01")


def glance_for_gui(
    data_dir: Path, key_file: Path | None, demo: bool, station_code: str | None = None
) -> Workstation | None:
    """Runs in the worker before :func:`open_for_gui`: the login window's centre and workstation
    when the store opens with its key and is at head (the login button may then work), else None
    (a new store, one to migrate or to refuse, a demo centre still to seed: wait for the open).
    """
    from db.glance import glance

    seen = glance(data_dir, key_file, (CENTRE_NAME[0], WORKSTATION_CODE[0]))
    if seen is None:
        return None
    centre = _setting(seen.settings, CENTRE_NAME)
    code = _setting(seen.settings, WORKSTATION_CODE)
    if demo and (not seen.has_cases or (station_code is not None and station_code != code)):
        return None  # the demo centre is seeded, or the store refused, by the full open
    return Workstation(centre, code)


def _setting(values: dict[str, object], option: tuple[str, str]) -> str:
    value = values.get(option[0])
    return value if isinstance(value, str) else option[1]  # as app.settings.Option.get


class StoreHolder:
    """The store the full open made, for a sign-in asked for before it was done. Written and
    read only on the runner's single writer thread, whose tasks run in order."""

    def __init__(self) -> None:
        self.store: Store | None = None
        self.error: AppError | None = None

    def get(self) -> Store:
        if self.store is not None:
            return self.store
        raise self.error or InternalError()


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
    holder: StoreHolder | None = None,
) -> Opened:
    """Runs in a worker: raises ``AppError`` (no keyring, wrong key…) for the login window.
    ``holder`` gets the store (or the error) for a sign-in queued behind this task."""
    try:
        opened = _open(data_dir, key_file, demo, progress, station_code)
    except AppError as error:
        if holder is not None:
            holder.error = error
        raise
    if holder is not None:
        holder.store = opened.store
    return opened


def _open(
    data_dir: Path,
    key_file: Path | None,
    demo: bool,
    progress: Callable[[int, int], None],
    station_code: str | None,
) -> Opened:
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
    from app.catalog.pinyin import pinyin_initials
    from ui.desks import registry  # noqa: F401

    pinyin_initials("一窗通")  # pypinyin's phrase tables load here, not at a first search
