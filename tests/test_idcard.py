"""二代身份证 reading without Qt: the SDK text block, the SDK call sequence with a stand-in
library, the simulator (file and socket), the reader settings, and which fields a card or a
typed ID number fills."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from app import settings
from app.catalog.loader import bundled_catalog
from app.catalog.schema import FormTemplate
from app.divisions.loader import county_divisions
from app.errors import ValidationError
from app.forms import check_form
from app.idcard import IdCard, NoCard, NoReader, ReadFailed, read_card
from app.idcard.config import ReaderConfig, ReaderKind, reader_config, reader_for
from app.idcard.fill import applicant_id_number, card_values, fillable_roles, id_values
from app.idcard.sdk import NATIONS, TEXT_BLOCK_SIZE, SdkReader, parse_text_block
from app.idcard.simulator import (
    CardPlacer,
    SimulatedReader,
    card_from_dict,
    default_cards_file,
    load_cards,
)
from app.settings.service import save_settings
from app.validators import check_id_number, id_check_digit
from tests.centre import Centre, centre

__all__ = ["centre"]

TEMPLATES = {t.id: t for t in bundled_catalog().templates}
FIRST17 = "51189919880214002"
ID = FIRST17 + id_check_digit(FIRST17)  # a woman (…2 even), born 1988-02-14


def _field(text: str, width: int) -> bytes:
    raw = text.encode("utf-16-le")
    assert len(raw) <= width
    return raw + " ".encode("utf-16-le") * ((width - len(raw)) // 2)


def text_block(**overrides: str) -> bytes:
    values = {
        "name": "李演示",
        "sex": "2",
        "nation": "01",
        "birth": "19880214",
        "address": "示例县清河镇河东社区幸福路8号",
        "id_number": ID,
        "authority": "示例县公安局",
        "valid_from": "20190715",
        "valid_until": "20390715",
        **overrides,
    }
    widths = [30, 2, 4, 16, 70, 36, 30, 16, 16]
    block = b"".join(_field(v, w) for v, w in zip(values.values(), widths, strict=True))
    return block + b"\x00" * (TEXT_BLOCK_SIZE - len(block))


# --- the SDK's text block ------------------------------------------------------------------


def test_sdk_text_block_parses_every_field() -> None:
    card = parse_text_block(text_block(), photo=b"BM-photo")
    assert len(text_block()) == TEXT_BLOCK_SIZE
    assert card.name == "李演示"
    assert card.sex == "女"
    assert card.nation == "汉" and card.nation_for_form() == "汉族"
    assert card.birth == dt.date(1988, 2, 14)
    assert card.address == "示例县清河镇河东社区幸福路8号"
    assert card.id_number == ID
    assert card.authority == "示例县公安局"
    assert card.validity_text() == "2019.07.15-2039.07.15"
    assert card.photo == b"BM-photo"
    assert "李演示" not in repr(card) and ID not in repr(card)  # nothing personal in a traceback


def test_sdk_text_block_long_term_card_other_nations_and_a_long_address() -> None:
    address = "示例县清河镇示范村三组十八号附二号示范大院东侧二楼"  # 25 of the 35 characters
    card = parse_text_block(text_block(sex="1", nation="05", valid_until="长期", address=address))
    assert (card.sex, card.nation, card.valid_until) == ("男", "维吾尔", None)
    assert card.nation_for_form() == "维吾尔族"
    assert card.validity_text() == "2019.07.15-长期"
    assert card.address == address
    assert (NATIONS["56"], NATIONS["97"]) == ("基诺", "其他") and len(NATIONS) == 58


@pytest.mark.parametrize(
    ("block", "words"),
    [
        (text_block(sex="7"), "性别代码"),
        (text_block(nation="77"), "民族代码"),
        (text_block(birth="19881314"), "出生日期"),
        (text_block(valid_until="2039XX15"), "有效期限"),
        (b"\x00" * 100, "长度"),
    ],
)
def test_sdk_text_block_that_makes_no_sense_fails_in_chinese(block: bytes, words: str) -> None:
    with pytest.raises(ReadFailed) as failed:
        parse_text_block(block)
    assert words in failed.value.message


class FakeTermb:
    """Stands in for termb.dll: records the calls, writes wz.txt and zp.bmp where told."""

    def __init__(self, folder: Path, *, port_ok: bool = True, card: bool = True) -> None:
        self.folder, self.port_ok, self.card = folder, port_ok, card
        self.calls: list[str] = []

    def InitComm(self, port: int) -> int:  # noqa: N802 - the DLL's names
        self.calls.append(f"InitComm({port})")
        return 1 if self.port_ok else 0

    def Authenticate(self) -> int:  # noqa: N802
        self.calls.append("Authenticate")
        return 1 if self.card else 0

    def Read_Content(self, active: int) -> int:  # noqa: N802
        self.calls.append(f"Read_Content({active})")
        (self.folder / "wz.txt").write_bytes(text_block())
        (self.folder / "zp.bmp").write_bytes(b"BMphoto")
        return 1

    def CloseComm(self) -> int:  # noqa: N802
        self.calls.append("CloseComm")
        return 1


def test_sdk_reader_calls_in_order_reads_the_files_and_deletes_them(tmp_path: Path) -> None:
    fake = FakeTermb(tmp_path)
    reader = SdkReader(str(tmp_path / "termb.dll"), 1001, load=lambda _: fake)
    card = read_card(reader)
    assert fake.calls == ["InitComm(1001)", "Authenticate", "Read_Content(1)", "CloseComm"]
    assert card.id_number == ID and card.photo == b"BMphoto"
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no personal data left on disk
    assert reader.label == "身份证阅读器" and not reader.simulated


def test_sdk_reader_errors_are_chinese_and_the_port_is_closed(tmp_path: Path) -> None:
    no_card = FakeTermb(tmp_path, card=False)
    with pytest.raises(NoCard):
        read_card(SdkReader(str(tmp_path / "t.dll"), 1, load=lambda _: no_card))
    assert no_card.calls[-1] == "CloseComm"
    with pytest.raises(NoReader) as no_port:
        read_card(SdkReader("t.dll", 3, load=lambda _: FakeTermb(tmp_path, port_ok=False)))
    assert "端口 3" in no_port.value.message
    with pytest.raises(NoReader) as unset:
        read_card(SdkReader(""))
    assert "接口库路径" in unset.value.message
    with pytest.raises(NoReader) as missing:  # the real ctypes loader, on a file that is not there
        read_card(SdkReader(str(tmp_path / "no-such-termb.so")))
    assert "无法载入阅读器接口库" in missing.value.message


# --- the simulator --------------------------------------------------------------------------


def test_demo_cards_are_fictional_valid_and_one_is_expired() -> None:
    cards = load_cards(default_cards_file())
    assert len(cards) >= 3
    today = dt.date(2026, 12, 2)
    for card in cards:
        assert check_id_number(card.id_number).ok, card.name
        assert card.id_number.startswith("511899")  # the invented demo county
        assert card.photo is not None and card.photo.startswith(b"\x89PNG")
    assert [c.name for c in cards if c.expired(today)] == ["王测试"]
    assert any(c.valid_until is None for c in cards)  # a 长期 card


def test_simulator_file_takes_the_cards_in_turn(tmp_path: Path) -> None:
    reader = reader_for(ReaderConfig(ReaderKind.SIMULATOR))
    assert reader.label == "模拟读卡器" and reader.simulated
    names = [read_card(SimulatedReader(default_cards_file())).name for _ in range(2)]
    assert names[0] == names[1]  # a new reader starts at the first card
    one = SimulatedReader(default_cards_file())
    cards = load_cards(default_cards_file())
    assert [read_card(one).name for _ in range(len(cards) + 1)] == [
        *(c.name for c in cards),
        cards[0].name,
    ]
    empty = tmp_path / "cards.json"
    empty.write_text(json.dumps({"cards": []}), encoding="utf-8")
    with pytest.raises(NoCard):
        read_card(SimulatedReader(empty))
    with pytest.raises(NoReader):
        read_card(SimulatedReader(tmp_path / "gone.json"))
    with pytest.raises(NoReader):
        read_card(SimulatedReader())


def test_simulator_socket_reads_the_card_placed_there() -> None:
    card = load_cards(default_cards_file())[1]
    with CardPlacer() as placer:
        reader = SimulatedReader(port=placer.port)
        with pytest.raises(NoCard):
            read_card(reader)
        placer.place(card)
        read = read_card(reader)
        assert read == card and read.photo == card.photo
        placer.remove()
        with pytest.raises(NoCard):
            read_card(reader)
    with pytest.raises(NoCard):  # nobody listening: no card on the reader
        read_card(SimulatedReader(port=placer.port))


def test_simulator_card_data_errors_name_the_field() -> None:
    good: dict[str, Any] = {
        "name": "张示范",
        "sex": "男",
        "nation": "汉",
        "birth": "1946-05-12",
        "address": "示例县",
        "id_number": ID,
        "authority": "示例县公安局",
        "valid_from": "2016-03-01",
        "valid_until": "长期",
    }
    assert card_from_dict(good).valid_until is None
    with pytest.raises(ReadFailed, match="公民身份号码"):
        card_from_dict({**good, "id_number": ""})
    with pytest.raises(ReadFailed, match="出生日期"):
        card_from_dict({**good, "birth": "1946-13-12"})


# --- settings -------------------------------------------------------------------------------


def test_reader_settings_saved_checked_and_read_back(centre: Centre) -> None:
    admin = centre.actor("admin")
    with centre.store.reader() as session:
        assert reader_config(session) == ReaderConfig()  # none by default
    with centre.store.session() as session, pytest.raises(ValidationError) as refused:
        save_settings(session, admin, {"idcard_reader": "sdk", "idcard_sdk_library": " "})
    assert refused.value.field == "阅读器接口库路径"
    with centre.store.session() as session, pytest.raises(ValidationError) as bad_port:
        save_settings(session, admin, {"idcard_simulator_port": "70000"})
    assert bad_port.value.field == "模拟读卡器本机端口"
    with centre.store.session() as session, pytest.raises(ValidationError):
        save_settings(session, admin, {"idcard_reader": "magic"})
    with centre.store.session() as session:
        save_settings(
            session,
            admin,
            {
                "idcard_reader": "sdk",
                "idcard_sdk_library": r"C:\读卡器\termb.dll",
                "idcard_sdk_port": 1,
            },
        )
    with centre.store.reader() as session:
        config = reader_config(session)
        assert settings.IDCARD_READER.get(session) == "sdk"
    assert config == ReaderConfig(ReaderKind.SDK, "", 0, r"C:\读卡器\termb.dll", 1)
    assert isinstance(reader_for(config), SdkReader)
    with pytest.raises(NoReader, match="未配置身份证阅读器"):
        reader_for(ReaderConfig())


# --- what a card and a typed ID number fill -------------------------------------------------


def _card(**changes: Any) -> IdCard:
    card = load_cards(default_cards_file())[1]  # 李演示
    return IdCard(**{**card.__dict__, **changes})


def test_card_fills_the_applicant_block_and_keeps_phone_and_division_code() -> None:
    template = TEMPLATES["dibao"]
    typed = {
        "applicant": {
            "kind": "natural_person",
            "name": "错字",
            "phone": "13812345678",
            "address": {"division_code": "511899101001"},
        }
    }
    card = _card()
    values = card_values(template, typed, card)
    assert values == {
        "applicant": {
            "kind": "natural_person",
            "name": card.name,
            "id_number": card.id_number,
            "phone": "13812345678",
            "address": {"division_code": "511899101001", "detail": card.address},
        }
    }
    assert check_form(template, {**typed, **values}).problems[0].key != "applicant"


def test_the_cards_address_finds_its_village_code_when_none_was_picked() -> None:
    villages = county_divisions("511899")
    assert villages is not None
    template = TEMPLATES["dibao"]
    card = _card(address="示例县清河镇东湖村3组18号")
    values = card_values(template, {}, card, villages)
    assert values["applicant"]["address"] == {
        "division_code": "511899101201",
        "detail": "示例县清河镇东湖村3组18号",
    }
    assert not any("区划" in problem.message for problem in check_form(template, values).problems)
    picked = {"applicant": {"address": {"division_code": "511899101214"}}}  # 大河村, picked
    assert card_values(template, picked, card, villages)["applicant"]["address"] == {
        "division_code": "511899101214",
        "detail": "示例县清河镇东湖村3组18号",
    }
    elsewhere = _card(address="外省某县某镇某村1号")
    assert (
        "division_code"
        not in card_values(template, {}, elsewhere, villages)["applicant"]["address"]
    )


def test_an_address_finds_the_village_it_names_and_only_one() -> None:
    villages = county_divisions("511899")
    assert villages is not None
    found = villages.in_address("示例县 清河镇 清河社区幸福路8号")
    assert found is not None and found.code == "511899101001"  # not 幸福村: 幸福路 is a road
    assert villages.in_address("长兴村5组") is not None  # the village alone, when one matches
    assert villages.in_address("幸福路8号") is None


def test_card_fills_nation_where_the_form_has_it_and_nothing_of_a_legal_person_form() -> None:
    pension = TEMPLATES["chengxiang_yanglao_canbao"]
    values = card_values(pension, {}, _card(nation="蒙古"))
    assert values["nation"] == "蒙古族"
    assert values["applicant"]["name"] == "李演示"
    assert card_values(TEMPLATES["shipin_xiaozuofang"], {}, _card()) == {}


def _template(*fields: dict[str, Any]) -> FormTemplate:
    return FormTemplate.model_validate(
        {
            "id": "t",
            "version": 1,
            "title": "测试表",
            "sections": [{"title": "一", "fields": fields}],
        }
    )


APPLICANT = {
    "key": "applicant",
    "label": "申请人",
    "type": "applicant",
    "applicant_kinds": ["natural_person"],
}
SEX = {"key": "sex", "label": "性别", "type": "select", "options": ["男", "女"]}
BIRTH = {"key": "birth_date", "label": "出生日期", "type": "date"}


def test_card_fills_every_role_by_key_or_label() -> None:
    template = _template(
        APPLICANT,
        SEX,
        BIRTH,
        {"key": "nation", "label": "民族", "type": "text"},
        {"key": "qfjg", "label": "签发机关", "type": "text"},
        {"key": "yxqx", "label": "有效期限", "type": "text"},
        {"key": "spouse_id_number", "label": "配偶身份证号", "type": "id_number"},
    )
    card = _card()
    values = card_values(template, {}, card)
    assert {k: v for k, v in values.items() if k != "applicant"} == {
        "sex": "女",
        "birth_date": "1988-11-23",
        "nation": "汉族",
        "qfjg": "示例县公安局",
        "yxqx": "2019.07.15-2039.07.15",
    }
    assert set(fillable_roles(template)) == {"sex", "birth", "nation", "authority", "validity"}


def test_typed_id_fills_birth_and_sex_only_where_empty_or_filled_by_an_earlier_id() -> None:
    template = _template(APPLICANT, SEX, BIRTH)
    data: dict[str, Any] = {"applicant": {"kind": "natural_person", "id_number": ID}}
    assert applicant_id_number(template, data) == ID
    first = id_values(template, data, ID, {})
    assert first == {"sex": "女", "birth_date": "1988-02-14"}
    man17 = "51189919700101001"
    man = man17 + id_check_digit(man17)
    # Filled by the first number: a second number replaces them.
    assert id_values(template, {**data, **first}, man, first) == {
        "sex": "男",
        "birth_date": "1970-01-01",
    }
    # Typed by the clerk: kept.
    assert id_values(template, {**data, "sex": "男"}, ID, first) == {"birth_date": "1988-02-14"}
    wrong = ID[:17] + ("0" if ID[17] != "0" else "1")
    assert id_values(template, data, wrong, {}) == {}
    assert id_values(TEMPLATES["dibao"], data, ID, {}) == {}  # no such fields


def test_a_new_demo_centre_reads_cards_from_the_simulator(tmp_path: Path) -> None:
    from app.demo.centre import demo_key_file, prepare_demo
    from db.store import open_store

    store = open_store(tmp_path, demo_key_file(tmp_path))
    try:
        prepare_demo(store)
        with store.reader() as session:
            config = reader_config(session)
        assert config.kind is ReaderKind.SIMULATOR
        reader = reader_for(config)
        assert reader.simulated and read_card(reader).name in {
            c.name for c in load_cards(default_cards_file())
        }
    finally:
        store.close()
