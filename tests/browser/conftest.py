"""Debian's headless chromium driven by Selenium, at a phone's size (390×844, touch, a phone's
user agent), for the county's public pages.

Where the browser must be there these tests fail, never skip: under ``./dev test`` (it installs
``chromium`` and ``chromium-driver`` and sets ``ONEWINDOW_REQUIRE_BROWSER``) and on CI. Elsewhere
a machine without them skips, saying so. Selenium Manager never runs: the driver is Debian's,
named by path. The page's Chinese is drawn with the bundled Noto Sans SC (a fontconfig file
adds ``resources/fonts``), so a machine without CJK fonts still shows it.
"""

from __future__ import annotations

import base64
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FONTS = Path(__file__).resolve().parents[2] / "resources" / "fonts"
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "screenshots"  # git-ignored
PHONE = {"width": 390, "height": 844, "pixelRatio": 2, "touch": True}
PHONE_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--lang=zh-CN",
)


def required() -> str | None:
    """Why this run must have the browser (None: it may skip the tests that need it)."""
    if os.environ.get("ONEWINDOW_REQUIRE_BROWSER"):
        return "ONEWINDOW_REQUIRE_BROWSER is set (./dev test)"
    if os.environ.get("CI"):
        return "CI is set"
    return None


def _missing() -> list[str]:
    return [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]


def _fontconfig(directory: Path) -> Path:
    """A fontconfig file: the system's fonts and the bundled Noto Sans SC."""
    path = directory / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{FONTS}</dir><cachedir>{directory / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def phone() -> Iterator[webdriver.Chrome]:
    """A headless chromium emulating a phone; its profile in a directory of its own."""
    missing = _missing()
    if missing:
        reason = f"chromium and its driver are needed, missing: {', '.join(missing)}"
        why = required()
        if why is not None:
            pytest.fail(f"{reason} ({why}; apt-get install chromium chromium-driver)")
        pytest.skip(f"{reason} (Debian: apt-get install chromium chromium-driver)")
    profile = Path(tempfile.mkdtemp(prefix="onewindow-chromium-"))
    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile / 'profile'}"):
        options.add_argument(flag)
    options.add_experimental_option(
        "mobileEmulation", {"deviceMetrics": PHONE, "userAgent": PHONE_AGENT}
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(_fontconfig(profile))}
    service = Service(executable_path=str(CHROMEDRIVER), env=env)
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(20)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def save_page(driver: webdriver.Chrome, name: str) -> Path:
    """The whole page at the phone's width (beyond the viewport), as a PNG people look at."""
    SCREENSHOT_DIR.mkdir(exist_ok=True)
    height = int(driver.execute_script("return document.documentElement.scrollHeight"))
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": PHONE["width"], "height": height, "scale": 1},
        },
    )
    path = SCREENSHOT_DIR / f"{name}.png"
    path.write_bytes(base64.b64decode(shot["data"]))
    return path
