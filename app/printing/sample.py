"""``onewindow print sample``: every document type, rendered for demo cases in a throwaway store.

For people adjusting the layout templates in ``resources/documents/``: the demo centre's
catalogue and settings, a few cases walked through the use cases (accepted before 清明 so the
promised date skips the holiday, a 一次性告知, a refusal, a 容缺, an extension, a proxy filing
collected by the proxy), and one PDF per document type.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import settings
from app.actor import Actor, Role
from app.cases import decisions as d
from app.cases import delivery, intake
from app.cases.context import CaseContext
from app.catalog.loader import bundled_catalog
from app.demo.centre import DEMO_CENTRE_NAME, prepare_demo
from app.demo.forms import sample_form_data
from app.printing.kinds import DocKind
from app.printing.service import issue_document
from app.workcalendar import default_calendar
from app.workflow.fold import CHINA_TZ
from db.models import Item, ItemMaterial, ProxyAuthorization, User, UserRole
from db.store import Store, open_store

# Monday 30 March 2026, 10:00: a 承诺件 accepted now runs across 清明 (4–6 April).
SAMPLE_MOMENT = dt.datetime(2026, 3, 30, 10, 0, tzinfo=CHINA_TZ).astimezone(dt.UTC)
PROXY_ITEM = "高龄津贴"
WALK_IN_ITEM = "最低生活保障"
_RESIDENT_17 = "51189919440312002"


def _id_number(first17: str) -> str:
    from app.validators import id_check_digit

    return first17 + id_check_digit(first17)


def _users(session: Session) -> dict[str, Actor]:
    actors: dict[str, Actor] = {}
    people = {
        "clerk": ("李窗口", Role.CLERK),
        "approver": ("王审批", Role.APPROVER),
        "supervisor": ("张主任", Role.SUPERVISOR),
        "proxy": ("陈代办", Role.PROXY),
    }
    for username, (name, role) in people.items():
        user = User(username=f"sample-{username}", display_name=name, password_hash="!")
        session.add(user)
        session.flush()
        session.add(UserRole(user_id=user.id, role_code=role.value))
        actors[username] = Actor(user.id, user.username, name, frozenset({role}), "W01")
    return actors


class _Sample:
    def __init__(self, store: Store) -> None:
        prepare_demo(store)
        with store.session() as session, session.begin():
            self.actors = _users(session)
            settings.COMPLAINT_PHONE.set(session, "12345")
        self.store = store
        self.ctx = CaseContext(
            store.session, store.reader, default_calendar(), lambda: SAMPLE_MOMENT
        )
        self.rng = random.Random(2026)
        self.catalog = bundled_catalog()

    def item(self, name: str) -> tuple[int, list[str], list[str]]:
        """Item id, its required material keys, and those of them 容缺 allows."""
        with self.store.session() as session:
            item_id = session.scalars(select(Item.id).where(Item.name == name)).one()
            rows = session.scalars(
                select(ItemMaterial)
                .where(ItemMaterial.item_id == item_id, ItemMaterial.required)
                .order_by(ItemMaterial.position)
            ).all()
        return (
            item_id,
            [m.material_key for m in rows],
            [m.material_key for m in rows if m.deficiency_allowed],
        )

    def form(self, name: str) -> dict[str, object]:
        item = next(i for i in self.catalog.items if i.name == name)
        return sample_form_data(self.catalog.template_for(item), self.rng)

    def walk_in(self, name: str, leave_out: int = 0, keys: list[str] | None = None) -> int:
        item_id, required, _ = self.item(name)
        if keys is None:
            keys = required[: len(required) - leave_out]
        change = intake.receive_walk_in(
            self.ctx,
            self.actors["clerk"],
            item_id,
            self.form(name),
            [intake.MaterialIn(k) for k in keys],
        )
        return change.case_id

    def proxy_case(self) -> int:
        """Filed by a proxy under a 代办委托书, accepted, decided by the county, collected."""
        a = self.actors
        item_id, required, _ = self.item(PROXY_ITEM)
        code = next(i.code for i in self.catalog.items if i.name == PROXY_ITEM)
        resident = {"name": "赵桂兰", "id_number": _id_number(_RESIDENT_17), "phone": "13812345678"}
        auth_id = intake.register_authorization(
            self.ctx, a["proxy"], resident, [code], dt.date(2026, 12, 31)
        ).authorization_id
        draft = intake.create_proxy_draft(
            self.ctx, a["proxy"], item_id, self.form(PROXY_ITEM), auth_id
        )
        case_id = draft.case_id
        intake.submit(self.ctx, a["proxy"], case_id)
        intake.receive_submitted(
            self.ctx, a["clerk"], case_id, [intake.MaterialIn(k) for k in required]
        )
        d.accept(self.ctx, a["clerk"], case_id)
        d.start_review(self.ctx, a["approver"], case_id)
        d.record_opinion(self.ctx, a["approver"], case_id, "年龄核实无误，符合条件")
        d.report_to_county(self.ctx, a["approver"], case_id)
        d.record_county_result(
            self.ctx, a["approver"], case_id, approved=True, result_no="高龄津贴2026-0031"
        )
        d.mark_ready(self.ctx, a["clerk"], case_id)
        with self.store.session() as session:
            auth_no = session.scalars(
                select(ProxyAuthorization.authorization_no).where(ProxyAuthorization.id == auth_id)
            ).one()
        delivery.deliver_to_proxy(self.ctx, a["clerk"], case_id, "陈代办", auth_no)
        return case_id

    def cases(self) -> dict[DocKind, int]:
        a, k = self.actors, DocKind
        proxied = self.proxy_case()
        supplement = self.walk_in(WALK_IN_ITEM, leave_out=2)
        d.request_supplement(
            self.ctx,
            a["clerk"],
            supplement,
            [
                {"name": "户口簿", "how": "原件及全部成员页复印件各1份"},
                {"name": "家庭收入证明", "how": "由所在村（居）委会出具并盖章"},
            ],
        )
        refused = self.walk_in(WALK_IN_ITEM)
        d.refuse(self.ctx, a["clerk"], refused, ["申请人户籍不在本镇"], "户籍所在地乡镇人民政府")
        extended = self.walk_in(WALK_IN_ITEM)
        d.accept(self.ctx, a["clerk"], extended)
        d.extend(self.ctx, a["supervisor"], extended, 10, "需入户核查家庭经济状况")
        cases = {
            k.ACCEPTANCE_NOTICE: proxied,
            k.MATERIALS_RECEIPT: proxied,
            k.SUPPLEMENT_NOTICE: supplement,
            k.REFUSAL_NOTICE: refused,
            k.EXTENSION_NOTICE: extended,
            k.COMPLETION_NOTICE: proxied,
            k.DELIVERY_RECEIPT: proxied,
            k.PROXY_AUTHORIZATION: proxied,
        }
        cases[k.DEFICIENCY_NOTICE] = self.deficient()
        return cases

    def deficient(self) -> int:
        for item in self.catalog.items:
            _, required, allowed = self.item(item.name)
            if allowed and item.promised_limit.days >= 5:
                keys = [key for key in required if key != allowed[0]]
                case_id = self.walk_in(item.name, keys=keys)
                break
        else:  # pragma: no cover - the bundled catalogue has 容缺 materials
            raise LookupError("no item allows 容缺")
        d.accept_with_deficiency(
            self.ctx,
            self.actors["clerk"],
            case_id,
            allowed[:1],
            dt.date(2026, 4, 10),
            commitment_signed=True,
        )
        return case_id


@contextmanager
def sample_cases() -> Iterator[tuple[CaseContext, Actor, dict[DocKind, int]]]:
    """A throwaway store with the demo cases: (context, the clerk, the case of each kind)."""
    with tempfile.TemporaryDirectory(prefix="onewindow-sample-") as tmp:
        data = Path(tmp)
        store = open_store(data, data / "sample.key")
        try:
            sample = _Sample(store)
            yield sample.ctx, sample.actors["clerk"], sample.cases()
        finally:
            store.close()


def render_samples(
    out: Path, *, progress: Callable[[DocKind, Path], None] | None = None
) -> dict[DocKind, Path]:
    """Write ``<kind>.pdf`` for every document type into ``out``; returns what was written."""
    out.mkdir(parents=True, exist_ok=True)
    written: dict[DocKind, Path] = {}
    with sample_cases() as (ctx, clerk, cases):
        for kind in DocKind:
            doc = issue_document(ctx, clerk, cases[kind], kind, purpose="save")
            path = out / f"{kind.value}.pdf"
            path.write_bytes(doc.pdf)
            written[kind] = path
            if progress is not None:
                progress(kind, path)
    return written


__all__ = ["DEMO_CENTRE_NAME", "SAMPLE_MOMENT", "render_samples", "sample_cases"]
