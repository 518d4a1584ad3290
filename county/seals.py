"""The county's seal on its own actions (its decisions, its returns of a case to the town).

A county restored from an older backup has lost whatever it did after the backup — its own
decisions among it — while the workstations that pulled those decisions still hold them. Each of
its own actions therefore goes down the feed with a seal: an HMAC-SHA256, under a key only the
county's store holds (``county_meta.seal_key``, restored with the rest), of the action's payload
hash. A workstation keeps the action as the county sent it, with its seal, and after a restore
gives it back (kind ``county.refeed``); the county takes it back — judged on its log as it is now,
like any action — only with a genuine seal, so no workstation can make up a county decision.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from app.outbox.envelope import SEAL

COUNTY_STATION = "COUNTY"  # the "workstation" of the county's own actions


def new_key() -> str:
    return secrets.token_hex(32)


def seal(key: str, digest: str) -> str:
    """The seal of the action whose ``payload_hash`` is ``digest``."""
    return hmac.new(key.encode("ascii"), digest.encode("ascii"), hashlib.sha256).hexdigest()


def genuine(key: str, digest: str, claimed: object) -> bool:
    return isinstance(claimed, str) and hmac.compare_digest(seal(key, digest), claimed)


def unsealed(raw: dict[str, Any]) -> tuple[dict[str, Any], object]:
    """A re-fed action as the county first made it, and the seal it came with."""
    action = {k: v for k, v in raw.items() if k != SEAL}
    return action, raw.get(SEAL)


def number_seal(key: str, case_uid: str, official_no: str) -> str:
    """The seal on the 办件编号 ``official_no`` of the case ``case_uid``."""
    return seal(key, f"number:{case_uid}:{official_no}")


def number_genuine(key: str, case_uid: str, official_no: str, claimed: object) -> bool:
    return genuine(key, f"number:{case_uid}:{official_no}", claimed)
