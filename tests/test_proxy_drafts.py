"""A proxy agent's unfinished filing (未完成的代办申请) kept when the sitting ends: one per agent,
as typed, only under the agent's own authorization, and never in the 受理台's draft list."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import func, select

from app.cases import intake
from app.demo.forms import id_number
from app.errors import PermissionDenied
from app.intake import drafts, proxy_drafts
from db.models import IntakeDraft
from tests.centre import Centre, centre

__all__ = ["centre"]

ITEM = "高龄津贴"
FIRST_ID, SECOND_ID = id_number(random.Random(11)), id_number(random.Random(12))
HALF = {"residence": {"division_code": "511899101001", "detail": "幸福村3组"}, "bank_name": ""}


def _authorize(centre: Centre, name: str, id_number: str) -> int:
    return intake.register_authorization(
        centre.ctx,
        centre.actor("proxy"),
        {"name": name, "id_number": id_number, "phone": "13800138000"},
        ["DEMO-MZ-004"],
        dt.date(2026, 12, 31),
    ).authorization_id


def _count(centre: Centre) -> int:
    with centre.store.reader() as session:
        return session.scalar(select(func.count()).select_from(IntakeDraft)) or 0


def test_kept_as_typed_one_per_agent_and_dropped(centre: Centre) -> None:
    agent = centre.actor("proxy")
    first = _authorize(centre, "王秀英", FIRST_ID)
    second = _authorize(centre, "李建国", SECOND_ID)
    item_id = centre.item_id(ITEM)
    with centre.store.session() as session:
        kept = proxy_drafts.keep_filing(session, agent, first, item_id, HALF)
    assert (kept.item_name, kept.resident_name) == (ITEM, "王秀英")
    with centre.store.reader() as session:
        back = proxy_drafts.unfinished_filing(session, agent)
        assert drafts.list_drafts(session, agent) == []  # not the 受理台's
    assert back is not None and back.form_data == HALF and back.authorization_id == first

    with centre.store.session() as session:  # a later sitting's filing replaces it
        proxy_drafts.keep_filing(session, agent, second, item_id, {"bank_name": "农商行"})
    with centre.store.reader() as session:
        back = proxy_drafts.unfinished_filing(session, agent)
    assert back is not None and back.resident_name == "李建国" and _count(centre) == 1

    with centre.store.session() as session:
        assert proxy_drafts.drop_filings(session, agent) == 1
    with centre.store.reader() as session:
        assert proxy_drafts.unfinished_filing(session, agent) is None


def test_only_a_proxy_under_their_own_authorization(centre: Centre) -> None:
    auth = _authorize(centre, "王秀英", FIRST_ID)
    item_id = centre.item_id(ITEM)
    with centre.store.session() as session, pytest.raises(PermissionDenied):
        proxy_drafts.keep_filing(session, centre.actor("clerk"), auth, item_id, HALF)
    assert _count(centre) == 0
