"""benchmarks/desks.py still runs its in-process parts (no timings asserted: DESIGN §9)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from app.actor import Role
from app.cases import decisions
from benchmarks import desks
from tests.centre import Centre
from ui.backend import DeskBackend
from ui.worker import Runner


def test_the_desk_benchmark_measures_queue_form_and_stalls(
    qapp: QApplication, centre: Centre
) -> None:
    for _ in range(3):
        change = centre.walk_in("最低生活保障")
        decisions.accept(centre.ctx, centre.actor("clerk"), change.case_id)
    runner = Runner()
    approver = DeskBackend(
        centre.store,
        centre.ctx.calendar,
        desks.actor_for(centre.store, Role.APPROVER),
        centre.clock,
    )
    clerk = DeskBackend(centre.store, centre.ctx.calendar, centre.actor("clerk"), centre.clock)
    elapsed, total = desks.queue_on_screen(qapp, runner, approver)
    assert total == 3 and elapsed > 0

    meter, counts = desks.stall_while_working(
        qapp, runner, centre.store, approver, clerk, desks.every_case
    )
    assert counts["writes"] == 7 and counts["rows"] == 3 + 7  # the walk-ins it made
    assert meter.gaps and meter.longest >= max(meter.gaps)

    worst, worst_time, all_times = desks.largest_form(qapp)
    assert worst and len(all_times) == 16 and worst_time == max(all_times)
    runner.shutdown()
