"""Which certificates a workstation trusts for the county's HTTPS: the system's store, or — when
the county runs its own certificate authority — the CA file the administrator named at
activation (``onewindow activate --ca-file F``), kept in the workstation's settings as its PEM
text (so the file may be moved or deleted afterwards).

An untrusted certificate is its own refusal, in Chinese, saying what to do about it — not
"the county cannot be reached", which would send the administrator looking at the network.
"""

from __future__ import annotations

import ssl
from pathlib import Path

from app.errors import AppError, ValidationError

CA_FIELD = "CA证书文件"
MAX_CA_BYTES = 1_000_000


class CountyUntrusted(AppError):
    """The county's certificate does not verify against what this workstation trusts."""

    code = "E616"


def read_ca_file(path: Path) -> str:
    """The PEM text of the CA certificate(s) in ``path``; ``ValidationError`` naming the field."""
    try:
        data = path.read_bytes()[:MAX_CA_BYTES].decode("ascii")
    except OSError as error:
        raise ValidationError(CA_FIELD, f"无法读取CA证书文件 {path}：{error.strerror}") from error
    except UnicodeDecodeError:
        data = ""
    if "-----BEGIN CERTIFICATE-----" not in data:
        raise ValidationError(
            CA_FIELD, f"{path} 不是 PEM 格式的CA证书（应以 -----BEGIN CERTIFICATE----- 开头）"
        )
    try:
        tls_context(data)
    except ssl.SSLError as error:
        raise ValidationError(CA_FIELD, f"{path} 中的CA证书无法读取：{error.reason}") from error
    return data


def tls_context(ca_pem: str) -> ssl.SSLContext:
    """Verification against ``ca_pem`` alone, or against the system's store when it is empty."""
    if ca_pem:
        return ssl.create_default_context(cadata=ca_pem)
    return ssl.create_default_context()


def refuse_untrusted(error: BaseException, county_url: str) -> None:
    """Raise :class:`CountyUntrusted` when ``error`` (an httpx error) came from a certificate
    that did not verify; otherwise return, for the caller's own handling."""
    cause: BaseException | None = error
    while cause is not None and not isinstance(cause, ssl.SSLCertVerificationError):
        cause = cause.__cause__ or cause.__context__
    if cause is None:
        return
    reason = cause.verify_message or cause.reason or "证书验证失败"
    raise CountyUntrusted(
        f"县级系统 {county_url} 的证书不受本工作站信任（{reason}），未发送任何数据。"
        "若县级系统使用自建的证书机构，请向县级系统管理员索取CA证书文件，"
        "用 onewindow activate --county 地址 --code 激活码 --ca-file 证书文件 激活本工作站。"
    ) from error
