"""TLS for ``onewindow-county serve --certfile F --keyfile F``: the pair checked before the service
starts, so a wrong path or a key that does not match the certificate is one Chinese line, not a
traceback from inside uvicorn."""

from __future__ import annotations

import ssl
from pathlib import Path


class TlsFilesRefused(ValueError):
    """The certificate or key cannot be used; the text says which and why, in Chinese."""


def checked_tls_files(certfile: str | None, keyfile: str | None) -> tuple[str, str] | None:
    """``(certfile, keyfile)`` when both are given and make a usable pair, None when neither."""
    if certfile is None and keyfile is None:
        return None
    if certfile is None or keyfile is None:
        raise TlsFilesRefused("启用 HTTPS 须同时指定 --certfile（证书）和 --keyfile（私钥）。")
    for option, name in (("--certfile", certfile), ("--keyfile", keyfile)):
        if not Path(name).is_file():
            raise TlsFilesRefused(f"{option} 指定的文件不存在：{name}")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(certfile, keyfile)
    except (ssl.SSLError, OSError) as error:
        raise TlsFilesRefused(
            f"无法使用证书 {certfile} 和私钥 {keyfile}（两者须为 PEM 格式且相互匹配）：{error}"
        ) from error
    return certfile, keyfile
