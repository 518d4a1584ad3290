"""模拟读卡器: a virtual ID-card reader for the demo and the tests, clearly labelled as such.

It takes its cards from two places, in this order:

1. **A local socket** (``port`` > 0): a card placer listening on ``127.0.0.1:port`` — a test, or
   ``python -m app.idcard.simulator`` run by hand — answers each read with the card it holds,
   or with none. Nobody listening counts as no card there.
2. **A JSON file** (``cards_file``): ``{"cards": [CARD, …]}``; each read takes the next card,
   round and round, so a demo shows one resident after another. The file is read again at every
   read (edit it while the program runs).

A CARD is ``{"name", "sex", "nation", "birth", "address", "id_number", "authority",
"valid_from", "valid_until", "photo"}``: dates ``YYYY-MM-DD``, ``valid_until`` may be ``长期``,
``photo`` (optional) a picture file beside the JSON file; over the socket ``photo_base64``
carries the picture itself. The bundled demo cards (``resources/idcard/demo_cards.json``) are
obviously fictional people with valid-checksum ID numbers of the invented demo county.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import datetime as dt
import json
import socket
import socketserver
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from app.idcard.card import IdCard, NoCard, NoReader, ReadFailed
from app.system.paths import resources_dir

__all__ = [
    "SIMULATOR_LABEL",
    "CardPlacer",
    "SimulatedReader",
    "card_from_dict",
    "card_to_dict",
    "default_cards_file",
    "load_cards",
]

SIMULATOR_LABEL = "模拟读卡器"
LOCALHOST = "127.0.0.1"
_READ_REQUEST = b"READ\n"


def default_cards_file() -> Path:
    """The bundled demo cards."""
    return resources_dir() / "idcard" / "demo_cards.json"


def _date(data: Mapping[str, Any], key: str, label: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(data.get(key, "")))
    except ValueError:
        raise ReadFailed(f"模拟读卡器的卡片数据有误：{label}不是有效日期") from None


def card_from_dict(data: Mapping[str, Any], base: Path | None = None) -> IdCard:
    """One CARD (see the module docstring); :class:`ReadFailed` names what is wrong."""
    if not isinstance(data, Mapping):
        raise ReadFailed("模拟读卡器的卡片数据有误：每张卡应为一个对象")
    texts: dict[str, str] = {}
    for key, label in (
        ("name", "姓名"),
        ("sex", "性别"),
        ("nation", "民族"),
        ("address", "住址"),
        ("id_number", "公民身份号码"),
        ("authority", "签发机关"),
    ):
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ReadFailed(f"模拟读卡器的卡片数据有误：缺少{label}")
        texts[key] = value.strip()
    until = data.get("valid_until")
    photo: bytes | None = None
    if data.get("photo_base64"):
        try:
            photo = base64.b64decode(str(data["photo_base64"]), validate=True)
        except (binascii.Error, ValueError):
            raise ReadFailed("模拟读卡器的卡片数据有误：照片不是有效的 base64") from None
    elif data.get("photo") and base is not None:
        try:
            photo = (base / str(data["photo"])).read_bytes()
        except OSError:
            photo = None  # a card without its picture still reads, as a worn chip may
    return IdCard(
        name=texts["name"],
        sex=texts["sex"],
        nation=texts["nation"],
        birth=_date(data, "birth", "出生日期"),
        address=texts["address"],
        id_number=texts["id_number"],
        authority=texts["authority"],
        valid_from=_date(data, "valid_from", "有效期限起始日期"),
        valid_until=None if until == "长期" else _date(data, "valid_until", "有效期限截止日期"),
        photo=photo,
    )


def card_to_dict(card: IdCard) -> dict[str, Any]:
    """A card as the socket carries it (the photo inline)."""
    data: dict[str, Any] = {
        "name": card.name,
        "sex": card.sex,
        "nation": card.nation,
        "birth": card.birth.isoformat(),
        "address": card.address,
        "id_number": card.id_number,
        "authority": card.authority,
        "valid_from": card.valid_from.isoformat(),
        "valid_until": "长期" if card.valid_until is None else card.valid_until.isoformat(),
    }
    if card.photo:
        data["photo_base64"] = base64.b64encode(card.photo).decode("ascii")
    return data


def load_cards(path: Path) -> list[IdCard]:
    """Every card of a cards file."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NoReader(f"模拟读卡器的卡片文件不存在：{path}") from None
    except (OSError, ValueError) as error:
        raise ReadFailed(f"模拟读卡器的卡片文件无法读取：{path}（{error}）") from None
    cards = raw.get("cards") if isinstance(raw, Mapping) else None
    if not isinstance(cards, list):
        raise ReadFailed(f"模拟读卡器的卡片文件格式不对（应有 cards 列表）：{path}")
    return [card_from_dict(card, path.parent) for card in cards]


class SimulatedReader:
    """The virtual reader (see the module docstring)."""

    label = SIMULATOR_LABEL
    simulated = True

    def __init__(self, cards_file: Path | None = None, port: int = 0, timeout: float = 2.0) -> None:
        self.cards_file = cards_file
        self.port = port
        self.timeout = timeout
        self._next = 0

    def open(self) -> None:
        if self.cards_file is None and not self.port:
            raise NoReader("模拟读卡器没有卡片来源：请在“中心设置”中填写卡片文件或本机端口。")
        if self.cards_file is not None and not self.cards_file.is_file():
            raise NoReader(f"模拟读卡器的卡片文件不存在：{self.cards_file}")

    def read(self) -> IdCard:
        if self.port:
            card = self._from_socket()
            if card is not None:
                return card
        if self.cards_file is None:
            raise NoCard(f"模拟读卡器上没有放卡（本机端口 {self.port}）。")
        cards = load_cards(self.cards_file)
        if not cards:
            raise NoCard("模拟读卡器上没有放卡（卡片文件中没有卡片）。")
        card = cards[self._next % len(cards)]
        self._next += 1
        return card

    def close(self) -> None:
        pass

    def _from_socket(self) -> IdCard | None:
        try:
            with socket.create_connection((LOCALHOST, self.port), timeout=self.timeout) as conn:
                conn.sendall(_READ_REQUEST)
                chunks = []
                while chunk := conn.recv(65536):
                    chunks.append(chunk)
        except ConnectionRefusedError:
            return None  # nobody is placing cards: no card on the reader
        except OSError as error:
            raise ReadFailed(f"模拟读卡器读卡失败：{error}") from None
        try:
            answer = json.loads(b"".join(chunks).decode("utf-8"))
        except ValueError:
            raise ReadFailed("模拟读卡器读卡失败：放卡程序的应答无法识别") from None
        card = answer.get("card") if isinstance(answer, Mapping) else None
        return None if card is None else card_from_dict(card)


class _Handler(socketserver.StreamRequestHandler):
    server: _PlacerServer

    def handle(self) -> None:
        self.rfile.readline()
        card = self.server.placer.card
        answer = {"card": card_to_dict(card) if card is not None else None}
        self.wfile.write(json.dumps(answer, ensure_ascii=False).encode("utf-8"))


class _PlacerServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int, placer: CardPlacer) -> None:
        self.placer = placer
        super().__init__((LOCALHOST, port), _Handler)


class CardPlacer:
    """The hand that puts a card on the simulator: listens on ``127.0.0.1:port`` (0: a free
    port, see ``port``) and hands each read the card placed, if any. Use it as a context manager
    or call :meth:`close`."""

    def __init__(self, port: int = 0) -> None:
        self.card: IdCard | None = None
        self._server = _PlacerServer(port, self)
        self.port: int = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="card-placer", daemon=True
        )
        self._thread.start()

    def place(self, card: IdCard) -> None:
        self.card = card

    def remove(self) -> None:
        self.card = None

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def __enter__(self) -> CardPlacer:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def main(argv: list[str] | None = None) -> int:
    """``python -m app.idcard.simulator --port 8711 [FILE] [--card N]``: place card N of FILE
    (default: the demo cards) on the simulator listening there, until Ctrl+C takes it off."""
    parser = argparse.ArgumentParser(
        prog="python -m app.idcard.simulator", description="在模拟读卡器上放一张卡（Ctrl+C 取走）"
    )
    parser.add_argument("file", nargs="?", type=Path, default=default_cards_file(), help="卡片文件")
    parser.add_argument("--port", type=int, required=True, help="模拟读卡器的本机端口")
    parser.add_argument("--card", type=int, default=0, help="放第几张卡（从 0 起）")
    args = parser.parse_args(argv)
    try:
        cards = load_cards(args.file)
        card = cards[args.card]
    except (IndexError, NoReader, ReadFailed) as error:
        print(f"无法放卡：{error}", file=sys.stderr)
        return 1
    with CardPlacer(args.port) as placer:
        placer.place(card)
        print(f"已在模拟读卡器（127.0.0.1:{placer.port}）上放卡：{card.name}；按 Ctrl+C 取走。")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("已取走卡片。")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
