"""A case keeps the rules it was accepted under: a catalogue reload adds item versions, never
edits them, so a due date already printed on a 受理通知书 stays where it was."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.cases import decisions as d
from app.catalog.loader import bundled_catalog
from app.catalog.service import install_catalog
from app.printing.facts import gather
from db.models import Item, ItemStep
from tests.cases.helpers import assert_consistent, case_row
from tests.centre import Centre

DIBAO = "最低生活保障"  # promised in 25 working days


def _reload_with_shorter_promise(c: Centre, days: int) -> None:
    catalog = bundled_catalog()
    items = [
        item.model_copy(
            update={"promised_limit": item.promised_limit.model_copy(update={"days": days})}
        )
        if item.name == DIBAO
        else item
        for item in catalog.items
    ]
    with c.store.session() as session, session.begin():
        install_catalog(
            session, catalog.model_copy(update={"items": items}), loaded_by="test-reload"
        )


def _notice(c: Centre, case_id: int) -> str:
    with c.store.reader() as session:
        facts = gather(
            session,
            case_id,
            title="受理通知书",
            reprint=False,
            printed_by="clerk",
            today=dt.date(2026, 3, 2),
        )
    return str(facts)


def test_a_reload_never_moves_a_printed_due_date(centre: Centre) -> None:
    c = centre
    clerk, approver = c.actor("clerk"), c.actor("approver")
    old_item = c.item_id(DIBAO)
    accepted = c.walk_in(DIBAO)
    d.accept(c.ctx, clerk, accepted.case_id)
    printed = case_row(c.store, accepted.case_id).due_date
    assert printed == dt.date(2026, 4, 7)  # Mon 2 March + 25 working days, 清明 skipped
    assert "2026年4月7日" in _notice(c, accepted.case_id)

    _reload_with_shorter_promise(c, days=1)
    d.start_review(c.ctx, approver, accepted.case_id)  # the next action folds the case again

    row = case_row(c.store, accepted.case_id)
    assert row.due_date == printed
    assert "2026年4月7日" in _notice(c, accepted.case_id)  # a 补打 says what the first said
    assert row.item_id == old_item
    # A case filed after the reload is under the new version and its shorter promise.
    later = c.walk_in(DIBAO)
    d.accept(c.ctx, clerk, later.case_id)
    assert case_row(c.store, later.case_id).due_date == dt.date(2026, 3, 3)
    assert case_row(c.store, later.case_id).item_id == c.item_id(DIBAO) != old_item
    assert_consistent(c.store, c.ctx.calendar)


def test_item_versions_are_never_edited(centre: Centre) -> None:
    c = centre
    with c.store.reader() as session:
        before = session.scalars(select(Item).where(Item.name == DIBAO)).one()
        steps_before = session.scalars(
            select(ItemStep.name).where(ItemStep.item_id == before.id)
        ).all()
    _reload_with_shorter_promise(c, days=1)
    _reload_with_shorter_promise(c, days=1)  # the same content again: no third version
    _reload_with_shorter_promise(c, days=25)  # back to the first content: that version again
    with c.store.reader() as session:
        rows = session.scalars(select(Item).where(Item.name == DIBAO).order_by(Item.version)).all()
        steps_after = session.scalars(
            select(ItemStep.name).where(ItemStep.item_id == before.id)
        ).all()
    assert [(r.version, r.promised_limit_days, r.active) for r in rows] == [
        (1, 25, True),
        (2, 1, False),
    ]
    assert rows[0].content_hash == before.content_hash and rows[0].id == before.id
    assert steps_after == steps_before
