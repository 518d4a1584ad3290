"""Smoke test of the frozen build (``dist/OneWindow``), run by ``./dev test`` after ``./dev build``
and by the Windows workflow: ``python build_scripts/smoke.py [DIST_DIR]``.

It runs the frozen executables as a county's IT person would, each on fresh data, and fails
(exit 1, saying what) unless:

1. ``onewindow-cli --version`` prints the version of ``pyproject.toml`` and a commit, and
   ``--help`` is in Chinese (argparse's own words too: 用法, 显示本帮助信息并退出);
2. ``onewindow-cli catalog validate`` passes the bundled catalogue;
3. ``onewindow-cli demo seed`` makes a demo store (created and migrated from the bundled
   migrations, encrypted with the demo's key file) and ``audit verify`` finds its chain intact;
4. ``onewindow-cli print sample`` renders every document to PDF with the embedded font (the
   text extracted from the PDF holds the Chinese it should; the font is embedded);
5. ``onewindow-cli report monthly`` makes last month's report: the workbook opens with openpyxl
   and holds its sheets, the PDF's text holds the Chinese title and the font is embedded;
6. the login window shows: the console executable, then the windowed one, each started as
   staff start it, on that store with its key file, under ``ONEWINDOW_SMOKE_TEST`` (it shows the
   login window, opens the store, then quits with exit 0), on Qt's offscreen platform unless a
   display is set; Qt's own words are Chinese there (its Cancel button reads 取消: the bundled
   ``qtbase_zh_CN`` catalogue was found and loaded).

It prints the build's size and each executable's start-up time (to the login window shown, and
to the store opened behind it).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXE = ".exe" if sys.platform == "win32" else ""
SMOKE_ENV = "ONEWINDOW_SMOKE_TEST"  # ui.application.SMOKE_ENV
DEMO_KEY = "DEMO-KEY-NOT-SECRET.key"  # app.system.paths.DEMO_KEY_FILE
SHOWN, READY = "smoke test: login window shown", "smoke test: login window ready"
CANCEL = "smoke test: Qt's Cancel button reads "  # Qt's Chinese translations loaded: 取消


class SmokeFailed(Exception):
    pass


def main(argv: list[str]) -> int:
    dist = Path(argv[0]) if argv else ROOT / "dist" / "OneWindow"
    try:
        run_all(dist)
    except SmokeFailed as failure:
        print(f"SMOKE TEST FAILED: {failure}", flush=True)
        return 1
    print("smoke test passed", flush=True)
    return 0


#: The unpacked build's limit (the packaging issue: below 250 MB). It came to 261 MB once, when
#: Debian's chromium brought GTK and the dropped GTK theme's libraries came in with it.
SIZE_LIMIT = 250_000_000


def run_all(dist: Path) -> None:
    cli, gui = dist / f"onewindow-cli{EXE}", dist / f"OneWindow{EXE}"
    for exe in (cli, gui):
        if not exe.is_file():
            raise SmokeFailed(f"{exe} is missing: build first (./dev build)")
    unpacked = size_mb(dist)
    size = f"{unpacked:.1f} MiB unpacked, {count_files(dist)} files"
    print(f"build: {dist} — {size}", flush=True)
    if unpacked * 2**20 >= SIZE_LIMIT:
        raise SmokeFailed(
            f"the build is {unpacked * 2**20 / 1e6:.0f} MB, over the {SIZE_LIMIT / 1e6:.0f} MB "
            "a window PC's install may take: something new was bundled (a system library of a "
            "dropped plugin?) — see build_scripts/onewindow.spec"
        )
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    line = run(cli, "--version").strip()
    if f"OneWindow {version['version']}" not in line or "提交" not in line:
        raise SmokeFailed(f"--version printed {line!r}")
    print(f"version: {line}", flush=True)
    usage = run(cli, "--help")
    if "用法" not in usage or "显示本帮助信息并退出" not in usage:
        raise SmokeFailed(f"--help is not in Chinese:\n{usage}")
    catalog = dist / "_internal" / "resources" / "catalog"
    print(f"catalog validate: {last_line(run(cli, 'catalog', 'validate', str(catalog)))}")
    with tempfile.TemporaryDirectory(prefix="onewindow-smoke-") as tmp:
        data = Path(tmp) / "data"
        seeded = run(cli, "--data-dir", str(data), "demo", "seed", "--cases", "40")
        print(f"demo seed: {last_line(seeded)}")
        print(f"audit verify: {last_line(run(cli, '--data-dir', str(data), 'audit', 'verify'))}")
        pdfs = Path(tmp) / "pdf"
        run(cli, "--data-dir", str(data), "print", "sample", "--out", str(pdfs))
        check_pdfs(pdfs)
        monthly_report(cli, data, Path(tmp) / "report")
        for exe in (cli, gui):
            login_window(exe, data)


def login_window(exe: Path, data: Path) -> None:
    """Start ``exe`` as staff start it, on the demo store ``data`` (its key file given)."""
    env = dict(os.environ, **{SMOKE_ENV: "1"})
    if sys.platform.startswith("linux") and not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    started = time.perf_counter()
    child = subprocess.Popen(
        [str(exe), "--data-dir", str(data), "--key-file", str(data / DEMO_KEY)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
    )
    assert child.stdout is not None
    seen: dict[str, float] = {}
    output: list[str] = []
    cancel = ""
    for raw in child.stdout:
        text = raw.decode("utf-8", "replace").rstrip()
        output.append(text)
        if text.startswith(CANCEL):
            cancel = text.removeprefix(CANCEL)
        for mark in (SHOWN, READY):
            if text.startswith(mark):
                seen.setdefault(mark, time.perf_counter() - started)
    code = child.wait(120)
    windowed = sys.platform == "win32" and exe.stem == "OneWindow"  # no standard output there
    if code != 0 or (not windowed and (SHOWN not in seen or READY not in seen)):
        raise SmokeFailed(f"{exe.name} exited {code}:\n" + "\n".join(output[-30:]))
    if not windowed and cancel != "取消":
        raise SmokeFailed(f"{exe.name}: Qt's translations not loaded (Cancel reads {cancel!r})")
    shown, ready = seen.get(SHOWN), seen.get(READY)
    figures = "exit 0"
    if shown is not None and ready is not None:
        figures = f"login window shown in {shown:.2f} s, store open in {ready:.2f} s"
    print(f"{exe.name}: {figures} (whole run {time.perf_counter() - started:.2f} s)")


def monthly_report(cli: Path, data: Path, out: Path) -> None:
    """Last month's report from the demo store: openpyxl, reportlab's charts, the archive."""
    import datetime as dt

    from openpyxl import load_workbook  # type: ignore[import-untyped]
    from pypdf import PdfReader

    first = dt.date.today().replace(day=1)
    month = f"{first - dt.timedelta(days=1):%Y-%m}"
    said = run(
        cli, "--data-dir", str(data), "report", "monthly", "--month", month, "--out", str(out)
    )
    books, pdfs = sorted(out.glob("*.xlsx")), sorted(out.glob("*.pdf"))
    if len(books) != 1 or len(pdfs) != 1:
        raise SmokeFailed(f"report monthly wrote {sorted(p.name for p in out.iterdir())}:\n{said}")
    sheets = load_workbook(books[0], read_only=True).sheetnames
    if "办件台账" not in sheets or "汇总" not in sheets:
        raise SmokeFailed(f"{books[0].name}: sheets {sheets}")
    reader = PdfReader(pdfs[0])
    text = "".join(page.extract_text() or "" for page in reader.pages)
    fonts = {name for page in reader.pages for name in font_names(page)}
    if "月报" not in text or not any("NotoSansSC" in name for name in fonts):
        raise SmokeFailed(f"{pdfs[0].name}: no Chinese title or no embedded font")
    print(f"report monthly: {books[0].name} ({len(sheets)} sheets), {pdfs[0].name}")


def check_pdfs(folder: Path) -> None:
    from pypdf import PdfReader  # the developers' environment's, not the build's

    pdfs = sorted(folder.glob("*.pdf"))
    if not pdfs:
        raise SmokeFailed(f"print sample wrote no PDF in {folder}")
    for pdf in pdfs:
        reader = PdfReader(pdf)
        text = "".join(page.extract_text() or "" for page in reader.pages)
        if "一窗通" not in text and "便民服务中心" not in text:
            raise SmokeFailed(f"{pdf.name}: no Chinese text extracted")
        fonts = {name for page in reader.pages for name in font_names(page)}
        if not any("NotoSansSC" in name for name in fonts):
            raise SmokeFailed(f"{pdf.name}: the embedded font is not used ({sorted(fonts)})")
    print(f"print sample: {len(pdfs)} PDFs, Chinese text and the embedded font in each")


def font_names(page: Any) -> list[str]:
    """The base names of the fonts a PDF page uses (pypdf's objects are loosely typed)."""
    fonts = page["/Resources"].get_object()["/Font"].get_object()
    return [str(font.get_object()["/BaseFont"]) for font in fonts.values()]


def run(exe: Path, *args: str) -> str:
    result = subprocess.run([str(exe), *args], capture_output=True, timeout=300, check=False)
    out = result.stdout.decode("utf-8", "replace") + result.stderr.decode("utf-8", "replace")
    if result.returncode != 0:
        raise SmokeFailed(f"{exe.name} {' '.join(args)} exited {result.returncode}:\n{out}")
    return out


def last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def size_mb(folder: Path) -> float:
    """MiB on disk, each file once (the build links some Qt libraries to others)."""
    return sum(p.lstat().st_size for p in files(folder)) / 2**20


def count_files(folder: Path) -> int:
    return len(files(folder))


def files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
