"""Loading a catalogue from the window: a bad one is refused with reasons, the old one stays."""

from __future__ import annotations

import json
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.catalog.loader import bundled_catalog
from app.paths import catalog_dir
from db.store import Store
from tests.ui.fake_dialogs import FakeDialogs
from ui.application import build_main_window


def test_bad_catalogue_refused_in_the_app_then_good_one_loaded(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> None:
    dialogs = FakeDialogs()
    window = build_main_window(store, demo_mode=False, dialogs=dialogs)
    qtbot.addWidget(window)
    assert window.catalog_view.visible_item_names() == []
    assert window.catalog_label.text() == "尚未载入事项目录"

    good_files = sorted(catalog_dir().glob("*.json"))
    dialogs.next_files = good_files
    window.load_catalog_action.trigger()
    expected = {item.name for item in bundled_catalog().items}
    assert set(window.catalog_view.visible_item_names()) == expected
    assert dialogs.infos and "已启用事项目录" in dialogs.infos[-1][1]

    # A file whose only item has an unknown field type and a select without options.
    data = json.loads((catalog_dir() / "dibao.json").read_text(encoding="utf-8"))
    data["templates"][0]["sections"][0]["fields"][0]["type"] = "signature_pad"
    bad = tmp_path / "dibao-bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    dialogs.next_files = [bad]
    window.load_catalog_action.trigger()

    assert len(dialogs.errors) == 1
    title, text = dialogs.errors[0]
    assert title == "事项目录未载入"
    assert "dibao-bad.json" in text and "当前在用目录保持不变" in text
    assert set(window.catalog_view.visible_item_names()) == expected
    assert f"{len(expected)} 个事项" in window.catalog_label.text()
