"""The adapter for the vendor SDKs of ID-card readers (厂商阅读器接口库), loaded with ctypes.

**Untested against a real reader or DLL**: no reader and no vendor library are available where
this program is developed. What is tested is everything around the calls: the parsing of the
text block, the order of the calls and the handling of their answers, with a stand-in library.

The calls assumed are those of the common ``termb.dll`` interface (华视 CVR-100 and compatible
readers of other vendors; Linux builds ship ``libtermb.so`` with the same functions):

=========================  ======================================================================
``int InitComm(int port)``  open the port: 1–16 serial COM1–COM16, 1001–1016 USB; 1 = success
``int Authenticate()``      find and select the card on the reader; 1 = a card answered
``int Read_Content(int)``   read it (argument 1: text and photo); 1 = success. The DLL writes the
                            text block to ``wz.txt`` and the decoded photo to ``zp.bmp`` in its
                            own folder (some builds: the working folder)
``int CloseComm()``         close the port
=========================  ======================================================================

The text block is the chip's 256 bytes of UCS-2 little-endian text in fixed-width fields
(:data:`TEXT_FIELDS`): 姓名 30 bytes, 性别 2 (a GB/T 2261.1 code), 民族 4 (a GB 3304 code),
出生 16 (``YYYYMMDD``), 住址 70, 公民身份号码 36, 签发机关 30, 有效期起始 16, 有效期截止 16
(``YYYYMMDD`` or ``长期``), then 36 bytes reserved. Readers of the ``sdtapi.dll`` family
(``SDT_ReadBaseMsg``) return the same block in a buffer, but their photo needs the separate
``WltRS.dll`` decoder; that family is not wired here.

The files the DLL writes hold personal data: they are read into memory and deleted at once.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.idcard.card import IdCard, NoCard, NoReader, ReadFailed

__all__ = [
    "NATIONS",
    "SDK_LABEL",
    "TEXT_BLOCK_SIZE",
    "TEXT_FIELDS",
    "SdkReader",
    "parse_text_block",
]

SDK_LABEL = "身份证阅读器"
TEXT_BLOCK_SIZE = 256
#: (field, width in bytes) of the text block, in order.
TEXT_FIELDS: tuple[tuple[str, int], ...] = (
    ("name", 30),
    ("sex", 2),
    ("nation", 4),
    ("birth", 16),
    ("address", 70),
    ("id_number", 36),
    ("authority", 30),
    ("valid_from", 16),
    ("valid_until", 16),
)
TEXT_FILE, PHOTO_FILE = "wz.txt", "zp.bmp"

_SEXES = {"1": "男", "2": "女"}
_NATION_NAMES = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 "
    "佤 畲 高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 "
    "锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 "
    "鄂伦春 赫哲 门巴 珞巴 基诺"
)
#: GB 3304-1991 nation codes, as the card prints the name (without 族).
NATIONS: dict[str, str] = {
    f"{index:02d}": name for index, name in enumerate(_NATION_NAMES.split(), start=1)
} | {"97": "其他", "98": "外国血统中国籍人士"}


def _card_date(text: str, label: str) -> dt.date:
    try:
        return dt.date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise ReadFailed(f"读卡失败：卡上的{label}（{text}）无法识别，请重新读卡") from None


def parse_text_block(block: bytes, photo: bytes | None = None) -> IdCard:
    """The card in a 256-byte text block (see the module docstring)."""
    if len(block) < TEXT_BLOCK_SIZE - 36:  # the reserved tail may be cut off
        raise ReadFailed(f"读卡失败：文字信息长度不对（{len(block)} 字节），请重新读卡")
    fields: dict[str, str] = {}
    offset = 0
    for key, width in TEXT_FIELDS:
        raw = block[offset : offset + width]
        offset += width
        try:
            fields[key] = raw.decode("utf-16-le").replace("\x00", "").strip()
        except UnicodeDecodeError:
            raise ReadFailed("读卡失败：文字信息无法解码，请重新读卡") from None
    sex = _SEXES.get(fields["sex"])
    if sex is None:
        raise ReadFailed(f"读卡失败：卡上的性别代码（{fields['sex']}）无法识别")
    nation = NATIONS.get(fields["nation"].zfill(2))
    if nation is None:
        raise ReadFailed(f"读卡失败：卡上的民族代码（{fields['nation']}）无法识别")
    until = fields["valid_until"]
    return IdCard(
        name=fields["name"],
        sex=sex,
        nation=nation,
        birth=_card_date(fields["birth"], "出生日期"),
        address=fields["address"],
        id_number=fields["id_number"].upper(),
        authority=fields["authority"],
        valid_from=_card_date(fields["valid_from"], "有效期限"),
        valid_until=None if until == "长期" else _card_date(until, "有效期限"),
        photo=photo,
    )


def _load_library(path: str) -> Any:
    if sys.platform == "win32":
        return ctypes.WinDLL(path)  # termb.dll uses the stdcall convention
    return ctypes.CDLL(path)


class SdkReader:
    """A reader behind a vendor's ``termb``-style library (see the module docstring).

    ``load`` turns the library path into an object with the four functions (ctypes by default;
    the tests pass a stand-in). ``output_dirs``: where the library writes ``wz.txt`` and
    ``zp.bmp`` (default: the library's folder, then the working folder).
    """

    label = SDK_LABEL
    simulated = False

    def __init__(
        self,
        library: str,
        port: int = 1001,
        *,
        load: Callable[[str], Any] = _load_library,
        output_dirs: list[Path] | None = None,
    ) -> None:
        self.library_path = library
        self.port = port
        self._load = load
        self._lib: Any = None
        self._open = False
        folder = Path(library).parent
        self.output_dirs = output_dirs if output_dirs is not None else [folder, Path.cwd()]

    def _library(self) -> Any:
        if self._lib is None:
            if not self.library_path:
                raise NoReader(
                    "未设置阅读器接口库路径，请在“中心设置”中填写（如 C:\\读卡器\\termb.dll）。"
                )
            try:
                self._lib = self._load(self.library_path)
            except OSError as error:
                raise NoReader(
                    f"无法载入阅读器接口库 {self.library_path}：{error}。请检查路径和驱动安装。"
                ) from None
        return self._lib

    def open(self) -> None:
        lib = self._library()
        try:
            answer = lib.InitComm(int(self.port))
        except (AttributeError, OSError) as error:
            raise NoReader(f"阅读器接口库不是所支持的接口（InitComm）：{error}") from None
        if answer != 1:
            raise NoReader(f"未找到身份证阅读器（端口 {self.port}），请检查阅读器连接。")
        self._open = True

    def read(self) -> IdCard:
        lib = self._library()
        self._remove_outputs()  # never take the previous resident's files for this one's
        if lib.Authenticate() != 1:
            raise NoCard()
        if lib.Read_Content(1) != 1:
            raise ReadFailed()
        text_path = self._find(TEXT_FILE)
        if text_path is None:
            raise ReadFailed(f"读卡失败：阅读器接口库没有写出文字信息（{TEXT_FILE}）")
        try:
            block = text_path.read_bytes()
            photo_path = self._find(PHOTO_FILE)
            photo = photo_path.read_bytes() if photo_path is not None else None
        except OSError as error:
            raise ReadFailed(f"读卡失败：{error}") from None
        finally:
            self._remove_outputs()
        return parse_text_block(block, photo)

    def close(self) -> None:
        if self._open and self._lib is not None:
            self._open = False
            with contextlib.suppress(AttributeError, OSError):
                self._lib.CloseComm()

    def _find(self, name: str) -> Path | None:
        return next((d / name for d in self.output_dirs if (d / name).is_file()), None)

    def _remove_outputs(self) -> None:
        for folder in self.output_dirs:
            for name in (TEXT_FILE, PHOTO_FILE):
                # A read-only folder: nothing of ours was written there either.
                with contextlib.suppress(OSError):
                    (folder / name).unlink(missing_ok=True)
