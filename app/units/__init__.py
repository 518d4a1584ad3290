"""Units of work: what each use case declares (``declare``) and how a caller opens it
(``runner``). Import the modules, not this package: ``declare`` is imported by the use cases,
``runner`` imports the audit log, which is one of them."""
