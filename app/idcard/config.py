"""Which reader this workstation uses (the ``idcard_*`` settings), and the reader made from it.

Readers are kept per configuration (:func:`reader_for`): the simulator remembers which demo card
comes next, the SDK adapter keeps its library loaded. Both are used from the one background
thread the desks read on, one read at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from sqlalchemy.orm import Session

from app import settings
from app.idcard.card import NoReader
from app.idcard.reader import CardReader
from app.idcard.sdk import SdkReader
from app.idcard.simulator import SimulatedReader, default_cards_file
from app.units.declare import reads

__all__ = ["READER_KINDS", "ReaderConfig", "ReaderKind", "reader_config", "reader_for"]


class ReaderKind(StrEnum):
    NONE = "none"
    SIMULATOR = "simulator"
    SDK = "sdk"


#: The kinds as the settings page offers them.
READER_KINDS: dict[str, str] = {
    ReaderKind.NONE: "不使用阅读器",
    ReaderKind.SIMULATOR: "模拟读卡器（演示、测试用）",
    ReaderKind.SDK: "厂商阅读器（接口库）",
}


@dataclass(frozen=True)
class ReaderConfig:
    kind: ReaderKind = ReaderKind.NONE
    simulator_file: str = ""  # "": the bundled demo cards
    simulator_port: int = 0  # 0: no socket
    sdk_library: str = ""
    sdk_port: int = 1001


@reads
def reader_config(session: Session) -> ReaderConfig:
    """This workstation's reader settings (an unknown kind reads as none)."""
    try:
        kind = ReaderKind(settings.IDCARD_READER.get(session))
    except ValueError:
        kind = ReaderKind.NONE
    return ReaderConfig(
        kind=kind,
        simulator_file=settings.IDCARD_SIMULATOR_FILE.get(session),
        simulator_port=settings.IDCARD_SIMULATOR_PORT.get(session),
        sdk_library=settings.IDCARD_SDK_LIBRARY.get(session),
        sdk_port=settings.IDCARD_SDK_PORT.get(session),
    )


@lru_cache(maxsize=8)
def reader_for(config: ReaderConfig) -> CardReader:
    """The reader ``config`` describes; :class:`NoReader` when it says none."""
    if config.kind is ReaderKind.SIMULATOR:
        cards = Path(config.simulator_file) if config.simulator_file else None
        if cards is None and not config.simulator_port:
            cards = default_cards_file()
        return SimulatedReader(cards, config.simulator_port)
    if config.kind is ReaderKind.SDK:
        return SdkReader(config.sdk_library, config.sdk_port)
    raise NoReader("本工作站未配置身份证阅读器（管理 › 中心设置 › 身份证阅读器）。")
