"""Recording the resident's rating, off the UI thread. No Qt here.

The rating is the resident's, not the signed-in clerk's: it is written through
:func:`app.evaluations.service.record_window_rating`, which takes the invitation (who served,
which service) and no actor, in a write unit of its own."""

from __future__ import annotations

from app.evaluations.service import Invitation, record_window_rating
from ui.backend import DeskBackend
from ui.evaluation.panel import Rating


def record(backend: DeskBackend, invitation: Invitation, rating: Rating) -> None:
    """Blocking: call it in a runner task. Raises AppError (Chinese) when refused — the
    service already rated at the window, a 差评 without a reason — and then writes nothing."""
    with backend.store.session() as session:
        record_window_rating(
            session,
            invitation,
            rating.level,
            rating.reasons,
            rating.text,
            anonymous=rating.anonymous,
            now=backend.ctx.clock(),
            calendar=backend.calendar,
        )
