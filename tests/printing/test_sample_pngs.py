"""``onewindow print sample`` writes every document type; page 1 of each is rendered to PNG
with poppler's pdftoppm into the git-ignored screenshots/ folder for people to look at.

pdftoppm is required (``./dev`` installs poppler-utils): without it this test fails, it does not
skip, so CI cannot silently stop rendering the documents.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from app import cli
from app.printing.kinds import DocKind

SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "screenshots"


def test_print_sample_writes_every_kind_and_page_one_renders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "samples"
    assert cli.main(["print", "sample", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "已生成 9 种文书样张" in printed
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm missing: install poppler-utils (./dev does it)"
    SCREENSHOT_DIR.mkdir(exist_ok=True)
    for kind in DocKind:
        pdf = out / f"{kind.value}.pdf"
        assert f"{kind.label}：{pdf}" in printed
        reader = PdfReader(pdf)
        fonts = {
            str(font["/BaseFont"])
            for page in reader.pages
            for font in page["/Resources"]["/Font"].values()  # type: ignore[index]
        }
        assert any("NotoSansSC" in name for name in fonts), fonts  # the embedded subset
        stem = SCREENSHOT_DIR / f"documents-{kind.value}"
        subprocess.run(
            [
                pdftoppm,
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf),
                str(stem),
            ],
            check=True,
            capture_output=True,
        )
        png = stem.with_suffix(".png")
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
