"""Intake drafts (收件草稿) kept per user, and the 容缺 due date the front desk offers."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.catalog.service import items_in_force
from app.errors import NotFound, PermissionDenied, ValidationError
from app.intake import drafts
from app.intake.spec import (
    default_deficiency_due,
    intake_spec,
    pickable_items,
    promised_due,
)
from db.models import IntakeDraft, Item
from tests.centre import Centre, centre

__all__ = ["centre"]

DIBAO = "最低生活保障"
FORM = {
    "applicant": {"kind": "natural_person", "name": " 王秀英 ", "id_number": "5118991980"},
    "family_size": 3,
    "monthly_income": "1200.50",
    "consent": False,
}


def _count(centre: Centre) -> int:
    with centre.store.reader() as session:
        return session.scalar(select(func.count()).select_from(IntakeDraft)) or 0


def test_a_draft_is_saved_listed_loaded_exactly_and_overwritten(centre: Centre) -> None:
    clerk = centre.actor("clerk")
    item_id = centre.item_id(DIBAO)
    with centre.store.session() as session:
        saved = drafts.save_draft(session, clerk, "t1", item_id, FORM, {"application": 1})
    assert (saved.label, saved.item_name) == ("王秀英", DIBAO)
    with centre.store.reader() as session:
        listed = drafts.list_drafts(session, clerk)
        loaded = drafts.load_draft(session, clerk, "t1")
    assert [d.token for d in listed] == ["t1"]
    assert loaded.form_data == FORM and loaded.materials == {"application": 1}
    assert loaded.item_id == item_id

    changed = {**FORM, "family_size": 4}
    with centre.store.session() as session:
        drafts.save_draft(session, clerk, "t1", item_id, changed, {"photo": 2})
    with centre.store.reader() as session:
        loaded = drafts.load_draft(session, clerk, "t1")
    assert loaded.form_data["family_size"] == 4 and loaded.materials == {"photo": 2}
    assert _count(centre) == 1  # the same draft, not a second one


def test_drafts_are_listed_newest_first_and_only_the_owners(centre: Centre) -> None:
    clerk, other = centre.actor("clerk"), centre.actor("clerk2")
    item_id = centre.item_id(DIBAO)
    with centre.store.session() as session:
        drafts.save_draft(session, clerk, "a", item_id, {}, {})
    with centre.store.session() as session:
        drafts.save_draft(session, clerk, "b", item_id, FORM, {})
    with centre.store.session() as session:
        drafts.save_draft(session, other, "c", item_id, FORM, {})
    with centre.store.reader() as session:
        mine = drafts.list_drafts(session, clerk)
        theirs = drafts.list_drafts(session, other)
    assert [d.token for d in mine] == ["b", "a"]
    assert mine[1].label == drafts.NO_NAME
    assert [d.token for d in theirs] == ["c"]


def test_another_users_draft_can_be_neither_read_nor_changed_nor_deleted(centre: Centre) -> None:
    clerk, other = centre.actor("clerk"), centre.actor("clerk2")
    item_id = centre.item_id(DIBAO)
    with centre.store.session() as session:
        drafts.save_draft(session, clerk, "mine", item_id, FORM, {})
    with centre.store.reader() as session, pytest.raises(PermissionDenied):
        drafts.load_draft(session, other, "mine")
    with centre.store.session() as session, pytest.raises(PermissionDenied):
        drafts.save_draft(session, other, "mine", item_id, {}, {})
    with centre.store.session() as session, pytest.raises(PermissionDenied):
        drafts.discard_draft(session, other, "mine")
    with centre.store.reader() as session:
        assert drafts.load_draft(session, clerk, "mine").form_data == FORM


def test_discard_deletes_and_is_idempotent(centre: Centre) -> None:
    clerk = centre.actor("clerk")
    with centre.store.session() as session:
        drafts.save_draft(session, clerk, "x", centre.item_id(DIBAO), FORM, {})
    with centre.store.session() as session:
        assert drafts.discard_draft(session, clerk, "x") is True
    with centre.store.session() as session:
        assert drafts.discard_draft(session, clerk, "x") is False
    with centre.store.reader() as session, pytest.raises(NotFound, match="找不到这份草稿"):
        drafts.load_draft(session, clerk, "x")
    assert _count(centre) == 0


@pytest.mark.parametrize(
    ("token", "materials", "field"),
    [
        ("", {}, "草稿"),
        ("x" * 41, {}, "草稿"),
        ("t", {"photo": 0}, "份数"),
        ("t", {"a": True}, "份数"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(
    centre: Centre, token: str, materials: dict[str, int], field: str
) -> None:
    with centre.store.session() as session, pytest.raises(ValidationError) as caught:
        drafts.save_draft(
            session, centre.actor("clerk"), token, centre.item_id(DIBAO), FORM, materials
        )
    assert caught.value.field == field
    assert _count(centre) == 0


def test_a_form_that_is_not_json_is_refused(centre: Centre) -> None:
    with centre.store.session() as session, pytest.raises(ValidationError, match="无法保存"):
        drafts.save_draft(
            session,
            centre.actor("clerk"),
            "t",
            centre.item_id(DIBAO),
            {"when": dt.date.today()},
            {},
        )
    assert _count(centre) == 0


def test_a_draft_of_an_item_no_longer_in_force_cannot_be_saved_or_resumed(
    centre: Centre,
) -> None:
    clerk = centre.actor("clerk")
    item_id = centre.item_id(DIBAO)
    with centre.store.session() as session:
        drafts.save_draft(session, clerk, "t", item_id, FORM, {})
    with centre.store.session() as session, session.begin():
        item = session.get(Item, item_id)
        assert item is not None
        item.active = False
    with centre.store.reader() as session, pytest.raises(NotFound, match="放弃该草稿"):
        drafts.load_draft(session, clerk, "t")
    with centre.store.session() as session, pytest.raises(NotFound):
        drafts.save_draft(session, clerk, "t", item_id, FORM, {})
    with centre.store.reader() as session:
        assert [d.token for d in drafts.list_drafts(session, clerk)] == ["t"]  # still discardable


def test_default_deficiency_due_is_a_few_working_days_out_within_the_promise(
    centre: Centre,
) -> None:
    today = dt.date(2026, 3, 2)  # Monday
    calendar = centre.ctx.calendar
    with centre.store.reader() as session:
        dibao = intake_spec(session, centre.item_id(DIBAO))  # 25 working days
        instant = intake_spec(session, centre.item_id("生育登记"))  # 即办件
        short = intake_spec(session, centre.item_id("高龄津贴"))
    assert promised_due(dibao, calendar, today) == dt.date(2026, 4, 7)
    assert default_deficiency_due(dibao, calendar, today) == dt.date(2026, 3, 9)
    assert default_deficiency_due(instant, calendar, today) is None
    due = default_deficiency_due(short, calendar, today)
    assert due is not None and today < due <= promised_due(short, calendar, today)
    # Before a holiday the due date still lands on a working day: 清明 4/4-4/6.
    assert default_deficiency_due(dibao, calendar, dt.date(2026, 4, 2)) == dt.date(2026, 4, 10)


def test_pickable_items_match_name_short_name_initials_and_code(centre: Centre) -> None:
    with centre.store.reader() as session:
        items = pickable_items(session)
        assert len(items) == len(items_in_force(session))
    dibao = next(i for i in items if i.summary.name == DIBAO)
    for text in ("最低", "低保", "zdsh", "ZDSHBZ", "demo-mz-001", ""):
        assert dibao.matches(text), text
    assert not dibao.matches("gljt")
    assert [i.summary.name for i in items if i.matches("低保")] == [DIBAO]
