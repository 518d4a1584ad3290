"""视图 › 字号: each user's own text size, shown at once on the open desk, kept across sign-ins,
and never passed on to the next user at the same workstation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from app.accounts.preferences import TextSize, set_text_size, text_size_of
from app.audit import authorize
from app.errors import ValidationError
from app.units.runner import Units
from tests.centre import Centre
from tests.ui import test_intake_desk as front
from tests.ui.clipping import clipped
from tests.ui.conftest import wait_idle
from tests.ui.screenshots import save_screenshots
from tests.ui.test_whole_cases import _session, sign_in, sign_out
from ui.desks.intake.desk import IntakeDesk
from ui.fonts import UI_POINT_SIZE
from ui.main_window import MainWindow
from ui.text_size import apply_text_size, text_scale


@pytest.fixture(autouse=True)
def standard_text_afterwards() -> Iterator[None]:
    """The test session's one QApplication goes back to the standard size."""
    yield
    apply_text_size(TextSize.STANDARD)


def app_points() -> float:
    return QApplication.font().pointSizeF()


def stored(centre: Centre, username: str) -> TextSize:
    with centre.store.reader() as session:
        return text_size_of(session, username)


def checked(window: MainWindow) -> TextSize:
    (size,) = [s for s, a in window.text_size_menu.size_actions.items() if a.isChecked()]
    return size


def intake_title(desk: IntakeDesk) -> QLabel:
    title = desk.findChild(QLabel, "formTitle")
    assert isinstance(title, QLabel)
    return title


def test_a_user_picks_larger_text_and_has_it_again_at_the_next_sign_in(
    qtbot: QtBot, centre: Centre
) -> None:
    session = _session(qtbot, centre)
    window = sign_in(qtbot, session, "clerk")
    assert checked(window) is TextSize.STANDARD and app_points() == UI_POINT_SIZE
    desk = window.desk("intakeDesk")
    assert isinstance(desk, IntakeDesk)
    desk.activateWindow()
    qtbot.waitUntil(desk.isActiveWindow)
    front.pick_dibao(qtbot, desk)  # a form is open: its title has a size of its own
    title_before = intake_title(desk).font().pointSizeF()
    name_edit = front.line(desk, "field_applicant_name")
    edit_height = name_edit.sizeHint().height()
    tab_height = window.tabs.tabBar().sizeHint().height()

    # 视图 › 字号 › 较大
    window.text_size_menu.size_actions[TextSize.LARGER].trigger()
    # At once, on the desk that is open: the application font, the form's own title, the
    # editors and the desk tabs (their size comes from the style sheet) all grow by 25 %.
    assert app_points() == UI_POINT_SIZE * 1.25 and text_scale() == 1.25
    assert name_edit.font().pointSizeF() == UI_POINT_SIZE * 1.25
    assert intake_title(desk).font().pointSizeF() == pytest.approx(title_before * 1.25)
    qtbot.waitUntil(lambda: name_edit.sizeHint().height() > edit_height)
    qtbot.waitUntil(lambda: window.tabs.tabBar().sizeHint().height() > tab_height)
    wait_idle(qtbot, session.runner)
    assert stored(centre, "clerk") is TextSize.LARGER
    assert window.statusBar().currentMessage() == "字号已设为“较大”"
    sign_out(qtbot, session, window)

    # The login window and the next user are back at the standard size.
    assert app_points() == UI_POINT_SIZE
    window = sign_in(qtbot, session, "approver")
    assert checked(window) is TextSize.STANDARD and app_points() == UI_POINT_SIZE
    assert stored(centre, "approver") is TextSize.STANDARD
    sign_out(qtbot, session, window)

    # The clerk signs in again: 较大, on every desk before the window shows.
    window = sign_in(qtbot, session, "clerk")
    assert checked(window) is TextSize.LARGER and app_points() == UI_POINT_SIZE * 1.25
    desk = window.desk("intakeDesk")
    assert isinstance(desk, IntakeDesk)
    assert front.line(desk, "itemSearch").font().pointSizeF() == UI_POINT_SIZE * 1.25
    sign_out(qtbot, session, window)
    session.runner.shutdown()


def test_the_largest_text_fits_the_intake_desk_at_1366x768(qtbot: QtBot, centre: Centre) -> None:
    session = _session(qtbot, centre)
    window = sign_in(qtbot, session, "clerk")
    window.text_size_menu.size_actions[TextSize.LARGEST].trigger()
    wait_idle(qtbot, session.runner)
    assert app_points() == UI_POINT_SIZE * 1.5
    desk = window.desk("intakeDesk")
    assert isinstance(desk, IntakeDesk)
    desk.activateWindow()
    qtbot.waitUntil(desk.isActiveWindow)
    front.pick_dibao(qtbot, desk)
    front.fill_dibao(qtbot, desk)
    save_screenshots(window, "text-largest-intake")
    window.resize(1366, 768)
    QApplication.processEvents()
    assert clipped(window) == []
    for name in ("reviewDesk", "deliveryDesk", "searchDesk", "syncDesk", "catalogDesk"):
        if window.desk(name) is not None:
            window.show_desk(name)
            wait_idle(qtbot, session.runner)
            QApplication.processEvents()
            save_screenshots(window, f"text-largest-{name}")
            window.resize(1366, 768)
            QApplication.processEvents()
            assert clipped(window) == [], name
    window.show_desk("deliveryDesk")
    wait_idle(qtbot, session.runner)
    save_screenshots(window, "text-largest-delivery")
    sign_out(qtbot, session, window)
    session.runner.shutdown()


def test_only_the_known_sizes_are_kept(centre: Centre) -> None:
    units = Units(centre.store.session, centre.store.reader, authorize)
    clerk = centre.actor("clerk")
    with pytest.raises(ValidationError, match="未知的字号"):
        units.run(clerk, set_text_size, "huge")
    assert units.run(clerk, set_text_size, "largest") is TextSize.LARGEST
    assert stored(centre, "clerk") is TextSize.LARGEST
    assert stored(centre, "clerk2") is TextSize.STANDARD
