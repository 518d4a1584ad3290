"""The workstation's county credential: the secret the county gave at activation, kept in the OS
keyring under the store's id — never in the database, the logs or a config file."""

from __future__ import annotations

import keyring
from keyring.errors import KeyringError

from app.errors import AppError
from db.keystore import keyring_available

KEYRING_SERVICE = "OneWindow 一窗通 county credential"
NOT_ACTIVATED = "本工作站尚未激活：请先运行 onewindow activate --county 地址 --code 激活码。"


class NoCredential(AppError):
    code = "E614"


def save_secret(store_id: str, secret: str) -> None:
    if not keyring_available():
        raise NoCredential(
            "本机没有可用的系统密钥环，无法安全保存县级系统凭证；请安装并解锁密钥环服务后重新激活。"
        )
    try:
        keyring.set_password(KEYRING_SERVICE, store_id, secret)
    except KeyringError as error:
        raise NoCredential(f"无法把县级系统凭证写入系统密钥环：{error}") from error


def load_secret(store_id: str) -> str:
    try:
        secret = keyring.get_password(KEYRING_SERVICE, store_id)
    except KeyringError as error:
        raise NoCredential(f"无法从系统密钥环读取县级系统凭证：{error}") from error
    if not secret:
        raise NoCredential(
            "本工作站尚未激活：请先运行 onewindow activate --county 地址 --code 激活码。"
        )
    return secret
