"""Where the store key lives: the OS keyring (normal), or an explicit key file (demo / headless).

The key is 32 random bytes per data directory, made once when the store is created. It is never
written into the database, the logs or the settings. Without a keyring backend the app stops with a
plain explanation instead of silently falling back to something weaker.
"""

from __future__ import annotations

import base64
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import keyring
import keyring.backends.chainer
import keyring.backends.fail
from keyring.errors import KeyringError

from db.errors import NoKeyringError, StoreError

#: The store key: random bytes, handed to SQLCipher as a raw key (no passphrase KDF needed).
KEY_BYTES = 32


def raw_key_literal(key: bytes) -> str:
    """SQLCipher's raw-key form of the store key, ``x'…'`` (the engine's and the glance's)."""
    if len(key) != KEY_BYTES:
        raise ValueError(f"store key must be {KEY_BYTES} bytes")
    return f"x'{key.hex()}'"


KEYRING_SERVICE = "OneWindow 一窗通 store key"
KEY_FILE_HEADER = (
    "# OneWindow demo store key - NOT SECRET. Whoever has this file can read the store.\n"
    "# 演示用数据库密钥文件，不保密：持有此文件者即可读取本地数据库，切勿用于真实业务数据。\n"
)

NO_KEYRING_MESSAGE = (
    "本机没有可用的系统密钥环，无法安全保存本地数据库的加密密钥，"
    "程序不会在没有密钥环的情况下保存业务数据。\n"
    "解决办法：在 Windows 上使用系统自带的“凭据管理器”；"
    "在统信 UOS / 银河麒麟等 Linux 桌面上安装并解锁密钥环服务"
    "（如 GNOME Keyring 或 KWallet）后重新启动本程序。\n"
    "仅用于演示或测试时，可用 --key-file 指定一个明确标注的密钥文件"
    "（演示模式 --demo 会自动这样做）。"
)


@dataclass(frozen=True)
class KeySource:
    """How to get the key: the keyring entry for ``store_id``, or a key file."""

    store_id: str
    key_file: Path | None = None

    def describe(self) -> str:
        return "演示/测试用密钥文件（不保密）" if self.key_file else "系统密钥环"


def keyring_available() -> bool:
    backend = keyring.get_keyring()
    if isinstance(backend, keyring.backends.fail.Keyring):
        return False
    if isinstance(backend, keyring.backends.chainer.ChainerBackend):
        return bool(backend.backends)
    return True


def load_key(source: KeySource) -> bytes:
    """The existing key; raises a ``StoreError`` explaining what is missing."""
    if source.key_file is not None:
        return _read_key_file(source.key_file)
    if not keyring_available():
        raise NoKeyringError(NO_KEYRING_MESSAGE)
    try:
        encoded = keyring.get_password(KEYRING_SERVICE, source.store_id)
    except KeyringError as exc:
        raise NoKeyringError(f"{NO_KEYRING_MESSAGE}\n（密钥环报告：{exc}）") from exc
    if encoded is None:
        raise StoreError(
            "系统密钥环中找不到本地数据库的密钥（可能是换了电脑账户或密钥环被清空）。"
            "没有密钥无法读取已有数据；请联系系统管理员恢复密钥或从县级系统重新同步。"
        )
    return _decode(encoded, "系统密钥环")


def create_key(source: KeySource) -> bytes:
    """Make and keep a new random key for a new store."""
    key = secrets.token_bytes(KEY_BYTES)
    encoded = base64.b64encode(key).decode("ascii")
    if source.key_file is not None:
        _write_key_file(source.key_file, encoded)
        return key
    if not keyring_available():
        raise NoKeyringError(NO_KEYRING_MESSAGE)
    try:
        keyring.set_password(KEYRING_SERVICE, source.store_id, encoded)
    except KeyringError as exc:
        raise NoKeyringError(f"{NO_KEYRING_MESSAGE}\n（密钥环报告：{exc}）") from exc
    return key


def _write_key_file(path: Path, encoded: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(KEY_FILE_HEADER + encoded + "\n")


def _read_key_file(path: Path) -> bytes:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise StoreError(f"无法读取密钥文件 {path}：{exc.strerror}") from exc
    body = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    if len(body) != 1:
        raise StoreError(f"密钥文件 {path} 格式不对：应只有一行密钥。")
    return _decode(body[0], f"密钥文件 {path}")


def _decode(encoded: str, where: str) -> bytes:
    try:
        key = base64.b64decode(encoded, validate=True)
    except ValueError as exc:
        raise StoreError(f"{where}中的数据库密钥已损坏（不是有效的编码）。") from exc
    if len(key) != KEY_BYTES:
        raise StoreError(f"{where}中的数据库密钥长度不对，可能已损坏。")
    return key
