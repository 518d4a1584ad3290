"""Case deadlines in working and natural days, with suspensions, extensions and alert colours.

Every real-date expectation is worked out by hand in a comment from the State Council notices
(research §6); test_workcalendar.py checks those dates against chinesecalendar day by day.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.workcalendar import (
    Interval,
    NamedDay,
    WorkCalendar,
    YearTable,
    deadline_status,
    natural_deadline,
    remaining_working_days,
    working_deadline,
)

CAL = WorkCalendar()
NO_LIBRARY = WorkCalendar(use_library=False)


def d(text: str) -> date:
    return date.fromisoformat(text)


def table_2031() -> YearTable:
    """A made-up 2031 arrangement (no notice exists): 国庆 10-01..10-07, make-up 09-28, 10-11."""
    return YearTable(
        year=2031,
        holidays=tuple(NamedDay(d("2031-10-01") + timedelta(n), "国庆节") for n in range(7)),
        workdays=(NamedDay(d("2031-09-28"), "国庆节"), NamedDay(d("2031-10-11"), "国庆节")),
        source="测试用虚构安排",
        published=d("2030-11-01"),
    )


CAL_2031 = WorkCalendar({2031: table_2031()})


# --- working-day deadlines on real dates -------------------------------------------------------


def test_friday_before_spring_festival_2026() -> None:
    # Accepted Fri 2026-02-13 (not counted). 1: Sat 02-14 (make-up), 02-15..02-23 off,
    # 2: Tue 02-24, 3: Wed 02-25, 4: Thu 02-26, 5: Fri 02-27.
    deadline = working_deadline(CAL, d("2026-02-13"), 5)
    assert deadline.due == d("2026-02-27")
    assert not deadline.provisional and deadline.provisional_years == ()
    assert not deadline.suspended and deadline.paused_days == 0
    assert deadline.basis == "自受理日（2026-02-13）次日起算5个工作日"


def test_acceptance_on_a_makeup_saturday() -> None:
    # Accepted Sat 2026-02-28 (make-up working day, not counted): Mon 03-02, Tue 03-03, Wed 03-04.
    assert working_deadline(CAL, d("2026-02-28"), 3).due == d("2026-03-04")
    # Accepted Sun 2025-01-26 (make-up): 1: Mon 01-27, 01-28..02-04 off, 2: Wed 02-05.
    assert working_deadline(CAL, d("2025-01-26"), 2).due == d("2025-02-05")


def test_deadline_that_would_land_in_national_day_2025_moves_past_it() -> None:
    # Accepted Mon 2025-09-29: 1: Tue 09-30, 10-01..10-08 off, 2: Thu 10-09, 3: Fri 10-10.
    deadline = working_deadline(CAL, d("2025-09-29"), 3)
    assert deadline.due == d("2025-10-10")
    # With Mon–Fri only it would have been Thu 10-02, inside the holiday (and provisional).
    naive = working_deadline(NO_LIBRARY, d("2025-09-29"), 3)
    assert naive.due == d("2025-10-02")
    assert naive.provisional and naive.provisional_years == (2025,)


def test_mid_autumn_and_national_day_2026() -> None:
    # Accepted Fri 2026-09-18: 1: Sun 09-20 (make-up), 2..5: Mon 09-21 .. Thu 09-24.
    assert working_deadline(CAL, d("2026-09-18"), 5).due == d("2026-09-24")
    # 09-25..09-27 中秋 off; 6: Mon 09-28, 7: Tue 09-29.
    assert working_deadline(CAL, d("2026-09-18"), 7).due == d("2026-09-29")
    # 8: Wed 09-30, 10-01..10-07 off, 9: Thu 10-08, 10: Fri 10-09, 11: Sat 10-10 (make-up).
    assert working_deadline(CAL, d("2026-09-18"), 10).due == d("2026-10-09")
    assert working_deadline(CAL, d("2026-09-18"), 11).due == d("2026-10-10")


def test_zero_day_limit_is_due_on_acceptance_day() -> None:
    deadline = working_deadline(CAL, d("2026-02-13"), 0)
    assert deadline.due == d("2026-02-13")
    assert not deadline.provisional
    assert "即办" in deadline.basis
    # Even on a weekend service day, and even in a year without data.
    assert working_deadline(CAL, d("2026-03-07"), 0).due == d("2026-03-07")
    assert not working_deadline(CAL, d("2030-03-02"), 0).provisional


def test_extension_adds_working_days() -> None:
    # 2026-02-13 + 5 = 02-27; 3 more: 6: Sat 02-28 (make-up), 7: Mon 03-02, 8: Tue 03-03.
    deadline = working_deadline(CAL, d("2026-02-13"), 5, extension_working_days=3)
    assert deadline.due == d("2026-03-03")
    assert deadline.extension_days == 3
    assert "批准延期3个工作日" in deadline.basis


def test_suspension_spanning_spring_festival_2026() -> None:
    # Accepted Tue 2026-02-10, 5 working days; suspended Thu 02-12, resumed Wed 02-25.
    # 1: Wed 02-11; paused: Thu 02-12, Fri 02-13, Sat 02-14 (make-up), Tue 02-24 (4 working days;
    # 02-15..02-23 are holidays anyway); 2: Wed 02-25 (resume day counts), 3: Thu 02-26,
    # 4: Fri 02-27, 5: Sat 02-28 (make-up).
    suspension = Interval(d("2026-02-12"), d("2026-02-25"))
    deadline = working_deadline(CAL, d("2026-02-10"), 5, [suspension])
    assert deadline.due == d("2026-02-28")
    assert deadline.paused_days == 4
    assert not deadline.suspended
    assert "特别程序（挂起）期间4个工作日不计" in deadline.basis
    # Without it: 02-11, 02-12, 02-13, 02-14 (make-up), 02-24.
    assert working_deadline(CAL, d("2026-02-10"), 5).due == d("2026-02-24")


def test_same_day_resume_costs_nothing_and_overlaps_count_once() -> None:
    base = working_deadline(CAL, d("2026-03-02"), 10).due
    same_day = [Interval(d("2026-03-04"), d("2026-03-04"))]
    assert working_deadline(CAL, d("2026-03-02"), 10, same_day).due == base
    one = working_deadline(CAL, d("2026-03-02"), 10, [Interval(d("2026-03-04"), d("2026-03-06"))])
    both = working_deadline(
        CAL,
        d("2026-03-02"),
        10,
        [Interval(d("2026-03-04"), d("2026-03-06")), Interval(d("2026-03-05"), d("2026-03-06"))],
    )
    assert one == both
    assert one.paused_days == 2


def test_open_suspension_counts_up_to_as_of() -> None:
    # Accepted Mon 2026-03-02, 10 working days: normally 03-03..03-06 (4), 03-09..03-13 (9),
    # Mon 03-16 (10). Suspended since Wed 03-04, still open; as of Fri 03-06 the paused days are
    # 03-04 and 03-05, so if it resumed on 03-06 the due date would be Wed 03-18.
    open_since = Interval(d("2026-03-04"))
    assert working_deadline(CAL, d("2026-03-02"), 10).due == d("2026-03-16")
    deadline = working_deadline(CAL, d("2026-03-02"), 10, [open_since], as_of=d("2026-03-06"))
    assert deadline.due == d("2026-03-18")
    assert deadline.suspended and deadline.paused_days == 2
    assert "仍在挂起中" in deadline.basis
    # Four days later (as of Tue 03-10: 03-04, 03-05, 03-06, 03-09 paused) it has moved to 03-20.
    later = working_deadline(CAL, d("2026-03-02"), 10, [open_since], as_of=d("2026-03-10"))
    assert later.due == d("2026-03-20")


def test_interval_must_not_end_before_it_starts() -> None:
    with pytest.raises(ValueError):
        Interval(d("2026-03-05"), d("2026-03-04"))


def test_negative_limits_are_programming_errors() -> None:
    with pytest.raises(ValueError):
        working_deadline(CAL, d("2026-03-02"), -1)
    with pytest.raises(ValueError):
        natural_deadline(CAL, d("2026-03-02"), 1, extension_days=-1)


# --- years without data and explicit tables ----------------------------------------------------


def test_2027_is_counted_mon_to_fri_and_provisional() -> None:
    # Accepted Mon 2027-01-04: Tue 01-05 .. Fri 01-08 (4), Mon 01-11 (5).
    deadline = working_deadline(CAL, d("2027-01-04"), 5)
    assert deadline.due == d("2027-01-11")
    assert deadline.provisional and deadline.provisional_years == (2027,)
    assert "2027年的节假日安排尚未发布" in deadline.basis


def test_deadline_crossing_into_2027_is_provisional() -> None:
    # Accepted Mon 2026-12-28: 12-29, 12-30, 12-31, then 2027-01-01 (Friday, surely 元旦, but
    # unpublished, so counted as working), 2027-01-04.
    deadline = working_deadline(CAL, d("2026-12-28"), 5)
    assert deadline.due == d("2027-01-04")
    assert deadline.provisional_years == (2027,)


def test_2030_is_provisional() -> None:
    # Accepted Fri 2030-03-01: Mon 03-04 .. Fri 03-08.
    deadline = working_deadline(CAL, d("2030-03-01"), 5)
    assert deadline.due == d("2030-03-08")
    assert deadline.provisional_years == (2030,)


def test_explicit_table_for_2031_makes_it_non_provisional() -> None:
    # Accepted Fri 2031-09-26: 1: Sun 09-28 (make-up), 2: Mon 09-29, 3: Tue 09-30,
    # 10-01..10-07 off, 4: Wed 10-08, 5: Thu 10-09.
    deadline = working_deadline(CAL_2031, d("2031-09-26"), 5)
    assert deadline.due == d("2031-10-09")
    assert not deadline.provisional
    # Without the table: Mon 09-29 .. Fri 10-03, provisional.
    fallback = working_deadline(CAL, d("2031-09-26"), 5)
    assert fallback.due == d("2031-10-03")
    assert fallback.provisional_years == (2031,)


def test_explicit_table_for_2026_overrides_library() -> None:
    plain_2026 = YearTable(
        year=2026, holidays=(), workdays=(), source="测试：无节假日", published=None
    )
    cal = WorkCalendar({2026: plain_2026})
    # No 春节 in this table: Mon 02-16 .. Fri 02-20; and still not provisional.
    deadline = working_deadline(cal, d("2026-02-13"), 5)
    assert deadline.due == d("2026-02-20")
    assert not deadline.provisional


# --- natural-day deadlines ---------------------------------------------------------------------


def test_natural_deadline_landing_in_national_day_2026_rolls_forward() -> None:
    # 2026-09-20 + 11 days = Thu 10-01, a holiday; 10-02..10-07 off too; next working day Thu 10-08.
    deadline = natural_deadline(CAL, d("2026-09-20"), 11)
    assert deadline.due == d("2026-10-08")
    assert "顺延" in deadline.basis


def test_natural_deadline_landing_in_spring_festival_2025_rolls_forward() -> None:
    # 2025-01-20 + 10 days = Thu 01-30 (春节); off until Tue 02-04; next working day Wed 02-05.
    assert natural_deadline(CAL, d("2025-01-20"), 10).due == d("2025-02-05")


def test_natural_deadline_on_makeup_saturday_stays() -> None:
    # 2026-02-18 + 10 days = Sat 02-28, a make-up working day: no roll-forward.
    deadline = natural_deadline(CAL, d("2026-02-18"), 10)
    assert deadline.due == d("2026-02-28")
    assert "顺延" not in deadline.basis


def test_natural_deadline_with_suspension() -> None:
    # 2026-03-01 + 10 days, 03-03..03-05 suspended (resumed 03-06): 3 days more -> Sat 03-14,
    # an ordinary Saturday -> Mon 03-16.
    suspension = Interval(d("2026-03-03"), d("2026-03-06"))
    deadline = natural_deadline(CAL, d("2026-03-01"), 10, [suspension])
    assert deadline.due == d("2026-03-16")
    assert deadline.paused_days == 3


def test_natural_deadline_provisional_only_where_the_calendar_was_needed() -> None:
    # 2026-12-20 + 30 days = Tue 2027-01-19: only 2027 was consulted.
    deadline = natural_deadline(CAL, d("2026-12-20"), 30)
    assert deadline.due == d("2027-01-19")
    assert deadline.provisional_years == (2027,)
    # 2026-01-10 + 30 days = Mon 2026-02-09: nothing missing.
    assert not natural_deadline(CAL, d("2026-01-10"), 30).provisional
    assert natural_deadline(CAL, d("2026-03-07"), 0).due == d("2026-03-07")


# --- remaining days and alert colours ----------------------------------------------------------


def test_remaining_working_days_around_spring_festival_2026() -> None:
    due = d("2026-02-27")
    assert remaining_working_days(CAL, d("2026-02-13"), due) == 5
    assert remaining_working_days(CAL, d("2026-02-16"), due) == 4  # 02-24..02-27
    assert remaining_working_days(CAL, d("2026-02-25"), due) == 2
    assert remaining_working_days(CAL, due, due) == 0
    assert remaining_working_days(CAL, d("2026-02-28"), due) == -1  # make-up Saturday
    assert remaining_working_days(CAL, d("2026-03-02"), due) == -2


def test_overdue_on_the_weekend_is_already_negative() -> None:
    # Due Fri 2026-03-06; on Sat 03-07 and Sun 03-08 it is one day overdue, Mon 03-09 too.
    for today in ("2026-03-07", "2026-03-08", "2026-03-09"):
        assert remaining_working_days(CAL, d(today), d("2026-03-06")) == -1
    assert remaining_working_days(CAL, d("2026-03-10"), d("2026-03-06")) == -2


def test_deadline_status_colours() -> None:
    due = d("2026-02-27")
    assert deadline_status(CAL, d("2026-02-13"), due) == "green"
    assert deadline_status(CAL, d("2026-02-16"), due) == "green"  # 4 left
    assert deadline_status(CAL, d("2026-02-16"), due, yellow_at=4) == "yellow"
    assert deadline_status(CAL, d("2026-02-25"), due) == "yellow"  # 2 left
    assert deadline_status(CAL, due, due) == "yellow"
    assert deadline_status(CAL, due, due, yellow_at=-1) == "green"
    assert deadline_status(CAL, d("2026-02-28"), due) == "red"


# --- properties --------------------------------------------------------------------------------

calendars = st.sampled_from([CAL, NO_LIBRARY, CAL_2031])
acceptance = st.dates(min_value=date(2024, 1, 1), max_value=date(2031, 12, 31))
limits = st.integers(min_value=1, max_value=60)


@st.composite
def suspension_lists(draw: st.DrawFn) -> list[Interval]:
    result = []
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        start = draw(acceptance)
        end = draw(st.none() | st.integers(min_value=0, max_value=40))
        result.append(Interval(start, None if end is None else start + timedelta(end)))
    return result


@given(calendars, acceptance, limits)
def test_deadline_is_a_later_working_day(cal: WorkCalendar, accepted: date, n: int) -> None:
    deadline = working_deadline(cal, accepted, n)
    assert deadline.due > accepted
    assert cal.is_working_day(deadline.due)
    assert cal.working_days_between(accepted, deadline.due) == n
    assert remaining_working_days(cal, accepted, deadline.due) == n
    assert deadline.due == cal.add_working_days(accepted, n)
    assert deadline.provisional == bool(deadline.provisional_years)
    # The years counted through are those of the days after acceptance up to the due date.
    first_counted = accepted + timedelta(1)
    assert deadline.provisional_years == tuple(
        y for y in range(first_counted.year, deadline.due.year + 1) if not cal.has_data(y)
    )


@given(calendars, acceptance, limits, limits)
def test_deadline_is_monotone_in_the_limit(
    cal: WorkCalendar, accepted: date, a: int, b: int
) -> None:
    low, high = sorted((a, b))
    first, second = working_deadline(cal, accepted, low), working_deadline(cal, accepted, high)
    assert first.due <= second.due
    assert (first.due == second.due) == (low == high)


@given(
    calendars,
    acceptance,
    st.integers(min_value=0, max_value=40),
    suspension_lists(),
    st.integers(min_value=0, max_value=10),
    st.dates(min_value=date(2024, 1, 1), max_value=date(2032, 6, 30)),
)
def test_suspensions_and_extensions_never_move_the_deadline_earlier(
    cal: WorkCalendar,
    accepted: date,
    n: int,
    suspensions: list[Interval],
    extension: int,
    as_of: date,
) -> None:
    plain = working_deadline(cal, accepted, n)
    pushed = working_deadline(cal, accepted, n, suspensions, extension, as_of=as_of)
    assert pushed.due >= plain.due
    assert working_deadline(cal, accepted, n, extension_working_days=extension).due >= plain.due
    assert pushed.suspended == any(s.end is None for s in suspensions)
    if n + extension:
        assert cal.is_working_day(pushed.due)
        counted = cal.working_days_between(accepted, pushed.due)
        assert counted == n + extension + pushed.paused_days
    natural = natural_deadline(cal, accepted, n)
    natural_pushed = natural_deadline(cal, accepted, n, suspensions, extension, as_of=as_of)
    assert natural_pushed.due >= natural.due


@given(calendars, acceptance, st.integers(min_value=1, max_value=90))
def test_natural_deadline_is_first_working_day_on_or_after_last_day(
    cal: WorkCalendar, start: date, days: int
) -> None:
    last = start + timedelta(days)
    due = natural_deadline(cal, start, days).due
    assert due >= last and cal.is_working_day(due)
    assert all(not cal.is_working_day(last + timedelta(k)) for k in range((due - last).days))


@given(calendars, acceptance, st.dates(min_value=date(2024, 1, 1), max_value=date(2032, 6, 30)))
def test_red_exactly_when_overdue(cal: WorkCalendar, due: date, today: date) -> None:
    status = deadline_status(cal, today, due)
    assert (status == "red") == (today > due)
    assert (remaining_working_days(cal, today, due) < 0) == (today > due)
