"""The workstation's county credential: the secret the county gave at activation, kept in the OS
keyring under the store's id — never in the database, the logs or a config file.

The one exception is the demo: a store opened with the labelled demo key file keeps its demo
county credential in a labelled file beside it (:func:`secret_file`), as it keeps its store key —
a demo machine may have no keyring, and the demo never writes into a real one."""

from __future__ import annotations

from pathlib import Path

import keyring
from keyring.errors import KeyringError

from app.errors import AppError
from app.system.paths import DEMO_KEY_FILE
from db.keystore import keyring_available
from db.store import Store

DEMO_SECRET_FILE = "DEMO-COUNTY-CREDENTIAL-NOT-SECRET.txt"
DEMO_SECRET_HEADER = (
    "# OneWindow demo county credential - NOT SECRET (demo only).\n"
    "# 演示用县级系统凭证，不保密，仅限演示。\n"
)


def secret_file(store: Store) -> Path | None:
    """Where a demo store keeps its county credential; None: the OS keyring."""
    key_file = store.key_source.key_file
    if key_file is None or key_file.name != DEMO_KEY_FILE:
        return None
    return store.data_dir / DEMO_SECRET_FILE


KEYRING_SERVICE = "OneWindow 一窗通 county credential"
NOT_ACTIVATED = "本工作站尚未激活：请先运行 onewindow activate --county 地址 --code 激活码。"


class NoCredential(AppError):
    code = "E614"


def save_secret(store_id: str, secret: str, file: Path | None = None) -> None:
    if file is not None:
        file.write_text(DEMO_SECRET_HEADER + secret + "\n", encoding="utf-8")
        return
    if not keyring_available():
        raise NoCredential(
            "本机没有可用的系统密钥环，无法安全保存县级系统凭证；请安装并解锁密钥环服务后重新激活。"
        )
    try:
        keyring.set_password(KEYRING_SERVICE, store_id, secret)
    except KeyringError as error:
        raise NoCredential(f"无法把县级系统凭证写入系统密钥环：{error}") from error


def load_secret(store_id: str, file: Path | None = None) -> str:
    if file is not None:
        lines = file.read_text(encoding="utf-8").splitlines() if file.exists() else []
        found = next((line for line in lines if line and not line.startswith("#")), "")
        if not found:
            raise NoCredential(NOT_ACTIVATED)
        return found
    try:
        secret = keyring.get_password(KEYRING_SERVICE, store_id)
    except KeyringError as error:
        raise NoCredential(f"无法从系统密钥环读取县级系统凭证：{error}") from error
    if not secret:
        raise NoCredential(
            "本工作站尚未激活：请先运行 onewindow activate --county 地址 --code 激活码。"
        )
    return secret
