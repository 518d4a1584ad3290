"""A store with cases, made before global identities (revision 0002), upgraded to head: local ids
in action payloads become usernames and authorization numbers, every outbox row a complete
envelope, every case a uid, every item a version — and every case still the fold of its log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, text

from app.cases import decisions as d
from app.cases import intake
from app.cases import proxy as p
from app.demo.forms import sample_form_data
from app.validators import id_check_digit
from db.migrate import migrate
from db.models import CaseAction
from tests.cases.helpers import assert_consistent
from tests.centre import Centre

DIBAO = "最低生活保障"


def _cases(c: Centre) -> None:
    clerk, approver, supervisor = c.actor("clerk"), c.actor("approver"), c.actor("supervisor")
    walk_in = c.walk_in(DIBAO)
    d.accept(c.ctx, clerk, walk_in.case_id)
    d.start_review(c.ctx, approver, walk_in.case_id)
    d.reassign(c.ctx, supervisor, walk_in.case_id, c.actor("approver2").user_id)
    first17 = "51189919440312002"
    resident = {
        "name": "赵桂兰",
        "id_number": first17 + id_check_digit(first17),
        "phone": "13812345678",
    }
    item = c.item_id(DIBAO)
    auth = intake.register_authorization(
        c.ctx, c.actor("proxy"), resident, [_code(c, item)], dt.date(2026, 12, 31)
    ).authorization_id
    form = sample_form_data(c.template(DIBAO), c.rng)
    template = c.template(DIBAO).applicant_field()
    assert template is not None
    form.pop(template.key)
    p.file_for_resident(c.ctx, c.actor("proxy"), item, form, auth)


def _code(c: Centre, item_id: int) -> str:
    with c.store.reader() as session:
        return str(session.execute(text(f"SELECT code FROM items WHERE id = {item_id}")).scalar())


def _payloads(c: Centre) -> list[tuple[int, dict[str, Any]]]:
    with c.store.reader() as session:
        rows = session.execute(select(CaseAction.id, CaseAction.payload).order_by(CaseAction.id))
        return [(action_id, payload) for action_id, payload in rows]


def test_a_populated_store_is_converted_down_and_up(centre: Centre) -> None:
    c = centre
    _cases(c)
    before = _payloads(c)
    migrate(c.store.engine, "0002", down=True)
    with c.store.engine.connect() as conn:
        old = [str(v) for v in conn.execute(text("SELECT payload FROM case_actions")).scalars()]
        actors = set(conn.execute(text("SELECT actor_id FROM case_actions")).scalars())
    assert actors <= {c.actor(n).user_id for n in ("clerk", "approver", "supervisor", "proxy")}
    assert any(f'"assignee_id": {c.actor("approver2").user_id}' in v for v in old)
    assert any('"authorization_id": ' in v for v in old)

    migrate(c.store.engine, "head")
    with c.store.reader() as session:
        uids = session.execute(text("SELECT uid FROM cases")).scalars().all()
        triggers = session.execute(
            text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        ).scalars()
        assert {"case_actions_no_update", "case_actions_no_delete"} <= set(triggers)
    # Usernames and authorization numbers again, as the engine wrote them.
    assert _payloads(c) == before
    assert len(set(uids)) == len(uids) == 2 and all(len(u) == 36 for u in uids)
    assert_consistent(c.store, c.ctx.calendar)
