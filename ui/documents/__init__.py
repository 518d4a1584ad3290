"""Printed documents in the desks: offered after a decision, previewed in Qt's PDF view, printed
through the print dialog, saved as PDF, and reprinted (补打) from a case's 文书 tab.

The PDFs are built and archived by :mod:`app.printing` in the runner's writer thread; these
widgets only show bytes they are given."""
