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
    if args.workstation and not args.demo:
        print(
            "--workstation 只用于演示模式，例如：onewindow --demo --workstation W02",
            file=sys.stderr,
        )
        return 2
    from ui.application import resolve_data_dir, run_gui

    if args.demo:
        # Each demo launch makes a fresh directory somewhere under the temp folder: say where,
        # so the data can be looked at, reopened with --data-dir or removed.
        args.data_dir, args.key_file = resolve_data_dir(args)
        station = f" --workstation {args.workstation}" if args.workstation else ""
        print(
            f"演示中心的数据目录：{args.data_dir}（再次打开：onewindow --demo{station} --data-dir "
            f"{args.data_dir}）",
            file=sys.stderr,
            flush=True,
        )
    return run_gui(args)


if __name__ == "__main__":
    sys.exit(main())
