"""All tables of the local store. Import from here so the metadata is always complete."""

from db.models.accounts import Role, User, UserRole
from db.models.alerts import AlertNotice
from db.models.audit import AuditEntry
from db.models.cases import (
    Applicant,
    Case,
    CaseAction,
    MaterialReceived,
    PrintedDocument,
    ProxyAuthorization,
)
from db.models.catalog import CatalogRelease, FormTemplateVersion, Item, ItemMaterial, ItemStep
from db.models.drafts import IntakeDraft
from db.models.evaluations import Evaluation, RectificationStep
from db.models.outbox import OutboxEntry
from db.models.reports import ArchivedReport
from db.models.settings import CalendarYear, Setting
from db.models.sync import ActionConfirmation, CountyEpoch

__all__ = [
    "ActionConfirmation",
    "AlertNotice",
    "Applicant",
    "ArchivedReport",
    "AuditEntry",
    "CalendarYear",
    "Case",
    "CaseAction",
    "CatalogRelease",
    "CountyEpoch",
    "Evaluation",
    "FormTemplateVersion",
    "IntakeDraft",
    "Item",
    "ItemMaterial",
    "ItemStep",
    "MaterialReceived",
    "OutboxEntry",
    "PrintedDocument",
    "ProxyAuthorization",
    "RectificationStep",
    "Role",
    "Setting",
    "User",
    "UserRole",
]
