"""The frozen build's entry point, for both of its executables (``onewindow.spec``).

``OneWindow`` (windowed) and ``onewindow-cli`` (console) run the same program as the
``onewindow`` command of a source checkout: no subcommand opens the window, a subcommand runs on
the command line. ``-m county.cli ARGS`` runs the county's command line instead: the demo's
county service is started that way (``app/demo/county.py``), there being no Python to run it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main() -> int:
    # A windowed executable on Windows has no standard streams: what the program prints (the
    # demo's data directory, a command's result) goes nowhere rather than failing.
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, Path(os.devnull).open("w", encoding="utf-8"))  # noqa: SIM115
    argv = sys.argv[1:]
    if argv[:2] == ["-m", "county.cli"]:
        from county.cli import main as county_main

        return county_main(argv[2:])
    from ui.launcher import main as launcher_main

    return launcher_main(argv)


if __name__ == "__main__":
    sys.exit(main())
