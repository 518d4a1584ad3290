"""How each planned operation of a demo case is performed: the real use case it calls, as whom,
with what materials, opinions, result numbers and delivery."""

from __future__ import annotations

import random
from collections.abc import Sequence

from app.actor import Actor, Role
from app.cases import decisions as d
from app.cases import delivery, intake
from app.cases.context import CaseContext
from app.demo.clock import Clock
from app.demo.forms import id_number
from app.demo.items import promised_due
from app.demo.people import People
from app.demo.plans import Op, Plan
from app.demo.wording import (
    DENIALS,
    EXTENSIONS,
    OPINIONS,
    REFUSALS,
    RETURNS,
    SUPERVISOR_OPINIONS,
    SUPPLEMENT_HOW,
    SUSPENSIONS,
    TERMINATE_LATE,
    TERMINATIONS,
    WITHDRAWALS,
)
from app.workflow.fold import local_date


class Performer:
    def __init__(self, ctx: CaseContext, clock: Clock, people: People, rng: random.Random) -> None:
        self.ctx = ctx
        self.clock = clock
        self.people = people
        self.rng = rng
        self.result_serial = 0

    def materials(self, plan: Plan, keys: Sequence[str]) -> list[intake.MaterialIn]:
        return [intake.MaterialIn(k, plan.item.copies.get(k, 1)) for k in keys]

    def at_receipt(self, plan: Plan) -> list[intake.MaterialIn]:
        item = plan.item
        keys = [k for k in item.required if k not in plan.omitted]
        keys += [k for k in item.optional if self.rng.random() < 0.3]
        return self.materials(plan, keys)

    def step_actor(self, plan: Plan, step: int | None) -> Actor:
        role = plan.item.rules.step_role(step) if step is not None else None
        return self.people.supervisors[0] if role is Role.SUPERVISOR else plan.approver

    def result_no(self, plan: Plan) -> str:
        self.result_serial += 1
        return f"{plan.item.code}-{local_date(self.clock.now).year}-{self.result_serial:04d}"

    def perform(self, plan: Plan, op: Op) -> None:
        ctx, rng, item = self.ctx, self.rng, plan.item
        clerk, approver = plan.clerk, plan.approver
        supervisor = self.people.supervisors[0]
        kind = op.kind
        if kind == "receive":
            change = intake.receive_walk_in(ctx, clerk, item.id, plan.form, self.at_receipt(plan))
            plan.case_id = change.case_id
            return
        if kind == "draft":
            assert plan.proxy is not None and plan.proxy.id is not None
            change = intake.create_proxy_draft(
                ctx, plan.proxy.proxy, item.id, plan.form, plan.proxy.id
            )
            plan.case_id = change.case_id
            return
        case_id = plan.case_id
        assert case_id is not None
        if kind == "submit":
            assert plan.proxy is not None
            intake.submit(ctx, plan.proxy.proxy, case_id)
        elif kind == "receive_submitted":
            intake.receive_submitted(ctx, clerk, case_id, self.at_receipt(plan))
        elif kind == "request_supplement":
            missing = [
                {"name": item.material_names[k], "how": SUPPLEMENT_HOW} for k in plan.omitted
            ]
            d.request_supplement(ctx, clerk, case_id, missing)
        elif kind == "supplement":
            intake.supplement(ctx, clerk, case_id, self.materials(plan, plan.omitted))
        elif kind == "accept":
            d.accept(ctx, clerk, case_id)
        elif kind == "accept_deficiency":
            today = local_date(self.clock.now)
            promised = promised_due(ctx.calendar, item, today)
            due = min(ctx.calendar.add_working_days(today, min(item.days, 5)), promised)
            d.accept_with_deficiency(
                ctx, clerk, case_id, list(plan.omitted), due, commitment_signed=True
            )
        elif kind == "supply_deficient":
            d.supply_deficient(ctx, clerk, case_id, list(plan.omitted))
        elif kind == "refuse":
            reason, organ = rng.choice(REFUSALS)
            d.refuse(ctx, clerk, case_id, [reason], organ)
        elif kind == "start_review":
            d.start_review(ctx, approver, case_id)
        elif kind == "opinion":
            actor = self.step_actor(plan, op.step)
            texts = SUPERVISOR_OPINIONS if actor is supervisor else OPINIONS
            d.record_opinion(ctx, actor, case_id, rng.choice(texts))
        elif kind == "next_step":
            d.next_step(ctx, approver, case_id)
        elif kind == "report":
            d.report_to_county(ctx, approver, case_id, "乡镇审查完毕，报县级审批")
        elif kind == "county_returned":
            d.county_returned(ctx, approver, case_id, rng.choice(RETURNS))
        elif kind in ("county_result", "decide_town", "decide_clerk"):
            if kind == "decide_clerk":
                actor = clerk
            elif kind == "decide_town":
                actor = self.step_actor(plan, item.review[-1] if item.review else None)
            else:
                actor = approver
            outcome = d.record_county_result if kind == "county_result" else d.decide
            if plan.approved:
                outcome(ctx, actor, case_id, approved=True, result_no=self.result_no(plan))
            else:
                outcome(ctx, actor, case_id, approved=False, reasons=[rng.choice(DENIALS)])
        elif kind == "ready":
            d.mark_ready(ctx, clerk, case_id)
        elif kind == "deliver":
            self.deliver(plan, case_id)
        elif kind == "archive":
            d.archive(ctx, self.people.clerks[-1], case_id)
        elif kind == "suspend":
            reason, days = rng.choice(SUSPENSIONS)
            d.suspend(ctx, approver, case_id, reason, days)
        elif kind == "resume":
            d.resume(ctx, approver, case_id)
        elif kind == "extend":
            d.extend(ctx, supervisor, case_id, rng.choice((5, 10)), rng.choice(EXTENSIONS))
        elif kind == "reassign":
            others = [a for a in self.people.approvers if a is not approver]
            if others:
                plan.approver = rng.choice(others)
                d.reassign(ctx, supervisor, case_id, plan.approver.user_id)
        elif kind == "withdraw":
            actor = plan.proxy.proxy if plan.proxy is not None else clerk
            d.withdraw(ctx, actor, case_id, rng.choice(WITHDRAWALS))
        elif kind == "terminate":
            reason = TERMINATE_LATE if plan.deficiency else rng.choice(TERMINATIONS)
            d.terminate(ctx, approver, case_id, reason)
        else:
            raise AssertionError(f"unknown demo operation {kind!r}")

    def deliver(self, plan: Plan, case_id: int) -> None:
        ctx, rng = self.ctx, self.rng
        window = self.people.clerks[-1]
        applicant = plan.item.template.applicant_field()
        assert applicant is not None
        block = plan.form[applicant.key]
        if plan.delivery == "proxy" and plan.proxy is not None:
            assert plan.proxy.number is not None
            delivery.deliver_to_proxy(
                ctx, window, case_id, plan.proxy.proxy.display_name, plan.proxy.number
            )
        elif plan.delivery == "mail":
            address = (block.get("address") or {}).get("detail") or "清河镇人民路1号"
            tracking = f"EMS{rng.randrange(10**9, 10**10)}CN"
            d.deliver_by_mail(ctx, window, case_id, tracking, address)
        else:
            # The collector's card is checked against the applicant, as at the real window.
            name = block.get("legal_representative") or block["name"]
            card = block.get("id_number") or id_number(rng)
            delivery.deliver_to_applicant(ctx, window, case_id, name, card)
