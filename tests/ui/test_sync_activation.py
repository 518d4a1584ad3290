"""Activating the workstation from the 同步 desk against the real county service on loopback: the
administrator's form, a refused code (nothing written, audited), an unreachable county, then the
right code — the first sync starts and the status bar says 已连接. Only the administrator may."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app import settings
from app.audit import AuditEvent
from app.errors import PermissionDenied
from app.sync.activation import activate_workstation
from app.sync.credential import KEYRING_SERVICE
from county.store.models import CaseActionRow
from db.models import AuditEntry
from tests.centre import Centre
from tests.county.server import ACTIVATION_CODES, County, running_county
from tests.fakes import MemoryKeyring
from tests.ui.conftest import wait_idle
from tests.ui.drive import commit_text, main_window
from tests.ui.screenshots import save_screenshots
from ui.desk_base import DeskEnv
from ui.desks.sync_desk import SyncDesk
from ui.main_window import MainWindow
from ui.sync_worker import SyncWorker

DIBAO = "最低生活保障"


def audited(centre: Centre, event: AuditEvent) -> list[AuditEntry]:
    with centre.store.reader() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.event == event.value)))


def county_url_of(centre: Centre) -> str:
    with centre.store.reader() as session:
        return settings.COUNTY_URL.get(session)


def confirmed(county: County) -> int:
    with county.store.sessions() as session:
        return session.scalar(select(func.count()).select_from(CaseActionRow)) or 0


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


class Sitting:
    """The admin's signed-in window as the session builds it: the 同步 desk, the sync worker
    behind 立即同步, the status bar."""

    def __init__(self, qtbot: QtBot, env: DeskEnv, centre: Centre) -> None:
        self.qtbot = qtbot
        self.desk = SyncDesk(env)
        self.window: MainWindow = main_window(env, [self.desk])
        qtbot.addWidget(self.window)
        self.window.resize(1366, 768)
        self.window.show()
        self.worker = SyncWorker(
            centre.store, centre.ctx.calendar, env.runner, every_ms=600_000, soon_ms=50
        )
        self.worker.status_text.connect(self.window.online_label.setText)
        self.desk.set_sync_now(self.worker.sync)
        self.worker.start()
        qtbot.waitUntil(lambda: "未激活" in self.status)
        self.desk.activate()
        wait_idle(qtbot, env.runner)

    @property
    def status(self) -> str:
        return self.window.online_label.text()

    def try_activation(self, url: str, code: str) -> str:
        desk = self.desk
        desk.county_field.clear()
        desk.code_field.clear()
        if url:
            commit_text(desk.county_field, url)
        if code:
            commit_text(desk.code_field, code)
        self.qtbot.mouseClick(desk.activate_button, Qt.MouseButton.LeftButton)
        wait_idle(self.qtbot, desk.env.runner)
        return desk.notice.text()


def test_the_admin_activates_from_the_sync_desk_after_a_refused_code(
    qtbot: QtBot,
    centre: Centre,
    desk_env: Callable[[str], DeskEnv],
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
) -> None:
    centre.walk_in(DIBAO)  # taken in before the workstation was activated: waits to go up
    sitting = Sitting(qtbot, desk_env("admin"), centre)
    desk = sitting.desk
    assert desk.activation.isVisible() and not desk.table.isVisible()  # no cases for the admin
    assert desk.link.text() == "县级系统：未激活" and not desk.retry.isEnabled()
    save_screenshots(sitting.window, "sync-desk-activation")

    said = sitting.try_activation("", "ACT-W01-0001")
    assert "县级系统地址" in said and desk.county_field.hasFocus()
    said = sitting.try_activation("county.example.cn", "ACT-W01-0001")
    assert "应以 http:// 或 https:// 开头" in said
    unreachable = f"http://127.0.0.1:{closed_port()}"
    said = sitting.try_activation(unreachable, "ACT-W01-0001")
    assert "[E610] 无法连接县级系统" in said and unreachable in said
    assert county_url_of(centre) == "" and audited(centre, AuditEvent.ACTIVATION_REFUSED) == []

    with running_county(tmp_path / "county") as county:
        said = sitting.try_activation(county.url, "ACT-W01-9999")
        assert "[E615] 县级系统拒绝激活：激活码无效或已使用。请核对激活码" in said
        assert desk.notice.property("error") is True
        assert desk.activation.isVisible() and desk.activate_button.isEnabled()
        assert county_url_of(centre) == ""  # nothing written: no address, no credential
        assert memory_keyring.get_password(KEYRING_SERVICE, centre.store.store_id) is None
        (refusal,) = audited(centre, AuditEvent.ACTIVATION_REFUSED)
        assert refusal.actor == "admin" and refusal.detail == {"county_url": county.url}
        save_screenshots(sitting.window, "sync-desk-activation-refused")

        said = sitting.try_activation(f" {county.url}/ ", ACTIVATION_CODES["W01"])
        assert said.startswith("已激活：本工作站已登记到示例县（测试）")
        qtbot.waitUntil(lambda: sitting.status.startswith("县级系统：已连接"))
        assert "最近同步" in sitting.status and "待上传" not in sitting.status
        assert confirmed(county) == 1  # the first sync took the waiting 收件 up
        assert county_url_of(centre) == county.url
        assert not desk.activation.isVisible() and desk.retry.isEnabled()
        assert desk.link.text() == f"本工作站已激活，县级系统：{county.url}"
        (done,) = audited(centre, AuditEvent.WORKSTATION_ACTIVATED)
        assert done.detail == {"county_url": county.url, "county_name": "示例县（测试）"}
        save_screenshots(sitting.window, "sync-desk-activated")

        # A second activation is refused before the network: the workstation has its link.
        with pytest.raises(Exception, match="本工作站已激活"):
            activate_workstation(
                centre.store, centre.actor("admin"), county_url=county.url, code="ACT-W02-0002"
            )
    sitting.worker.stop()


def test_only_the_administrator_may_activate(
    qtbot: QtBot, centre: Centre, desk_env: Callable[[str], DeskEnv], tmp_path: Path
) -> None:
    desk = SyncDesk(desk_env("supervisor"))
    qtbot.addWidget(desk)
    desk.resize(1366, 768)
    desk.show()
    desk.activate()
    wait_idle(qtbot, desk.env.runner)
    assert not desk.activation.isVisible() and desk.table.isVisible()
    assert "请联系系统管理员" in desk.link.text()

    with running_county(tmp_path / "county") as county:
        with pytest.raises(PermissionDenied, match="激活本工作站"):
            activate_workstation(
                centre.store,
                centre.actor("supervisor"),
                county_url=county.url,
                code=ACTIVATION_CODES["W01"],
            )
        county.activate("W01")  # the code was not spent by the refused attempt
    (denied,) = audited(centre, AuditEvent.PERMISSION_DENIED)
    assert denied.actor == "supervisor" and denied.detail["permission"] == "sync_activate"
    assert county_url_of(centre) == ""
