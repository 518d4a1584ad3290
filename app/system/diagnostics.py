"""The diagnostics bundle: what technical support needs after a failure, and no personal data.

The person at the window saves it from the crash dialog (``ui/crash.py``) and hands it on. A zip of:

- ``README.txt``: what is inside, in Chinese;
- ``versions.json``: OneWindow, Python, PySide6/Qt (the UI passes Qt's), SQLAlchemy, sqlcipher3,
  SQLite and SQLCipher (as the store reports them), the operating system;
- ``store_health.json``: ``db.health.store_health`` (schema revision, ``quick_check``, file sizes,
  rows per table, outbox rows waiting — counts and SQLite's reports, never a row's content);
- ``logs/onewindow.log`` and its rotated copies.

The log was redacted as it was written (``app.logs``: ID numbers, phone numbers, credit codes).
It is redacted again here, and every applicant's and user's name the store knows is masked too:
a name has no pattern to catch, and a careless message or an exception's text may carry one. No
Qt here.
"""

from __future__ import annotations

import json
import platform
import re
import sys
import zipfile
from collections.abc import Collection, Mapping
from importlib import metadata
from pathlib import Path

import sqlalchemy
from sqlalchemy import text

from app.system.logs import log_files, redact
from db.health import store_health
from db.store import Store

__all__ = ["NAME_MASK", "build_bundle", "known_names", "program_versions", "scrub_names"]

NAME_MASK = "[姓名已隐藏]"
README = """一窗通诊断包

本文件供技术支持排查问题使用，包含：
- versions.json：程序、Python、Qt、数据库组件和操作系统的版本；
- store_health.json：本地数据库的状态（版本、完整性检查结果、文件大小、各表行数、待上报条数）；
- logs/：程序运行日志。

不含个人信息：日志中的身份证号、手机号、统一社会信用代码和本机数据库中的姓名均已隐藏，
不含任何表单内容。
"""

# A name in a log line sits in a run of Chinese characters ("申请人张秀英提交…"); names are looked
# up inside such runs (a middle dot joins the parts of some minority names).
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff·]+")
_LONGEST_IN_RUN = 40  # longer names (a company's) are replaced as plain text


def _dist(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "未安装"


def program_versions(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Versions of the program and what it runs on; ``extra`` adds what only the UI knows."""
    versions = {
        "OneWindow": _dist("onewindow"),
        "Python": f"{platform.python_version()} ({platform.python_implementation()})",
        "PySide6": _dist("PySide6"),
        "SQLAlchemy": sqlalchemy.__version__,
        "sqlcipher3": _dist("sqlcipher3"),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "frozen": "yes" if getattr(sys, "frozen", False) else "no",
    }
    versions.update(extra or {})
    return versions


def known_names(store: Store) -> set[str]:
    """Every applicant's, legal representative's and user's name in the store (to mask them)."""
    names: set[str] = set()
    queries = (
        "SELECT name FROM applicants",
        "SELECT legal_representative FROM applicants",
        "SELECT display_name FROM users",
    )
    with store.reader() as session:
        for query in queries:
            try:
                names.update(str(n) for (n,) in session.execute(text(query)) if n)
            except Exception:  # a schema without the column: nothing to mask there
                continue
    return {n.strip() for n in names if len(n.strip()) >= 2}


def scrub_names(text_in: str, names: Collection[str]) -> str:
    """``text_in`` with each of ``names`` replaced by :data:`NAME_MASK`, longest first."""
    in_runs = {n for n in names if len(n) <= _LONGEST_IN_RUN and _HAN_RUN.fullmatch(n)}
    for name in sorted(set(names) - in_runs, key=len, reverse=True):
        text_in = text_in.replace(name, NAME_MASK)
    if not in_runs:
        return text_in
    longest = max(map(len, in_runs))

    def mask(run: re.Match[str]) -> str:
        chars, out, i = run.group(), [], 0
        while i < len(chars):
            for size in range(min(longest, len(chars) - i), 1, -1):
                if chars[i : i + size] in in_runs:
                    out.append(NAME_MASK)
                    i += size
                    break
            else:
                out.append(chars[i])
                i += 1
        return "".join(out)

    return _HAN_RUN.sub(mask, text_in)


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


def build_bundle(
    dest: Path,
    *,
    store: Store | None,
    log_file: Path | None,
    extra_versions: Mapping[str, str] | None = None,
) -> list[str]:
    """Write the bundle to ``dest`` (a ``.zip``); returns its member names.

    ``store``: None when it never opened (its health then says so); ``log_file``: the current
    application log (``app.logs.current_log_file()``), None when there is none yet.
    """
    versions = program_versions(extra_versions)
    if store is not None:
        names = known_names(store)
        health = store_health(store)
        for name, key in (("SQLite", "sqlite_version"), ("SQLCipher", "sqlcipher_version")):
            if isinstance(health.get(key), str):
                versions[name] = str(health[key])
    else:
        names, health = set(), {"error": "本地数据库未打开"}
    members = {
        "README.txt": README,
        "versions.json": _json(versions),
        "store_health.json": _json(health),
    }
    for path in log_files(log_file) if log_file is not None else []:
        raw = path.read_text(encoding="utf-8", errors="replace")
        members[f"logs/{path.name}"] = scrub_names(redact(raw), names)
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for member, content in members.items():
            bundle.writestr(member, content)
    partial.replace(dest)  # never a half-written bundle under the chosen name
    return list(members)
