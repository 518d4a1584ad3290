"""Two workstations' worth of writers at once: both succeed, in turn, with distinct numbers."""

from __future__ import annotations

import threading

from sqlalchemy import select

from app.errors import AppError
from db.models import Case
from tests.cases.helpers import assert_consistent
from tests.centre import Centre


def test_concurrent_walk_ins_queue_instead_of_failing(centre: Centre) -> None:
    errors: list[BaseException] = []

    def clerk_at_work() -> None:
        try:
            for _ in range(5):
                centre.walk_in("生育登记")
        except (AppError, Exception) as error:  # any failure is the finding
            errors.append(error)

    threads = [threading.Thread(target=clerk_at_work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    with centre.store.reader() as session:
        numbers = session.scalars(select(Case.receipt_no)).all()
    assert len(numbers) == len(set(numbers)) == 15
    assert_consistent(centre.store, centre.ctx.calendar)


def test_a_reader_does_not_wait_for_a_writer(centre: Centre) -> None:
    """The store hands each thread its own connection; a query in another thread reads the
    last committed state while a writer holds the write lock."""
    centre.walk_in("生育登记")
    seen: list[int] = []

    def read() -> None:
        with centre.store.reader() as reader:
            seen.append(len(reader.scalars(select(Case.id)).all()))

    with centre.store.session() as writer, writer.begin():
        writer.execute(select(Case.id)).all()  # BEGIN IMMEDIATE: holds the write lock
        thread = threading.Thread(target=read)
        thread.start()
        thread.join(timeout=5)
        assert not thread.is_alive(), "the reader waited for the writer"
    assert seen == [1]
