"""The monthly report the county asks for: an Excel workbook and a PDF of one calendar month.

``month`` parses 2026-11; ``ledger`` and ``ratings`` read the month's cases and ratings;
``contents`` gathers everything the two files show; ``workbook`` and ``pdf`` write them;
``service`` checks who may, archives the bytes and audits the report (docs/monthly-report.md).
"""
