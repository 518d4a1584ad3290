"""Timing the printed documents: building each document type's PDF for a demo case.

    .venv/bin/python -m benchmarks.documents [--repeat 20]

For every document type, the median (and best) of ``--repeat`` builds of the PDF from the case
(reading the facts from the store and rendering with reportlab, the QR code made afresh each
time: what a first preview costs), and the
median of the whole use case ``issue_document`` (build + archive the bytes + audit, committed).
The first build of the run registers the bundled font and is not counted. Target (issue #5): a
受理通知书 builds in under 50 ms.
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import dataclass

TARGET_MS = 50.0


@dataclass(frozen=True)
class DocTiming:
    kind: str
    label: str
    pages: int
    kib: float
    best_ms: float
    median_ms: float
    issue_median_ms: float


def measure(repeat: int = 20) -> list[DocTiming]:
    import io

    from pypdf import PdfReader

    from app.printing.facts import gather
    from app.printing.kinds import DocKind
    from app.printing.layouts import load_layout
    from app.printing.render import qr_modules, render_pdf
    from app.printing.sample import sample_cases
    from app.printing.service import issue_document
    from app.workflow.fold import local_date

    timings: list[DocTiming] = []
    with sample_cases() as (ctx, clerk, cases):

        def build(kind: DocKind) -> bytes:
            qr_modules.cache_clear()  # measure the QR code's making too (cold)
            layout = load_layout(kind)
            with ctx.sessions() as session:
                facts = gather(
                    session,
                    cases[kind],
                    title=layout.title,
                    reprint=False,
                    printed_by=clerk.display_name,
                    today=local_date(ctx.clock()),
                )
            return render_pdf(layout, facts, reprint=False)

        build(DocKind.ACCEPTANCE_NOTICE)  # warm-up: font registration, template loading
        for kind in DocKind:
            samples, pdf = [], b""
            for _ in range(repeat):
                start = time.perf_counter()
                pdf = build(kind)
                samples.append((time.perf_counter() - start) * 1000)
            issued = []
            for _ in range(repeat):
                start = time.perf_counter()
                issue_document(ctx, clerk, cases[kind], kind, purpose="preview")
                issued.append((time.perf_counter() - start) * 1000)
            timings.append(
                DocTiming(
                    kind=kind.value,
                    label=kind.label,
                    pages=len(PdfReader(io.BytesIO(pdf)).pages),
                    kib=len(pdf) / 1024,
                    best_ms=min(samples),
                    median_ms=statistics.median(samples),
                    issue_median_ms=statistics.median(issued),
                )
            )
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20, help="builds per document type")
    args = parser.parse_args(argv)
    timings = measure(args.repeat)
    print(f"{'document':<22}{'pages':>6}{'KiB':>7}{'best ms':>9}{'median ms':>11}{'issue ms':>10}")
    for t in timings:
        print(
            f"{t.kind:<22}{t.pages:>6}{t.kib:>7.0f}{t.best_ms:>9.1f}{t.median_ms:>11.1f}"
            f"{t.issue_median_ms:>10.1f}"
        )
    acceptance = next(t for t in timings if t.kind == "acceptance_notice")
    verdict = "met" if acceptance.median_ms < TARGET_MS else "MISSED"
    print(
        f"受理通知书 median {acceptance.median_ms:.1f} ms (target < {TARGET_MS:.0f} ms: {verdict})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
