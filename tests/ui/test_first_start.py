"""First start on a real PC: each reason the store cannot open, as the person at the PC sees it
(the message box the program shows before it exits), with the way forward in it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.errors import AppError
from db.store import open_store
from tests.ui.screenshots import save_screenshots
from ui.application import store_error_box


def _refusal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str) -> AppError:
    if case == "no-keyring":
        monkeypatch.setattr("db.keystore.keyring_available", lambda: False)
        target = tmp_path / "d"
    elif case == "not-writable":
        (tmp_path / "file").write_text("x", encoding="utf-8")
        target = tmp_path / "file" / "d"
    elif case == "another-pc":
        monkeypatch.setattr("db.store.platform.node", lambda: "XIANGZHEN-W01")
        open_store(tmp_path / "d").close()
        monkeypatch.setattr("db.keystore.keyring.get_password", lambda *_: None)
        monkeypatch.setattr("db.store.platform.node", lambda: "XIANGZHEN-W02")
        target = tmp_path / "d"
    else:  # newer
        from sqlalchemy import text

        store = open_store(tmp_path / "d")
        with store.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
        store.close()
        target = tmp_path / "d"
    with pytest.raises(AppError) as caught:
        open_store(target)
    return caught.value


@pytest.mark.parametrize(
    ("case", "way_forward"),
    [
        ("no-keyring", "--key-file"),
        ("not-writable", "--data-dir"),
        ("another-pc", "重新激活"),
        ("newer", "不要用旧版本覆盖安装新版本"),
    ],
)
def test_each_first_start_refusal_names_the_way_forward(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str, way_forward: str
) -> None:
    error = _refusal(tmp_path, monkeypatch, case)
    box = store_error_box(None, error)
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    assert box.windowTitle() == "无法打开本地数据库"
    assert way_forward in box.text() and box.text().startswith(f"[{error.code}]")
    shots = save_screenshots(box, f"first-start-{case}")
    assert all(path.stat().st_size > 0 for path in shots)
