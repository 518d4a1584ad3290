"""好差评 on the workstation, in one place for the desks: the window rating (:mod:`rating`), the
差评整改 tasks (:mod:`tasks`) and the figures (:mod:`figures`)."""

from __future__ import annotations

from app.evaluations.figures import Satisfaction, satisfaction
from app.evaluations.rating import (
    SERVICE_ACTIONS,
    Invitation,
    RatingRefused,
    invitation_for,
    record_window_rating,
    service_of,
    task_due_after,
)
from app.evaluations.tasks import (
    StepView,
    TaskDetail,
    TaskRefused,
    TaskView,
    mask_name,
    open_tasks,
    overdue_tasks,
    take_step,
    task_detail,
)

__all__ = [
    "SERVICE_ACTIONS",
    "Invitation",
    "RatingRefused",
    "Satisfaction",
    "StepView",
    "TaskDetail",
    "TaskRefused",
    "TaskView",
    "invitation_for",
    "mask_name",
    "open_tasks",
    "overdue_tasks",
    "record_window_rating",
    "satisfaction",
    "service_of",
    "take_step",
    "task_detail",
    "task_due_after",
]
