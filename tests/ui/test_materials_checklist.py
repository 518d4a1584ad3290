"""The materials checklist driven as a clerk would: ticking boxes, clicking names, copies."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QSpinBox, QWidget
from pytestqt.qtbot import QtBot

from app.cases.intake import MaterialIn
from app.catalog.loader import bundled_catalog
from app.catalog.schema import Item
from tests.ui.screenshots import save_screenshots
from ui.fonts import install_bundled_fonts
from ui.form import MaterialsChecklist

DIBAO: Item = next(i for i in bundled_catalog().items if i.name == "最低生活保障")
REQUIRED = [m.id for m in DIBAO.materials if m.required]


def _open(qtbot: QtBot) -> MaterialsChecklist:
    checklist = MaterialsChecklist(DIBAO.materials)
    qtbot.addWidget(checklist)
    checklist.resize(640, 600)
    checklist.show()
    qtbot.waitExposed(checklist)
    return checklist


def _summary(checklist: MaterialsChecklist) -> str:
    label = checklist.findChild(QLabel, "materialsSummary")
    assert label is not None
    return label.text()


def test_ticked_materials_and_copies_are_received_and_the_rest_missing(qtbot: QtBot) -> None:
    checklist = _open(qtbot)
    assert checklist.objectName() == "materialsChecklist"
    assert checklist.accessibleName() == "材料清单"
    assert checklist.received() == []
    assert [m.id for m in checklist.missing_required()] == REQUIRED
    assert f"缺必交材料 {len(REQUIRED)} 项（其中 2 项可容缺受理）" in _summary(checklist)

    changes: list[int] = []
    checklist.changed.connect(lambda: changes.append(1))
    application = checklist.checkbox("application")
    assert application.objectName() == "material_application"
    qtbot.mouseClick(application, Qt.MouseButton.LeftButton)
    photo = checklist.checkbox("photo")
    photo.setFocus()
    qtbot.keyClick(photo, Qt.Key.Key_Space)
    assert photo.isChecked() and changes

    copies = checklist.findChild(QSpinBox, "material_photo_copies")
    assert copies is not None and copies.value() == 2  # the catalogue's number of copies
    copies.setFocus()
    qtbot.keyClick(copies, Qt.Key.Key_Up)
    assert copies.value() == 3

    assert checklist.received() == [MaterialIn("application", 1), MaterialIn("photo", 3)]
    missing = [m.id for m in checklist.missing_required()]
    assert missing == ["id_and_hukou", "declaration", "authorization", "income_proof"]
    assert "已收 2 项" in _summary(checklist)

    # An optional material ticked counts as received but was never missing.
    qtbot.mouseClick(checklist.checkbox("diagnosis"), Qt.MouseButton.LeftButton)
    assert [m.key for m in checklist.received()] == ["application", "diagnosis", "photo"]

    # Unticking takes a material back out.
    qtbot.mouseClick(application, Qt.MouseButton.LeftButton)
    assert "application" not in [m.key for m in checklist.received()]
    assert checklist.missing_required()[0].id == "application"


def test_clicking_a_name_ticks_its_box(qtbot: QtBot) -> None:
    checklist = _open(qtbot)
    name = next(
        label
        for label in checklist.findChildren(QLabel)
        if label.text() == "家庭经济状况查询核对授权书"
    )
    qtbot.mouseClick(name, Qt.MouseButton.LeftButton)
    assert checklist.checkbox("authorization").isChecked()
    assert [m.key for m in checklist.received()] == ["authorization"]


def test_everything_required_ticked_says_complete(qtbot: QtBot) -> None:
    checklist = _open(qtbot)
    for key in REQUIRED:
        checklist.set_checked(key, True)
    assert checklist.missing_required() == []
    assert "必交材料已齐全" in _summary(checklist)


def test_restoring_a_draft_ticks_exactly_those_with_their_copies(qtbot: QtBot) -> None:
    checklist = _open(qtbot)
    checklist.set_checked("diagnosis", True)
    changes: list[int] = []
    checklist.changed.connect(lambda: changes.append(1))
    checklist.set_received({"application": 1, "photo": 4})
    assert changes == [1]
    assert checklist.received() == [MaterialIn("application", 1), MaterialIn("photo", 4)]
    assert not checklist.checkbox("diagnosis").isChecked()
    assert "已收 2 项" in _summary(checklist)


def test_screenshot(qtbot: QtBot, qapp: QApplication) -> None:
    install_bundled_fonts(qapp)
    frame = QWidget()
    row = QHBoxLayout(frame)
    checklist = MaterialsChecklist(DIBAO.materials)
    checklist.set_received({"application": 1, "id_and_hukou": 1, "photo": 2})
    row.addWidget(checklist, 2)  # the right-hand pane of the front desk, roughly
    row.addWidget(QWidget(), 3)
    qtbot.addWidget(frame)
    save_screenshots(frame, "materials-checklist")
    assert checklist.isVisible()
