"""Console entry point ``onewindow``: subcommands go to ``app.cli``; no subcommand starts the GUI.

Qt is imported only when the GUI actually starts, so ``onewindow catalog validate`` stays light.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from app import cli


def main(argv: Sequence[str] | None = None) -> int:
    args = cli.build_parser().parse_args(argv)
    if args.command is not None:
        return cli.run(args)
    from ui.application import run_gui

    return run_gui(args)


if __name__ == "__main__":
    sys.exit(main())
