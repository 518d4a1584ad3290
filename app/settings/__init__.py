"""Workstation and centre settings: declared once, typed, with defaults (STYLE.md, Picard).

Stored as JSON values in the ``settings`` table; a key that was never written reads as its
default. Changing one is a use case for the admin (accounts/admin issue); reading is free.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy.orm import Session

from db.models import Setting as SettingRow

T = TypeVar("T")


@dataclass(frozen=True)
class Option(Generic[T]):
    key: str
    default: T
    label: str  # what the admin screen shows

    def get(self, session: Session) -> T:
        row = session.get(SettingRow, self.key)
        if row is None:
            return self.default
        value: Any = row.value
        if not isinstance(value, type(self.default)):
            return self.default
        return value

    def set(self, session: Session, value: T) -> None:
        row = session.get(SettingRow, self.key)
        if row is None:
            session.add(SettingRow(key=self.key, value=value))
        else:
            row.value = value


CENTRE_NAME = Option("centre_name", "便民服务中心", "中心名称")
# 12-digit 统计用区划代码 of the town; the first part of every provisional 收件号.
TOWN_CODE = Option("town_code", "000000000000", "乡镇区划代码")
# Short code of this workstation (unique within the town), e.g. "W01".
WORKSTATION_CODE = Option("workstation_code", "W01", "工作站编号")
LOCKOUT_MAX_FAILURES = Option("lockout_max_failures", 5, "连续登录失败几次后锁定")
LOCKOUT_MINUTES = Option("lockout_minutes", 15, "锁定时长（分钟）")
IDLE_LOCK_MINUTES = Option("idle_lock_minutes", 10, "无操作自动锁屏（分钟）")
YELLOW_AT_WORKING_DAYS = Option("yellow_at_working_days", 2, "剩余几个工作日起黄色预警")
COMPLAINT_PHONE = Option("complaint_phone", "12345", "投诉监督电话")
# The county's public address of its 办件进度查询 page (county/progress), e.g.
# "https://县政务服务.example/progress": receipts print a QR code of it with the case number and
# 查询密码 after "#" (never sent to the server); "" prints the number and password only.
PROGRESS_URL = Option("progress_url", "", "办件进度查询网址")
# 差评整改: a 差评's rectification task is due this many working days after the rating.
RECTIFY_DAYS = Option("rectify_days", 5, "差评整改期限（工作日）")
# A form's 区划代码 outside the centre's county (TOWN_CODE's first 6 digits): "warn" (shown,
# intake goes on) or "refuse" (the form does not pass). Why warn by default: docs/divisions.md.
OUT_OF_COUNTY_CODES = Option("out_of_county_codes", "warn", "外县区划代码")
# Sync with the county (not edited by hand): where the pull stands, and the county store's
# epoch it stands in (a county restored from a backup has another).
COUNTY_EPOCH = Option("county_epoch", "", "县级系统数据纪元")
SYNC_CURSOR = Option("sync_cursor", 0, "已同步到的县级变更位置")
# The county epoch this workstation last gave back its 办件编号 in (app/sync/give_back.py).
NUMBERS_GIVEN_EPOCH = Option("numbers_given_epoch", "", "已向县级系统交回办件编号的数据纪元")
AUTHORIZATION_CURSOR = Option("authorization_cursor", 0, "已同步到的县级代办委托位置")
EVALUATION_CURSOR = Option("evaluation_cursor", 0, "已同步到的县级好差评位置")
COUNTY_URL = Option("county_url", "", "县级系统地址")
# The CA certificate(s) the county's HTTPS is verified against, as PEM text ("": the system's).
COUNTY_CA_PEM = Option("county_ca_pem", "", "县级系统CA证书")
LAST_SYNC_AT = Option("last_sync_at", "", "最近一次成功同步（UTC）")
# The county's catalogue release this workstation installed last (0: none yet).
CATALOGUE_RELEASE = Option("catalogue_release", 0, "已载入的县级事项目录发布号")
# This workstation's ID-card reader (app/idcard, docs/idcard.md): "none", "simulator" (the
# labelled 模拟读卡器 of the demo) or "sdk" (a vendor's termb-style library at IDCARD_SDK_LIBRARY).
IDCARD_READER = Option("idcard_reader", "none", "身份证阅读器")
IDCARD_SIMULATOR_FILE = Option("idcard_simulator_file", "", "模拟读卡器卡片文件")
IDCARD_SIMULATOR_PORT = Option("idcard_simulator_port", 0, "模拟读卡器本机端口")
IDCARD_SDK_LIBRARY = Option("idcard_sdk_library", "", "阅读器接口库路径")
IDCARD_SDK_PORT = Option("idcard_sdk_port", 1001, "阅读器端口号")
