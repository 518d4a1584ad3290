"""``onewindow-county publish-catalogue`` and ``publish-calendar``: what county staff publish from
the command line, a Chinese line for each outcome, exit 1 and nothing written on bad input. On
SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.system.paths import catalog_dir
from app.workcalendar import library_year_table
from county.cli import main
from county.store.engine import open_county
from county.store.models import CatalogueRelease, PublishedYear
from tests.centre import TOWN
from tests.county.server import seed_county


@pytest.fixture
def url(county_url: str) -> Iterator[str]:
    """A county store with the test centre in it, on each backend in turn."""
    store = open_county(county_url)
    seed_county(store)
    store.close()
    yield county_url


def counts(url: str) -> tuple[int, int]:
    store = open_county(url)
    try:
        with store.sessions() as session:
            releases = session.scalar(select(func.count()).select_from(CatalogueRelease))
            years = session.scalar(select(func.count()).select_from(PublishedYear))
            return releases or 0, years or 0
    finally:
        store.close()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_publish_catalogue_to_the_county_then_to_a_centre(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "publish-catalogue", "--database", url, str(catalog_dir()))
    assert code == 0 and "已向全县各便民服务中心发布事项目录 2026.1-demo（第 1 号" in out
    code, out, _ = run(capsys, "publish-catalogue", "--database", url, str(catalog_dir()))
    assert code == 0 and "未做任何更改" in out
    code, out, _ = run(
        capsys, "publish-catalogue", "--database", url, "--centre", TOWN, str(catalog_dir())
    )
    assert code == 0 and f"已向便民服务中心 {TOWN} 发布" in out and "第 2 号" in out
    assert counts(url) == (2, 0)


def test_a_bad_catalogue_or_centre_exits_1_in_chinese_and_writes_nothing(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    data = json.loads((catalog_dir() / "dibao.json").read_text(encoding="utf-8"))
    data["items"][0]["promised_limit"]["days"] = -1
    (broken / "dibao.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, err = run(capsys, "publish-catalogue", "--database", url, str(broken))
    assert code == 1 and out == ""
    assert "目录文件未通过校验" in err and "dibao.json" in err and "promised_limit.days" in err
    code, _, err = run(
        capsys, "publish-catalogue", "--database", url, "--centre", "999", str(catalog_dir())
    )
    assert code == 1 and "县级库中没有区划代码为 999 的便民服务中心" in err
    code, _, err = run(capsys, "publish-catalogue", "--database", url, str(tmp_path / "none"))
    assert code == 1 and "文件或文件夹不存在" in err
    assert counts(url) == (0, 0)


def test_publish_calendar_from_what_is_built_in_or_from_a_file(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "publish-calendar", "--database", url, "--year", "2026")
    assert code == 0 and "已向全县各便民服务中心发布 2026年 节假日安排" in out
    table = library_year_table(2025)
    assert table is not None
    path = tmp_path / "2025.json"
    path.write_text(table.to_json(), encoding="utf-8")
    code, out, _ = run(capsys, "publish-calendar", "--database", url, "--year", "2025", str(path))
    assert code == 0 and "2025年" in out
    code, out, _ = run(capsys, "publish-calendar", "--database", url, "--year", "2025", str(path))
    assert code == 0 and "未做任何更改" in out
    assert counts(url) == (0, 2)


def test_a_bad_year_or_year_file_exits_1_in_chinese_and_writes_nothing(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "publish-calendar", "--database", url, "--year", "二〇二六")
    assert code == 1 and "年份（--year）应为四位数字" in err
    code, _, err = run(capsys, "publish-calendar", "--database", url, "--year", "2031")
    assert code == 1 and "没有 2031年 的节假日安排" in err
    table = library_year_table(2025)
    assert table is not None
    path = tmp_path / "2025.json"
    path.write_text(table.to_json(), encoding="utf-8")
    code, _, err = run(capsys, "publish-calendar", "--database", url, "--year", "2026", str(path))
    assert code == 1 and "与要发布的年份 2026 不一致" in err
    bad = table.to_dict()
    bad["workdays"].append({"date": "2025-03-05", "name": "测试"})  # a Wednesday
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    code, _, err = run(capsys, "publish-calendar", "--database", url, "--year", "2025", str(path))
    assert code == 1 and "2025.json" in err and "调休上班日只能是周末" in err
    code, _, err = run(
        capsys, "publish-calendar", "--database", url, "--year", "2025", str(tmp_path / "x.json")
    )
    assert code == 1 and "无法读取节假日安排表文件" in err
    assert counts(url) == (0, 0)
