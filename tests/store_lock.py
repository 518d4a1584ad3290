"""Another program holding the store's write lock, as a second window or a backup tool would."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlcipher3

from db.keystore import load_key
from db.store import Store


@contextmanager
def write_lock_held(store: Store) -> Iterator[None]:
    """A separate SQLCipher connection on the store's file holds ``BEGIN IMMEDIATE`` until the
    block ends: the store's writers wait their busy timeout, then fail with ``StoreBusy``."""
    key = load_key(store.key_source)
    other = sqlcipher3.connect(str(store.db_path), isolation_level=None, check_same_thread=False)
    try:
        other.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        other.execute("BEGIN IMMEDIATE")
        yield
        other.execute("ROLLBACK")
    finally:
        other.close()
