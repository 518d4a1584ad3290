"""The Linux package of the one-folder build: ``dist/OneWindow-<version>-linux-<machine>.tar.gz``,
holding ``OneWindow/`` with ``onewindow.desktop`` in it (``./dev build`` makes it).

Installed by extracting it under ``/opt`` and copying the desktop entry (README, "Installing"):

    sudo tar -xzf OneWindow-0.1.0-linux-x86_64.tar.gz -C /opt
    sudo cp /opt/OneWindow/onewindow.desktop /usr/share/applications/
"""

from __future__ import annotations

import platform
import sys
import tarfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    build = Path(argv[0]) if argv else ROOT / "dist" / "OneWindow"
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    out = build.parent / f"OneWindow-{version['version']}-linux-{platform.machine()}.tar.gz"
    with tarfile.open(out, "w:gz", compresslevel=6) as tar:
        tar.add(build, arcname="OneWindow")
        tar.add(ROOT / "build_scripts" / "onewindow.desktop", arcname="OneWindow/onewindow.desktop")
    print(f"{out}: {out.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
