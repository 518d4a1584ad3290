"""Typed ID numbers fill 出生日期 and 性别: when the applicant's ID number passes the ID check,
the form's 出生日期 and 性别 fields (if it has them) get the birth date and sex the number
encodes — unless the clerk typed something else there (``app.idcard.fill.id_values``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

from app.catalog.schema import FormTemplate
from app.idcard.fill import applicant_id_number, fillable_roles, id_values


class IdAutofill(QObject):
    """Watches a form (``changed`` → ``value()``) and fills through ``fill`` (which checks each
    filled field as if typed). A form without 出生日期 or 性别 is not watched at all."""

    filled = Signal(dict)  # key → value put in

    def __init__(
        self,
        template: FormTemplate,
        changed: SignalInstance,
        value: Callable[[], dict[str, Any]],
        fill: Callable[[dict[str, Any]], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.template = template
        self._value = value
        self._fill = fill
        self._seen = ""  # the ID number last looked at
        self._put: dict[str, Any] = {}  # what ID numbers put in, by key
        roles = fillable_roles(template)
        self.active = "sex" in roles or "birth" in roles
        if self.active:
            changed.connect(self._changed)

    def loaded(self, data: dict[str, Any]) -> None:
        """A draft or a blank form was put in: its ID number is not one the clerk just typed."""
        self._seen = applicant_id_number(self.template, data)
        self._put = {}

    def _changed(self) -> None:
        data = self._value()
        number = applicant_id_number(self.template, data)
        if number == self._seen:
            return
        self._seen = number
        values = id_values(self.template, data, number, self._put)
        if not values:
            return
        self._put.update(values)
        changes = {key: value for key, value in values.items() if data.get(key) != value}
        if changes:
            self._fill(changes)
            self.filled.emit(changes)
