"""All tables of the local store. Import from here so the metadata is always complete."""

from db.models.accounts import Role, User, UserRole
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
from db.models.outbox import OutboxEntry
from db.models.settings import CalendarYear, Setting
from db.models.sync import ActionConfirmation, CountyEpoch

__all__ = [
    "ActionConfirmation",
    "Applicant",
    "AuditEntry",
    "CalendarYear",
    "Case",
    "CaseAction",
    "CatalogRelease",
    "CountyEpoch",
    "FormTemplateVersion",
    "IntakeDraft",
    "Item",
    "ItemMaterial",
    "ItemStep",
    "MaterialReceived",
    "OutboxEntry",
    "PrintedDocument",
    "ProxyAuthorization",
    "Role",
    "Setting",
    "User",
    "UserRole",
]
