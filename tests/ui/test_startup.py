"""Start-up: the login button works once a glance shows the store opens at head, before the
full open (SQLAlchemy, the sign-in path) is done; a sign-in asked for meanwhile waits for it."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app import settings
from app.accounts import passwords
from db.models import User
from tests.centre import Centre
from tests.ui.conftest import wait_idle
from tests.ui.screenshots import save_screenshot
from ui.backend import SignedIn, workstation
from ui.signin.login_dialog import LoginDialog
from ui.startup import StoreHolder, glance_for_gui
from ui.station import Workstation
from ui.worker import Runner

PASSWORD = "Window-2026"


def test_the_glance_names_the_centre_and_workstation(centre: Centre) -> None:
    data_dir = centre.store.data_dir
    station = workstation(centre.store)
    assert glance_for_gui(data_dir, None, demo=False) == station
    assert isinstance(station, Workstation)
    # Demo mode: a centre without cases is seeded by the full open first, and a store made
    # for another workstation is refused by it: the glance does not enable the button.
    assert glance_for_gui(data_dir, None, demo=True) is None
    centre.walk_in("最低生活保障")
    assert glance_for_gui(data_dir, None, demo=True) == station
    assert glance_for_gui(data_dir, None, demo=True, station_code="W02") is None


def test_a_sign_in_before_the_store_is_fully_open_runs_once_it_is(
    qtbot: QtBot, centre: Centre
) -> None:
    with centre.store.session() as session, session.begin():
        user = session.scalars(select(User).where(User.username == "clerk")).one()
        user.password_hash = passwords.hash_password(PASSWORD)
        settings.CENTRE_NAME.set(session, "清河镇便民服务中心")
    runner = Runner()
    holder = StoreHolder()
    opening = threading.Event()

    def full_open() -> None:  # the slow part of start-up, on the writer thread
        opening.wait(10)
        holder.store = centre.store

    runner.write(full_open)
    station = glance_for_gui(centre.store.data_dir, None, demo=False)
    assert station is not None
    dialog = LoginDialog(runner)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.button.isEnabled()  # nothing known yet
    dialog.set_opening(station, holder.get)
    assert dialog.button.isEnabled() and dialog.title.text() == "清河镇便民服务中心"
    assert not dialog.ready  # the store itself is not open yet
    save_screenshot(dialog, "login-usable-while-loading")

    qtbot.keyClicks(dialog.username, "clerk")
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.mouseClick(dialog.button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "正在登录…" and not dialog.button.isEnabled()
    # The full open ends (start-up then calls set_ready): the sign-in under way keeps its
    # message and its disabled button, then goes through.
    dialog.set_ready(station, centre.store)
    assert dialog.message.text() == "正在登录…" and not dialog.button.isEnabled()
    with qtbot.waitSignal(dialog.signed_in, timeout=15_000) as signal:
        opening.set()
    signed: SignedIn = signal.args[0]
    assert signed.actor.username == "clerk"
    wait_idle(qtbot, runner)
    runner.shutdown()


def test_freezing_the_long_lived_spaces_full_collections_out() -> None:
    """After start-up and sign-in the collector's full passes (which hold the GIL for tens of
    milliseconds) come ten times less often; young garbage is collected as before."""
    import gc

    from ui.memory import FULL_COLLECTION_EVERY, freeze_long_lived

    before = gc.get_threshold()
    try:
        freeze_long_lived()
        assert gc.get_threshold() == (before[0], before[1], FULL_COLLECTION_EVERY)
        assert FULL_COLLECTION_EVERY > 10  # CPython's default
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
