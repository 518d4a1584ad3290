"""The supervisor's figures (issue 15): counted from the case log and the projection by SQL
aggregates, for a period and a grouping; defined in words in ``docs/figures.md``.

Import the modules themselves: ``period`` (the period of local dates), ``figures`` (the
figures, per group, and the proxy filings by village). Qt-free; a report takes its own read
unit (``Store.reader``) and may run off the UI thread.
"""
