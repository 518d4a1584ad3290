"""Keeping a half-filled walk-in intake as a draft: a short pause after the clerk's last change
saves the item, the form as typed and the ticked materials, in the background."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from app.errors import AppError
from app.intake import drafts as intake_drafts
from app.intake.drafts import DraftSummary
from ui.desk_base import DeskEnv
from ui.desks.intake.checks import has_input
from ui.form import FormView, MaterialsChecklist

AUTOSAVE_MS = 1200


class DraftKeeper(QObject):
    saved = Signal(object)  # DraftSummary
    failed = Signal(object)  # AppError
    discarded = Signal()

    def __init__(self, env: DeskEnv, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._env = env
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.save_now)
        self._form: FormView | None = None
        self._checklist: MaterialsChecklist | None = None
        self._item_id = 0
        self._token = ""
        self._stored = False  # a draft with this token exists in the store
        self._held = False

    @property
    def token(self) -> str:
        return self._token

    def watch(
        self,
        item_id: int,
        token: str,
        form: FormView,
        checklist: MaterialsChecklist,
        *,
        stored: bool,
    ) -> None:
        """Save this intake as draft ``token`` whenever it changes (``stored``: resumed)."""
        self.stop()
        self._item_id, self._token, self._stored = item_id, token, stored
        self._form, self._checklist = form, checklist
        self._held = False
        form.changed.connect(self._schedule)
        checklist.changed.connect(self._schedule)

    def stop(self) -> None:
        """Forget the intake (decided, discarded or replaced); nothing more is saved."""
        self._timer.stop()
        if self._form is not None and self._checklist is not None:
            self._form.changed.disconnect(self._schedule)
            self._checklist.changed.disconnect(self._schedule)
        self._form = self._checklist = None

    def hold(self, held: bool) -> None:
        """While a decision is on its way nothing is saved (the decision deletes the draft)."""
        self._held = held
        if held:
            self._timer.stop()

    def _schedule(self) -> None:
        if not self._held:
            self._timer.start()

    def pending(self) -> bool:
        return self._timer.isActive()

    def worth_keeping(self) -> bool:
        if self._form is None or self._checklist is None:
            return False
        return self._stored or has_input(self._form.value()) or bool(self._checklist.received())

    def save_now(self) -> bool:
        """Save at once if there is anything to keep; False if there was nothing."""
        self._timer.stop()
        if self._held or self._form is None or self._checklist is None:
            return False
        if not self.worth_keeping():
            return False
        backend = self._env.backend
        token, item_id = self._token, self._item_id
        form = self._form.value()
        ticked = {m.key: m.copies for m in self._checklist.received()}
        self._stored = True
        self._env.runner.write(
            lambda: backend.run(intake_drafts.save_draft, token, item_id, form, ticked),
            self._saved,
            self._failed,
            owner=self,
            changes_cases=False,  # a draft is in no case list: nothing else refreshes
        )
        return True

    def discard(self, token: str) -> None:
        """Delete the clerk's draft ``token`` from the store, in the background."""
        backend = self._env.backend
        self._env.runner.write(
            lambda: backend.run(intake_drafts.discard_draft, token),
            lambda _: self.discarded.emit(),
            self._failed,
            owner=self,
            changes_cases=False,  # the desk reads its drafts again on ``discarded``
        )

    def _saved(self, summary: DraftSummary) -> None:
        self.saved.emit(summary)

    def _failed(self, error: AppError) -> None:
        self.failed.emit(error)
