"""Timing the form renderer: building (and showing) a FormView for every bundled template.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.form_render [--repeat N]

Prints, per template, the best and median time to build the form and lay it out at 1366x768,
and for the largest one also ``set_value`` of sample data and a full ``check()``. The first
build of the run is a warm-up (Qt loads styles and fonts then) and is not counted.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class FormTiming:
    template_id: str
    fields: int
    widgets: int
    best_ms: float
    median_ms: float


def measure(repeat: int = 10) -> tuple[list[FormTiming], dict[str, float]]:
    """Per-template build timings, and the largest form's set_value / check timings (ms)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QWidget

    from app.catalog.loader import bundled_catalog
    from app.demo.forms import sample_form_data
    from ui.fonts import install_bundled_fonts
    from ui.form import FormView
    from ui.refcounts import guard_singletons

    guard_singletons()  # as the program does at start (ui/refcounts.py)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    install_bundled_fonts(app)
    templates = sorted(bundled_catalog().templates, key=lambda t: t.id)
    FormView(templates[0]).deleteLater()  # warm-up

    def build_once(template_index: int) -> tuple[float, int]:
        start = time.perf_counter()
        view = FormView(templates[template_index])
        view.resize(1366, 768)
        view.show()
        QApplication.processEvents()
        elapsed = (time.perf_counter() - start) * 1000
        widgets = len(view.findChildren(QWidget))
        view.close()
        view.deleteLater()
        QApplication.processEvents()
        return elapsed, widgets

    timings = []
    for index, template in enumerate(templates):
        runs = [build_once(index) for _ in range(repeat)]
        times = [ms for ms, _ in runs]
        timings.append(
            FormTiming(
                template.id,
                len(template.all_fields()),
                runs[0][1],
                min(times),
                statistics.median(times),
            )
        )

    largest = max(templates, key=lambda t: len(t.all_fields()))
    view = FormView(largest)
    data = sample_form_data(largest, random.Random(1))
    start = time.perf_counter()
    for _ in range(repeat):
        view.set_value(data)
    set_ms = (time.perf_counter() - start) * 1000 / repeat
    start = time.perf_counter()
    for _ in range(repeat):
        view.check()
    check_ms = (time.perf_counter() - start) * 1000 / repeat
    view.deleteLater()
    return timings, {"largest set_value": set_ms, "largest check": check_ms}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=10, help="builds per template")
    args = parser.parse_args()
    from PySide6.QtCore import qInstallMessageHandler

    # The offscreen platform's note about a window-manager feature it lacks is not news.
    qInstallMessageHandler(
        lambda _kind, _context, message: None if "propagateSizeHints" in message else print(message)
    )
    timings, extra = measure(args.repeat)
    print(f"{'template':<28}{'fields':>7}{'widgets':>9}{'best ms':>10}{'median ms':>11}")
    for t in timings:
        print(
            f"{t.template_id:<28}{t.fields:>7}{t.widgets:>9}{t.best_ms:>10.1f}{t.median_ms:>11.1f}"
        )
    for name, ms in extra.items():
        print(f"{name}: {ms:.1f} ms")


if __name__ == "__main__":
    main()
