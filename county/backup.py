"""Backing the county's store up to one file, and restoring it from one.

A backup is gzip'd JSON Lines, read through SQLAlchemy in one transaction (REPEATABLE READ on
PostgreSQL; on SQLite the transaction holds the store's write lock), so it is one consistent
moment of the whole store and is portable: a SQLite store's backup restores into PostgreSQL and
back. Line one is the header (format, schema revision, epoch, each table's columns); then one line
per row, ``[table, [values…]]``, tables parents first; the last line is the trailer with the row
count, so a cut-off file is refused rather than half restored. Datetimes are ISO 8601 (UTC).

A restore replaces every row of the store with the backup's in one transaction and gives the
store a NEW epoch: a workstation that synced with the county before then gets 410 on its next
request and snapshots again (``app/sync/resnapshot.py``), re-sending what the restored county
lacks. It also holds each centre's 办件编号 until its workstations have given back the numbers
they hold (``county/numbers.py``). On PostgreSQL every id sequence is moved past the restored ids
(never backwards).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import uuid
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy import (
    Connection,
    Date,
    DateTime,
    Table,
    TypeDecorator,
    delete,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import SQLAlchemyError

from county.store.engine import CountyStore
from county.store.models import CountyBase, Meta, NumberHold, Workstation
from db.base import utcnow

FORMAT = "onewindow-county-backup"
FORMAT_VERSION = 1
BATCH = 1000


class BackupRefused(Exception):
    """The file is not a backup this store can take; its text is what the person reads."""


@dataclass(frozen=True)
class BackupInfo:
    schema_revision: str
    epoch: str
    taken_at: str
    rows: dict[str, int]  # per table

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _tables() -> list[Table]:
    return list(CountyBase.metadata.sorted_tables)  # parents before children


def _is_datetime(table: Table, column: str) -> bool:
    """Whether the column holds dates or datetimes (written as ISO 8601 text)."""
    kind = table.c[column].type
    impl = kind.impl_instance if isinstance(kind, TypeDecorator) else kind
    return isinstance(impl, (DateTime, Date))


def _is_date_only(table: Table, column: str) -> bool:
    kind = table.c[column].type
    impl = kind.impl_instance if isinstance(kind, TypeDecorator) else kind
    return isinstance(impl, Date) and not isinstance(impl, DateTime)


def _revision(conn: Connection) -> str:
    found = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return str(found or "")


def take_backup(store: CountyStore, out: Path) -> BackupInfo:
    """Write the whole store to ``out`` (replaced only once the backup is complete)."""
    engine = store.engine
    options = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name != "sqlite" else {}
    partial = out.with_name(out.name + ".partial")
    rows: dict[str, int] = {}
    with engine.connect().execution_options(**options) as conn, conn.begin():
        revision = _revision(conn)
        meta = conn.execute(select(Meta.epoch)).scalar()
        tables = _tables()
        header = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "schema_revision": revision,
            "epoch": meta or "",
            "taken_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "tables": {t.name: [c.name for c in t.columns] for t in tables},
        }
        with gzip.open(partial, "wt", encoding="utf-8") as sink:
            _line(sink, header)
            for table in tables:
                stamps = [i for i, c in enumerate(table.columns) if _is_datetime(table, c.name)]
                count = 0
                result = conn.execute(select(table).order_by(*table.primary_key.columns))
                for row in result:
                    values = list(row)
                    for i in stamps:
                        if values[i] is not None:
                            values[i] = values[i].isoformat()
                    _line(sink, [table.name, values])
                    count += 1
                rows[table.name] = count
            _line(sink, {"end": True, "rows": rows})
    partial.replace(out)
    return BackupInfo(revision, str(header["epoch"]), str(header["taken_at"]), rows)


def _line(sink: IO[str], value: object) -> None:
    sink.write(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
    sink.write("\n")


def read_header(path: Path) -> dict[str, Any]:
    """The backup's header, or :class:`BackupRefused` if the file is not a backup."""
    with _opened(path) as lines:
        return _header(lines)


def restore_backup(store: CountyStore, path: Path) -> tuple[BackupInfo, str]:
    """Replace the store's contents with the backup at ``path`` and give it a new epoch, in one
    transaction; nothing changes if anything is wrong. Returns the backup's info and the new
    epoch."""
    new_epoch = str(uuid.uuid4())
    engine = store.engine
    tables = {t.name: t for t in _tables()}
    try:
        with _opened(path) as lines, engine.begin() as conn:
            header = _header(lines)
            _check_schema(header, tables, _revision(conn))
            if engine.dialect.name == "postgresql":  # no request reads or writes meanwhile
                names = ", ".join(f'"{name}"' for name in tables)
                conn.execute(text(f"LOCK TABLE {names} IN ACCESS EXCLUSIVE MODE"))
            for table in reversed(_tables()):
                conn.execute(delete(table))
            rows = _insert_rows(conn, lines, tables, header["tables"])
            if conn.execute(select(func.count()).select_from(Meta)).scalar() != 1:
                raise BackupRefused("备份中缺少县级库的基本信息（county_meta），不能恢复。")
            conn.execute(update(Meta).values(epoch=new_epoch))
            _hold_numbering(conn)
            if engine.dialect.name == "postgresql":
                _move_sequences(conn, list(tables.values()))
    except SQLAlchemyError as error:
        first = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise BackupRefused(f"备份数据无法写入数据库（未做任何更改）：{first}") from error
    info = BackupInfo(
        str(header["schema_revision"]), str(header["epoch"]), header["taken_at"], rows
    )
    return info, new_epoch


def _hold_numbering(conn: Connection) -> None:
    """Hold every centre's numbering until each of its activated workstations has given back the
    办件编号 it holds (``county/numbers.py``): the backup lacks those issued after it."""
    conn.execute(delete(NumberHold))
    stations = conn.execute(
        select(Workstation.centre_code, Workstation.code).where(
            Workstation.secret_hash.is_not(None)
        )
    ).all()
    if stations:
        now = utcnow()
        conn.execute(
            insert(NumberHold),
            [{"centre_code": c, "workstation_code": w, "since": now} for c, w in stations],
        )


class _Lines:
    """The file's lines as JSON values; a broken file is :class:`BackupRefused`."""

    def __init__(self, stream: IO[str], path: Path) -> None:
        self._stream, self._path = stream, path

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        try:
            line = self._stream.readline()
        except (OSError, EOFError, zlib.error, UnicodeDecodeError) as error:
            raise self.refused() from error
        if not line:
            raise StopIteration
        try:
            return json.loads(line)
        except json.JSONDecodeError as error:
            raise self.refused() from error

    def refused(self) -> BackupRefused:
        return BackupRefused(f"{self._path} 不是一窗通县级库的备份文件，或文件已损坏、不完整。")


@contextmanager
def _opened(path: Path) -> Iterator[_Lines]:
    try:
        # Closed by the ``with`` below; opened apart so only the opening's OSError is the file's.
        stream = gzip.open(path, "rt", encoding="utf-8")  # noqa: SIM115
    except OSError as error:
        raise BackupRefused(f"无法读取备份文件 {path}：{error.strerror or error}") from error
    with stream:
        yield _Lines(stream, path)


def _header(lines: _Lines) -> dict[str, Any]:
    header = next(lines, None)
    if (
        not isinstance(header, dict)
        or header.get("format") != FORMAT
        or not isinstance(header.get("tables"), dict)
    ):
        raise lines.refused()
    if header.get("format_version") != FORMAT_VERSION:
        raise BackupRefused(
            f"备份文件格式版本为 {header.get('format_version')}，本程序只能恢复第 "
            f"{FORMAT_VERSION} 版。"
        )
    return header


def _check_schema(header: dict[str, Any], tables: dict[str, Table], revision: str) -> None:
    if header.get("schema_revision") != revision:
        raise BackupRefused(
            f"备份文件的数据库结构版本为 {header.get('schema_revision')}，与本库的 {revision} "
            "不同，不能恢复（请用同一版本的程序）。"
        )
    expected = {name: [c.name for c in t.columns] for name, t in tables.items()}
    if header["tables"] != expected:
        raise BackupRefused("备份文件中的表或字段与本库的结构不符，不能恢复。")


def _insert_rows(
    conn: Connection, lines: _Lines, tables: dict[str, Table], columns: dict[str, list[str]]
) -> dict[str, int]:
    counts = dict.fromkeys(tables, 0)
    stamps = {
        name: [
            (i, _is_date_only(table, c))
            for i, c in enumerate(columns[name])
            if _is_datetime(table, c)
        ]
        for name, table in tables.items()
    }
    batch: list[dict[str, Any]] = []
    current: str | None = None
    for line in lines:
        if isinstance(line, dict):  # the trailer
            if line != {"end": True, "rows": counts} or next(lines, None) is not None:
                raise lines.refused()
            _flush(conn, tables, current, batch)
            return counts
        if not (isinstance(line, list) and len(line) == 2 and line[0] in tables):
            raise lines.refused()
        name, values = line
        if not isinstance(values, list) or len(values) != len(columns[name]):
            raise lines.refused()
        if name != current or len(batch) >= BATCH:
            _flush(conn, tables, current, batch)
            batch, current = [], name
        for i, date_only in stamps[name]:
            if values[i] is not None:
                values[i] = _stamp(values[i], lines, date_only=date_only)
        batch.append(dict(zip(columns[name], values, strict=True)))
        counts[name] += 1
    raise lines.refused()  # no trailer: the file was cut off


def _stamp(value: object, lines: _Lines, *, date_only: bool) -> dt.date:
    try:
        if date_only:
            return dt.date.fromisoformat(str(value))
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError as error:
        raise lines.refused() from error
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)


def _flush(
    conn: Connection, tables: dict[str, Table], name: str | None, batch: list[dict[str, Any]]
) -> None:
    if name is not None and batch:
        conn.execute(insert(tables[name]), batch)


def _move_sequences(conn: Connection, tables: list[Table]) -> None:
    """Move each serial id's sequence past the restored ids, never backwards (a sequence is not
    rolled back with the transaction, so it must never fall below ids the old rows held)."""
    for table in tables:
        for column in table.primary_key.columns:
            sequence = conn.execute(
                text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": column.name}
            ).scalar()
            if sequence is None:
                continue
            conn.execute(
                text(
                    "SELECT setval(CAST(:s AS regclass), GREATEST("
                    f'(SELECT COALESCE(MAX("{column.name}"), 0) FROM "{table.name}"), '
                    "(SELECT last_value FROM " + sequence + "), 1))"
                ),
                {"s": sequence},
            )
