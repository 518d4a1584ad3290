"""Installing a catalogue into the store: all or nothing; the previous one stays in force."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app import audit
from app.actor import Actor, Role
from app.catalog import service as catalog_service
from app.catalog.loader import bundled_catalog
from app.catalog.service import load_catalog_as
from app.cli import main
from app.errors import CatalogRejected
from app.system.paths import catalog_dir
from db.models import AuditEntry, FormTemplateVersion, Item
from db.store import Store, open_store

ADMIN = Actor(1, "admin1", "周磊", frozenset({Role.ADMIN}), "W01")


def _copy_bundled(tmp_path: Path) -> Path:
    folder = tmp_path / "catalog"
    shutil.copytree(catalog_dir(), folder)
    return folder


def _edit(path: Path, change: Any) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def _names_in_force(store: Store) -> list[str]:
    with store.session() as session:
        return sorted(s.name for s in catalog_service.items_in_force(session))


def test_bundled_catalogue_installs_with_materials_steps_and_templates(store: Store) -> None:
    catalog = bundled_catalog()
    with store.session() as session:
        status = load_catalog_as(session, ADMIN, [catalog_dir()])
    assert status.item_count == len(catalog.items) >= 15
    assert status.template_count == len(catalog.templates)
    with store.session() as session:
        summaries = catalog_service.items_in_force(session)
        dibao = next(s for s in summaries if s.name == "最低生活保障")
        detail = catalog_service.item_detail(session, dibao.item_id)
        stored = {
            (t.template_key, t.version): t.content_hash
            for t in session.scalars(select(FormTemplateVersion))
        }
    source = next(i for i in catalog.items if i.name == "最低生活保障")
    assert [m[0] for m in detail.materials] == [m.name for m in source.materials]
    assert [s[0] for s in detail.steps] == [s.name for s in source.steps]
    assert dibao.levels == "乡镇→县级"
    assert stored == {(t.id, t.version): t.content_hash() for t in catalog.templates}


def test_bad_catalogue_is_refused_and_previous_stays_in_force(store: Store, tmp_path: Path) -> None:
    with store.session() as session:
        load_catalog_as(session, ADMIN, [catalog_dir()])
    before = _names_in_force(store)
    folder = _copy_bundled(tmp_path)

    def break_it(data: dict[str, Any]) -> None:
        data["items"][0]["materials"][0]["copies"] = 0
        data["items"][0]["name"] = "改过的名字"

    _edit(folder / "dibao.json", break_it)
    with store.session() as session, pytest.raises(CatalogRejected) as caught:
        load_catalog_as(session, ADMIN, [folder])
    assert "dibao.json" in caught.value.message and "copies" in caught.value.message
    assert _names_in_force(store) == before
    with store.session() as session:
        status = catalog_service.catalog_status(session)
    assert status is not None and status.item_count == len(before)


def test_changing_a_published_template_version_is_refused(store: Store, tmp_path: Path) -> None:
    with store.session() as session:
        load_catalog_as(session, ADMIN, [catalog_dir()])
    folder = _copy_bundled(tmp_path)

    def relabel(data: dict[str, Any]) -> None:
        data["templates"][0]["title"] = data["templates"][0]["title"] + "（改）"

    _edit(folder / "dibao.json", relabel)
    with store.session() as session, pytest.raises(CatalogRejected, match="版本不可修改"):
        load_catalog_as(session, ADMIN, [folder])
    with store.session() as session:
        titles = [t.title for t in session.scalars(select(FormTemplateVersion))]
    assert not any(title.endswith("（改）") for title in titles)

    # The same change under a new version number is accepted; the old version is kept for old cases.
    def bump(data: dict[str, Any]) -> None:
        relabel(data)
        data["templates"][0]["version"] += 1
        data["items"][0]["form_template"]["version"] += 1

    folder2 = _copy_bundled(tmp_path / "v2")
    _edit(folder2 / "dibao.json", bump)
    with store.session() as session:
        load_catalog_as(session, ADMIN, [folder2])
    with store.session() as session:
        item, old = session.scalars(
            select(Item).where(Item.name == "最低生活保障").order_by(Item.active.desc())
        ).all()
        versions = session.scalars(
            select(FormTemplateVersion.version).where(
                FormTemplateVersion.template_key == item.template_key
            )
        ).all()
    assert (item.active, item.version, item.template_version) == (True, 2, 2)
    # The item's earlier version is kept as it was: its cases keep their form and rules.
    assert (old.active, old.version, old.template_version) == (False, 1, 1)
    assert sorted(versions) == [1, 2]


def test_item_dropped_from_a_release_is_deactivated_not_deleted(
    store: Store, tmp_path: Path
) -> None:
    with store.session() as session:
        load_catalog_as(session, ADMIN, [catalog_dir()])
    folder = _copy_bundled(tmp_path)
    (folder / "menpai_bianzhi.json").unlink()
    with store.session() as session:
        load_catalog_as(session, ADMIN, [folder])
    with store.session() as session:
        menpai = session.scalars(select(Item).where(Item.name.like("门牌%"))).one()
    assert menpai.active is False
    assert not any(name.startswith("门牌") for name in _names_in_force(store))


def test_cli_load_refuses_bad_files_and_loads_good_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "data"
    open_store(data_dir).close()
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": 1, "items": [', encoding="utf-8")
    assert main(["--data-dir", str(data_dir), "catalog", "load", str(bad)]) == 1
    assert "bad.json" in capsys.readouterr().err
    assert main(["--data-dir", str(data_dir), "catalog", "load", str(catalog_dir())]) == 0
    assert "已载入事项目录" in capsys.readouterr().out
    store = open_store(data_dir)
    assert len(_names_in_force(store)) == len(bundled_catalog().items)
    with store.reader() as session:  # audited like the same load from the 管理 desk
        (entry,) = session.scalars(
            select(AuditEntry).where(AuditEntry.event == audit.AuditEvent.CATALOG_LOADED)
        )
        assert entry.actor.startswith("cli:") and entry.subject == "catalog:2026.1-demo"
        assert audit.verify(session).ok
    store.close()
