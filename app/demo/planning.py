"""Which demo cases to make and their paths: how many of each state, the item each is for (every
item gets cases, popular ones more), the proxy filing some, and the operations (收件, 受理,
审查意见, 上报, 办结, 出件 …) with working-day gaps that take each case to its state."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping

from app.demo.forms import id_number, mobile, person_name, sample_form_data
from app.demo.items import DemoItem
from app.demo.people import People
from app.demo.plans import Authorization, Op, Plan
from app.demo.timeline import Timeline
from app.workflow.states import CaseState

S = CaseState

# How a real centre's cases are spread after two months: most are finished; every state appears.
STATE_MIX: Mapping[CaseState, int] = {
    S.ARCHIVED: 20,
    S.DELIVERED: 9,
    S.AWAITING_DELIVERY: 6,
    S.DECIDED: 4,
    S.WITH_COUNTY: 9,
    S.IN_REVIEW: 13,
    S.ACCEPTED: 8,
    S.RECEIVED: 6,
    S.AWAITING_SUPPLEMENT: 4,
    S.SUBMITTED: 3,
    S.DRAFT: 3,
    S.REFUSED: 4,
    S.SUSPENDED: 4,
    S.WITHDRAWN: 3,
    S.TERMINATED: 4,
}
CLOCK_TARGETS = (S.ACCEPTED, S.IN_REVIEW, S.WITH_COUNTY)
# How often residents ask for each bundled item (anything not listed: 1).
POPULARITY: Mapping[str, int] = {
    "DEMO-MZ-004": 5,  # 高龄津贴
    "DEMO-MZ-006": 5,  # 老年人优待证
    "DEMO-WJ-001": 4,  # 生育登记
    "DEMO-RS-001": 4,  # 城乡居民养老保险参保登记
    "DEMO-RS-002": 3,  # 就业创业证
    "DEMO-MZ-001": 3,  # 最低生活保障
    "DEMO-MZ-002": 3,  # 临时救助
    "DEMO-CL-001": 2,
    "DEMO-CL-002": 2,
    "DEMO-MZ-005": 2,
    "DEMO-SJ-002": 2,
    "DEMO-NY-001": 2,
}
# Back-office categories of the second approver (see app.demo.users: 农业农村与建设类).
SECOND_APPROVER_CATEGORIES = frozenset({"农业农村", "规划建设", "林业", "市场监管"})
RESIDENTS_PER_PROXY = 6


class Planner:
    def __init__(
        self,
        rng: random.Random,
        timeline: Timeline,
        items: list[DemoItem],
        people: People,
    ) -> None:
        self.rng = rng
        self.timeline = timeline
        self.items = items
        self.people = people
        self.unused = {i.code for i in items}
        self.authorizations: list[Authorization] = []
        self.clock_count = 0
        self.received_count = 0
        self.delivery_count = 0
        self.proxy_turn = 0

    # targets and items

    def targets(self, n: int) -> list[CaseState]:
        counts = dict.fromkeys(CaseState, 1)
        extra = n - len(counts)
        total = sum(STATE_MIX.values())
        shares = {s: extra * STATE_MIX[s] / total for s in CaseState}
        for s in CaseState:
            counts[s] += int(shares[s])
        rest = n - sum(counts.values())
        for s in sorted(CaseState, key=lambda s: shares[s] - int(shares[s]), reverse=True)[:rest]:
            counts[s] += 1
        order = [s for s in CaseState for _ in range(counts[s])]
        self.rng.shuffle(order)
        return order

    def pick_item(self, fits: Callable[[DemoItem], bool]) -> DemoItem:
        candidates = [i for i in self.items if fits(i)]
        assert candidates, "the catalogue has no item for this demo case"
        fresh = [i for i in candidates if i.code in self.unused]
        if fresh:  # every item of the catalogue gets cases
            choice = self.rng.choice(fresh)
        else:
            weights = [POPULARITY.get(i.code, 1) for i in candidates]
            choice = self.rng.choices(candidates, weights)[0]
        self.unused.discard(choice.code)
        return choice

    def authorization_for(self, item: DemoItem) -> Authorization:
        proxy = self.people.proxies[self.proxy_turn % len(self.people.proxies)]
        self.proxy_turn += 1
        own = [a for a in self.authorizations if a.proxy is proxy]
        if len(own) < RESIDENTS_PER_PROXY:
            auth = Authorization(
                proxy,
                {
                    "name": person_name(self.rng),
                    "id_number": id_number(self.rng),
                    "phone": mobile(self.rng),
                },
                [],
            )
            self.authorizations.append(auth)
        else:
            auth = self.rng.choice(own)
        if item.code not in auth.matters:
            auth.matters.append(item.code)  # registered after planning, with all its matters
        return auth

    # one case

    def plan(self, index: int, target: CaseState) -> Plan:
        rng = self.rng
        via_proxy = target in (S.DRAFT, S.SUBMITTED) or rng.random() < 0.08
        delivery = "window"
        if target in (S.DELIVERED, S.ARCHIVED):
            delivery = self._delivery()
            via_proxy = via_proxy or delivery == "proxy"
        deficiency = False
        urgency = "normal"
        if target in CLOCK_TARGETS:
            urgency = self._urgency()
            deficiency = rng.random() < (0.35 if target is S.ACCEPTED else 0.15)
        elif target is S.TERMINATED:
            deficiency = rng.random() < 0.6
        elif target in (S.DECIDED, S.AWAITING_DELIVERY, S.DELIVERED, S.ARCHIVED):
            deficiency = rng.random() < 0.1
        elif target is S.SUSPENDED:
            deficiency = rng.random() < 0.15

        def fits(item: DemoItem) -> bool:
            if via_proxy and item.legal_only:
                return False
            if deficiency and (not item.deficient or item.days == 0):
                return False
            if target in (*CLOCK_TARGETS, S.SUSPENDED) and item.days == 0:
                return False
            if target is S.IN_REVIEW and not item.review:
                return False
            if target is S.WITH_COUNTY and not item.county:
                return False
            return not (urgency == "nearly" and item.days < 2)

        item = self.pick_item(fits)
        form = sample_form_data(item.template, rng)
        clerk = rng.choice(self.people.clerks)
        second = item.category in SECOND_APPROVER_CATEGORIES
        approver = self.people.approvers[-1 if second else 0]
        plan = Plan(index, target, item, form, clerk, approver, delivery=delivery)
        plan.deficiency = deficiency
        if via_proxy:
            plan.proxy = self.authorization_for(item)
            applicant = item.template.applicant_field()
            assert applicant is not None
            block = dict(form[applicant.key])
            block.update(plan.proxy.resident)
            form[applicant.key] = block
        plan.approved = rng.random() < 0.9
        self._script(plan, urgency)
        return plan

    def _delivery(self) -> str:
        n = self.delivery_count
        self.delivery_count += 1
        if n < 3:
            return ("window", "proxy", "mail")[n]
        return self.rng.choices(("window", "mail", "proxy"), (7, 2, 1))[0]

    def _urgency(self) -> str:
        n = self.clock_count
        self.clock_count += 1
        if n < 3:
            return ("overdue", "nearly", "fresh")[n]
        return self.rng.choices(("overdue", "nearly", "normal"), (15, 15, 70))[0]

    # the operations of one case

    def _script(self, plan: Plan, urgency: str) -> None:
        rng, item, target = self.rng, plan.item, plan.target
        ops = plan.ops
        supplement = False
        if plan.deficiency:
            plan.omitted = tuple(
                rng.sample(item.deficient, rng.randint(1, min(2, len(item.deficient))))
            )
        elif target is S.AWAITING_SUPPLEMENT or (
            target not in (S.DRAFT, S.SUBMITTED) and rng.random() < 0.12
        ):
            supplement = True
            plan.omitted = tuple(rng.sample(item.required, min(len(item.required), 2)))
            if len(plan.omitted) > 1 and rng.random() < 0.5:
                plan.omitted = plan.omitted[:1]

        # 收件
        if plan.proxy is not None:
            ops.append(Op("draft"))
            if target is S.DRAFT:
                return self.timeline.anchor_start(plan)
            if target is S.WITHDRAWN and rng.random() < 0.3:
                ops.append(Op("withdraw", rng.randint(1, 4)))
                return self.timeline.anchor_start(plan)
            ops.append(Op("submit", rng.randint(0, 2)))
            if target is S.SUBMITTED:
                return self.timeline.anchor_start(plan)
            ops.append(Op("receive_submitted", rng.randint(0, 3)))
        else:
            ops.append(Op("receive"))
        if supplement:
            ops.append(Op("request_supplement"))
            if target is S.AWAITING_SUPPLEMENT:
                return self.timeline.anchor_start(plan)
            ops.append(Op("supplement", rng.randint(1, 5)))
        if target is S.RECEIVED:
            self.received_count += 1
            late = self.received_count == 1 or rng.random() < 0.5
            back = rng.randint(6, 20) if late else rng.randint(1, 3)
            return self.timeline.anchor(plan, len(ops) - 1, back)
        if target is S.REFUSED:
            ops.append(Op("refuse", rng.randint(0, 1)))
            return self.timeline.anchor_start(plan)
        if target is S.WITHDRAWN and rng.random() < 0.4:
            ops.append(Op("withdraw", rng.randint(0, 3)))
            return self.timeline.anchor_start(plan)

        # 受理
        ops.append(Op("accept_deficiency" if plan.deficiency else "accept", rng.randint(0, 1)))
        accept_at = len(ops) - 1
        if target is S.TERMINATED and plan.deficiency:
            # The promised materials never came: terminated after their due date.
            ops.append(Op("terminate", min(item.days, 5) + rng.randint(1, 3)))
            return self.timeline.anchor_start(plan)
        if target is S.ACCEPTED:
            self._extras(plan, review=False, urgency=urgency)
            return self.timeline.anchor_clock(plan, accept_at, urgency)
        if target is S.SUSPENDED and (not item.review or rng.random() < 0.4):
            ops.append(Op("suspend", rng.randint(1, 3)))
            return self.timeline.anchor_start(plan)
        needs_decision = target in (S.DECIDED, S.AWAITING_DELIVERY, S.DELIVERED, S.ARCHIVED)
        if plan.deficiency and needs_decision:
            ops.append(Op("supply_deficient", rng.randint(1, min(item.days, 5))))

        # 即办 at the window
        if item.instant:
            if target is S.WITHDRAWN or target is S.TERMINATED:
                kind = "withdraw" if target is S.WITHDRAWN else "terminate"
                ops.append(Op(kind, 0))
                return self.timeline.anchor_start(plan)
            ops.append(Op("decide_clerk"))
            return self._delivery_ops(plan)

        # 乡镇审查
        if item.review:
            ops.append(Op("start_review", rng.randint(0, 2)))
            review_ops: list[Op] = []
            for n, step in enumerate(item.review):
                if n:
                    review_ops.append(Op("next_step", rng.randint(0, 1)))
                review_ops.append(Op("opinion", rng.randint(1, 3), step))
            if target is S.IN_REVIEW and not (item.county and rng.random() < 0.25):
                ops.extend(review_ops[: rng.randint(0, len(review_ops))])
                self._extras(plan, review=True, urgency=urgency)
                return self.timeline.anchor_clock(plan, accept_at, urgency)
            if target in (S.SUSPENDED, S.WITHDRAWN, S.TERMINATED):
                ops.extend(review_ops[: rng.randint(0, len(review_ops))])
                kind = {S.SUSPENDED: "suspend", S.WITHDRAWN: "withdraw"}.get(target, "terminate")
                ops.append(Op(kind, rng.randint(1, 4)))
                return self.timeline.anchor_start(plan)
            ops.extend(review_ops)
            if needs_decision and rng.random() < 0.15:
                ops.insert(accept_at + 2, Op("reassign", rng.randint(0, 1)))
            if needs_decision and rng.random() < 0.12:
                ops.extend((Op("suspend", 1), Op("resume", rng.randint(2, 6))))
        elif target in (S.SUSPENDED, S.WITHDRAWN, S.TERMINATED):
            kind = {S.SUSPENDED: "suspend", S.WITHDRAWN: "withdraw"}.get(target, "terminate")
            ops.append(Op(kind, rng.randint(1, 4)))
            return self.timeline.anchor_start(plan)

        if not item.county:  # decided in the town by the last step's role
            ops.append(Op("decide_town", rng.randint(0, 1)))
            return self._delivery_ops(plan)

        # 上报县级
        ops.append(Op("report", rng.randint(0, 2)))
        if item.review and (target is S.IN_REVIEW or rng.random() < 0.1):
            ops.append(Op("county_returned", rng.randint(3, 6)))
            if target is S.IN_REVIEW:
                return self.timeline.anchor_clock(plan, accept_at, urgency)
            ops.append(Op("opinion", rng.randint(1, 2), item.review[-1]))
            ops.append(Op("report", rng.randint(0, 1)))
        if target is S.WITH_COUNTY:
            return self.timeline.anchor_clock(plan, accept_at, urgency)
        ops.append(Op("county_result", rng.randint(2, 8)))
        self._delivery_ops(plan)

    def _extras(self, plan: Plan, *, review: bool, urgency: str) -> None:
        """Reassignment and extension on some cases still in the back office."""
        rng = self.rng
        if review and rng.random() < 0.15:
            plan.ops.append(Op("reassign", rng.randint(0, 2)))
        if urgency == "normal" and rng.random() < 0.2:
            plan.ops.append(Op("extend", rng.randint(1, 3)))
        if urgency == "normal" and plan.deficiency and rng.random() < 0.3:
            plan.ops.append(Op("supply_deficient", 1))

    def _delivery_ops(self, plan: Plan) -> None:
        rng, target, ops = self.rng, plan.target, plan.ops
        if target is not S.DECIDED:
            ops.append(Op("ready", rng.randint(0, 2)))
            if target is not S.AWAITING_DELIVERY:
                ops.append(Op("deliver", rng.randint(1, 5)))
                if target is S.ARCHIVED:
                    ops.append(Op("archive", rng.randint(0, 3)))
        self.timeline.anchor_start(plan)
